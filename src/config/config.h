// The configuration model: every setting a deployment needs, validated and with defaults applied.
// Built by LoadConfig (load.h) from a .env file and the process environment; everything after it
// (templates, assets, deploy, the node runtime) reads only this.
#ifndef STACKS_RUNNER_CONFIG_CONFIG_H_
#define STACKS_RUNNER_CONFIG_CONFIG_H_

#include <optional>
#include <string>
#include <vector>

#include "config/instance_types.h"
#include "config/networks.h"

namespace sr::config {

enum class Role { kFollower, kSigner, kMiner };
std::string_view RoleName(Role role);  // "follower", "signer", "miner"

enum class VolumeType { kGp3, kGp2, kIo1, kIo2, kInstanceStore };
std::string_view VolumeTypeName(VolumeType type);  // as EC2 spells it; "instance-store"

struct DataVolume {
  VolumeType type = VolumeType::kGp3;
  int size_gib = 0;               // unused for instance-store
  std::optional<int> iops;        // gp3, io1, io2
  std::optional<int> throughput;  // MiB/s, gp3 only
};

struct BitcoinNode {
  std::string host;
  int rpc_port = 0;
  int p2p_port = 0;
  std::string rpc_username;
  // Secret: never written to templates, user data, assets, logs or messages.
  std::string rpc_password;
};

// A miner's settings: its bitcoind wallet, mock mining, the [burnchain] fee settings and the
// [miner] settings operators commonly set. Fees and timings left unset (nullopt) are not written,
// so stacks-node's own default applies; the defaults here are the ones stacks-core's docs
// (docs/mining.md, sample/conf/mainnet-miner-conf.toml) give.
struct MinerSettings {
  std::string wallet_name;   // [burnchain] wallet_name: a watch-only wallet on the miner's bitcoind
  bool mock_mining = false;  // [node] mock_mining: assemble blocks without spending BTC
  // [burnchain]
  int burn_fee_cap = 0;       // satoshis per block commit
  int satoshis_per_byte = 0;  // sat/vB
  int rbf_fee_increment = 0;  // sat/vB
  int max_rbf = 0;            // percent of satoshis_per_byte
  // [miner]
  int nakamoto_attempt_time_ms = 0;
  std::optional<int> min_time_between_blocks_ms;
  std::optional<int> block_commit_delay_ms;
  std::optional<int> tenure_extend_wait_timeout_ms;
  std::optional<int> tenure_timeout_secs;
  std::optional<int> tenure_cost_limit_per_block_percentage;
  std::string block_reward_recipient;  // a Stacks principal; empty: the miner's own address
};

struct HighAvailability {
  int health_check_grace_min = 0;
  int lifecycle_heartbeat_min = 0;
  int nodes = 0;
  // How long the agent waits for a new node to sync before it abandons the launch.
  int max_sync_min = 0;
};

// The node agent (`stacks-runner node agent`) and the alarms on the metrics it publishes.
struct Monitoring {
  std::string reference_node;  // base URL of a node to compare with; empty when off
  int sync_tolerance_blocks = 0;
  int stall_min = 0;
  int agent_interval_sec = 0;
  int alarm_behind_min = 0;
  std::string alarm_email;  // empty: alarms notify the topic only
};

// Where the nodes go. Empty values are resolved at deploy time (the default VPC and its subnets).
struct Placement {
  std::string vpc_id;
  std::vector<std::string> subnet_ids;
  // CIDR blocks allowed to reach the RPC port; empty means "the VPC's own CIDR".
  std::vector<std::string> rpc_allowed_cidrs;
};

struct Config {
  // AWS
  std::string account_id;  // 12 digits, or empty when the file leaves it unset
  std::string region;

  // Node
  const NetworkProfile* network = nullptr;  // never null after LoadConfig
  Role role = Role::kFollower;
  std::string instance_type;
  CpuArch arch = CpuArch::kX86_64;
  std::string stacks_version;  // "latest" or a release such as "4.0.2"
  bool download_chainstate = true;
  std::vector<std::string> bootstrap_nodes;  // PUBKEY@HOST:PORT; empty = the network's seeds
  std::string chainstate_archive;            // URL; empty = pick from the Hiro archive at boot
  int p2p_port = 0;
  int rpc_port = 0;

  BitcoinNode bitcoin;

  // Existing Secrets Manager secrets, or empty ("none"). An empty signer or miner secret ARN
  // means the node stack creates that secret (empty, retained) and the first boot fills it.
  std::string signer_secret_arn;
  std::string miner_secret_arn;
  // The miner's bitcoind RPC credentials ({"username", "password"}); filled by the operator.
  std::string bitcoind_secret_arn;

  MinerSettings miner;  // used by miners only

  DataVolume data_volume;
  int root_volume_gib = 0;
  int bootstrap_timeout_min = 0;

  HighAvailability ha;
  Placement placement;
  Monitoring monitoring;
};

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_CONFIG_H_
