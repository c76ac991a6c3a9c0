// Alarms on what the node agent publishes, and the SNS topic they notify (with an email
// subscription when STACKS_ALARM_EMAIL is set). The blueprint had none.
//
// Single node, on the instance's own metrics:
//   NodeBehindAlarm       Synced < 1 for STACKS_ALARM_BEHIND_MIN minutes (behind, stalled, down)
//   NodeStalledAlarm      Stalled for 2 minutes (behind with no progress for STACKS_STALL_MIN)
//   AgentHeartbeatAlarm   no agent heartbeat for 5 minutes (missing data is the failure)
//   DataDiskAlarm         CWAgent disk_used_percent of /var/lib/stacks > 80 % for 10 minutes
//   SignerHeartbeatAlarm  signers: the signer's /heartbeat failing for 3 minutes
// HA, on the group's metrics (every agent publishes with an AutoScalingGroupName dimension too):
//   NodeBehindAlarm       no node of the group synced for STACKS_ALARM_BEHIND_MIN minutes
//   NodeStalledAlarm      any node stalled
//   AgentHeartbeatAlarm   no agent of the group reporting (one silent agent fails /health, so
//                         the group replaces its instance by itself)
//   DataDiskAlarm         the fullest node's data volume > 80 % (the agent's DataDiskUsedPercent:
//                         the CloudWatch agent cannot name the group without ec2:DescribeTags)
//
// The topic is encrypted with a customer managed KMS key whose policy lets CloudWatch use it:
// alarms cannot publish to a topic encrypted with the AWS managed key alias/aws/sns (its key
// policy does not allow cloudwatch.amazonaws.com, and cannot be changed). Its policy allows
// only this account's alarms to publish, and only over TLS.
#ifndef STACKS_RUNNER_TEMPLATES_ALARMS_H_
#define STACKS_RUNNER_TEMPLATES_ALARMS_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

enum class AlarmScope { kInstance, kGroup };

// Adds the key, topic, topic policy, subscription and alarms; returns the alarms' logical ids.
std::vector<std::string> AddAlarms(Template& t, const config::Config& config, AlarmScope scope);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_ALARMS_H_
