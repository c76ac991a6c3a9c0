// The system files a node needs besides the stacks configurations: systemd units (hardened, with
// a stop timeout long enough for a clean shutdown, the signer started before its node, the
// stacks-runner agent beside them), log rotation, and the CloudWatch agent's configuration.
#ifndef STACKS_RUNNER_NODE_SYSTEM_FILES_H_
#define STACKS_RUNNER_NODE_SYSTEM_FILES_H_

#include <string>

#include "config/config.h"

namespace sr::node {

// stacks-node can take up to 20 minutes to stop cleanly; killing it earlier can corrupt the
// chainstate (stacks-blockchain-docker waits as long for the same reason).
inline constexpr int kNodeStopTimeoutSec = 1200;

std::string NodeUnit(const config::Config& config);
std::string SignerUnit(const config::Config& config);
// The node agent; in HA with the group and launch hook it completes (both or neither).
std::string AgentUnit(const config::Config& config, const std::string& asg,
                      const std::string& lifecycle_hook);
std::string Logrotate(const config::Config& config);
// `deployment` names the log groups: /stacks-runner/<deployment>/...
std::string CloudWatchAgentConfig(const config::Config& config, const std::string& deployment);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_SYSTEM_FILES_H_
