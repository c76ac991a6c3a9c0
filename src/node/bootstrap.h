// `node bootstrap`: every step of bringing a node up, in order, each idempotent (a rerun after a
// reboot or a failed run does only what is left) and logged with its outcome. On failure it tells
// CloudFormation (a FAILURE signal naming the step) or Auto Scaling (the launch is ABANDONed),
// so a broken boot fails the deployment in minutes, with a cause.
#ifndef STACKS_RUNNER_NODE_BOOTSTRAP_H_
#define STACKS_RUNNER_NODE_BOOTSTRAP_H_

#include <functional>
#include <string>
#include <vector>

#include "config/config.h"
#include "node/host.h"
#include "node/node_secrets.h"
#include "node/release.h"
#include "node/stacks_configs.h"

namespace sr::node {

struct BootstrapOptions {
  std::string settings_path;  // /etc/stacks-runner/node.env
  // Single node: the stack and the resource whose creation policy waits for our signal.
  std::string cfn_stack;
  std::string cfn_resource;
  // HA: the group and its launch lifecycle hook.
  std::string asg;
  std::string lifecycle_hook;
  std::string data_volume;  // vol-... or instance-store
  std::string data_device;  // /dev/sdf
  std::string release_base_url = kDefaultReleaseBaseUrl;
  // Single signer or miner: a CloudFormation wait condition handle (a presigned S3 URL) that
  // receives the node's public identity, one signal per item, for the stack outputs. Empty: none.
  std::string identity_url;
  std::chrono::seconds device_wait{300};
};

struct StepOutcome {
  std::string step;
  bool ok = true;
  bool changed = false;
  std::string detail;
};

struct BootstrapResult {
  bool ok = true;
  std::vector<StepOutcome> steps;
  std::string failed_step;
  std::string error;
};

// What bootstrap needs besides the host: the chainstate restore (fetch-chainstate) and the
// secrets of signers and miners.
struct BootstrapHooks {
  // Restores the chainstate into the node's working directory and writes the ready marker.
  std::function<bool(NodeHost&, const config::Config&, std::string* error, const Log&)>
      fetch_chainstate;
  // The node's secrets (from AWS Secrets Manager) and their public halves; called for signers
  // and miners. Logs public values only.
  SecretsHook secrets;
};

BootstrapResult RunBootstrap(NodeHost& host, const BootstrapOptions& options,
                             const BootstrapHooks& hooks, const Log& log);

// The wait condition signals that publish `identity`: (UniqueId, JSON body) pairs with
// "signer-address" and "signer-public-key" for signers and miners, and "miner-address" for
// miners. Public values only.
std::vector<std::pair<std::string, std::string>> IdentitySignals(const config::Config& config,
                                                                 const PublicIdentity& identity);

// The names of the steps, in order.
std::vector<std::string> BootstrapSteps();

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_BOOTSTRAP_H_
