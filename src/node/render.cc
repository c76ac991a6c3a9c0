#include "node/render.h"

#include <algorithm>
#include <cctype>

#include "node/layout.h"
#include "node/system_files.h"
#include "node/toml.h"

namespace sr::node {

Rendered RenderNodeFiles(const config::Config& c, const RenderOptions& options) {
  Rendered out;
  const StacksCoreRelease& release = ReleaseData(c.stacks_version);
  const std::string header =
      "Written by stacks-runner node bootstrap for stacks-core " + std::string(release.version) +
      " (" + std::string(c.network->name) + " " + std::string(config::RoleName(c.role)) +
      ").\nChanges are overwritten on the next bootstrap; change the stack's configuration "
      "instead.";

  const Json node = StacksNodeConfig(c, options.secrets);
  for (const auto& p : AllowlistProblems(node, release.node_keys)) {
    out.problems.push_back("stacks-node.toml: " + p + " is not a key stacks-node " +
                           std::string(release.version) + " accepts");
  }
  // A file that holds secrets (the signer auth token, a miner's keys, bitcoind credentials) is
  // readable by its service user only.
  const bool node_secrets = HasSigner(c) || node["burnchain"].contains("password");
  out.files.push_back({paths::kNodeConfig, ToToml(node, header), node_secrets ? 0600 : 0644,
                       node_secrets ? paths::kNodeUser : "root",
                       node_secrets ? paths::kNodeUser : "root"});

  if (HasSigner(c)) {
    const Json signer = StacksSignerConfig(c, options.secrets);
    for (const auto& p : AllowlistProblems(signer, release.signer_keys)) {
      out.problems.push_back("stacks-signer.toml: " + p + " is not a key stacks-signer " +
                             std::string(release.version) + " accepts");
    }
    for (const auto& p : PairingProblems(node, signer)) out.problems.push_back(p);
    out.files.push_back({paths::kSignerConfig, ToToml(signer, header), 0600, paths::kSignerUser,
                         paths::kSignerUser});
    out.files.push_back({paths::kSignerUnit, SignerUnit(c)});
  }
  out.files.push_back({paths::kNodeUnit, NodeUnit(c)});
  // Auto Scaling group and hook names go on the agent's command line unquoted.
  for (const std::string& name : {options.asg, options.lifecycle_hook}) {
    if (!std::all_of(name.begin(), name.end(), [](char ch) {
          return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' ||
                 ch == '.';
        })) {
      out.problems.push_back("agent: \"" + name +
                             "\" is not an Auto Scaling group or hook name stacks-runner makes");
    }
  }
  out.files.push_back({paths::kAgentUnit, AgentUnit(c, options.asg, options.lifecycle_hook)});
  out.files.push_back({paths::kLogrotate, Logrotate(c)});
  out.files.push_back(
      {paths::kCloudWatchAgentConfig, CloudWatchAgentConfig(c, options.deployment)});
  return out;
}

}  // namespace sr::node
