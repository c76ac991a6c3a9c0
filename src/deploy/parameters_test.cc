#include "deploy/parameters.h"

#include <gtest/gtest.h>

namespace sr::deploy {
namespace {

TEST(OnePerZone, PrefersPublicSubnetsAndKeepsZoneOrder) {
  std::vector<aws::Subnet> subnets = {
      {"subnet-c", "vpc", "us-east-1b", "10.0.2.0/24", true, true},
      {"subnet-b", "vpc", "us-east-1a", "10.0.1.0/24", true, false},
      {"subnet-a", "vpc", "us-east-1a", "10.0.0.0/24", false, false},
      {"subnet-d", "vpc", "us-east-1b", "10.0.3.0/24", true, false},
  };
  const auto picked = OnePerZone(subnets);
  ASSERT_EQ(picked.size(), 2u);
  EXPECT_EQ(picked[0].id, "subnet-b");  // public beats private in 1a
  EXPECT_EQ(picked[1].id, "subnet-c");  // default-for-az beats another public one in 1b
}

}  // namespace
}  // namespace sr::deploy
