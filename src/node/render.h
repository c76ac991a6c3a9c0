// Every file bootstrap installs for a configuration, with its installed path, mode and owner:
// what `node render` writes for review and what bootstrap writes on the instance.
#ifndef STACKS_RUNNER_NODE_RENDER_H_
#define STACKS_RUNNER_NODE_RENDER_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "node/stacks_configs.h"

namespace sr::node {

struct InstalledFile {
  std::string path;  // absolute, on the instance
  std::string content;
  int mode = 0644;
  std::string owner = "root";
  std::string group = "root";
};

struct RenderOptions {
  NodeSecrets secrets = PlaceholderSecrets();
  std::string deployment = "stacks-node";  // the stack name: names the log groups
  // HA: the group and launch hook the agent completes once the node is synced (both or neither).
  std::string asg;
  std::string lifecycle_hook;
};

struct Rendered {
  std::vector<InstalledFile> files;
  // Keys the release would refuse, or a broken signer pairing: never expected, always checked.
  std::vector<std::string> problems;
};

Rendered RenderNodeFiles(const config::Config& config, const RenderOptions& options);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_RENDER_H_
