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

struct NodeBootstrapOptions {
  std::string settings = "/etc/stacks-runner/node.env";
  std::string cfn_stack;
  std::string cfn_resource;
  std::string asg;
  std::string lifecycle_hook;
  std::string data_volume;
  std::string data_device;
  std::string root = "/";
  bool dry_run = false;
  std::string release_url;
  // Secrets Manager secret ids (ARNs); each empty: the settings' ARN.
  std::string signer_secret;
  std::string miner_secret;
  std::string bitcoind_secret;
  // A CloudFormation wait condition handle URL that receives the public identity.
  std::string identity_url;
};
// Brings the node up (see node/bootstrap.h); exit 0 when every step succeeded.
int RunNodeBootstrap(Context& ctx, const NodeBootstrapOptions& options);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_NODE_COMMANDS_H_
