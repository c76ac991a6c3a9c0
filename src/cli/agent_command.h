// `stacks-runner node agent`: the long-running node agent (src/agent/agent.h) as bootstrap's
// systemd unit runs it. Reads the node settings with the same loader as bootstrap; flags
// override what tests and operators need to (listen address, intervals, targets).
#ifndef STACKS_RUNNER_CLI_AGENT_COMMAND_H_
#define STACKS_RUNNER_CLI_AGENT_COMMAND_H_

#include <string>

#include "cli/context.h"

namespace sr::cli {

struct NodeAgentOptions {
  std::string settings = "/etc/stacks-runner/node.env";
  std::string listen = "0.0.0.0:9180";
  std::string asg;
  std::string lifecycle_hook;
  std::string instance_id;      // empty: from instance metadata
  std::string node_url;         // empty: http://127.0.0.1:<STACKS_RPC_PORT>
  std::string signer_url;       // empty: http://127.0.0.1:30001 for signers
  std::string reference;        // empty: STACKS_REFERENCE_NODE; "off" turns it off
  std::string bitcoin_rpc_url;  // empty: http://BITCOIN_PEER_HOST:BITCOIN_RPC_PORT
  std::string bitcoin_password_file;
  std::string data_path = "/var/lib/stacks";
  double interval_sec = 0;  // 0: STACKS_AGENT_INTERVAL_SEC
  double publish_interval_sec = 60;
  double request_timeout_sec = 0;              // 0: a fifth of the interval, at most 5 s
  double stall_sec = 0;                        // 0: STACKS_STALL_MIN
  double max_sync_sec = 0;                     // 0: STACKS_HA_MAX_SYNC_MIN
  double lifecycle_heartbeat_timeout_sec = 0;  // 0: STACKS_HA_NODES_HEARTBEAT_DELAY_MIN
  std::string max_sync_from = "boot";          // boot or start (of the agent)
  bool no_cloudwatch = false;
  int buffer_capacity = 10000;
};

int RunNodeAgent(Context& ctx, const NodeAgentOptions& options);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_AGENT_COMMAND_H_
