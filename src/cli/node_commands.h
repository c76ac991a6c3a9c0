// The commands that run on (or for) a node instance: render, bootstrap.
#ifndef STACKS_RUNNER_CLI_NODE_COMMANDS_H_
#define STACKS_RUNNER_CLI_NODE_COMMANDS_H_

#include <string>

#include "cli/context.h"

namespace sr::cli {

struct NodeRenderOptions {
  std::string env_file;
  std::string out_dir;
  std::string deployment = "stacks-node";
};
// Writes every file bootstrap would install under out_dir, at their installed paths.
int RunNodeRender(Context& ctx, const NodeRenderOptions& options);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_NODE_COMMANDS_H_
