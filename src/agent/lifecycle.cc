#include "agent/lifecycle.h"

#include <algorithm>

namespace sr::agent {

std::chrono::milliseconds HeartbeatCadence(std::chrono::milliseconds heartbeat_timeout) {
  return std::clamp<std::chrono::milliseconds>(heartbeat_timeout / 3, std::chrono::seconds(1),
                                               std::chrono::minutes(30));
}

std::string_view LifecycleActionName(LifecycleAction action) {
  switch (action) {
    case LifecycleAction::kHeartbeat:
      return "heartbeat";
    case LifecycleAction::kContinue:
      return "CONTINUE";
    case LifecycleAction::kAbandon:
      return "ABANDON";
    case LifecycleAction::kNone:
      break;
  }
  return "none";
}

LifecyclePlanner::LifecyclePlanner(LifecyclePolicy policy, SteadyTime start)
    : policy_(policy),
      cadence_(HeartbeatCadence(policy.heartbeat_timeout)),
      // The first heartbeat goes out at once: the boot before the agent used up part of the
      // first heartbeat timeout already.
      next_heartbeat_(start) {}

LifecycleDecision LifecyclePlanner::Decide(const Status* status,
                                           std::chrono::milliseconds since_launch,
                                           SteadyTime now) const {
  if (done() || now < not_before_) return {};
  if (status != nullptr && status->synced()) {
    return {LifecycleAction::kContinue, status->reason};
  }
  if (since_launch >= policy_.max_sync) {
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(since_launch).count();
    return {
        LifecycleAction::kAbandon,
        "not synced " + std::to_string(minutes) + " min after launch (maximum " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::minutes>(policy_.max_sync).count()) +
            " min): " +
            (status != nullptr ? std::string(SyncStateName(status->state)) + ": " + status->reason
                               : std::string("the node was never observed"))};
  }
  if (now >= next_heartbeat_) return {LifecycleAction::kHeartbeat, "the node is not synced yet"};
  return {};
}

void LifecyclePlanner::Succeeded(LifecycleAction action, SteadyTime now) {
  switch (action) {
    case LifecycleAction::kHeartbeat:
      ++heartbeats_;
      next_heartbeat_ = now + cadence_;
      break;
    case LifecycleAction::kContinue:
      state_ = "continued";
      break;
    case LifecycleAction::kAbandon:
      state_ = "abandoned";
      break;
    case LifecycleAction::kNone:
      break;
  }
}

void LifecyclePlanner::Failed(LifecycleAction, bool gone, SteadyTime now,
                              std::chrono::milliseconds retry_after) {
  if (gone) {
    state_ = "done";
    return;
  }
  not_before_ = now + retry_after;
}

SteadyTime LifecyclePlanner::next_due() const { return std::max(not_before_, next_heartbeat_); }

}  // namespace sr::agent
