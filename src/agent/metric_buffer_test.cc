// The CloudWatch side without I/O: the datums of a status (the names the dashboards and alarms
// read), the bounded buffer (oldest dropped first, and counted) and the PutMetricData parameters.
#include "agent/metric_buffer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "agent/backoff.h"
#include "templates/names.h"

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Pair;

std::vector<std::string> Names(const std::vector<Datum>& datums) {
  std::vector<std::string> out;
  for (const auto& d : datums) out.emplace_back(d.name);
  return out;
}

Datum At(int second) {
  return {templates::metrics::kStacksTipHeight, static_cast<double>(second),
          WallTime() + std::chrono::seconds(second)};
}

TEST(DatumsOf, ASyncedNode) {
  Status s;
  s.state = SyncState::kSynced;
  s.node_up = true;
  s.stacks_tip_height = 5000;
  s.burn_block_height = 900;
  s.stacks_blocks_behind = 2;
  s.burn_blocks_behind = 0;
  s.peers = 8;
  s.data_disk_used_percent = 42.5;
  s.observed_at = std::chrono::system_clock::now();
  const auto datums = DatumsOf(s, false);
  EXPECT_THAT(Names(datums), ElementsAre("AgentHeartbeat", "NodeUp", "Synced", "Stalled",
                                         "StacksTipHeight", "BurnBlockHeight", "StacksBlocksBehind",
                                         "BurnBlocksBehind", "Peers", "DataDiskUsedPercent"));
  for (const auto& d : datums) EXPECT_EQ(d.time, s.observed_at);
  EXPECT_EQ(datums[2].value, 1);  // Synced
  EXPECT_EQ(datums[3].value, 0);  // Stalled
  EXPECT_EQ(datums.back().unit, "Percent");
}

TEST(DatumsOf, ADownSignerPublishesOnlyWhatIsKnown) {
  Status s;
  s.state = SyncState::kStarting;
  s.signer = SignerView{};
  const auto datums = DatumsOf(s, true);
  EXPECT_THAT(Names(datums),
              ElementsAre("AgentHeartbeat", "NodeUp", "Synced", "Stalled", "SignerHeartbeat"));
  EXPECT_EQ(datums[1].value, 0);
  EXPECT_EQ(datums.back().value, 0);
}

TEST(DatumsOf, ARestoreInProgressPublishesItsPercent) {
  Status s;
  s.state = SyncState::kStarting;
  s.chainstate_restore = RestoreProgress{"downloading", 37.5};
  const auto datums = DatumsOf(s, false);
  EXPECT_THAT(Names(datums), ElementsAre("AgentHeartbeat", "NodeUp", "Synced", "Stalled",
                                         "ChainstateRestorePercent"));
  EXPECT_EQ(datums.back().value, 37.5);
  EXPECT_EQ(datums.back().unit, "Percent");
}

TEST(MetricBuffer, KeepsOrderAndHandsOutTheOldestFirst) {
  MetricBuffer buffer(10);
  buffer.Add({At(1), At(2), At(3)});
  buffer.Add({At(4)});
  EXPECT_EQ(buffer.size(), 4u);
  const auto batch = buffer.Take(3);
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].value, 1);
  EXPECT_EQ(batch[2].value, 3);
  EXPECT_EQ(buffer.size(), 1u);
  EXPECT_EQ(buffer.Take(100).size(), 1u);
  EXPECT_TRUE(buffer.Take(100).empty());
}

TEST(MetricBuffer, BoundedDroppingTheOldestFirstAndCountingThem) {
  MetricBuffer buffer(5);
  for (int i = 1; i <= 8; ++i) buffer.Add({At(i)});
  EXPECT_EQ(buffer.size(), 5u);
  EXPECT_EQ(buffer.dropped(), 3);
  const auto left = buffer.Take(10);
  EXPECT_EQ(left.front().value, 4);
  EXPECT_EQ(left.back().value, 8);
}

