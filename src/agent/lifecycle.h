// HA: what to do about this instance's launch lifecycle action, as pure decisions. While the node
// syncs, heartbeats keep the action open (three per heartbeat timeout, so two can be lost);
// once the node is synced the action is completed with CONTINUE, and only then, so a node joins
// the load balancer when it can serve current data; when it is still not synced after the
// maximum sync time, with ABANDON and the reason. An action that is no longer pending (completed
// earlier, say before the agent restarted) ends the planner's work.
#ifndef STACKS_RUNNER_AGENT_LIFECYCLE_H_
#define STACKS_RUNNER_AGENT_LIFECYCLE_H_

#include <chrono>
#include <string>

#include "agent/sync_state.h"

namespace sr::agent {

struct LifecyclePolicy {
  std::chrono::milliseconds heartbeat_timeout = std::chrono::minutes(60);  // the hook's
  std::chrono::milliseconds max_sync = std::chrono::hours(8);
};

// A third of the hook's heartbeat timeout, between 1 second and 30 minutes.
std::chrono::milliseconds HeartbeatCadence(std::chrono::milliseconds heartbeat_timeout);

enum class LifecycleAction { kNone, kHeartbeat, kContinue, kAbandon };
std::string_view LifecycleActionName(LifecycleAction action);  // "heartbeat", "CONTINUE", ...

struct LifecycleDecision {
  LifecycleAction action = LifecycleAction::kNone;
  std::string reason;
};

class LifecyclePlanner {
 public:
  LifecyclePlanner(LifecyclePolicy policy, SteadyTime start);

  // `status` is the latest observation's (none before the first); `since_launch` how long ago
  // the instance was launched.
  LifecycleDecision Decide(const Status* status, std::chrono::milliseconds since_launch,
                           SteadyTime now) const;
  void Succeeded(LifecycleAction action, SteadyTime now);
  // `gone`: Auto Scaling has no pending action for this instance any more.
  void Failed(LifecycleAction action, bool gone, SteadyTime now,
              std::chrono::milliseconds retry_after);

  bool done() const { return !state_.empty() && state_ != "waiting"; }
  const std::string& state() const { return state_; }  // waiting, continued, abandoned, done
  int64_t heartbeats() const { return heartbeats_; }
  // When Decide may next want something other than kNone without a new status.
  SteadyTime next_due() const;
  std::chrono::milliseconds cadence() const { return cadence_; }

 private:
  LifecyclePolicy policy_;
  std::chrono::milliseconds cadence_;
  SteadyTime next_heartbeat_;
  SteadyTime not_before_{};
  std::string state_ = "waiting";
  int64_t heartbeats_ = 0;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_LIFECYCLE_H_
