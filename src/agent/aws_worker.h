// The agent's AWS thread: it alone talks to AWS, so a slow, throttling or unreachable AWS never
// holds up observing the node or answering /health. It publishes the buffered datums with
// PutMetricData (batched, every publish interval; after a failure again after a backoff capped
// at one observation interval, the datums kept in the bounded buffer meanwhile) and, in HA,
// carries out the lifecycle planner's decisions. On Stop it sends what it can within a budget.
#ifndef STACKS_RUNNER_AGENT_AWS_WORKER_H_
#define STACKS_RUNNER_AGENT_AWS_WORKER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "agent/aws_gateway.h"
#include "agent/backoff.h"
#include "agent/lifecycle.h"
#include "agent/metric_buffer.h"
#include "agent/stats.h"

namespace sr::agent {

using Log = std::function<void(const std::string&)>;

struct AwsWorkerOptions {
  bool publish = true;
  std::chrono::milliseconds publish_interval = std::chrono::seconds(60);
  size_t max_batch = 150;      // datums per PutMetricData before the dimension sets multiply them
  std::string instance_id;     // empty: ask the gateway (IMDS)
  std::string asg;             // HA: the group (a dimension too) ...
  std::string lifecycle_hook;  // ... and its launch hook; both or neither
  LifecyclePolicy lifecycle;
  std::function<std::chrono::milliseconds()> since_launch;
  std::chrono::milliseconds backoff_base = std::chrono::seconds(1);
  std::chrono::milliseconds backoff_cap = std::chrono::seconds(30);
  std::chrono::milliseconds call_timeout = std::chrono::seconds(10);
  std::chrono::milliseconds shutdown_budget = std::chrono::seconds(5);
};

class AwsWorker {
 public:
  AwsWorker(AwsWorkerOptions options, AwsGateway* gateway, MetricBuffer* buffer, Log log,
            std::function<double()> random = nullptr);
  ~AwsWorker();
  AwsWorker(const AwsWorker&) = delete;
  AwsWorker& operator=(const AwsWorker&) = delete;

  void Start();
  // The latest status, for the lifecycle decisions; wakes the thread.
  void Update(const Status& status);
  // Sends what it can within the shutdown budget, then ends the thread. Idempotent.
  void Stop();

  PublisherStats publisher_stats() const;
  LifecycleStats lifecycle_stats() const;

 private:
  void Run();
  // One round of work; returns when it wants to run again.
  SteadyTime Work(SteadyTime now);
  bool EnsureInstanceId(SteadyTime now);
  void DoLifecycle(SteadyTime now);
  // Sends batches until the buffer is empty, a call fails or `deadline` passes.
  void Flush(SteadyTime now, SteadyTime deadline, std::chrono::milliseconds timeout);
  std::vector<std::vector<Dimension>> DimensionSets() const;

  const AwsWorkerOptions options_;
  AwsGateway* gateway_;
  MetricBuffer* buffer_;
  Log log_;
  Backoff publish_backoff_;
  Backoff setup_backoff_;
  Backoff lifecycle_backoff_;

  mutable std::mutex mu_;  // guards what follows
  std::condition_variable cv_;
  bool stopping_ = false;
  bool wake_ = false;
  std::optional<Status> latest_;
  PublisherStats publisher_;
  std::optional<LifecyclePlanner> planner_;
  std::string lifecycle_error_;

  // The AWS thread's own.
  std::string instance_id_;
  SteadyTime next_flush_{};
  SteadyTime setup_retry_{};
  std::string last_logged_publish_error_;
  std::thread thread_;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_AWS_WORKER_H_