TEST(MetricBuffer, AFailedBatchGoesBackInFrontWithinTheCapacity) {
  MetricBuffer buffer(5);
  buffer.Add({At(1), At(2), At(3)});
  auto batch = buffer.Take(3);               // being sent...
  buffer.Add({At(4), At(5), At(6), At(7)});  // ... while observations go on
  buffer.Requeue(std::move(batch));          // the send failed
  EXPECT_EQ(buffer.size(), 5u);
  EXPECT_EQ(buffer.dropped(), 2);  // 1 and 2, the oldest
  const auto left = buffer.Take(10);
  std::vector<double> values;
  for (const auto& d : left) values.push_back(d.value);
  EXPECT_THAT(values, ElementsAre(3, 4, 5, 6, 7));
}

TEST(MetricBuffer, ThreadSafeUnderConcurrentUse) {
  MetricBuffer buffer(1000);
  std::thread producer([&] {
    for (int i = 0; i < 5000; ++i) buffer.Add({At(i)});
  });
  size_t taken = 0;
  for (int i = 0; i < 2000; ++i) {
    auto batch = buffer.Take(7);
    taken += batch.size();
    if (i % 3 == 0) {
      taken -= batch.size();
      buffer.Requeue(std::move(batch));
    }
  }
  producer.join();
  EXPECT_EQ(taken + buffer.size() + static_cast<size_t>(buffer.dropped()), 5000u);
  EXPECT_LE(buffer.size(), 1000u);
}

TEST(PutMetricDataParams, EveryDatumOncePerDimensionSet) {
  const WallTime t = std::chrono::sys_days{std::chrono::year{2026} / 11 / 24} + 1h + 2min + 3s;
  const std::vector<Datum> datums = {{"StacksTipHeight", 5123456, t, "None"},
                                     {"DataDiskUsedPercent", 42.25, t, "Percent"}};
  const auto params = PutMetricDataParams(
      "StacksRunner", datums,
      {{{"InstanceId", "i-0123"}}, {{"AutoScalingGroupName", "stacks-ha-nodes-follower"}}});
  EXPECT_THAT(params.front(), Pair("Namespace", "StacksRunner"));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.1.MetricName", "StacksTipHeight")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.1.Value", "5123456")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.1.Timestamp", "2026-11-24T01:02:03Z")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.1.Dimensions.member.1.Name", "InstanceId")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.2.Value", "42.25")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.2.Unit", "Percent")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.3.Dimensions.member.1.Value",
                                    "stacks-ha-nodes-follower")));
  EXPECT_THAT(params, Contains(Pair("MetricData.member.4.MetricName", "DataDiskUsedPercent")));
  EXPECT_EQ(params.size(), 1u + 4 * 6);
}

TEST(RemoveOutOfRange, DropsWhatCloudWatchWouldRefuse) {
  const WallTime now = std::chrono::system_clock::now();
  std::vector<Datum> batch = {{"Synced", 1, now - 24h * 15},
                              {"Synced", 1, now - 1h},
                              {"Synced", 1, now + 3h},
                              {"Synced", 1, now}};
  const auto removed = RemoveOutOfRange(&batch, now);
  EXPECT_EQ(removed.size(), 2u);
  EXPECT_EQ(batch.size(), 2u);
}

TEST(Backoff, DoublesUpToTheCapWithJitterAndResets) {
  double r = 0.0;
  Backoff b(1s, 30s, [&r] { return r; });
  EXPECT_EQ(b.Next(), 500ms);  // [d/2, d): the lowest draw
  EXPECT_EQ(b.Next(), 1000ms);
  EXPECT_EQ(b.Next(), 2000ms);
  r = 0.999999;
  EXPECT_NEAR(static_cast<double>(b.Next().count()), 8000.0, 1.0);
  for (int i = 0; i < 20; ++i) EXPECT_LE(b.Next(), 30s);
  EXPECT_GE(b.Next(), 15s);
  EXPECT_EQ(b.failures(), 25);
  b.Reset();
  r = 0.0;
  EXPECT_EQ(b.Next(), 500ms);
}

}  // namespace
}  // namespace sr::agent
