#include "agent/aws_worker.h"

#include "templates/names.h"

namespace sr::agent {
namespace {

SteadyTime Now() { return std::chrono::steady_clock::now(); }

std::string Seconds(std::chrono::milliseconds d) {
  return std::to_string(static_cast<double>(d.count()) / 1000.0).substr(0, 5) + " s";
}

}  // namespace

AwsWorker::AwsWorker(AwsWorkerOptions options, AwsGateway* gateway, MetricBuffer* buffer, Log log,
                     std::function<double()> random)
    : options_(std::move(options)),
      gateway_(gateway),
      buffer_(buffer),
      log_(std::move(log)),
      publish_backoff_(options_.backoff_base, options_.backoff_cap, random),
      setup_backoff_(options_.backoff_base, options_.backoff_cap, random),
      lifecycle_backoff_(options_.backoff_base, options_.backoff_cap, random),
      instance_id_(options_.instance_id) {
  publisher_.enabled = options_.publish;
  publisher_.capacity = static_cast<int64_t>(buffer_->capacity());
  if (!options_.asg.empty() && !options_.lifecycle_hook.empty()) {
    planner_.emplace(options_.lifecycle, Now());
  }
}

AwsWorker::~AwsWorker() { Stop(); }

void AwsWorker::Start() {
  next_flush_ = Now() + options_.publish_interval;
  thread_ = std::thread([this] { Run(); });
}

void AwsWorker::Update(const Status& status) {
  std::lock_guard<std::mutex> lock(mu_);
  latest_ = status;
  wake_ = true;
  cv_.notify_all();
}

void AwsWorker::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    cv_.notify_all();
  }
  if (thread_.joinable()) thread_.join();
}

PublisherStats AwsWorker::publisher_stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  PublisherStats p = publisher_;
  p.buffered = static_cast<int64_t>(buffer_->size());
  p.dropped = buffer_->dropped();
  return p;
}

LifecycleStats AwsWorker::lifecycle_stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  LifecycleStats l;
  if (!planner_) return l;
  l.enabled = true;
  l.state = planner_->state();
  l.heartbeats = planner_->heartbeats();
  l.last_error = lifecycle_error_;
  return l;
}

std::vector<std::vector<Dimension>> AwsWorker::DimensionSets() const {
  // Per instance always; in HA also per group, which the group's dashboard and alarms read
  // (CloudWatch does not aggregate across dimensions by itself).
  std::vector<std::vector<Dimension>> sets = {{{"InstanceId", instance_id_}}};
  if (!options_.asg.empty()) sets.push_back({{"AutoScalingGroupName", options_.asg}});
  return sets;
}

void AwsWorker::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  SteadyTime wake_at = Now();
  while (!stopping_) {
    cv_.wait_until(lock, wake_at, [this] { return stopping_ || wake_; });
    if (stopping_) break;
    wake_ = false;
    lock.unlock();
    wake_at = Work(Now());
    lock.lock();
  }
  lock.unlock();
  // Shutting down: send what the budget allows.
  if (gateway_ != nullptr && options_.publish && buffer_->size() > 0) {
    const SteadyTime now = Now();
    if (EnsureInstanceId(now)) {
      Flush(now, now + options_.shutdown_budget, options_.shutdown_budget);
    }
    log_("agent: " + std::to_string(buffer_->size()) + " datums left unsent at shutdown (" +
         std::to_string(publisher_stats().sent) + " sent in all)");
  }
}

bool AwsWorker::EnsureInstanceId(SteadyTime now) {
  if (!instance_id_.empty()) return true;
  if (now < setup_retry_) return false;
  auto id = gateway_->InstanceId();
  if (!id) {
    const auto delay = setup_backoff_.Next();
    setup_retry_ = now + delay;
    if (setup_backoff_.failures() == 1 || setup_backoff_.failures() % 20 == 0) {
      log_("agent: cannot read the instance id (retrying in " + Seconds(delay) +
           "): " + id.error().Describe());
    }
    std::lock_guard<std::mutex> lock(mu_);
    publisher_.last_error = "instance id: " + id.error().Describe();
    return false;
  }
  instance_id_ = *id;
  setup_backoff_.Reset();
  log_("agent: instance " + instance_id_);
  return true;
}

SteadyTime AwsWorker::Work(SteadyTime now) {
  // Nothing to do with AWS (no CloudWatch, no launch hook): sleep until stopped.
  if (gateway_ == nullptr || (!options_.publish && !planner_)) return now + std::chrono::hours(1);
  SteadyTime next = now + options_.publish_interval;
  if (!EnsureInstanceId(now)) return std::min(next, setup_retry_);
  if (planner_) {
    DoLifecycle(now);
    std::lock_guard<std::mutex> lock(mu_);
    if (!planner_->done()) next = std::min(next, planner_->next_due());
  }
  if (options_.publish) {
    if (now >= next_flush_) {
      Flush(now, now + options_.publish_interval, options_.call_timeout);
    }
    next = std::min(next, next_flush_);
  }
  return next;
}

