// The AWS thread against a scripted gateway: batches with the right dimensions, the buffer kept
// through throttling and failures and drained afterwards, refused data not resent, the instance
// id retried, lifecycle heartbeats then CONTINUE, and a flush at Stop.
#include "agent/aws_worker.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <deque>
#include <map>

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

aws::AwsError ServiceError(int status, std::string code, std::string message = "") {
  aws::AwsError e =
      aws::MakeError(aws::AwsError::Kind::kService, std::move(code), std::move(message));
  e.http_status = status;
  return e;
}

class FakeGateway : public AwsGateway {
 public:
  aws::AwsResult<std::string> InstanceId() override {
    std::lock_guard<std::mutex> lock(mu);
    if (instance_failures > 0) {
      --instance_failures;
      return aws::MakeError(aws::AwsError::Kind::kTransport, "timeout", "IMDS did not answer");
    }
    return std::string("i-0fake");
  }
  aws::AwsResult<aws::Unit> PutMetricData(const aws::NameValueList& params,
                                          std::chrono::milliseconds) override {
    std::lock_guard<std::mutex> lock(mu);
    ++put_calls;
    if (!put_errors.empty()) {
      aws::AwsError e = put_errors.front();
      put_errors.pop_front();
      return e;
    }
    for (const auto& [name, value] : params) {
      if (name.ends_with(".MetricName")) ++datums_by_name[value];
      if (name.ends_with(".Dimensions.member.1.Name")) ++dimension_names[value];
    }
    return aws::Unit{};
  }
  aws::AwsResult<aws::Unit> RecordLifecycleActionHeartbeat(const std::string& group,
                                                           const std::string& hook,
                                                           const std::string& instance) override {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back("heartbeat " + group + " " + hook + " " + instance);
    return aws::Unit{};
  }
  aws::AwsResult<aws::Unit> CompleteLifecycleAction(const std::string& group,
                                                    const std::string& hook,
                                                    const std::string& instance,
                                                    bool proceed) override {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back(std::string(proceed ? "CONTINUE " : "ABANDON ") + group + " " + hook + " " +
                    instance);
    if (complete_gone) {
      return ServiceError(400, "ValidationError",
                          "No active Lifecycle Action found with instance ID " + instance);
    }
    return aws::Unit{};
  }

  int Total(const std::string& metric) {
    std::lock_guard<std::mutex> lock(mu);
    return datums_by_name[metric];
  }

  std::mutex mu;
  int instance_failures = 0;
  std::deque<aws::AwsError> put_errors;
  bool complete_gone = false;
  int put_calls = 0;
  std::map<std::string, int> datums_by_name;
  std::map<std::string, int> dimension_names;
  std::vector<std::string> calls;
};

Status Observed(SyncState state) {
  Status s;
  s.state = state;
  s.node_up = true;
  s.stacks_tip_height = 100;
  s.observations = 1;
  s.observed_at = std::chrono::system_clock::now();
  s.reason = "test";
  return s;
}

// Waits up to `limit` for `done` to hold.
template <typename F>
bool Eventually(F done, std::chrono::milliseconds limit = 5s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

class AwsWorkerTest : public ::testing::Test {
 protected:
  AwsWorkerOptions Options() {
    AwsWorkerOptions o;
    o.publish_interval = 50ms;
    o.backoff_base = 20ms;
    o.backoff_cap = 100ms;
    o.call_timeout = 1s;
    o.shutdown_budget = 2s;
    o.since_launch = [] { return 1min; };
    return o;
  }
  void Log(const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu_);
    log_ += line + "\n";
  }
  std::string log() {
    std::lock_guard<std::mutex> lock(log_mu_);
    return log_;
  }

  FakeGateway gateway_;
  MetricBuffer buffer_{1000};
  std::mutex log_mu_;
  std::string log_;
};

