// Where things live on a node instance. Bootstrap installs into these paths (under --root when
// given), `node render` writes them under its output directory, and the units refer to them.
#ifndef STACKS_RUNNER_NODE_LAYOUT_H_
#define STACKS_RUNNER_NODE_LAYOUT_H_

namespace sr::node::paths {

inline constexpr char kSettings[] = "/etc/stacks-runner/node.env";
inline constexpr char kStateDir[] = "/var/lib/stacks-runner";  // on the root volume
inline constexpr char kInstalledVersion[] = "/var/lib/stacks-runner/installed-version";
// The public identity (addresses, public key) as last signalled to the stack's wait condition.
inline constexpr char kIdentitySignalled[] = "/var/lib/stacks-runner/identity-signalled";
inline constexpr char kConfigDir[] = "/etc/stacks";
inline constexpr char kNodeConfig[] = "/etc/stacks/stacks-node.toml";
inline constexpr char kSignerConfig[] = "/etc/stacks/stacks-signer.toml";
inline constexpr char kReleasesDir[] = "/opt/stacks";             // /opt/stacks/<version>/
inline constexpr char kCurrentRelease[] = "/opt/stacks/current";  // symlink to the version
inline constexpr char kNodeBinary[] = "/opt/stacks/current/stacks-node";
inline constexpr char kSignerBinary[] = "/opt/stacks/current/stacks-signer";
inline constexpr char kRunnerBinary[] = "/opt/stacks-runner/bin/stacks-runner";
inline constexpr char kDataMount[] = "/var/lib/stacks";            // the data volume
inline constexpr char kNodeWorkingDir[] = "/var/lib/stacks/node";  // stacks-node working_dir
inline constexpr char kSignerDir[] = "/var/lib/stacks/signer";
inline constexpr char kSignerDb[] = "/var/lib/stacks/signer/signer.sqlite";
// Written by fetch-chainstate once the restored chainstate is verified; the node waits for it.
inline constexpr char kChainstateReady[] = "/var/lib/stacks/node/.stacks-runner-chainstate-ready";
// fetch-chainstate's progress, rewritten while it restores; the agent publishes it.
inline constexpr char kChainstateProgress[] = "/var/lib/stacks-runner/chainstate-progress.json";
inline constexpr char kLogDir[] = "/var/log/stacks";
inline constexpr char kNodeLog[] = "/var/log/stacks/stacks-node.log";
inline constexpr char kSignerLog[] = "/var/log/stacks/stacks-signer.log";
inline constexpr char kNodeUnit[] = "/etc/systemd/system/stacks-node.service";
inline constexpr char kSignerUnit[] = "/etc/systemd/system/stacks-signer.service";
inline constexpr char kAgentUnit[] = "/etc/systemd/system/stacks-runner-agent.service";
inline constexpr char kRunnerLogDir[] = "/var/log/stacks-runner";
inline constexpr char kAgentLog[] = "/var/log/stacks-runner/agent.log";
inline constexpr char kLogrotate[] = "/etc/logrotate.d/stacks";
inline constexpr char kCloudWatchAgentConfig[] =
    "/opt/aws/amazon-cloudwatch-agent/etc/amazon-cloudwatch-agent.json";

// Service users: no login shell, no home, no sudo.
inline constexpr char kNodeUser[] = "stacks";
inline constexpr char kSignerUser[] = "stacks-signer";
// The node agent's: it reads the settings and the node's RPC, and can reach nothing of the
// node's or the signer's files.
inline constexpr char kAgentUser[] = "stacks-agent";

}  // namespace sr::node::paths

#endif  // STACKS_RUNNER_NODE_LAYOUT_H_
