#include "templates/node_settings.h"

#include "util/sha256.h"

namespace sr::templates {
namespace {

void Line(std::string* out, std::string_view key, std::string_view value) {
  if (value.empty()) return;
  *out += key;
  *out += "=\"";
  *out += value;
  *out += "\"\n";
}

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ',';
    out += item;
  }
  return out;
}

}  // namespace

NodeSettingsAsset RenderNodeSettings(const config::Config& c) {
  std::string s =
      "# stacks-runner node settings, written by `stacks-runner synth`. Every value is explicit;\n"
      "# secrets are not here (the node reads them from AWS Secrets Manager).\n";
  Line(&s, "STACKS_NETWORK", c.network->name);
  Line(&s, "STACKS_NODE_CONFIGURATION", config::RoleName(c.role));
  Line(&s, "STACKS_VERSION", c.stacks_version);
  Line(&s, "STACKS_INSTANCE_TYPE", c.instance_type);
  Line(&s, "STACKS_CPU_TYPE", c.arch == config::CpuArch::kArm64 ? "ARM_64" : "x86_64");
  Line(&s, "STACKS_DOWNLOAD_CHAINSTATE", c.download_chainstate ? "true" : "false");
  Line(&s, "STACKS_BOOTSTRAP_NODE", JoinComma(c.bootstrap_nodes));
  Line(&s, "STACKS_CHAINSTATE_ARCHIVE", c.chainstate_archive);
  Line(&s, "STACKS_P2P_PORT", std::to_string(c.p2p_port));
  Line(&s, "STACKS_RPC_PORT", std::to_string(c.rpc_port));
  Line(&s, "BITCOIN_PEER_HOST", c.bitcoin.host);
  Line(&s, "BITCOIN_RPC_PORT", std::to_string(c.bitcoin.rpc_port));
  Line(&s, "BITCOIN_P2P_PORT", std::to_string(c.bitcoin.p2p_port));
  Line(&s, "BITCOIN_RPC_USERNAME", c.bitcoin.rpc_username);
  Line(&s, "STACKS_SIGNER_SECRET_ARN", c.signer_secret_arn);
  Line(&s, "STACKS_MINER_SECRET_ARN", c.miner_secret_arn);
  Line(&s, "STACKS_BITCOIN_SECRET_ARN", c.bitcoind_secret_arn);
  if (c.role == config::Role::kMiner) {
    // Only a miner's: another role would be warned that they are ignored.
    const config::MinerSettings& m = c.miner;
    auto optional = [&](std::string_view key, const std::optional<int>& v) {
      if (v) Line(&s, key, std::to_string(*v));
    };
    Line(&s, "STACKS_MINER_WALLET_NAME", m.wallet_name);
    Line(&s, "STACKS_MINER_MOCK_MINING", m.mock_mining ? "true" : "false");
    Line(&s, "STACKS_MINER_BURN_FEE_CAP", std::to_string(m.burn_fee_cap));
    Line(&s, "STACKS_MINER_SATOSHIS_PER_BYTE", std::to_string(m.satoshis_per_byte));
    Line(&s, "STACKS_MINER_RBF_FEE_INCREMENT", std::to_string(m.rbf_fee_increment));
    Line(&s, "STACKS_MINER_MAX_RBF", std::to_string(m.max_rbf));
    Line(&s, "STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS", std::to_string(m.nakamoto_attempt_time_ms));
    optional("STACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS", m.min_time_between_blocks_ms);
    optional("STACKS_MINER_BLOCK_COMMIT_DELAY_MS", m.block_commit_delay_ms);
    optional("STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS", m.tenure_extend_wait_timeout_ms);
    optional("STACKS_MINER_TENURE_TIMEOUT_SECS", m.tenure_timeout_secs);
    optional("STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE",
             m.tenure_cost_limit_per_block_percentage);
    Line(&s, "STACKS_MINER_BLOCK_REWARD_RECIPIENT", m.block_reward_recipient);
  }
  Line(&s, "STACKS_DATA_VOL_TYPE", config::VolumeTypeName(c.data_volume.type));
  if (c.data_volume.type != config::VolumeType::kInstanceStore) {
    Line(&s, "STACKS_DATA_VOL_SIZE", std::to_string(c.data_volume.size_gib));
  }
  if (c.data_volume.iops) Line(&s, "STACKS_DATA_VOL_IOPS", std::to_string(*c.data_volume.iops));
  if (c.data_volume.throughput) {
    Line(&s, "STACKS_DATA_VOL_THROUGHPUT", std::to_string(*c.data_volume.throughput));
  }
  Line(&s, "STACKS_ROOT_VOL_SIZE", std::to_string(c.root_volume_gib));
  // What the node agent reads (the alarm settings stay in the templates).
  Line(&s, "STACKS_REFERENCE_NODE",
       c.monitoring.reference_node.empty() ? "off" : c.monitoring.reference_node);
  Line(&s, "STACKS_SYNC_TOLERANCE_BLOCKS", std::to_string(c.monitoring.sync_tolerance_blocks));
  Line(&s, "STACKS_STALL_MIN", std::to_string(c.monitoring.stall_min));
  Line(&s, "STACKS_AGENT_INTERVAL_SEC", std::to_string(c.monitoring.agent_interval_sec));
  Line(&s, "STACKS_HA_NODES_HEARTBEAT_DELAY_MIN", std::to_string(c.ha.lifecycle_heartbeat_min));
  Line(&s, "STACKS_HA_MAX_SYNC_MIN", std::to_string(c.ha.max_sync_min));
  NodeSettingsAsset asset;
  asset.sha256 = util::Sha256Hex(s);
  asset.key = "settings/" + asset.sha256 + ".env";
  asset.content = std::move(s);
  return asset;
}

}  // namespace sr::templates