TEST_F(AwsWorkerTest, PublishesBatchesDimensionedByInstanceAndGroup) {
  AwsWorkerOptions o = Options();
  o.asg = "stacks-ha-nodes-follower";
  o.lifecycle_hook = "stacks-ha-nodes-follower";
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  buffer_.Add(DatumsOf(Observed(SyncState::kSynced), false));
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return gateway_.Total("Synced") == 2; }));
  worker.Stop();
  EXPECT_EQ(gateway_.dimension_names["InstanceId"],
            gateway_.dimension_names["AutoScalingGroupName"]);
  EXPECT_GT(gateway_.dimension_names["InstanceId"], 0);
  EXPECT_EQ(worker.publisher_stats().sent, 5);
  EXPECT_EQ(worker.publisher_stats().buffered, 0);
}

TEST_F(AwsWorkerTest, KeepsTheDataThroughThrottlingAndFailuresAndDrainsItAfterwards) {
  gateway_.put_errors = {
      ServiceError(400, "Throttling", "Rate exceeded"), ServiceError(503, "ServiceUnavailable"),
      aws::MakeError(aws::AwsError::Kind::kTransport, "connection dropped", "reset by peer"),
      ServiceError(500, "InternalFailure")};
  AwsWorker worker(Options(), &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  for (int i = 0; i < 10; ++i) {
    buffer_.Add(DatumsOf(Observed(SyncState::kSyncing), false));
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_TRUE(Eventually([&] { return gateway_.Total("AgentHeartbeat") == 10; }));
  const PublisherStats p = worker.publisher_stats();
  EXPECT_EQ(p.failed_requests, 4);
  EXPECT_EQ(p.dropped, 0);
  EXPECT_EQ(p.buffered, 0);
  EXPECT_TRUE(p.last_error.empty());
  worker.Stop();
  EXPECT_THAT(log(), HasSubstr("PutMetricData failed"));
  EXPECT_THAT(log(), HasSubstr("CloudWatch accepts data again after 4 failed calls"));
}

TEST_F(AwsWorkerTest, ALongOutageCostsTheOldestDataNotMemory) {
  MetricBuffer small(20);
  for (int i = 0; i < 1000; ++i) gateway_.put_errors.push_back(ServiceError(503, "Unavailable"));
  AwsWorker worker(Options(), &gateway_, &small, [this](const std::string& l) { Log(l); });
  worker.Start();
  for (int i = 0; i < 10; ++i) small.Add(DatumsOf(Observed(SyncState::kSynced), false));
  ASSERT_TRUE(Eventually([&] { return worker.publisher_stats().failed_requests >= 3; }));
  EXPECT_LE(small.size(), 20u);
  EXPECT_GE(worker.publisher_stats().dropped, 50 - 20);
  {
    std::lock_guard<std::mutex> lock(gateway_.mu);
    gateway_.put_errors.clear();
  }
  ASSERT_TRUE(Eventually([&] { return small.size() == 0; }));
  worker.Stop();
  // Every datum is accounted for: sent, or dropped (the oldest) and counted.
  const PublisherStats p = worker.publisher_stats();
  EXPECT_EQ(p.sent + p.dropped, 50);
}

TEST_F(AwsWorkerTest, RefusedDataIsCountedNotResent) {
  gateway_.put_errors = {ServiceError(400, "InvalidParameterValue", "bad timestamp")};
  AwsWorker worker(Options(), &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  buffer_.Add(DatumsOf(Observed(SyncState::kSynced), false));
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return worker.publisher_stats().rejected == 5; }));
  worker.Stop();
  EXPECT_EQ(gateway_.Total("Synced"), 0);
  EXPECT_THAT(log(), HasSubstr("CloudWatch refused 5 datums"));
}

