// The agent's own figures besides the node's: how publishing to CloudWatch and the launch
// lifecycle hook are going. Plain values, copied out under the agent's lock for /status and
// /metrics.
#ifndef STACKS_RUNNER_AGENT_STATS_H_
#define STACKS_RUNNER_AGENT_STATS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "agent/observation.h"

namespace sr::agent {

struct PublisherStats {
  bool enabled = false;
  int64_t buffered = 0;         // datums waiting to be sent
  int64_t capacity = 0;         // the most the buffer holds
  int64_t sent = 0;             // datums CloudWatch accepted
  int64_t dropped = 0;          // datums dropped, oldest first, because the buffer was full
  int64_t rejected = 0;         // datums CloudWatch refused as invalid (never resent)
  int64_t failed_requests = 0;  // PutMetricData calls that failed (throttled, 5xx, no network)
  std::string last_error;       // of the last failed call; empty after a success
  std::optional<WallTime> last_success;
};

struct LifecycleStats {
  bool enabled = false;  // HA: a launch lifecycle hook to complete
  // "waiting", "continued", "abandoned", or "done" (the action was no longer pending).
  std::string state;
  int64_t heartbeats = 0;
  std::string last_error;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_STATS_H_
