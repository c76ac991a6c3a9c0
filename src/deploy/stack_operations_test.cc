#include "deploy/stack_operations.h"

#include <regex>
#include <set>

#include <gtest/gtest.h>

#include "util/clock.h"

namespace sr::deploy {
namespace {

util::Clock::TimePoint At(const char* iso8601, std::chrono::milliseconds extra = {}) {
  util::Clock::TimePoint t;
  EXPECT_TRUE(util::ParseIso8601(iso8601, &t));
  return t + extra;
}

TEST(ChangeSetName, IsValidForCloudFormationAndCarriesTheTime) {
  const std::string name =
      ChangeSetName(At("2026-03-14T15:09:26Z", std::chrono::milliseconds(535)));
  EXPECT_TRUE(std::regex_match(name, std::regex("[a-zA-Z][-a-zA-Z0-9]*"))) << name;
  EXPECT_LE(name.size(), 128u);
  EXPECT_EQ(name.rfind("stacks-runner-20260314T150926535Z-", 0), 0u) << name;
}

TEST(ChangeSetName, TwoDeploysInTheSameMillisecondDoNotCollide) {
  std::set<std::string> names;
  for (int i = 0; i < 50; ++i) names.insert(ChangeSetName(At("2026-03-14T15:09:26Z")));
  EXPECT_EQ(names.size(), 50u);
}

}  // namespace
}  // namespace sr::deploy
