#include "util/clock.h"

#include <gtest/gtest.h>

namespace sr::util {
namespace {

TEST(Iso8601, RoundTripAndVariants) {
  Clock::TimePoint t;
  ASSERT_TRUE(ParseIso8601("2026-11-24T01:02:03Z", &t));
  EXPECT_EQ(FormatIso8601(t), "2026-11-24T01:02:03Z");
  Clock::TimePoint u;
  ASSERT_TRUE(ParseIso8601("2026-11-24T01:02:03.123Z", &u));
  EXPECT_EQ(t, u);
  ASSERT_TRUE(ParseIso8601("2026-11-24T01:02:03+00:00", &u));
  EXPECT_EQ(t, u);
  EXPECT_FALSE(ParseIso8601("2026-11-24", &u));
  EXPECT_FALSE(ParseIso8601("2026-11-24T01:02:03+02:00", &u));
}

}  // namespace
}  // namespace sr::util
