#include "cost/prices.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace sr::cost {
namespace {

TEST(Prices, TheCommonRegionsAreThere) {
  EXPECT_THAT(PricedRegions(),
              ::testing::IsSupersetOf({"us-east-1", "us-east-2", "us-west-2", "eu-west-1",
                                       "eu-central-1", "ap-southeast-1", "ap-northeast-1"}));
  for (const auto& region : PricedRegions()) {
    for (const char* item : {"ec2:m5.large", "ec2:m5.xlarge", "ebs:gp3:gb", "elb:alb:hour",
                             "cloudwatch:metric", "secretsmanager:secret"}) {
      EXPECT_TRUE(Price(region, item)) << region << " " << item;
    }
  }
}

TEST(Prices, EveryRowNamesAKnownSourceAndIsPositiveAndUnique) {
  std::set<std::string_view> sources;
  for (const auto& s : PriceSources()) sources.insert(s.key);
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const auto& row : PriceTable()) {
    EXPECT_TRUE(sources.count(row.source)) << row.region << " " << row.item;
    EXPECT_GT(row.usd, 0) << row.region << " " << row.item;
    EXPECT_TRUE(seen.insert({row.region, row.item}).second) << row.region << " " << row.item;
  }
}

TEST(Prices, KnownFigures) {
  EXPECT_EQ(Price("us-east-1", "ec2:m5.large"), 0.096);
  EXPECT_EQ(Price("us-east-1", "ec2:m7g.large"), 0.0816);
  EXPECT_EQ(Price("us-east-1", "ebs:gp3:gb"), 0.08);
  EXPECT_EQ(Price("eu-central-1", "ebs:gp3:gb"), 0.0952);
  EXPECT_FALSE(Price("us-east-1", "ec2:x99.huge"));
  EXPECT_FALSE(Price("mars-north-1", "ec2:m5.large"));
  EXPECT_EQ(PriceTableDate(), "2026-01-19");
}

}  // namespace
}  // namespace sr::cost
