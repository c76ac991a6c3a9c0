// The stacks-node and stacks-signer configuration files for a node of any role on mainnet or the
// testnet, with only keys the installed release accepts, and the signer paired with its node
// (the node's auth_token is the signer's auth_password, the node's event observer is the
// signer's endpoint, the signer's node_host is the node's RPC).
#ifndef STACKS_RUNNER_NODE_STACKS_CONFIGS_H_
#define STACKS_RUNNER_NODE_STACKS_CONFIGS_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "node/stacks_core_release.h"

namespace sr::node {

using Json = nlohmann::ordered_json;

// The secrets a node's configuration holds. On an instance they come from AWS Secrets Manager and
// the files holding them are readable only by their service user.
struct NodeSecrets {
  std::string signer_private_key;  // 64 or 66 hex characters
  std::string auth_token;          // node [connection_options] auth_token = signer auth_password
  std::string miner_seed;          // node [node] seed: the miner's Bitcoin key
  std::string mining_key;          // node [miner] mining_key: signs Stacks blocks
  std::string bitcoin_rpc_password;
  std::string bitcoin_rpc_username;  // from the bitcoind secret; empty: BITCOIN_RPC_USERNAME
};

// What `node render` puts where secrets go: easy to spot and never a usable key.
NodeSecrets PlaceholderSecrets();

// Whether the node runs a stacks-signer beside it (signers, and miners' co-located signer).
bool HasSigner(const config::Config& config);

Json StacksNodeConfig(const config::Config& config, const NodeSecrets& secrets);
Json StacksSignerConfig(const config::Config& config, const NodeSecrets& secrets);

// Keys of `document` that `allowlist` does not hold ("[node] foo"); empty when all are accepted.
std::vector<std::string> AllowlistProblems(const Json& document, const Allowlist& allowlist);

// Broken pairings between a node's configuration and its signer's; empty when they match.
std::vector<std::string> PairingProblems(const Json& node, const Json& signer);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_STACKS_CONFIGS_H_