void AwsWorker::DoLifecycle(SteadyTime now) {
  LifecycleDecision decision;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (planner_->done()) return;
    decision = planner_->Decide(latest_ ? &*latest_ : nullptr, options_.since_launch(), now);
  }
  if (decision.action == LifecycleAction::kNone) return;
  const std::string name(LifecycleActionName(decision.action));
  if (decision.action == LifecycleAction::kAbandon) {
    log_("agent: lifecycle: ABANDON the launch of " + instance_id_ + ": " + decision.reason);
  }
  aws::AwsResult<aws::Unit> result =
      decision.action == LifecycleAction::kHeartbeat
          ? gateway_->RecordLifecycleActionHeartbeat(options_.asg, options_.lifecycle_hook,
                                                     instance_id_)
          : gateway_->CompleteLifecycleAction(options_.asg, options_.lifecycle_hook, instance_id_,
                                              decision.action == LifecycleAction::kContinue);
  const SteadyTime after = Now();
  std::lock_guard<std::mutex> lock(mu_);
  if (result) {
    lifecycle_backoff_.Reset();
    lifecycle_error_.clear();
    planner_->Succeeded(decision.action, after);
    if (decision.action == LifecycleAction::kContinue) {
      log_("agent: lifecycle: CONTINUE sent for " + instance_id_ + " (" + decision.reason + ")");
    } else if (decision.action == LifecycleAction::kAbandon) {
      log_("agent: lifecycle: ABANDON sent for " + instance_id_);
    } else if (planner_->heartbeats() == 1 || planner_->heartbeats() % 10 == 0) {
      log_("agent: lifecycle: heartbeat " + std::to_string(planner_->heartbeats()) +
           " sent; the launch waits for the node to sync (" + decision.reason + ")");
    }
    return;
  }
  const bool gone = IsLifecycleActionGone(result.error());
  // Retries stay well inside the heartbeat timeout.
  const auto retry = std::min(lifecycle_backoff_.Next(), planner_->cadence() / 2);
  planner_->Failed(decision.action, gone, after, retry);
  lifecycle_error_ = name + ": " + result.error().Describe();
  log_(gone ? "agent: lifecycle: no launch action is pending for " + instance_id_ +
                  " any more; nothing left to do"
            : "agent: lifecycle: " + name + " failed (retrying in " + Seconds(retry) +
                  "): " + result.error().Describe());
}

void AwsWorker::Flush(SteadyTime now, SteadyTime deadline, std::chrono::milliseconds timeout) {
  const auto dimensions = DimensionSets();
  while (buffer_->size() > 0 && Now() < deadline) {
    std::vector<Datum> batch = buffer_->Take(options_.max_batch);
    const std::vector<Datum> stale = RemoveOutOfRange(&batch, std::chrono::system_clock::now());
    if (!stale.empty()) {
      std::lock_guard<std::mutex> lock(mu_);
      publisher_.rejected += static_cast<int64_t>(stale.size());
    }
    if (batch.empty()) continue;
    const auto params = PutMetricDataParams(templates::kMetricNamespace, batch, dimensions);
    auto result = gateway_->PutMetricData(params, timeout);
    std::lock_guard<std::mutex> lock(mu_);
    if (result) {
      if (publish_backoff_.failures() > 0) {
        log_("agent: CloudWatch accepts data again after " +
             std::to_string(publish_backoff_.failures()) + " failed calls");
      }
      publish_backoff_.Reset();
      last_logged_publish_error_.clear();
      publisher_.sent += static_cast<int64_t>(batch.size());
      publisher_.last_error.clear();
      publisher_.last_success = std::chrono::system_clock::now();
      continue;
    }
    const aws::AwsError& error = result.error();
    publisher_.last_error = error.Describe();
    if (IsInvalidMetricData(error)) {
      // Sending the same datums again cannot succeed: count them and go on.
      publisher_.rejected += static_cast<int64_t>(batch.size());
      log_("agent: CloudWatch refused " + std::to_string(batch.size()) +
           " datums: " + error.Describe());
      continue;
    }
    buffer_->Requeue(std::move(batch));
    ++publisher_.failed_requests;
    const auto delay = publish_backoff_.Next();
    next_flush_ = Now() + delay;
    if (error.code != last_logged_publish_error_) {
      last_logged_publish_error_ = error.code;
      log_("agent: PutMetricData failed (" + std::to_string(buffer_->size()) +
           " datums kept, retrying in " + Seconds(delay) + "): " + error.Describe());
    }
    return;
  }
  next_flush_ = now + options_.publish_interval;
}

}  // namespace sr::agent
