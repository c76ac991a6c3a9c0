// The sync state machine, observation by observation: each state, what moves it between states,
// and what must not (/v3/health's zeros, is_fully_synced, a reference on another network, the
// wall clock jumping).
#include "agent/sync_state.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class SyncStateTest : public ::testing::Test {
 protected:
  SyncStateTest() : tracker_(Policy()) {}

  static SyncPolicy Policy() {
    SyncPolicy p;
    p.tolerance_blocks = 10;
    p.burn_tolerance_blocks = 1;
    p.stall_after = 20min;
    return p;
  }

  // An observation at `at` since the start: the node at (tip, burn), the reference at
  // (ref_tip, ref_burn) unless negative, bitcoind at `btc` unless negative.
  Observation Obs(std::chrono::milliseconds at, int64_t tip, int64_t burn, int64_t ref_tip = -1,
                  int64_t ref_burn = -1, int64_t btc = -1) {
    Observation o;
    o.steady = start_ + at;
    o.wall = wall_start_ + at;
    o.node.attempted = true;
    o.node.value = NodeInfo{tip, burn, 1, "stacks-node 4.0.2"};
    o.peer_heights.attempted = true;
    o.peer_heights.value = PeerHeights{};  // no neighbour data
    if (ref_tip >= 0) {
      o.reference.attempted = true;
      o.reference.value = NodeInfo{ref_tip, ref_burn, 1, ""};
    }
    if (btc >= 0) {
      o.bitcoin_tip.attempted = true;
      o.bitcoin_tip.value = btc;
    }
    return o;
  }

  Observation Down(std::chrono::milliseconds at, bool refused) {
    Observation o;
    o.steady = start_ + at;
    o.wall = wall_start_ + at;
    o.node.attempted = true;
    o.node.unreachable = true;
    o.node.refused = refused;
    o.node.error = refused ? "connect: connection refused" : "timeout: no answer within 5 s";
    return o;
  }

  SteadyTime start_ = SteadyTime() + 1000h;
  WallTime wall_start_ = std::chrono::system_clock::now();
  SyncTracker tracker_;
};

TEST_F(SyncStateTest, StartingWhileTheRpcPortIsClosed) {
  const Status s = tracker_.Update(Down(0s, true));
  EXPECT_EQ(s.state, SyncState::kStarting);
  EXPECT_FALSE(s.node_up);
  EXPECT_THAT(s.reason, HasSubstr("opens RPC only after the Bitcoin headers sync"));
  EXPECT_FALSE(s.synced());
}

TEST_F(SyncStateTest, ARestoreIsReportedUntilItIsDone) {
  Observation o = Down(0s, true);
  o.chainstate_restore.attempted = true;
  o.chainstate_restore.value = RestoreProgress{"downloading", 12.5};
  Status s = tracker_.Update(o);
  ASSERT_TRUE(s.chainstate_restore);
  EXPECT_EQ(s.chainstate_restore->percent, 12.5);
  o.chainstate_restore.value = RestoreProgress{"done", 100};
  s = tracker_.Update(o);
  EXPECT_FALSE(s.chainstate_restore);
}

TEST_F(SyncStateTest, UnknownWhenTheNodeAnswersUnusablyOrTooSlowly) {
  Observation o = Down(0s, false);
  EXPECT_EQ(tracker_.Update(o).state, SyncState::kUnknown);
  o.node = {};
  o.node.attempted = true;
  o.node.error = "HTTP 500";
  const Status s = tracker_.Update(o);
  EXPECT_EQ(s.state, SyncState::kUnknown);
  EXPECT_THAT(s.reason, HasSubstr("/v2/info: HTTP 500"));
}

TEST_F(SyncStateTest, SyncedWithinTheToleranceOfTheReference) {
  const Status s = tracker_.Update(Obs(0s, 5000, 900, 5010, 900, 900));
  EXPECT_EQ(s.state, SyncState::kSynced);
  EXPECT_EQ(s.stacks_blocks_behind, 10);
  EXPECT_EQ(s.burn_blocks_behind, 0);
  EXPECT_EQ(s.stacks_target_source, "reference");
  EXPECT_EQ(s.burn_target_source, "bitcoind");
  EXPECT_TRUE(s.synced());
}

