// `node fetch-chainstate`: restores the node's chainstate from the published archive
// (chainstate/fetch.h), as `node bootstrap` does in its chainstate step.
#ifndef STACKS_RUNNER_CLI_CHAINSTATE_COMMAND_H_
#define STACKS_RUNNER_CLI_CHAINSTATE_COMMAND_H_

#include <string>

#include "cli/context.h"

namespace sr::cli {

struct NodeFetchChainstateOptions {
  std::string settings = "/etc/stacks-runner/node.env";
  std::string root = "/";  // paths (settings included) are taken under it, as for bootstrap
  std::string url;         // tried before the configured and the Hiro archives
  int connections = 0;     // 0: the default (8)
  // No syncfs before the ready marker (benchmarks): a power loss could then leave the marker
  // over data that never reached the disk.
  bool no_sync = false;
};

// Exit 0 when restored and verified (or already), 1 when the restore failed, 2 for invalid
// settings or options.
int RunNodeFetchChainstate(Context& ctx, const NodeFetchChainstateOptions& options);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_CHAINSTATE_COMMAND_H_
