#include "config/networks.h"

namespace sr::config {

// Sources: ../shared/reference/stacks-node-facts.md (stacks-core 4.0.2, Aug 2026), sections 1.2,
// 1.3, 1.5, 6, 7 and 9.2; docs/configuration.md repeats them for operators.

const NetworkProfile& MainnetProfile() {
  static const NetworkProfile profile{
      .id = NetworkId::kMainnet,
      .name = "mainnet",
      .burnchain_mode = "mainnet",
      .signer_network = "mainnet",
      .chain_id = 0x00000001,
      .bitcoin_host = "bitcoin.mainnet.stacks.org",
      .bitcoin_rpc_port = 8332,
      .bitcoin_p2p_port = 8333,
      .bitcoin_rpc_username = "stacks",
      .bitcoin_rpc_password = "foundation",
      .seed_nodes = {},  // stacks-node 4.x has the four mainnet seeds built in
      .archive_base = "https://archive.hiro.so/mainnet/stacks-blockchain/",
      .archive_stem = "mainnet-stacks-blockchain",
      .download_chainstate_by_default = true,
      .reference_api = "https://api.hiro.so",
      .min_stacks_version = "4.0.1",
      .min_stacks_version_reason =
          "Epoch 4.0 activates on mainnet at Bitcoin height 960,230 and 3.x nodes diverge there",
      .default_data_volume_gib = 2048,
      .min_data_volume_gib = 1280,
      .data_volume_reason = "the mainnet chainstate is about 1 TB extracted and growing",
      .default_lifecycle_heartbeat_min = 100,
  };
  return profile;
}

const NetworkProfile& TestnetProfile() {
  static const NetworkProfile profile{
      .id = NetworkId::kTestnet,
      .name = "testnet",
      .burnchain_mode = "krypton",
      .signer_network = "testnet",
      .chain_id = 0x80000000,
      .bitcoin_host = "bitcoin.regtest.hiro.so",
      .bitcoin_rpc_port = 18443,
      .bitcoin_p2p_port = 18444,
      .bitcoin_rpc_username = "",
      .bitcoin_rpc_password = "",
      .seed_nodes = {"0348af7ce1b224476e8f042727af3f84dcf49a69bb3c9dd2a1afaa783acfffb729"
                     "@seed.testnet.hiro.so:20444"},
      .archive_base = "https://archive.hiro.so/testnet/stacks-blockchain/",
      .archive_stem = "testnet-stacks-blockchain",
      // The testnet was reset in Aug 2026: its chain is young and syncs from genesis, and no
      // archive of the reset chain is known to exist yet.
      .download_chainstate_by_default = false,
      .reference_api = "https://api.testnet.hiro.so",
      .min_stacks_version = "4.0.2",
      .min_stacks_version_reason =
          "the testnet was reset in Aug 2026 (new seed, genesis and epochs, first in 4.0.2)",
      .default_data_volume_gib = 512,
      .min_data_volume_gib = 100,
      .data_volume_reason = "the node, its logs and a year of testnet growth need room",
      .default_lifecycle_heartbeat_min = 60,
  };
  return profile;
}

const std::vector<const NetworkProfile*>& AllNetworks() {
  static const std::vector<const NetworkProfile*> all{&MainnetProfile(), &TestnetProfile()};
  return all;
}

}  // namespace sr::config