TEST_F(SyncStateTest, SyncingWhenBehindAndMoving) {
  Status s = tracker_.Update(Obs(0s, 4000, 900, 5000, 900));
  EXPECT_EQ(s.state, SyncState::kSyncing);
  EXPECT_EQ(s.stacks_blocks_behind, 1000);
  EXPECT_THAT(s.reason, HasSubstr("1000 blocks behind the reference"));
  // Still moving after an hour: syncing, never stalled.
  for (int minute = 1; minute <= 60; ++minute) {
    s = tracker_.Update(Obs(std::chrono::minutes(minute), 4000 + 10 * minute, 900, 5000, 900));
    EXPECT_EQ(s.state, SyncState::kSyncing) << minute;
  }
}

TEST_F(SyncStateTest, BurnChainLagAloneIsNotSynced) {
  const Status s = tracker_.Update(Obs(0s, 5000, 897, 5000, 897, 900));
  EXPECT_EQ(s.state, SyncState::kSyncing);
  EXPECT_EQ(s.burn_blocks_behind, 3);
  EXPECT_THAT(s.reason, HasSubstr("burn height 897 is 3 blocks behind bitcoind (900)"));
  // One block behind bitcoind is the normal moment between a block and its processing.
  EXPECT_EQ(tracker_.Update(Obs(1s, 5000, 899, 5000, 899, 900)).state, SyncState::kSynced);
}

TEST_F(SyncStateTest, StalledWhenBehindWithoutProgressForTheStallTime) {
  EXPECT_EQ(tracker_.Update(Obs(0s, 4000, 900, 5000, 900)).state, SyncState::kSyncing);
  EXPECT_EQ(tracker_.Update(Obs(19min, 4000, 900, 5000, 900)).state, SyncState::kSyncing);
  const Status s = tracker_.Update(Obs(20min, 4000, 900, 5000, 900));
  EXPECT_EQ(s.state, SyncState::kStalled);
  EXPECT_TRUE(s.stalled());
  EXPECT_THAT(s.reason, HasSubstr("no progress for 20 min"));
  // Progress ends the stall at once.
  EXPECT_EQ(tracker_.Update(Obs(21min, 4001, 900, 5000, 900)).state, SyncState::kSyncing);
}

TEST_F(SyncStateTest, BurnProgressCountsAsProgress) {
  // A genesis sync downloads the burn chain first, the Stacks tip standing still meanwhile.
  for (int minute = 0; minute <= 60; minute += 5) {
    const Status s =
        tracker_.Update(Obs(std::chrono::minutes(minute), 0, 100 * minute, 5000, 900000, 900000));
    EXPECT_EQ(s.state, SyncState::kSyncing) << minute;
  }
}

TEST_F(SyncStateTest, ASyncedNodeWithoutNewBlocksIsNotStalled) {
  for (int minute = 0; minute <= 90; minute += 10) {
    EXPECT_EQ(tracker_.Update(Obs(std::chrono::minutes(minute), 5000, 900, 5000, 900)).state,
              SyncState::kSynced);
  }
}

TEST_F(SyncStateTest, ANodeThatCameBackUpStartsItsStallClockAfresh) {
  EXPECT_EQ(tracker_.Update(Obs(0s, 4000, 900, 5000, 900)).state, SyncState::kSyncing);
  EXPECT_EQ(tracker_.Update(Down(10min, true)).state, SyncState::kStarting);
  // Up again at the same tip 25 minutes after the last progress: it had no chance to move.
  EXPECT_EQ(tracker_.Update(Obs(25min, 4000, 900, 5000, 900)).state, SyncState::kSyncing);
  EXPECT_EQ(tracker_.Update(Obs(45min, 4000, 900, 5000, 900)).state, SyncState::kStalled);
}

TEST_F(SyncStateTest, HealthWithoutNeighbourDataAndIsFullySyncedAreNeverTrusted) {
  // No reference, /v3/health with max height 0 and difference 0, is_fully_synced true (the
  // parser never reads it): unknown, not synced.
  const Status s = tracker_.Update(Obs(0s, 5000, 900));
  EXPECT_EQ(s.state, SyncState::kUnknown);
  EXPECT_FALSE(s.stacks_blocks_behind.has_value());
  EXPECT_THAT(s.reason, HasSubstr("nothing to compare"));
}

