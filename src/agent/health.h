// What the agent's HTTP endpoints answer, as pure functions of the latest status: /health (200
// when synced, else 503 with the reason as JSON; a status older than `max_age` is not trusted
// either) and /status (everything observed, as JSON).
#ifndef STACKS_RUNNER_AGENT_HEALTH_H_
#define STACKS_RUNNER_AGENT_HEALTH_H_

#include <chrono>
#include <string>

#include "agent/stats.h"
#include "agent/sync_state.h"

namespace sr::agent {

struct HttpReply {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

HttpReply HealthReply(const Status& status, SteadyTime now, std::chrono::milliseconds max_age);

std::string StatusJson(const Status& status, const PublisherStats& publisher,
                       const LifecycleStats& lifecycle, SteadyTime now);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_HEALTH_H_
