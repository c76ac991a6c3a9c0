// `stacks-runner node agent` as a whole process against local fakes only (127.0.0.1): the fake
// node of tests/agent/fake_node.py (node, reference, bitcoind, signer) and the fake AWS of
// tests/fakeaws (CloudWatch and Auto Scaling with SigV4 checked by botocore, IMDSv2 with
// expiring credentials). Each sync state and /health's answer; the fault matrix (node down,
// slow, 500s, garbage, truncated JSON, resets; IMDS unreachable and its token revoked;
// CloudWatch throttling, 5xx, resets; the wall clock jumping) with recovery once the fault
// ends; the launch hook completed only when synced, or abandoned; SIGTERM flushing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "agent/e2e_support.h"
#include "testing/fake_aws.h"

namespace sr::agent::e2e {
namespace {

using ::testing::HasSubstr;

// Observations every 200 ms: a test lasts seconds, not minutes.
constexpr char kInterval[] = "0.2";

class AgentE2eTest : public ::testing::Test {
 protected:
  // The node settings as bootstrap installs them, pointed at the fakes.
  std::string Settings(const std::string& extra = "") {
    return dir_.Write("node.env", "STACKS_RPC_PORT=" + std::to_string(node_.port("NODE")) +
                                      "\nBITCOIN_PEER_HOST=127.0.0.1\nBITCOIN_RPC_PORT=" +
                                      std::to_string(node_.port("BITCOIND")) +
                                      "\nBITCOIN_RPC_USERNAME=agent\n"
                                      "STACKS_REFERENCE_NODE=http://127.0.0.1:" +
                                      std::to_string(node_.port("REFERENCE")) + "\n" + extra);
  }
  std::vector<std::string> Args(std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"--settings",
                                     Settings(),
                                     "--listen",
                                     "127.0.0.1:0",
                                     "--interval",
                                     kInterval,
                                     "--request-timeout",
                                     "0.3",
                                     "--bitcoin-rpc-password-file",
                                     dir_.Write("btc-password", "not-a-real-password\n"),
                                     "--data-path",
                                     dir_.path().string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
  // Waits until the agent reports `state` and /health answers `status`.
  ::testing::AssertionResult Reaches(const AgentProcess& agent, const std::string& state,
                                     int status, std::chrono::milliseconds limit = 5s) {
    Reply health;
    std::string seen;
    if (WaitFor(
            [&] {
              seen = agent.State();
              health = agent.Get("/health");
              return seen == state && health.status == status;
            },
            limit)) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "expected " << state << "/" << status << ", last "
                                         << seen << "/" << health.status << " " << health.body;
  }

  TempDir dir_;
  FakeNode node_;
};

TEST_F(AgentE2eTest, ReportsEachSyncStateAndHealthFlipsAtTheRightMoments) {
  node_.Set({{"node", {{"mode", "down"}}}});
  AgentProcess agent(dir_.path(), Args({"--no-cloudwatch", "--stall-seconds", "1.5"}), {});
  // RPC closed: stacks-node is still syncing the Bitcoin headers.
  ASSERT_TRUE(Reaches(agent, "starting", 503));
  EXPECT_THAT(agent.Get("/health").body, HasSubstr("opens RPC only after"));

  // Up and far behind the reference, moving: syncing.
  node_.Set({{"node", {{"mode", "up"}, {"stacks_tip_height", 500}, {"tip_rate", 20.0}}},
             {"reference", {{"stacks_tip_height", 1000}}}});
  ASSERT_TRUE(Reaches(agent, "syncing", 503));
  const Json status = agent.Status();
  EXPECT_EQ(status["compared_with"]["stacks_target_source"], "reference");
  EXPECT_EQ(status["compared_with"]["burn_target_source"], "bitcoind");
  EXPECT_GT(status["node"]["stacks_blocks_behind"].get<int>(), 10);
  EXPECT_EQ(status["node"]["peers"], 8);

  // Within the tolerance (10 blocks): synced, and only now 200.
  node_.Set({{"node", {{"stacks_tip_height", 995}, {"tip_rate", 0.0}}}});
  ASSERT_TRUE(Reaches(agent, "synced", 200));

  // The reference moves on and the node stands still: syncing, then stalled after 1.5 s.
  node_.Set({{"reference", {{"stacks_tip_height", 1100}}}});
  ASSERT_TRUE(Reaches(agent, "syncing", 503));
  ASSERT_TRUE(Reaches(agent, "stalled", 503, 4s));
  EXPECT_THAT(agent.Get("/health").body, HasSubstr("no progress for"));
  const std::string metrics = agent.Get("/metrics").body;
  EXPECT_THAT(metrics, HasSubstr("stacks_runner_sync_state{state=\"stalled\"} 1"));
  EXPECT_THAT(metrics, HasSubstr("stacks_runner_synced 0"));

  // Progress ends the stall; catching up makes it healthy again.
  node_.Set({{"node", {{"stacks_tip_height", 1001}}}});
  ASSERT_TRUE(Reaches(agent, "syncing", 503));
  node_.Set({{"node", {{"stacks_tip_height", 1100}}}});
  ASSERT_TRUE(Reaches(agent, "synced", 200));

  // The Bitcoin tip moving two blocks ahead of the node's burn height: behind again.
  node_.Set({{"bitcoind", {{"blocks", 902}}}});
  ASSERT_TRUE(Reaches(agent, "syncing", 503));
  EXPECT_THAT(agent.Get("/health").body, HasSubstr("behind bitcoind"));
  node_.Set({{"node", {{"burn_block_height", 902}}}, {"reference", {{"burn_block_height", 902}}}});
  ASSERT_TRUE(Reaches(agent, "synced", 200));

  // The node dies: not healthy, whatever it said before.
  node_.Set({{"node", {{"mode", "down"}}}});
  ASSERT_TRUE(Reaches(agent, "starting", 503));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentE2eTest, FaultMatrixOfTheNodeAndRecoveryWithinAnInterval) {
  AgentProcess agent(dir_.path(), Args({"--no-cloudwatch"}), {});
  ASSERT_TRUE(Reaches(agent, "synced", 200));
  const std::vector<std::pair<Json, std::string>> faults = {
      {{{"mode", "500"}}, "HTTP 500"},
      {{{"mode", "garbage"}}, "not JSON"},
      {{{"mode", "truncated"}}, "truncated"},
      {{{"mode", "reset"}}, "/v2/info"},
      {{{"mode", "slow"}, {"delay_ms", 1500}}, "timeout"},
  };
  for (const auto& [fault, reason] : faults) {
    SCOPED_TRACE(fault.dump());
    node_.Set({{"node", fault}});
    ASSERT_TRUE(Reaches(agent, "unknown", 503, 4s));
    EXPECT_THAT(agent.Get("/health").body, HasSubstr(reason));
    node_.Set({{"node", {{"mode", "up"}, {"delay_ms", 0}}}});
    // Back within an interval or two of the fault ending (the slow answers still in flight
    // time out first).
    const auto ended = std::chrono::steady_clock::now();
    ASSERT_TRUE(Reaches(agent, "synced", 200, 3s));
    EXPECT_LT(std::chrono::steady_clock::now() - ended, 2s);
  }
  // The reference failing: the neighbours' heights serve; without them it is unknown.
  node_.Set({{"reference", {{"mode", "garbage"}}}, {"node", {{"max_peer_height", 1003}}}});
  ASSERT_TRUE(WaitFor(
      [&] { return agent.Status()["compared_with"]["stacks_target_source"] == "peers"; }, 3s));
  EXPECT_EQ(agent.Get("/health").status, 200);
  node_.Set({{"node", {{"max_peer_height", 0}}}});
  ASSERT_TRUE(Reaches(agent, "unknown", 503));
  EXPECT_THAT(agent.Get("/health").body, HasSubstr("nothing to compare"));
  node_.Set({{"reference", {{"mode", "up"}}}});
  ASSERT_TRUE(Reaches(agent, "synced", 200));
  // bitcoind refusing the credentials: recorded, the reference's burn height serves instead.
  node_.Set({{"bitcoind", {{"password", "another"}}}});
  ASSERT_TRUE(WaitFor(
      [&] {
        const Json s = agent.Status();
        return s["errors"].value("bitcoind", "").find("refused the credentials") !=
                   std::string::npos &&
               s["compared_with"]["burn_target_source"] == "reference";
      },
      3s));
  EXPECT_EQ(agent.Get("/health").status, 200);
  // Nothing secret in what the agent says.
  EXPECT_THAT(agent.Log() + agent.Get("/status").body, ::testing::Not(HasSubstr("not-a-real")));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentE2eTest, SignerHeartbeatAndMetricsAreObserved) {
  std::vector<std::string> args =
      Args({"--no-cloudwatch", "--signer-url",
            "http://127.0.0.1:" + std::to_string(node_.port("SIGNER"))});
  args[1] = Settings("STACKS_NODE_CONFIGURATION=signer\n");
  AgentProcess agent(dir_.path(), args, {});
  ASSERT_TRUE(WaitFor([&] { return agent.Status()["signer"]["heartbeat_ok"] == true; }, 5s));
  EXPECT_EQ(agent.Status()["signer"]["reward_cycle"], 112);
  EXPECT_EQ(agent.Status()["signer"]["blocks_accepted"], 4321);
  node_.Set({{"signer", {{"heartbeat", false}}}});
  ASSERT_TRUE(WaitFor([&] { return agent.Status()["signer"]["heartbeat_ok"] == false; }, 5s));
  EXPECT_THAT(agent.Get("/metrics").body, HasSubstr("stacks_runner_signer_heartbeat_ok 0"));
  node_.Set({{"signer", {{"mode", "down"}}}});
  ASSERT_TRUE(WaitFor(
      [&] { return agent.Status()["errors"].value("signer", "").find("/heartbeat") == 0; }, 5s));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

// --- With the AWS fakes ---------------------------------------------------------------------

class AgentAwsTest : public AgentE2eTest {
 protected:
  explicit AgentAwsTest(std::vector<std::string> fake_args = {"--imds-port", "0",
                                                              "--credential-ttl", "20"})
      : aws_(fake_args) {}

  std::map<std::string, std::string> Env() {
    return {{"AWS_ENDPOINT_URL", aws_.url()},
            {"AWS_EC2_METADATA_SERVICE_ENDPOINT",
             "http://127.0.0.1:" + std::to_string(aws_.imds_port())}};
  }
  Json Metrics() { return aws_.Control("GET", "/__fake/state")["metrics"]; }
  int CountOf(const std::string& metric, const std::string& dimension = "InstanceId") {
    int n = 0;
    for (const auto& m : Metrics()) {
      n += m["MetricName"] == metric && m["Dimensions"].contains(dimension);
    }
    return n;
  }
  Json Calls(const std::string& operation) {
    return aws_.Control("GET", "/__fake/requests?operation=" + operation);
  }
  void ImdsControl(const std::string& method, const std::string& path, const Json& body) {
    aws_.Control(method, path, body, aws_.imds_port());
  }

  sr::testing::FakeAws aws_;
};

TEST_F(AgentAwsTest, MetricsArriveSignedWithRefreshedInstanceCredentials) {
  AgentProcess agent(dir_.path(), Args({"--publish-interval", "0.5"}), Env());
  ASSERT_TRUE(Reaches(agent, "synced", 200));
  ASSERT_TRUE(WaitFor([&] { return CountOf("Synced") >= 3; }, 10s)) << agent.Log();

  // Every name the dashboards and alarms read, with this instance as the dimension.
  std::set<std::string> names;
  for (const auto& m : Metrics()) {
    EXPECT_EQ(m["Namespace"], "StacksRunner");
    EXPECT_EQ(m["Dimensions"], Json({{"InstanceId", "i-0123456789abcdef0"}}));
    EXPECT_EQ(m["Region"], "us-east-1");  // from IMDS
    names.insert(m["MetricName"].get<std::string>());
  }
  for (const char* name :
       {"AgentHeartbeat", "NodeUp", "Synced", "Stalled", "StacksTipHeight", "BurnBlockHeight",
        "StacksBlocksBehind", "BurnBlocksBehind", "Peers", "DataDiskUsedPercent"}) {
    EXPECT_TRUE(names.count(name)) << name;
  }

  // New role credentials, and the IMDS token revoked: the agent follows without a failure.
  ImdsControl("POST", "/__fake/rotate", Json::object());
  ImdsControl("DELETE", "/__fake/tokens", nullptr);
  const size_t before = Calls("PutMetricData").size();
  ASSERT_TRUE(WaitFor([&] { return Calls("PutMetricData").size() >= before + 3; }, 10s));
  std::set<std::string> keys;
  for (const auto& call : Calls("PutMetricData")) {
    EXPECT_EQ(call["signature_ok"], true) << call.dump();
    EXPECT_EQ(call["status"], 200) << call.dump();
    keys.insert(call["access_key_id"].get<std::string>());
  }
  EXPECT_GE(keys.size(), 2u);  // refreshed, never used expired
  for (const auto& key : keys) EXPECT_TRUE(key.starts_with("ASIA")) << key;
  EXPECT_EQ(agent.Status()["cloudwatch"]["failed_requests"], 0) << agent.Get("/status").body;
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentAwsTest, CloudWatchFaultsAreBufferedAndDrainedWithoutBlockingHealth) {
  AgentProcess agent(dir_.path(), Args({"--publish-interval", "0.3"}), Env());
  ASSERT_TRUE(WaitFor([&] { return CountOf("AgentHeartbeat") >= 2; }, 10s)) << agent.Log();
  // Throttling, 5xx, resets, dropped connections and a slow CloudWatch, one after another.
  aws_.Control(
      "POST", "/__fake/faults",
      Json::array(
          {{{"service", "cloudwatch"}, {"kind", "throttle"}, {"count", 3}},
           {{"service", "cloudwatch"}, {"kind", "500"}, {"count", 2}},
           {{"service", "cloudwatch"}, {"kind", "503"}, {"count", 2}},
           {{"service", "cloudwatch"}, {"kind", "reset"}, {"count", 2}},
           {{"service", "cloudwatch"}, {"kind", "drop"}, {"count", 2}},
           {{"service", "cloudwatch"}, {"kind", "delay"}, {"delay_ms", 1500}, {"count", 1}}}));
  // Meanwhile /health answers at once, every time.
  for (int i = 0; i < 20; ++i) {
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(agent.Get("/health").status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 500ms);
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(WaitFor([&] { return aws_.Control("GET", "/__fake/faults").empty(); }, 15s));
  // Drained: every observation made so far arrives, none dropped.
  ASSERT_TRUE(WaitFor(
      [&] {
        const Json s = agent.Status();
        return s["cloudwatch"]["buffered"] == 0 &&
               CountOf("AgentHeartbeat") >= s["observations"].get<int>() - 3;
      },
      10s))
      << agent.Get("/status").body;
  const Json s = agent.Status();
  // Throttling and 5xx fail a call each; a connection dropped under a reused keep-alive
  // connection may be retried once by the HTTP client itself.
  EXPECT_GE(s["cloudwatch"]["failed_requests"].get<int>(), 7);
  int faulted = 0;
  for (const auto& call : Calls("PutMetricData")) faulted += !call["fault"].is_null();
  EXPECT_EQ(faulted, 12);
  EXPECT_EQ(s["cloudwatch"]["dropped"], 0);
  EXPECT_THAT(agent.Log(), HasSubstr("CloudWatch accepts data again"));
  for (const auto& call : Calls("PutMetricData")) {
    if (call["fault"].is_null()) {
      EXPECT_EQ(call["signature_ok"], true) << call.dump();
    }
  }
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentAwsTest, ImdsUnreachableThenBack) {
  // The metadata service fails every request for a while (as when it is throttled or down).
  ImdsControl("POST", "/__fake/faults", Json{{"path", "/latest"}, {"kind", "500"}, {"count", 40}});
  AgentProcess agent(dir_.path(), Args({"--publish-interval", "0.3"}), Env());
  ASSERT_TRUE(Reaches(agent, "synced", 200));  // observing and serving do not wait for AWS
  ASSERT_TRUE(WaitFor([&] { return CountOf("Synced") >= 3; }, 15s)) << agent.Log();
  EXPECT_THAT(agent.Log(), HasSubstr("cannot read the instance id"));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentAwsTest, SigtermFlushesWhatIsBuffered) {
  AgentProcess agent(dir_.path(), Args({"--publish-interval", "3600"}), Env());
  ASSERT_TRUE(WaitFor([&] { return agent.Status()["observations"].get<int>() >= 5; }, 10s));
  EXPECT_EQ(CountOf("AgentHeartbeat"), 0);  // nothing sent before the hour is up
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(agent.Terminate(10s), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 6s);
  EXPECT_GE(CountOf("AgentHeartbeat"), 5);
  EXPECT_THAT(agent.Log(), HasSubstr("SIGTERM received"));
}

TEST_F(AgentAwsTest, WallClockJumpsNeitherCrashNorMisjudgeAndPublishingRecovers) {
  const std::string faketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
  if (!std::filesystem::exists(faketime)) GTEST_SKIP() << "libfaketime is not installed";
  const std::string offset = dir_.Write("faketime", "+0\n");
  auto env = Env();
  env["LD_PRELOAD"] = faketime;
#if defined(__SANITIZE_ADDRESS__)
  // A sanitized agent needs its runtime first in the list.
  const std::string asan = "/usr/lib/x86_64-linux-gnu/libasan.so.8";
  if (!std::filesystem::exists(asan)) GTEST_SKIP() << "no " << asan << " to preload first";
  env["LD_PRELOAD"] = asan + ":" + faketime;
#endif
  env["FAKETIME_TIMESTAMP_FILE"] = offset;
  env["FAKETIME_NO_CACHE"] = "1";
  env["FAKETIME_DONT_FAKE_MONOTONIC"] = "1";
  // Replaced, never rewritten in place: libfaketime rereads it on every clock call.
  auto set_offset = [&](const std::string& value) {
    dir_.Write("faketime.new", value);
    std::filesystem::rename(dir_.path() / "faketime.new", offset);
  };
  AgentProcess agent(dir_.path(), Args({"--publish-interval", "0.3", "--stall-seconds", "2"}), env);
  ASSERT_TRUE(Reaches(agent, "synced", 200));
  ASSERT_TRUE(WaitFor([&] { return CountOf("Synced") >= 2; }, 10s)) << agent.Log();
  // Back three days, then forward three hours: SigV4 requests are refused as skewed meanwhile.
  for (const char* jump : {"-3d\n", "+3h\n"}) {
    set_offset(jump);
    const int observed = agent.Status()["observations"].get<int>();
    ASSERT_TRUE(
        WaitFor([&] { return agent.Status()["observations"].get<int>() > observed + 5; }, 5s));
    EXPECT_EQ(agent.Get("/health").status, 200) << jump;  // neither stalled nor stale
  }
  // CloudWatch refused the skewed signatures meanwhile (the data waited in the buffer).
  EXPECT_GT(agent.Status()["cloudwatch"]["failed_requests"].get<int>(), 0)
      << agent.Get("/status").body << agent.Log();
  EXPECT_THAT(agent.Log(), HasSubstr("PutMetricData failed"));
  // The clock set right: publishing resumes; what was stamped 3 hours ahead is not sent.
  set_offset("+0\n");
  ASSERT_TRUE(WaitFor([&] { return agent.Status()["cloudwatch"]["buffered"] == 0; }, 10s))
      << agent.Get("/status").body;
  EXPECT_GT(agent.Status()["cloudwatch"]["rejected"].get<int>(), 0);
  EXPECT_EQ(agent.Get("/health").status, 200);
  EXPECT_EQ(agent.Terminate(5s), 0);
}

// --- HA: the launch lifecycle hook ----------------------------------------------------------

class AgentLifecycleTest : public AgentAwsTest {
 protected:
  static constexpr char kGroup[] = "stacks-ha-nodes-follower";

  // A group whose new instance waits in Pending:Wait; the IMDS says we are that instance.
  std::string SeedGroup() {
    aws_.Control(
        "POST", "/__fake/state",
        {{"autoscaling_groups",
          Json::array(
              {{{"name", kGroup},
                {"MinSize", 1},
                {"MaxSize", 2},
                {"DesiredCapacity", 1},
                {"LifecycleHookSpecificationList",
                 Json::array({{{"LifecycleHookName", kGroup},
                               {"LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING"},
                               {"HeartbeatTimeout", 3},
                               {"DefaultResult", "ABANDON"}}})}}})}});
    const std::string id = Instance()["id"];
    ImdsControl("POST", "/__fake/imds", Json{{"instance_id", id}});
    return id;
  }
  Json Instance() {
    return aws_.Control(
        "GET",
        "/__fake/state")["autoscaling_groups"][std::string("us-east-1/") + kGroup]["instances"][0];
  }
  std::vector<std::string> HaArgs(std::vector<std::string> more) {
    std::vector<std::string> args =
        Args({"--asg", kGroup, "--lifecycle-hook", kGroup, "--publish-interval", "0.5",
              "--lifecycle-heartbeat-timeout", "3"});
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

TEST_F(AgentLifecycleTest, HeartbeatsWhileSyncingAndContinuesOnlyOnceSynced) {
  const std::string id = SeedGroup();
  node_.Set({{"node", {{"stacks_tip_height", 400}}}});
  AgentProcess agent(dir_.path(), HaArgs({}), Env());
  ASSERT_TRUE(Reaches(agent, "syncing", 503));
  // A heartbeat at once, then one a second (a third of the 3 s timeout), and no completion.
  ASSERT_TRUE(WaitFor([&] { return Instance()["heartbeats"].get<int>() >= 3; }, 10s))
      << agent.Log();
  EXPECT_EQ(Instance()["state"], "Pending:Wait");
  EXPECT_TRUE(Calls("CompleteLifecycleAction").empty());
  EXPECT_EQ(agent.Status()["lifecycle"]["state"], "waiting");

  node_.Set({{"node", {{"stacks_tip_height", 1000}}}});
  ASSERT_TRUE(WaitFor([&] { return Instance()["state"] == "InService"; }, 5s)) << agent.Log();
  EXPECT_EQ(Instance()["id"], id);
  std::this_thread::sleep_for(1s);
  const Json completes = Calls("CompleteLifecycleAction");
  ASSERT_EQ(completes.size(), 1u);
  EXPECT_EQ(completes[0]["params"]["LifecycleActionResult"], "CONTINUE");
  EXPECT_EQ(completes[0]["signature_ok"], true);
  // Not before the node was synced: every heartbeat came first.
  for (const auto& hb : Calls("RecordLifecycleActionHeartbeat")) {
    EXPECT_LT(hb["id"].get<int>(), completes[0]["id"].get<int>());
  }
  EXPECT_EQ(agent.Status()["lifecycle"]["state"], "continued");
  EXPECT_THAT(agent.Log(), HasSubstr("CONTINUE sent for " + id));
  // In HA the metrics carry the group too, for the group's dashboard and alarms.
  ASSERT_TRUE(WaitFor([&] { return CountOf("Synced", "AutoScalingGroupName") >= 1; }, 5s));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

TEST_F(AgentLifecycleTest, AbandonsANodeThatDoesNotSyncInTime) {
  const std::string id = SeedGroup();
  node_.Set({{"node", {{"stacks_tip_height", 400}}}});
  AgentProcess agent(dir_.path(), HaArgs({"--max-sync-seconds", "2", "--max-sync-from", "start"}),
                     Env());
  ASSERT_TRUE(WaitFor([&] { return agent.Status()["lifecycle"]["state"] == "abandoned"; }, 10s))
      << agent.Log();
  const Json completes = Calls("CompleteLifecycleAction");
  ASSERT_EQ(completes.size(), 1u);
  EXPECT_EQ(completes[0]["params"]["LifecycleActionResult"], "ABANDON");
  EXPECT_NE(Instance()["id"], id);  // replaced by the group
  EXPECT_THAT(agent.Log(), HasSubstr("ABANDON the launch of " + id + ": not synced"));
  EXPECT_THAT(agent.Log(), HasSubstr("behind the reference"));
  EXPECT_EQ(agent.Terminate(5s), 0);
}

}  // namespace
}  // namespace sr::agent::e2e
