// What /health, /status and /metrics answer for a status: 200 only when synced and fresh, the
// reason otherwise; JSON that parses; Prometheus text that a scraper accepts.
#include "agent/health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "agent/prometheus.h"

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

Status Synced(SteadyTime at) {
  Status s;
  s.state = SyncState::kSynced;
  s.reason = "Stacks tip 5000 is within 10 blocks of the reference (5002)";
  s.node_up = true;
  s.stacks_tip_height = 5000;
  s.burn_block_height = 900;
  s.stacks_blocks_behind = 2;
  s.burn_blocks_behind = 0;
  s.peers = 8;
  s.observations = 3;
  s.observed_steady = at;
  s.observed_at = std::chrono::system_clock::now();
  return s;
}

TEST(HealthReply, OkWhenSynced) {
  const SteadyTime now = std::chrono::steady_clock::now();
  const HttpReply r = HealthReply(Synced(now - 1s), now, 90s);
  EXPECT_EQ(r.status, 200);
  const auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["status"], "synced");
  EXPECT_EQ(j["healthy"], true);
  EXPECT_EQ(j["stacks_blocks_behind"], 2);
}

TEST(HealthReply, ServiceUnavailableWithTheReasonOtherwise) {
  const SteadyTime now = std::chrono::steady_clock::now();
  for (SyncState state :
       {SyncState::kStarting, SyncState::kUnknown, SyncState::kSyncing, SyncState::kStalled}) {
    Status s = Synced(now);
    s.state = state;
    s.reason = "the reason";
    const HttpReply r = HealthReply(s, now, 90s);
    EXPECT_EQ(r.status, 503);
    const auto j = nlohmann::json::parse(r.body);
    EXPECT_EQ(j["status"], SyncStateName(state));
    EXPECT_EQ(j["reason"], "the reason");
    EXPECT_EQ(j["healthy"], false);
  }
}

TEST(HealthReply, NeverHealthyBeforeTheFirstObservationOrOnAStaleOne) {
  const SteadyTime now = std::chrono::steady_clock::now();
  const HttpReply none = HealthReply(Status{}, now, 90s);
  EXPECT_EQ(none.status, 503);
  EXPECT_THAT(none.body, HasSubstr("has not observed the node yet"));
  const HttpReply stale = HealthReply(Synced(now - 91s), now, 90s);
  EXPECT_EQ(stale.status, 503);
  EXPECT_THAT(stale.body, HasSubstr("the last observation is 91 s old"));
}

TEST(StatusJson, HoldsEverythingObserved) {
  const SteadyTime now = std::chrono::steady_clock::now();
  Status s = Synced(now);
  s.reference_error = "timeout";
  s.signer = SignerView{true, 112, 5000, 10, 1};
  PublisherStats p;
  p.enabled = true;
  p.buffered = 20;
  p.dropped = 3;
  LifecycleStats l;
  l.enabled = true;
  l.state = "waiting";
  l.heartbeats = 4;
  const auto j = nlohmann::json::parse(StatusJson(s, p, l, now));
  EXPECT_EQ(j["state"], "synced");
  EXPECT_EQ(j["node"]["stacks_tip_height"], 5000);
  EXPECT_EQ(j["node"]["peers"], 8);
  EXPECT_TRUE(j["node"]["burn_block_height"].is_number());
  EXPECT_TRUE(j["compared_with"]["bitcoin_block_height"].is_null());
  EXPECT_EQ(j["errors"]["reference"], "timeout");
  EXPECT_EQ(j["signer"]["heartbeat_ok"], true);
  EXPECT_EQ(j["cloudwatch"]["buffered"], 20);
  EXPECT_EQ(j["cloudwatch"]["dropped"], 3);
  EXPECT_EQ(j["lifecycle"]["state"], "waiting");
  EXPECT_EQ(j["lifecycle"]["heartbeats"], 4);
}

// The text format, line by line: HELP and TYPE before a metric's samples, each metric family
// once, sample lines NAME{LABELS} VALUE with a number.
void ExpectValidExposition(const std::string& text) {
  const std::regex help(R"(# HELP (stacks_runner_[a-z_]+) .+)");
  const std::regex type(R"(# TYPE (stacks_runner_[a-z_]+) (gauge|counter))");
  const std::regex sample(R"((stacks_runner_[a-z_]+)(\{[a-z_]+="[a-z]+"\})? -?[0-9.e+-]+)");
  std::istringstream in(text);
  std::string line, typed;
  std::set<std::string> families;
  std::smatch m;
  ASSERT_FALSE(text.empty());
  ASSERT_EQ(text.back(), '\n');
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, help)) continue;
    if (std::regex_match(line, m, type)) {
      typed = m[1];
      EXPECT_TRUE(families.insert(typed).second) << "family twice: " << typed;
      continue;
    }
    ASSERT_TRUE(std::regex_match(line, m, sample)) << "not a sample line: " << line;
    EXPECT_EQ(m[1], typed) << line;
  }
}

TEST(PrometheusText, ValidAndLeavesUnknownValuesOut) {
  const SteadyTime now = std::chrono::steady_clock::now();
  Status s = Synced(now);
  s.bitcoin_block_height.reset();
  PublisherStats p;
  p.enabled = true;
  p.sent = 120;
  LifecycleStats l;
  l.enabled = true;
  l.state = "waiting";
  const std::string text = PrometheusText(s, p, l, now);
  ExpectValidExposition(text);
  EXPECT_THAT(text, HasSubstr("stacks_runner_synced 1\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_sync_state{state=\"synced\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_sync_state{state=\"stalled\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_stacks_tip_height 5000\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_cloudwatch_sent_datums_total 120\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_lifecycle_pending 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("bitcoin_block_height")));
}

TEST(PrometheusText, ANodeThatIsDown) {
  Status s;
  s.state = SyncState::kStarting;
  s.observations = 1;
  s.observed_steady = std::chrono::steady_clock::now();
  const std::string text = PrometheusText(s, {}, {}, s.observed_steady);
  ExpectValidExposition(text);
  EXPECT_THAT(text, HasSubstr("stacks_runner_node_up 0\n"));
  EXPECT_THAT(text, HasSubstr("stacks_runner_synced 0\n"));
  EXPECT_THAT(text, Not(HasSubstr("stacks_tip_height")));
  EXPECT_THAT(text, Not(HasSubstr("cloudwatch")));
}

}  // namespace
}  // namespace sr::agent
