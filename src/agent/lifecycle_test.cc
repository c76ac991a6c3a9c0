// The launch lifecycle decisions: heartbeats at a cadence the hook's timeout allows, CONTINUE
// only when synced, ABANDON after the maximum with the reason, and nothing more once done.
#include "agent/lifecycle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

Status WithState(SyncState state, std::string reason = "the reason") {
  Status s;
  s.state = state;
  s.reason = std::move(reason);
  s.observations = 1;
  return s;
}

TEST(HeartbeatCadence, ThreePerTimeoutWithinBounds) {
  EXPECT_EQ(HeartbeatCadence(60min), 20min);
  EXPECT_EQ(HeartbeatCadence(100min), 30min);  // capped: 3.3 heartbeats per timeout
  EXPECT_EQ(HeartbeatCadence(1min), 20s);
  EXPECT_EQ(HeartbeatCadence(30s), 10s);
  EXPECT_EQ(HeartbeatCadence(6s), 2s);
  EXPECT_EQ(HeartbeatCadence(2s), 1s);
  // Whatever the timeout the hook allows (30 s to 2 h), two heartbeats can be lost.
  for (auto timeout = 30s; timeout <= 2h; timeout += 30s) {
    EXPECT_LE(3 * HeartbeatCadence(timeout), timeout + 1ms) << timeout.count();
  }
}

class LifecycleTest : public ::testing::Test {
 protected:
  LifecycleTest() : planner_({60min, 8h}, t0_) {}
  SteadyTime t0_ = SteadyTime() + 1000h;
  LifecyclePlanner planner_;
};

TEST_F(LifecycleTest, HeartbeatsAtOnceThenEveryCadenceWhileSyncing) {
  const Status syncing = WithState(SyncState::kSyncing);
  // The boot used part of the first timeout: the first heartbeat goes out at once.
  EXPECT_EQ(planner_.Decide(nullptr, 40min, t0_).action, LifecycleAction::kHeartbeat);
  planner_.Succeeded(LifecycleAction::kHeartbeat, t0_);
  EXPECT_EQ(planner_.Decide(&syncing, 41min, t0_ + 1min).action, LifecycleAction::kNone);
  EXPECT_EQ(planner_.next_due(), t0_ + 20min);
  EXPECT_EQ(planner_.Decide(&syncing, 60min, t0_ + 20min).action, LifecycleAction::kHeartbeat);
  planner_.Succeeded(LifecycleAction::kHeartbeat, t0_ + 20min);
  EXPECT_EQ(planner_.heartbeats(), 2);
  EXPECT_EQ(planner_.state(), "waiting");
}

TEST_F(LifecycleTest, ContinueOnlyWhenSynced) {
  for (SyncState state :
       {SyncState::kStarting, SyncState::kUnknown, SyncState::kSyncing, SyncState::kStalled}) {
    const Status s = WithState(state);
    EXPECT_NE(planner_.Decide(&s, 10min, t0_).action, LifecycleAction::kContinue);
  }
  EXPECT_NE(planner_.Decide(nullptr, 10min, t0_).action, LifecycleAction::kContinue);
  const Status synced = WithState(SyncState::kSynced, "within 10 blocks");
  const LifecycleDecision d = planner_.Decide(&synced, 10min, t0_ + 5s);
  EXPECT_EQ(d.action, LifecycleAction::kContinue);
  EXPECT_EQ(d.reason, "within 10 blocks");
  planner_.Succeeded(LifecycleAction::kContinue, t0_ + 5s);
  EXPECT_EQ(planner_.state(), "continued");
  EXPECT_TRUE(planner_.done());
  EXPECT_EQ(planner_.Decide(&synced, 11min, t0_ + 1h).action, LifecycleAction::kNone);
}

TEST_F(LifecycleTest, AbandonAfterTheMaximumWithTheReason) {
  const Status stalled = WithState(SyncState::kStalled, "stalled: 400 blocks behind");
  EXPECT_EQ(planner_.Decide(&stalled, 8h - 1s, t0_).action, LifecycleAction::kHeartbeat);
  const LifecycleDecision d = planner_.Decide(&stalled, 8h, t0_);
  EXPECT_EQ(d.action, LifecycleAction::kAbandon);
  EXPECT_THAT(d.reason, HasSubstr("not synced 480 min after launch (maximum 480 min)"));
  EXPECT_THAT(d.reason, HasSubstr("stalled: 400 blocks behind"));
  planner_.Succeeded(LifecycleAction::kAbandon, t0_);
  EXPECT_EQ(planner_.state(), "abandoned");
  EXPECT_EQ(planner_.Decide(&stalled, 9h, t0_ + 1h).action, LifecycleAction::kNone);
}

TEST_F(LifecycleTest, SyncedAtTheDeadlineStillContinues) {
  const Status synced = WithState(SyncState::kSynced);
  EXPECT_EQ(planner_.Decide(&synced, 9h, t0_).action, LifecycleAction::kContinue);
}

TEST_F(LifecycleTest, NeverObservedAtTheDeadlineIsAbandonedSayingSo) {
  const LifecycleDecision d = planner_.Decide(nullptr, 8h, t0_);
  EXPECT_EQ(d.action, LifecycleAction::kAbandon);
  EXPECT_THAT(d.reason, HasSubstr("the node was never observed"));
}

TEST_F(LifecycleTest, AFailureIsRetriedAfterTheDelay) {
  const Status synced = WithState(SyncState::kSynced);
  planner_.Failed(LifecycleAction::kContinue, false, t0_, 2s);
  EXPECT_EQ(planner_.Decide(&synced, 1h, t0_ + 1s).action, LifecycleAction::kNone);
  EXPECT_EQ(planner_.next_due(), t0_ + 2s);
  EXPECT_EQ(planner_.Decide(&synced, 1h, t0_ + 2s).action, LifecycleAction::kContinue);
  EXPECT_EQ(planner_.state(), "waiting");
}

TEST_F(LifecycleTest, AnActionNoLongerPendingEndsTheWork) {
  const Status syncing = WithState(SyncState::kSyncing);
  planner_.Failed(LifecycleAction::kHeartbeat, true, t0_, 1s);
  EXPECT_EQ(planner_.state(), "done");
  EXPECT_TRUE(planner_.done());
  EXPECT_EQ(planner_.Decide(&syncing, 1h, t0_ + 1h).action, LifecycleAction::kNone);
}

}  // namespace
}  // namespace sr::agent
