#include "agent/agent.h"

#include "agent/health.h"
#include "agent/prometheus.h"

namespace sr::agent {

Agent::Agent(AgentOptions options, AgentDeps deps)
    : options_(std::move(options)),
      deps_(std::move(deps)),
      observer_(deps_.observer_http, options_.targets),
      tracker_(options_.sync),
      buffer_(options_.buffer_capacity),
      worker_(options_.aws, deps_.gateway, &buffer_, deps_.log, deps_.random) {
  latest_.reason = "the agent has not observed the node yet";
}

Agent::~Agent() {
  if (server_) server_->Stop();
  worker_.Stop();
}

bool Agent::Start(std::string* error) {
  server_ = HttpServer::Start(
      options_.listen_address, options_.listen_port,
      [this](std::string_view target) { return Handle(target); }, error);
  if (!server_) return false;
  worker_.Start();
  return true;
}

uint16_t Agent::port() const { return server_ ? server_->port() : 0; }

Status Agent::status() const {
  std::lock_guard<std::mutex> lock(mu_);
  return latest_;
}

HttpReply Agent::Handle(std::string_view target) const {
  const std::string_view path = target.substr(0, target.find('?'));
  const SteadyTime now = std::chrono::steady_clock::now();
  if (path == "/health") {
    // An observation takes at most a few request timeouts: older than two intervals beyond
    // that, the observer is stuck and what we know is not current.
    const auto max_age = 2 * options_.interval + 5 * options_.targets.timeout;
    return HealthReply(status(), now,
                       std::chrono::duration_cast<std::chrono::milliseconds>(max_age));
  }
  if (path == "/status") {
    return {200, "application/json",
            StatusJson(status(), worker_.publisher_stats(), worker_.lifecycle_stats(), now)};
  }
  if (path == "/metrics") {
    return {200, kPrometheusContentType,
            PrometheusText(status(), worker_.publisher_stats(), worker_.lifecycle_stats(), now)};
  }
  if (path == "/") {
    return {200, "text/plain",
            "stacks-runner agent: /health (200 when synced), /status, /metrics\n"};
  }
  return {404, "text/plain", "not found\n"};
}

void Agent::Publish(const Status& status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    const bool changed = latest_.observations == 0 || latest_.state != status.state;
    latest_ = status;
    if (changed) {
      deps_.log("agent: node " + std::string(SyncStateName(status.state)) + ": " + status.reason);
    }
  }
  if (options_.aws.publish) buffer_.Add(DatumsOf(status, options_.signer));
  worker_.Update(status);
}

void Agent::Run() {
  SteadyTime next = std::chrono::steady_clock::now();
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_until(lock, next, [this] { return stop_; });
      if (stop_) break;
    }
    const SteadyTime now = std::chrono::steady_clock::now();
    const Observation o = observer_.Observe(deps_.wall_clock->Now(), now);
    Publish(tracker_.Update(o));
    // A fixed rate; a cycle that overran the interval skips the ticks it missed.
    next += options_.interval;
    const SteadyTime after = std::chrono::steady_clock::now();
    while (next <= after) next += options_.interval;
  }
  deps_.log("agent: stopping");
  if (server_) server_->Stop();
  worker_.Stop();
  deps_.log("agent: stopped");
}

void Agent::Stop() {
  std::lock_guard<std::mutex> lock(mu_);
  stop_ = true;
  cv_.notify_all();
}

}  // namespace sr::agent
