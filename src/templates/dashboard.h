// CloudWatch dashboards. The single node's has the blueprint's ten widgets' subjects (CPU,
// memory, I/O wait, network, data volume IOPS, throughput and latency, Stacks tip and burn
// height) plus sync state and lag, peers, disk use, the agent's heartbeat and the alarms; the HA
// group gets one too (the blueprint had none), by Auto Scaling group and load balancer.
#ifndef STACKS_RUNNER_TEMPLATES_DASHBOARD_H_
#define STACKS_RUNNER_TEMPLATES_DASHBOARD_H_

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

// The dashboard body as a JSON string with ${...} references for Fn::Sub; `alarms` are the
// logical ids of the stack's alarms, shown in an alarm status widget.
std::string SingleNodeDashboardBody(const config::Config& config,
                                    const std::vector<std::string>& alarms = {});
std::string HaDashboardBody(const config::Config& config,
                            const std::vector<std::string>& alarms = {});

// Adds the AWS::CloudWatch::Dashboard resource named "<stack name>-<region>".
void AddDashboard(Template& t, const config::Config& config, std::string body);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_DASHBOARD_H_