TEST_F(AwsWorkerTest, InstanceIdIsRetriedUntilMetadataAnswers) {
  gateway_.instance_failures = 3;
  AwsWorker worker(Options(), &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  buffer_.Add(DatumsOf(Observed(SyncState::kSynced), false));
  worker.Start();
  ASSERT_TRUE(Eventually([&] { return gateway_.Total("Synced") == 1; }));
  worker.Stop();
  EXPECT_THAT(log(), HasSubstr("cannot read the instance id"));
  EXPECT_THAT(log(), HasSubstr("agent: instance i-0fake"));
}

TEST_F(AwsWorkerTest, LifecycleHeartbeatsWhileSyncingThenContinueOnce) {
  AwsWorkerOptions o = Options();
  o.publish = false;
  o.asg = "group";
  o.lifecycle_hook = "hook";
  o.lifecycle.heartbeat_timeout = 3s;  // a heartbeat every second
  o.lifecycle.max_sync = 1h;
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  worker.Update(Observed(SyncState::kSyncing));
  ASSERT_TRUE(Eventually([&] { return worker.lifecycle_stats().heartbeats >= 2; }));
  {
    std::lock_guard<std::mutex> lock(gateway_.mu);
    for (const auto& c : gateway_.calls) EXPECT_EQ(c, "heartbeat group hook i-0fake");
  }
  worker.Update(Observed(SyncState::kSynced));
  ASSERT_TRUE(Eventually([&] { return worker.lifecycle_stats().state == "continued"; }));
  worker.Update(Observed(SyncState::kSynced));
  std::this_thread::sleep_for(200ms);
  worker.Stop();
  std::lock_guard<std::mutex> lock(gateway_.mu);
  EXPECT_EQ(std::count(gateway_.calls.begin(), gateway_.calls.end(), "CONTINUE group hook i-0fake"),
            1);
  EXPECT_EQ(gateway_.calls.back(), "CONTINUE group hook i-0fake");
}

TEST_F(AwsWorkerTest, AbandonsAfterTheMaximumAndLogsWhy) {
  AwsWorkerOptions o = Options();
  o.publish = false;
  o.asg = "group";
  o.lifecycle_hook = "hook";
  o.lifecycle.max_sync = 5min;
  o.since_launch = [] { return 6min; };
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  Status stalled = Observed(SyncState::kStalled);
  stalled.reason = "stalled: 40 blocks behind the reference";
  worker.Update(stalled);
  ASSERT_TRUE(Eventually([&] { return worker.lifecycle_stats().state == "abandoned"; }));
  worker.Stop();
  EXPECT_THAT(log(), HasSubstr("ABANDON the launch of i-0fake: not synced 6 min after launch"));
  EXPECT_THAT(log(), HasSubstr("stalled: 40 blocks behind the reference"));
}

TEST_F(AwsWorkerTest, ALaunchCompletedEarlierEndsTheLifecycleWork) {
  gateway_.complete_gone = true;
  AwsWorkerOptions o = Options();
  o.publish = false;
  o.asg = "group";
  o.lifecycle_hook = "hook";
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  worker.Update(Observed(SyncState::kSynced));
  ASSERT_TRUE(Eventually([&] { return worker.lifecycle_stats().state == "done"; }));
  worker.Stop();
  EXPECT_THAT(log(), HasSubstr("no launch action is pending"));
}

TEST_F(AwsWorkerTest, StopFlushesWhatIsBuffered) {
  AwsWorkerOptions o = Options();
  o.publish_interval = 1h;  // nothing would go out before Stop
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  for (int i = 0; i < 3; ++i) buffer_.Add(DatumsOf(Observed(SyncState::kSynced), false));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(gateway_.Total("Synced"), 0);
  worker.Stop();
  EXPECT_EQ(gateway_.Total("Synced"), 3);
  EXPECT_EQ(buffer_.size(), 0u);
}

TEST_F(AwsWorkerTest, StopGivesUpOnAnUnreachableCloudWatchWithinTheBudget) {
  for (int i = 0; i < 1000; ++i) {
    gateway_.put_errors.push_back(
        aws::MakeError(aws::AwsError::Kind::kTransport, "connect", "refused"));
  }
  AwsWorkerOptions o = Options();
  o.publish_interval = 1h;
  AwsWorker worker(o, &gateway_, &buffer_, [this](const std::string& l) { Log(l); });
  worker.Start();
  buffer_.Add(DatumsOf(Observed(SyncState::kSynced), false));
  const auto start = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_THAT(log(), HasSubstr("datums left unsent at shutdown"));
}

}  // namespace
}  // namespace sr::agent
