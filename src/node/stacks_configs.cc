#include "node/stacks_configs.h"

#include <algorithm>
#include <functional>

#include "config/ports.h"
#include "node/layout.h"

namespace sr::node {
namespace {

std::string JoinComma(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

std::string Loopback(int port) { return "127.0.0.1:" + std::to_string(port); }

// bitcoind RPC credentials go into the node's file only where it uses them: a miner's, from the
// bitcoind secret. Followers and signers read Bitcoin over P2P and get none (so no password ever
// reaches their files).
bool RendersBitcoinCredentials(const config::Config& c) { return c.role == config::Role::kMiner; }

}  // namespace

NodeSecrets PlaceholderSecrets() {
  return {"<signer private key from AWS Secrets Manager>",
          "<signer auth token from AWS Secrets Manager>",
          "<miner seed from AWS Secrets Manager>",
          "<miner mining key from AWS Secrets Manager>",
          "<bitcoind RPC password from AWS Secrets Manager>",
          "<bitcoind RPC user from AWS Secrets Manager>"};
}

bool HasSigner(const config::Config& c) {
  return c.role == config::Role::kSigner || c.role == config::Role::kMiner;
}

Json StacksNodeConfig(const config::Config& c, const NodeSecrets& secrets) {
  const StacksCoreRelease& release = ReleaseData(c.stacks_version);
  const bool testnet = c.network->id == config::NetworkId::kTestnet;
  const bool signer = HasSigner(c);
  const bool miner = c.role == config::Role::kMiner;

  Json node = Json::object();
  node["working_dir"] = paths::kNodeWorkingDir;
  node["rpc_bind"] = "0.0.0.0:" + std::to_string(c.rpc_port);
  node["p2p_bind"] = "0.0.0.0:" + std::to_string(c.p2p_port);
  // Metrics stay on the instance: the agent and the CloudWatch agent read them locally.
  node["prometheus_bind"] = Loopback(config::kPrometheusPort);
  node["miner"] = miner;
  node["stacker"] = signer;
  if (miner) {
    node["seed"] = secrets.miner_seed;
    // Microblocks are ignored since epoch 2.5; the miner samples turn them off.
    node["mine_microblocks"] = false;
    if (c.miner.mock_mining) node["mock_mining"] = true;
  }
  std::vector<std::string> seeds = c.bootstrap_nodes;
  if (seeds.empty()) {
    for (auto s : c.network->seed_nodes) seeds.emplace_back(s);
  }
  // On mainnet an absent key means stacks-node's built-in seeds (an empty one means none).
  if (!seeds.empty()) node["bootstrap_node"] = JoinComma(seeds);
  if (testnet) {
    node["pox_5_sbtc_contract"] = release.testnet.pox_5_sbtc_contract;
    node["pox_5_sbtc_registry_contract"] = release.testnet.pox_5_sbtc_registry_contract;
    node["pox_5_bond_admin"] = release.testnet.pox_5_bond_admin;
  }

  Json burnchain = Json::object();
  burnchain["mode"] = c.network->burnchain_mode;
  burnchain["peer_host"] = c.bitcoin.host;
  burnchain["peer_port"] = c.bitcoin.p2p_port;
  burnchain["rpc_port"] = c.bitcoin.rpc_port;
  if (RendersBitcoinCredentials(c)) {
    burnchain["username"] = secrets.bitcoin_rpc_username.empty() ? c.bitcoin.rpc_username
                                                                 : secrets.bitcoin_rpc_username;
    burnchain["password"] = secrets.bitcoin_rpc_password;
  }
  if (miner) {
    // A mock miner spends nothing: it needs no wallet (stacks-node requires one of real miners).
    if (!c.miner.mock_mining) burnchain["wallet_name"] = c.miner.wallet_name;
    burnchain["burn_fee_cap"] = c.miner.burn_fee_cap;
    burnchain["satoshis_per_byte"] = c.miner.satoshis_per_byte;
    burnchain["rbf_fee_increment"] = c.miner.rbf_fee_increment;
    burnchain["max_rbf"] = c.miner.max_rbf;
  }
  if (testnet) {
    burnchain["pox_prepare_length"] = release.testnet.pox_prepare_length;
    burnchain["pox_reward_length"] = release.testnet.pox_reward_length;
    Json epochs = Json::array();
    for (const auto& e : release.testnet.epochs) {
      epochs.push_back(Json{{"epoch_name", e.name}, {"start_height", e.start_height}});
    }
    burnchain["epochs"] = std::move(epochs);
  }

  Json doc = Json::object();
  doc["node"] = std::move(node);
  doc["burnchain"] = std::move(burnchain);
  if (miner) {
    const config::MinerSettings& m = c.miner;
    Json section = Json::object();
    section["mining_key"] = secrets.mining_key;
    section["nakamoto_attempt_time_ms"] = m.nakamoto_attempt_time_ms;
    auto optional = [&](const char* key, const std::optional<int>& v) {
      if (v) section[key] = *v;
    };
    optional("min_time_between_blocks_ms", m.min_time_between_blocks_ms);
    optional("block_commit_delay_ms", m.block_commit_delay_ms);
    optional("tenure_extend_wait_timeout_ms", m.tenure_extend_wait_timeout_ms);
    optional("tenure_timeout_secs", m.tenure_timeout_secs);
    optional("tenure_cost_limit_per_block_percentage", m.tenure_cost_limit_per_block_percentage);
    if (!m.block_reward_recipient.empty()) {
      section["block_reward_recipient"] = m.block_reward_recipient;
    }
    doc["miner"] = std::move(section);
  }
  if (signer) {
    doc["connection_options"] = Json{{"auth_token", secrets.auth_token}};
    doc["events_observer"] = Json::array(
        {Json{{"endpoint", Loopback(config::kSignerEventPort)},
              {"events_keys", Json::array({"stackerdb", "block_proposal", "burn_blocks"})}}});
  }
  if (testnet) {
    Json balances = Json::array();
    for (const auto& b : release.testnet.balances) {
      balances.push_back(Json{{"address", b.address}, {"amount", b.amount}});
    }
    doc["ustx_balance"] = std::move(balances);
  }
  return doc;
}

Json StacksSignerConfig(const config::Config& c, const NodeSecrets& secrets) {
  Json doc = Json::object();
  doc["node_host"] = Loopback(c.rpc_port);
  doc["endpoint"] = Loopback(config::kSignerEventPort);
  doc["network"] = c.network->signer_network;
  doc["stacks_private_key"] = secrets.signer_private_key;
  doc["auth_password"] = secrets.auth_token;
  doc["db_path"] = paths::kSignerDb;
  doc["metrics_endpoint"] = Loopback(config::kSignerMetricsPort);
  return doc;
}

std::vector<std::string> AllowlistProblems(const Json& document, const Allowlist& allowlist) {
  std::vector<std::string> problems;
  std::function<void(const Json&, const std::string&)> walk = [&](const Json& table,
                                                                  const std::string& name) {
    if (allowlist.free_form.count(name)) return;
    auto keys = allowlist.tables.find(name);
    for (const auto& [key, value] : table.items()) {
      if (keys == allowlist.tables.end() || keys->second.count(key) == 0) {
        problems.push_back("[" + name + "] " + key);
        continue;
      }
      const std::string child = name.empty() ? key : name + "." + key;
      if (value.is_object()) walk(value, child);
      if (value.is_array() && !value.empty() && value[0].is_object()) {
        for (const auto& entry : value) walk(entry, child);
      }
    }
  };
  walk(document, "");
  return problems;
}

std::vector<std::string> PairingProblems(const Json& node, const Json& signer) {
  std::vector<std::string> problems;
  const std::string token =
      node.contains("connection_options") ? node["connection_options"].value("auth_token", "") : "";
  if (token.empty()) problems.push_back("the node has no [connection_options] auth_token");
  if (token != signer.value("auth_password", "")) {
    problems.push_back("the signer's auth_password is not the node's auth_token");
  }
  bool observed = false;
  if (node.contains("events_observer")) {
    for (const auto& o : node["events_observer"]) {
      if (o.value("endpoint", "") != signer.value("endpoint", "")) continue;
      observed = true;
      const auto& keys = o["events_keys"];
      for (const char* needed : {"stackerdb", "block_proposal", "burn_blocks"}) {
        if (std::find(keys.begin(), keys.end(), needed) == keys.end()) {
          problems.push_back(std::string("the signer's event observer lacks ") + needed);
        }
      }
    }
  }
  if (!observed) problems.push_back("no [[events_observer]] of the node is the signer's endpoint");
  const std::string rpc_port = node["node"].value("rpc_bind", "");
  const std::string host = signer.value("node_host", "");
  if (rpc_port.substr(rpc_port.rfind(':')) != host.substr(host.rfind(':'))) {
    problems.push_back("the signer's node_host is not the node's RPC port");
  }
  if (!node["node"].value("stacker", false)) problems.push_back("the node is not a stacker");
  return problems;
}

}  // namespace sr::node