TEST_F(SyncStateTest, NeighbourHeightsServeWhenThereIsNoReference) {
  Observation o = Obs(0s, 5000, 900);
  o.peer_heights.value->max_neighbor_height = 5200;
  Status s = tracker_.Update(o);
  EXPECT_EQ(s.state, SyncState::kSyncing);
  EXPECT_EQ(s.stacks_target_source, "peers");
  EXPECT_EQ(s.stacks_blocks_behind, 200);
  // The reference, when it answers, is what counts (a neighbour may claim any height).
  o = Obs(1s, 5000, 900, 5001, 900);
  o.peer_heights.value->max_neighbor_height = 999999;
  s = tracker_.Update(o);
  EXPECT_EQ(s.state, SyncState::kSynced);
  EXPECT_EQ(s.stacks_target_source, "reference");
}

TEST_F(SyncStateTest, AReferenceOnAnotherNetworkIsIgnored) {
  Observation o = Obs(0s, 5000, 900, 99, 50);
  o.reference.value->network_id = 2147483648;
  const Status s = tracker_.Update(o);
  EXPECT_EQ(s.state, SyncState::kUnknown);
  EXPECT_THAT(s.reference_error, HasSubstr("another network"));
}

TEST_F(SyncStateTest, AnUnreachableReferenceFallsBackToTheNeighbours) {
  Observation o = Obs(0s, 5000, 900);
  o.reference.attempted = true;
  o.reference.error = "timeout";
  o.peer_heights.value->max_neighbor_height = 5003;
  const Status s = tracker_.Update(o);
  EXPECT_EQ(s.state, SyncState::kSynced);
  EXPECT_EQ(s.reference_error, "timeout");
}

TEST_F(SyncStateTest, AReferenceBehindTheNodeCountsAsZeroBehind) {
  const Status s = tracker_.Update(Obs(0s, 5000, 900, 4990, 899));
  EXPECT_EQ(s.stacks_blocks_behind, 0);
  EXPECT_EQ(s.burn_blocks_behind, 0);
  EXPECT_EQ(s.state, SyncState::kSynced);
}

TEST_F(SyncStateTest, WallClockJumpsChangeNothing) {
  // Durations come from the monotonic time only: the wall clock going back a day or forward
  // a week neither stalls a syncing node nor resets a stall.
  Observation o = Obs(0s, 4000, 900, 5000, 900);
  EXPECT_EQ(tracker_.Update(o).state, SyncState::kSyncing);
  o = Obs(10min, 4010, 900, 5000, 900);
  o.wall -= 24h;
  EXPECT_EQ(tracker_.Update(o).state, SyncState::kSyncing);
  o = Obs(11min, 4010, 900, 5000, 900);
  o.wall += 24h * 7;
  EXPECT_EQ(tracker_.Update(o).state, SyncState::kSyncing);
  o = Obs(30min, 4010, 900, 5000, 900);
  o.wall -= 24h * 365;
  EXPECT_EQ(tracker_.Update(o).state, SyncState::kStalled);
}

TEST_F(SyncStateTest, CarriesPeersSignerDiskAndCountsObservations) {
  Observation o = Obs(0s, 5000, 900, 5000, 900);
  o.peers.attempted = true;
  o.peers.value = 12;
  o.signer.attempted = true;
  o.signer.error = "/heartbeat: HTTP 500";
  o.data_disk_used_percent.attempted = true;
  o.data_disk_used_percent.value = 81.5;
  tracker_.Update(o);
  const Status s = tracker_.Update(o);
  EXPECT_EQ(s.observations, 2);
  EXPECT_EQ(s.peers, 12);
  ASSERT_TRUE(s.signer.has_value());
  EXPECT_FALSE(s.signer->heartbeat_ok);
  EXPECT_EQ(s.signer_error, "/heartbeat: HTTP 500");
  EXPECT_EQ(s.data_disk_used_percent, 81.5);
}

}  // namespace
}  // namespace sr::agent
