#include "deploy/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace sr::deploy {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

aws::StackEvent Event(std::string id, std::string logical, std::string type, std::string status,
                      std::string reason = "") {
  aws::StackEvent e;
  e.event_id = std::move(id);
  e.logical_id = std::move(logical);
  e.resource_type = std::move(type);
  e.status = std::move(status);
  e.reason = std::move(reason);
  return e;
}

TEST(Progress, CountsDoneResourcesAndCollectsFailures) {
  std::ostringstream out;
  util::FakeClock clock(util::Clock::TimePoint{});
  Progress p(out, false, &clock, "stacks-single-node-follower", 3);
  // Newest first, as CloudFormation returns them.
  p.OnEvents({Event("3", "Volume", "AWS::EC2::Volume", "CREATE_COMPLETE"),
              Event("2", "Volume", "AWS::EC2::Volume", "CREATE_IN_PROGRESS"),
              Event("1", "stacks-single-node-follower", "AWS::CloudFormation::Stack",
                    "CREATE_IN_PROGRESS", "User Initiated")});
  EXPECT_EQ(p.done(), 1u);
  clock.Advance(75s);
  p.OnEvents(
      {Event("6", "Sg", "AWS::EC2::SecurityGroup", "CREATE_FAILED", "Resource creation cancelled"),
       Event("5", "Node", "AWS::EC2::Instance", "CREATE_FAILED", "Received 1 FAILURE signal(s)"),
       Event("4", "Node", "AWS::EC2::Instance", "CREATE_IN_PROGRESS")});
  ASSERT_EQ(p.failures().size(), 1u);  // cancellations are consequences, not causes
  EXPECT_EQ(p.failures()[0].logical_id, "Node");
  p.Finish("ROLLBACK_COMPLETE");
  const std::string text = out.str();
  EXPECT_THAT(text, HasSubstr("CREATE_IN_PROGRESS  AWS::EC2::Volume  Volume"));
  EXPECT_THAT(text, HasSubstr("CREATE_FAILED  AWS::EC2::Instance  Node  Received 1 FAILURE"));
  EXPECT_THAT(text,
              HasSubstr("stacks-single-node-follower: ROLLBACK_COMPLETE (1/3 resources, 1m15s)"));
}

TEST(Progress, TerminalModeRedrawsOneLine) {
  std::ostringstream out;
  util::FakeClock clock(util::Clock::TimePoint{});
  Progress p(out, true, &clock, "s", 2);
  p.OnEvents({Event("1", "A", "AWS::S3::Bucket", "CREATE_IN_PROGRESS")});
  EXPECT_THAT(out.str(), HasSubstr("\r\033[Ks  [0/2]  A (AWS::S3::Bucket) CREATE_IN_PROGRESS  0s"));
}

TEST(StackStatus, Classification) {
  EXPECT_TRUE(IsTerminalStatus("CREATE_COMPLETE"));
  EXPECT_TRUE(IsTerminalStatus("ROLLBACK_COMPLETE"));
  EXPECT_FALSE(IsTerminalStatus("UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"));
  EXPECT_TRUE(IsSuccessStatus("UPDATE_COMPLETE"));
  EXPECT_FALSE(IsSuccessStatus("UPDATE_ROLLBACK_COMPLETE"));
}

}  // namespace
}  // namespace sr::deploy
