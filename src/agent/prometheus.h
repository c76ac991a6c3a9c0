// The agent's /metrics: the status and the agent's own figures in the Prometheus text format
// (version 0.0.4). Values that are unknown are left out rather than reported as 0.
#ifndef STACKS_RUNNER_AGENT_PROMETHEUS_H_
#define STACKS_RUNNER_AGENT_PROMETHEUS_H_

#include <string>

#include "agent/stats.h"
#include "agent/sync_state.h"

namespace sr::agent {

inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

std::string PrometheusText(const Status& status, const PublisherStats& publisher,
                           const LifecycleStats& lifecycle, SteadyTime now);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_PROMETHEUS_H_
