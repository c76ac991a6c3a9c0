#include "config/variables.h"

#include <algorithm>

namespace sr::config {

const std::vector<VariableSpec>& AllVariables() {
  static const std::vector<VariableSpec> all = {
      // The blueprint's variables (lib/stacks/sample-configs/.env-sample-follower).
      {"AWS_ACCOUNT_ID", true, false, "AWS account the stacks are deployed to"},
      {"AWS_REGION", true, false, "AWS region the stacks are deployed to"},
      {"STACKS_INSTANCE_TYPE", true, false, "EC2 instance type of the node"},
      {"STACKS_CPU_TYPE", true, false, "CPU architecture: x86_64 or ARM_64"},
      {"STACKS_VERSION", true, false, "stacks-core release to install, or latest"},
      {"STACKS_BUILD_FROM_SOURCE", true, false, "build stacks-core from source (not supported)"},
      {"STACKS_DOWNLOAD_CHAINSTATE", true, false, "restore the chainstate from an archive"},
      {"STACKS_NODE_CONFIGURATION", true, false, "node role: follower, signer or miner"},
      {"STACKS_BOOTSTRAP_NODE", true, false, "seed peers, PUBKEY@HOST:PORT, comma-separated"},
      {"STACKS_CHAINSTATE_ARCHIVE", true, false, "URL of the chainstate archive"},
      {"STACKS_NETWORK", true, false, "Stacks network: mainnet or testnet"},
      {"STACKS_P2P_PORT", true, false, "Stacks P2P port"},
      {"STACKS_RPC_PORT", true, false, "Stacks RPC (HTTP) port"},
      {"BITCOIN_PEER_HOST", true, false, "bitcoind host"},
      {"BITCOIN_RPC_USERNAME", true, false, "bitcoind RPC user"},
      {"BITCOIN_RPC_PASSWORD", true, true, "bitcoind RPC password"},
      {"BITCOIN_RPC_PORT", true, false, "bitcoind RPC port"},
      {"BITCOIN_P2P_PORT", true, false, "bitcoind P2P port"},
      {"STACKS_SIGNER_SECRET_ARN", true, false, "Secrets Manager secret holding the signer key"},
      {"STACKS_MINER_SECRET_ARN", true, false, "Secrets Manager secret holding the miner key"},
      {"STACKS_DATA_VOL_SIZE", true, false, "data volume size in GiB"},
      {"STACKS_DATA_VOL_TYPE", true, false, "data volume type"},
      {"STACKS_DATA_VOL_IOPS", true, false, "data volume provisioned IOPS"},
      {"STACKS_DATA_VOL_THROUGHPUT", true, false, "data volume throughput in MiB/s (gp3)"},
      {"STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN", true, false,
       "HA: health check grace period in minutes"},
      {"STACKS_HA_NODES_HEARTBEAT_DELAY_MIN", true, false,
       "HA: lifecycle hook heartbeat timeout in minutes"},
      {"STACKS_HA_NUMBER_OF_NODES", true, false, "HA: number of nodes"},
      // Ours.
      {"STACKS_VPC_ID", false, false, "VPC to deploy into (default: the default VPC)"},
      {"STACKS_SUBNET_IDS", false, false, "subnets to deploy into, comma-separated"},
      {"STACKS_RPC_ALLOWED_CIDRS", false, false, "CIDR blocks allowed to reach the RPC port"},
      {"STACKS_ROOT_VOL_SIZE", false, false, "root volume size in GiB"},
      {"STACKS_BOOTSTRAP_TIMEOUT_MIN", false, false,
       "single node: minutes CloudFormation waits for the bootstrap to signal"},
      {"STACKS_BITCOIN_SECRET_ARN", false, false,
       "Secrets Manager secret holding the miner's bitcoind RPC credentials"},
      // A miner's wallet, fees and [miner] settings (stacks-core's key names after the prefix).
      {"STACKS_MINER_WALLET_NAME", false, false,
       "miner: the watch-only wallet on its bitcoind ([burnchain] wallet_name)"},
      {"STACKS_MINER_MOCK_MINING", false, false,
       "miner: assemble blocks without spending BTC ([node] mock_mining)"},
      {"STACKS_MINER_BURN_FEE_CAP", false, false,
       "miner: most satoshis a block commit spends ([burnchain] burn_fee_cap)"},
      {"STACKS_MINER_SATOSHIS_PER_BYTE", false, false,
       "miner: Bitcoin fee rate in sat/vB ([burnchain] satoshis_per_byte)"},
      {"STACKS_MINER_RBF_FEE_INCREMENT", false, false,
       "miner: sat/vB added on each replace-by-fee ([burnchain] rbf_fee_increment)"},
      {"STACKS_MINER_MAX_RBF", false, false,
       "miner: highest replace-by-fee rate, percent of the fee rate ([burnchain] max_rbf)"},
      {"STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS", false, false,
       "miner: milliseconds to assemble a block ([miner] nakamoto_attempt_time_ms)"},
      {"STACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS", false, false,
       "miner: least milliseconds between blocks ([miner] min_time_between_blocks_ms)"},
      {"STACKS_MINER_BLOCK_COMMIT_DELAY_MS", false, false,
       "miner: milliseconds before a block commit ([miner] block_commit_delay_ms)"},
      {"STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS", false, false,
       "miner: milliseconds before extending its tenure ([miner] tenure_extend_wait_timeout_ms)"},
      {"STACKS_MINER_TENURE_TIMEOUT_SECS", false, false,
       "miner: seconds before a time-based tenure extend ([miner] tenure_timeout_secs)"},
      {"STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE", false, false,
       "miner: percent of the tenure budget one block may use "
       "([miner] tenure_cost_limit_per_block_percentage)"},
      {"STACKS_MINER_BLOCK_REWARD_RECIPIENT", false, false,
       "miner: Stacks principal paid the block rewards ([miner] block_reward_recipient)"},
      // The node agent and the alarms on what it publishes.
      {"STACKS_REFERENCE_NODE", false, false,
       "node whose /v2/info the agent compares the tip with, or off"},
      {"STACKS_SYNC_TOLERANCE_BLOCKS", false, false,
       "Stacks blocks a node may trail the reference and still count as synced"},
      {"STACKS_STALL_MIN", false, false,
       "minutes without tip progress, while behind, after which a node is stalled"},
      {"STACKS_AGENT_INTERVAL_SEC", false, false, "seconds between the agent's observations"},
      {"STACKS_HA_MAX_SYNC_MIN", false, false,
       "HA: minutes a new node may take to sync before its launch is abandoned"},
      {"STACKS_ALARM_BEHIND_MIN", false, false,
       "minutes a node may be out of sync before its alarm fires"},
      {"STACKS_ALARM_EMAIL", false, false, "email address the alarms notify (optional)"},
  };
  return all;
}

const VariableSpec* FindVariable(std::string_view name) {
  for (const auto& spec : AllVariables()) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

bool IsOurPrefix(std::string_view name) {
  return name.starts_with("STACKS_") || name.starts_with("BITCOIN_");
}

namespace {
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::string SuggestVariable(std::string_view name) {
  std::string best;
  size_t best_distance = 0;
  for (const auto& spec : AllVariables()) {
    size_t d = EditDistance(name, spec.name);
    // A truncated name (BITCOIN_RPC_PASS) is closest to the name it truncates.
    if (spec.name.starts_with(name)) d = std::min<size_t>(d, 1);
    if (best.empty() || d < best_distance) {
      best = std::string(spec.name);
      best_distance = d;
    }
  }
  // A few edits, relative to the length: STACKS_DATA_VOLUME_SIZE -> STACKS_DATA_VOL_SIZE.
  return best_distance <= std::max<size_t>(3, name.size() / 5) ? best : std::string();
}

std::string ShownValue(std::string_view name, std::string_view value) {
  const VariableSpec* spec = FindVariable(name);
  if (spec != nullptr && spec->secret) return "<redacted>";
  // Where a secret's ARN belongs, someone may paste the secret itself: only an ARN is shown.
  if (spec != nullptr && name.ends_with("_SECRET_ARN") && !value.empty() &&
      !value.starts_with("arn:") && value != "none") {
    return "<not shown: not an ARN>";
  }
  if (spec != nullptr) return std::string(value);
  // An unknown name may still hold a secret (a misspelt password): judge by the name.
  for (std::string_view word : {"PASS", "SECRET", "TOKEN", "KEY", "SEED"}) {
    if (name.find(word) != std::string_view::npos) return "<redacted>";
  }
  return std::string(value);
}

}  // namespace sr::config
