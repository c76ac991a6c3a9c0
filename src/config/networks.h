// What differs between the Stacks networks we deploy to, kept in one place: these values change
// with network resets and releases (see docs/configuration.md for their sources).
#ifndef STACKS_RUNNER_CONFIG_NETWORKS_H_
#define STACKS_RUNNER_CONFIG_NETWORKS_H_

#include <cstdint>
#include <string_view>
#include <vector>

namespace sr::config {

enum class NetworkId { kMainnet, kTestnet };

struct NetworkProfile {
  NetworkId id;
  std::string_view name;            // STACKS_NETWORK value: "mainnet", "testnet"
  std::string_view burnchain_mode;  // stacks-node [burnchain] mode: "mainnet", "krypton"
  std::string_view signer_network;  // stacks-signer `network`: "mainnet", "testnet"
  uint32_t chain_id;

  // The bitcoind a node talks to unless the configuration names its own.
  std::string_view bitcoin_host;
  int bitcoin_rpc_port;
  int bitcoin_p2p_port;
  std::string_view bitcoin_rpc_username;  // published credentials of the public bitcoind, if any
  std::string_view bitcoin_rpc_password;

  // Seeds written to bootstrap_node; empty where stacks-node has them built in (mainnet).
  std::vector<std::string_view> seed_nodes;

  // Chainstate archives: <archive_base><archive_stem>-<version>-latest.tar.zst and fallbacks.
  std::string_view archive_base;
  std::string_view archive_stem;
  bool download_chainstate_by_default;

  std::string_view reference_api;  // a public node to compare sync progress with

  // Oldest stacks-node release whose configuration and consensus rules fit this network today.
  std::string_view min_stacks_version;
  std::string_view min_stacks_version_reason;

  // Data volume sizing (GiB): the default, and the least that holds today's chainstate.
  int default_data_volume_gib;
  int min_data_volume_gib;
  std::string_view data_volume_reason;

  int default_lifecycle_heartbeat_min;  // HA: how long a new node may take to boot and sync
};

const NetworkProfile& MainnetProfile();
const NetworkProfile& TestnetProfile();
const std::vector<const NetworkProfile*>& AllNetworks();

// The release installed when STACKS_VERSION is not set: the newest stacks-core release whose
// configurations this version of stacks-runner renders and checks.
inline constexpr std::string_view kDefaultStacksVersion = "4.0.2";

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_NETWORKS_H_
