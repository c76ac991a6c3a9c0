// `stacks-runner node agent`, put together: three threads that never wait for one another.
//   - the observer (the thread that calls Run): every interval it observes the node (observer.h),
//     folds the observation into the sync state (sync_state.h), publishes the status for the
//     server, buffers the CloudWatch datums and hands the status to the AWS thread;
//   - the HTTP server (http_server.h): /health, /status, /metrics from the latest status;
//   - the AWS thread (aws_worker.h): PutMetricData and the launch lifecycle action.
// Stop (from a signal handler's thread, say) ends the observer's wait at once; Run then closes
// the server and lets the AWS thread send what it can before it returns.
#ifndef STACKS_RUNNER_AGENT_AGENT_H_
#define STACKS_RUNNER_AGENT_AGENT_H_

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>

#include "agent/aws_worker.h"
#include "agent/http_server.h"
#include "agent/metric_buffer.h"
#include "agent/observer.h"
#include "agent/sync_state.h"
#include "http/http_client.h"
#include "util/clock.h"

namespace sr::agent {

struct AgentOptions {
  ObserverTargets targets;
  SyncPolicy sync;
  std::chrono::milliseconds interval = std::chrono::seconds(30);
  std::string listen_address = "0.0.0.0";
  uint16_t listen_port = 9180;
  bool signer = false;
  size_t buffer_capacity = 10000;  // datums: about 8 hours of observations at 30 s
  AwsWorkerOptions aws;
};

struct AgentDeps {
  http::HttpClient* observer_http = nullptr;  // the observer thread's only
  AwsGateway* gateway = nullptr;              // the AWS thread's only
  util::Clock* wall_clock = nullptr;          // timestamps only; durations use steady_clock
  Log log;
  std::function<double()> random;
};

class Agent {
 public:
  Agent(AgentOptions options, AgentDeps deps);
  ~Agent();
  Agent(const Agent&) = delete;
  Agent& operator=(const Agent&) = delete;

  // Binds the HTTP server and starts the AWS thread; false with `error` when the port is taken.
  bool Start(std::string* error);
  // Observes until Stop; then stops the server and the AWS thread (which flushes).
  void Run();
  // Thread-safe; Run returns within moments.
  void Stop();

  uint16_t port() const;
  Status status() const;
  // What the server answers for a request target (also for tests).
  HttpReply Handle(std::string_view target) const;

 private:
  void Publish(const Status& status);

  const AgentOptions options_;
  AgentDeps deps_;
  Observer observer_;
  SyncTracker tracker_;
  MetricBuffer buffer_;
  AwsWorker worker_;
  std::unique_ptr<HttpServer> server_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  Status latest_;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_AGENT_H_
