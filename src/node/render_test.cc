#include "node/render.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <toml++/toml.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "node/layout.h"
#include "testing/test_support.h"

namespace sr::node {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

namespace fs = std::filesystem;

struct Combination {
  const char* network;
  const char* role;
};
const Combination kCombinations[] = {{"mainnet", "follower"}, {"mainnet", "signer"},
                                     {"mainnet", "miner"},    {"testnet", "follower"},
                                     {"testnet", "signer"},   {"testnet", "miner"}};

config::Config ConfigOf(const Combination& c) {
  // Signers and miners on their own bitcoind, as they should be (the public one gets a warning).
  std::string env =
      std::string("STACKS_NETWORK=") + c.network + "\nSTACKS_NODE_CONFIGURATION=" + c.role + "\n";
  if (std::string(c.role) != "follower") {
    env += "BITCOIN_PEER_HOST=bitcoind.internal\nBITCOIN_RPC_USERNAME=stacks\n";
  }
  if (std::string(c.role) == "miner") {
    env += "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:btc\n";
  }
  return testing::ConfigFrom(env);
}

const InstalledFile* FileAt(const Rendered& r, const std::string& path) {
  for (const auto& f : r.files) {
    if (f.path == path) return &f;
  }
  return nullptr;
}

// Walks a parsed TOML document (toml++, independent of our writer) and reports every key the
// allow-list does not hold.
void CheckKeys(const toml::table& table, const std::string& name, const Allowlist& allowlist,
               std::vector<std::string>* problems) {
  if (allowlist.free_form.count(name)) return;
  auto keys = allowlist.tables.find(name);
  for (const auto& [key, value] : table) {
    const std::string k(key.str());
    if (keys == allowlist.tables.end() || keys->second.count(k) == 0) {
      problems->push_back("[" + name + "] " + k);
      continue;
    }
    const std::string child = name.empty() ? k : name + "." + k;
    if (const toml::table* sub = value.as_table()) CheckKeys(*sub, child, allowlist, problems);
    if (const toml::array* array = value.as_array()) {
      for (const auto& entry : *array) {
        if (const toml::table* t = entry.as_table()) CheckKeys(*t, child, allowlist, problems);
      }
    }
  }
}

// A parsed value as JSON text, to compare values parsed from two documents.
std::string AsJson(toml::node_view<const toml::node> view) {
  if (!view) return "<missing>";
  std::ostringstream out;
  if (const toml::table* t = view.as_table()) {
    out << toml::json_formatter{*t};
  } else if (const toml::array* a = view.as_array()) {
    out << toml::json_formatter{*a};
  } else {
    toml::table wrapper;
    wrapper.insert("v", *view.node());
    out << toml::json_formatter{wrapper};
  }
  return out.str();
}

class RenderEveryCombination : public ::testing::TestWithParam<Combination> {};

TEST_P(RenderEveryCombination, ParsesAndUsesOnlyAcceptedKeys) {
  const config::Config c = ConfigOf(GetParam());
  const Rendered r = RenderNodeFiles(c, {});
  EXPECT_THAT(r.problems, IsEmpty());
  const StacksCoreRelease& release = ReleaseData(c.stacks_version);
  const InstalledFile* node = FileAt(r, paths::kNodeConfig);
  ASSERT_NE(node, nullptr);
  toml::table parsed;
  ASSERT_NO_THROW(parsed = toml::parse(node->content)) << node->content;
  std::vector<std::string> problems;
  CheckKeys(parsed, "", release.node_keys, &problems);
  EXPECT_THAT(problems, IsEmpty());
  if (const InstalledFile* signer = FileAt(r, paths::kSignerConfig)) {
    toml::table s;
    ASSERT_NO_THROW(s = toml::parse(signer->content));
    problems.clear();
    CheckKeys(s, "", release.signer_keys, &problems);
    EXPECT_THAT(problems, IsEmpty());
  }
}

TEST_P(RenderEveryCombination, MatchesTheReviewedGoldenFiles) {
  // tests/golden/node-render/<network>-<role>/ holds the files as reviewed against the facts
  // sheet. STACKS_RUNNER_UPDATE_GOLDEN=1 rewrites them (then review the diff).
  const config::Config c = ConfigOf(GetParam());
  const Rendered r = RenderNodeFiles(c, {});
  const fs::path dir = fs::path(STACKS_RUNNER_SOURCE_DIR) / "tests/golden/node-render" /
                       (std::string(GetParam().network) + "-" + GetParam().role);
  const bool update = std::getenv("STACKS_RUNNER_UPDATE_GOLDEN") != nullptr;
  for (const auto& f : r.files) {
    const fs::path golden = dir / f.path.substr(1);
    if (update) {
      fs::create_directories(golden.parent_path());
      std::ofstream(golden) << f.content;
      continue;
    }
    std::ifstream in(golden);
    ASSERT_TRUE(in) << "no golden file " << golden << " (run with STACKS_RUNNER_UPDATE_GOLDEN=1)";
    std::stringstream expected;
    expected << in.rdbuf();
    EXPECT_EQ(f.content, expected.str()) << golden;
  }
}

INSTANTIATE_TEST_SUITE_P(SixRoleNetworkCombinations, RenderEveryCombination,
                         ::testing::ValuesIn(kCombinations), [](const auto& param_info) {
                           return std::string(param_info.param.network) + "_" +
                                  param_info.param.role;
                         });

TEST(RenderNode, MainnetFollowerIsTheSampleMinimalSet) {
  const Rendered r = RenderNodeFiles(testing::ConfigFrom(""), {});
  const toml::table t = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  EXPECT_EQ(t["burnchain"]["mode"].value<std::string>(), "mainnet");
  EXPECT_EQ(t["node"]["working_dir"].value<std::string>(), "/var/lib/stacks/node");
  EXPECT_EQ(t["node"]["miner"].value<bool>(), false);
  EXPECT_EQ(t["node"]["stacker"].value<bool>(), false);
  // The built-in mainnet seeds apply only when bootstrap_node is absent.
  EXPECT_FALSE(t["node"]["bootstrap_node"]);
  EXPECT_FALSE(t["ustx_balance"]);
  EXPECT_FALSE(t["burnchain"]["epochs"]);
  EXPECT_FALSE(t["node"]["pox_5_sbtc_contract"]);  // a hard error on mainnet
  EXPECT_FALSE(t["burnchain"]["password"]);        // a follower reads bitcoin over P2P
  EXPECT_EQ(FileAt(r, paths::kNodeConfig)->mode, 0644);
}

TEST(RenderNode, TestnetCarriesTheReleasesConsensusSettings) {
  const Rendered r = RenderNodeFiles(testing::ConfigFrom("STACKS_NETWORK=testnet\n"), {});
  const toml::table t = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  EXPECT_EQ(t["burnchain"]["mode"].value<std::string>(), "krypton");
  EXPECT_EQ(t["burnchain"]["peer_host"].value<std::string>(), "bitcoin.regtest.hiro.so");
  EXPECT_EQ(t["burnchain"]["peer_port"].value<int64_t>(), 18444);
  EXPECT_EQ(t["burnchain"]["pox_prepare_length"].value<int64_t>(), 100);
  EXPECT_EQ(t["burnchain"]["pox_reward_length"].value<int64_t>(), 900);
  const toml::array* epochs = t["burnchain"]["epochs"].as_array();
  ASSERT_NE(epochs, nullptr);
  ASSERT_EQ(epochs->size(), 14u);
  EXPECT_EQ((*epochs)[13].as_table()->at("epoch_name").value<std::string>(), "4.0");
  EXPECT_EQ((*epochs)[13].as_table()->at("start_height").value<int64_t>(), 2702);
  EXPECT_EQ(t["ustx_balance"].as_array()->size(), 12u);
  EXPECT_EQ(t["node"]["bootstrap_node"].value<std::string>(),
            "0348af7ce1b224476e8f042727af3f84dcf49a69bb3c9dd2a1afaa783acfffb729"
            "@seed.testnet.hiro.so:20444");
  EXPECT_EQ(t["node"]["pox_5_bond_admin"].value<std::string>(),
            "ST1V2ASRWGR81W7GBN1Z4W2JQKXJWCADPVZG30X45");
}

TEST(RenderNode, TestnetSettingsMatchTheReleasesOwnSample) {
  // The stacks-core 4.0.2 sample, as shipped (tests/data/stacks-core-4.0.2/).
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) +
                   "/tests/data/stacks-core-4.0.2/testnet-follower-conf.toml");
  ASSERT_TRUE(in);
  std::stringstream text;
  text << in.rdbuf();
  const toml::table sample = toml::parse(text.str());
  const Rendered r = RenderNodeFiles(testing::ConfigFrom("STACKS_NETWORK=testnet\n"), {});
  const toml::table ours = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  for (const char* key : {"mode", "peer_host", "rpc_port", "peer_port", "pox_prepare_length",
                          "pox_reward_length", "epochs"}) {
    EXPECT_EQ(AsJson(ours["burnchain"][key]), AsJson(sample["burnchain"][key])) << key;
  }
  for (const char* key : {"bootstrap_node", "pox_5_sbtc_contract", "pox_5_sbtc_registry_contract",
                          "pox_5_bond_admin"}) {
    EXPECT_EQ(AsJson(ours["node"][key]), AsJson(sample["node"][key])) << key;
  }
  EXPECT_EQ(AsJson(ours["ustx_balance"]), AsJson(sample["ustx_balance"]));
}

TEST(RenderNode, SignerIsPairedWithItsNode) {
  const config::Config c =
      testing::ConfigFrom("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  NodeSecrets secrets;
  secrets.signer_private_key = std::string(64, 'a');
  secrets.auth_token = "token-123";
  const Rendered r = RenderNodeFiles(c, {secrets, "stacks-single-node-signer", "", ""});
  EXPECT_THAT(r.problems, IsEmpty());
  const toml::table node = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  const toml::table signer = toml::parse(FileAt(r, paths::kSignerConfig)->content);
  EXPECT_EQ(node["node"]["stacker"].value<bool>(), true);
  EXPECT_EQ(node["connection_options"]["auth_token"].value<std::string>(), "token-123");
  EXPECT_EQ(signer["auth_password"].value<std::string>(), "token-123");
  EXPECT_EQ(node["events_observer"][0]["endpoint"].value<std::string>(),
            signer["endpoint"].value<std::string>());
  EXPECT_EQ(signer["node_host"].value<std::string>(), "127.0.0.1:20443");
  // The signer's endpoints stay on loopback.
  EXPECT_THAT(signer["endpoint"].value<std::string>().value(), HasSubstr("127.0.0.1:"));
  EXPECT_THAT(signer["metrics_endpoint"].value<std::string>().value(), HasSubstr("127.0.0.1:"));
  EXPECT_EQ(signer["db_path"].value<std::string>(), "/var/lib/stacks/signer/signer.sqlite");
  // Files holding secrets are readable by their service user only.
  EXPECT_EQ(FileAt(r, paths::kSignerConfig)->mode, 0600);
  EXPECT_EQ(FileAt(r, paths::kSignerConfig)->owner, "stacks-signer");
  EXPECT_EQ(FileAt(r, paths::kNodeConfig)->mode, 0600);
  EXPECT_EQ(FileAt(r, paths::kNodeConfig)->owner, "stacks");
}

NodeSecrets RealLookingSecrets() {
  NodeSecrets s;
  s.signer_private_key = "73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801";
  s.auth_token = "f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f";
  s.miner_seed = s.mining_key =
      "b8d99fd45da58038d630d9855d3ca2466e8e0f89d3894c4724f0efc9ff4b51f001";
  s.bitcoin_rpc_username = "miner-rpc";
  s.bitcoin_rpc_password = "9d8c7b6a5f4e3d2c1b0a";
  return s;
}

// Signers and miners on both networks, with every miner setting set: every key is one the release
// accepts (checked on the parsed files), and the signer is paired with its node.
TEST(RenderNode, SignersAndMinersUseAcceptedKeysAndArePaired) {
  for (const char* network : {"mainnet", "testnet"}) {
    for (const char* role : {"signer", "miner"}) {
      std::string env = std::string("STACKS_NETWORK=") + network +
                        "\nSTACKS_NODE_CONFIGURATION=" + role +
                        "\nBITCOIN_PEER_HOST=bitcoind.internal\n";
      if (std::string(role) == "miner") {
        env += std::string(
                   "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:"
                   "secret:btc\nSTACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS=2000\n"
                   "STACKS_MINER_BLOCK_COMMIT_DELAY_MS=30000\n"
                   "STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS=150000\n"
                   "STACKS_MINER_TENURE_TIMEOUT_SECS=200\n"
                   "STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE=30\n"
                   "STACKS_MINER_BLOCK_REWARD_RECIPIENT=") +
               (std::string(network) == "mainnet" ? "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7"
                                                  : "ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ") +
               "\n";
      }
      const config::Config c = testing::ConfigFrom(env);
      const Rendered r = RenderNodeFiles(c, {RealLookingSecrets(), "stacks-single-node", "", ""});
      EXPECT_THAT(r.problems, IsEmpty()) << network << " " << role;
      const StacksCoreRelease& release = ReleaseData(c.stacks_version);
      const toml::table node = toml::parse(FileAt(r, paths::kNodeConfig)->content);
      const toml::table signer = toml::parse(FileAt(r, paths::kSignerConfig)->content);
      std::vector<std::string> problems;
      CheckKeys(node, "", release.node_keys, &problems);
      CheckKeys(signer, "", release.signer_keys, &problems);
      EXPECT_THAT(problems, IsEmpty()) << network << " " << role;
      // Pairing, judged on what a parser reads back from the files.
      std::ostringstream node_json, signer_json;
      node_json << toml::json_formatter{node};
      signer_json << toml::json_formatter{signer};
      EXPECT_THAT(PairingProblems(Json::parse(node_json.str()), Json::parse(signer_json.str())),
                  IsEmpty())
          << network << " " << role;
      EXPECT_EQ(signer["network"].value<std::string>(),
                std::string(network) == "mainnet" ? "mainnet" : "testnet");
      // Only a miner's node gets bitcoind RPC credentials.
      EXPECT_EQ(node["burnchain"]["password"].value<std::string>().has_value(),
                std::string(role) == "miner");
    }
  }
}

TEST(RenderNode, MinerHasItsWalletFeesAndDocumentedDefaults) {
  const config::Config c = testing::ConfigFrom(
      "STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=bitcoind.internal\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:btc\n"
      "STACKS_MINER_WALLET_NAME=miner-1\nSTACKS_MINER_SATOSHIS_PER_BYTE=100\n");
  const Rendered r = RenderNodeFiles(c, {RealLookingSecrets(), "stacks-single-node", "", ""});
  ASSERT_THAT(r.problems, IsEmpty());
  const toml::table t = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  EXPECT_EQ(t["node"]["miner"].value<bool>(), true);
  EXPECT_EQ(t["node"]["stacker"].value<bool>(), true);
  EXPECT_EQ(t["node"]["mine_microblocks"].value<bool>(), false);
  EXPECT_FALSE(t["node"]["mock_mining"]);
  EXPECT_EQ(t["node"]["seed"].value<std::string>(), RealLookingSecrets().miner_seed);
  EXPECT_EQ(t["burnchain"]["wallet_name"].value<std::string>(), "miner-1");
  EXPECT_EQ(t["burnchain"]["username"].value<std::string>(), "miner-rpc");
  EXPECT_EQ(t["burnchain"]["password"].value<std::string>(), "9d8c7b6a5f4e3d2c1b0a");
  EXPECT_EQ(t["burnchain"]["burn_fee_cap"].value<int64_t>(), 20000);
  EXPECT_EQ(t["burnchain"]["satoshis_per_byte"].value<int64_t>(), 100);
  EXPECT_EQ(t["burnchain"]["rbf_fee_increment"].value<int64_t>(), 5);
  EXPECT_EQ(t["burnchain"]["max_rbf"].value<int64_t>(), 150);
  EXPECT_EQ(t["miner"]["mining_key"].value<std::string>(), RealLookingSecrets().mining_key);
  EXPECT_EQ(t["miner"]["nakamoto_attempt_time_ms"].value<int64_t>(), 20000);
  // Unset: stacks-node's own default applies.
  EXPECT_FALSE(t["miner"]["tenure_timeout_secs"]);
  EXPECT_FALSE(t["miner"]["block_reward_recipient"]);
  // The co-located signer the docs require.
  EXPECT_EQ(t["events_observer"][0]["endpoint"].value<std::string>(), "127.0.0.1:30000");
  EXPECT_EQ(FileAt(r, paths::kNodeConfig)->mode, 0600);
}

TEST(RenderNode, MockMinerNeedsNoWallet) {
  const config::Config c = testing::ConfigFrom(
      "STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=bitcoind.internal\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:btc\n"
      "STACKS_MINER_MOCK_MINING=true\n");
  const Rendered r = RenderNodeFiles(c, {RealLookingSecrets(), "stacks-single-node", "", ""});
  ASSERT_THAT(r.problems, IsEmpty());
  const toml::table t = toml::parse(FileAt(r, paths::kNodeConfig)->content);
  EXPECT_EQ(t["node"]["mock_mining"].value<bool>(), true);
  EXPECT_FALSE(t["burnchain"]["wallet_name"]);
  EXPECT_EQ(t["miner"]["mining_key"].value<std::string>(), RealLookingSecrets().mining_key);
}

TEST(RenderNode, SignerOnItsOwnBitcoindGetsNoRpcCredentials) {
  const config::Config c = testing::ConfigFrom(
      "STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=bitcoind.internal\n"
      "BITCOIN_RPC_USERNAME=op\n");
  const Rendered r = RenderNodeFiles(c, {RealLookingSecrets(), "stacks-single-node", "", ""});
  const std::string node = FileAt(r, paths::kNodeConfig)->content;
  EXPECT_THAT(node, Not(HasSubstr("password")));
  EXPECT_THAT(node, Not(HasSubstr("username")));
}

TEST(RenderNode, PairingProblemsAreFound) {
  Json node = Json::parse(R"({"node":{"rpc_bind":"0.0.0.0:20443","stacker":false},
      "connection_options":{"auth_token":"a"},
      "events_observer":[{"endpoint":"127.0.0.1:30000","events_keys":["stackerdb"]}]})");
  Json signer = Json::parse(R"({"node_host":"127.0.0.1:20444","endpoint":"127.0.0.1:30000",
      "auth_password":"b"})");
  const auto problems = PairingProblems(node, signer);
  EXPECT_THAT(problems,
              ::testing::Contains(HasSubstr("auth_password is not the node's auth_token")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("lacks block_proposal")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("node_host is not the node's RPC port")));
  EXPECT_THAT(problems, ::testing::Contains(HasSubstr("not a stacker")));
}

TEST(RenderNode, AllowlistCatchesRemovedKeys) {
  Json node = Json::parse(R"({"node":{"always_use_affirmation_maps":true},
      "connection_options":{"block_proposal_token":"x"}})");
  const auto problems = AllowlistProblems(node, ReleaseData("4.0.2").node_keys);
  EXPECT_THAT(problems, ::testing::ElementsAre("[node] always_use_affirmation_maps",
                                               "[connection_options] block_proposal_token"));
}

TEST(RenderNode, UnitsStopCleanlyAndStartTheSignerFirst) {
  const Rendered r = RenderNodeFiles(
      testing::ConfigFrom("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n"),
      {});
  const std::string node_unit = FileAt(r, paths::kNodeUnit)->content;
  EXPECT_THAT(node_unit, HasSubstr("KillSignal=SIGINT"));
  EXPECT_THAT(node_unit, HasSubstr("TimeoutStopSec=1200"));
  EXPECT_THAT(node_unit, HasSubstr("After=stacks-signer.service"));
  EXPECT_THAT(node_unit, HasSubstr("User=stacks\n"));
  EXPECT_THAT(node_unit, HasSubstr("NoNewPrivileges=yes"));
  EXPECT_THAT(node_unit, HasSubstr("ProtectSystem=strict"));
  EXPECT_THAT(node_unit, HasSubstr("ReadWritePaths=/var/lib/stacks/node\n"));
  // Mainnet restores the chainstate: the node waits for the verified marker.
  EXPECT_THAT(node_unit, HasSubstr("ExecStartPre=/usr/bin/test -f "
                                   "/var/lib/stacks/node/.stacks-runner-chainstate-ready"));
  const std::string signer_unit = FileAt(r, paths::kSignerUnit)->content;
  EXPECT_THAT(signer_unit, HasSubstr("Before=stacks-node.service"));
  EXPECT_THAT(signer_unit, HasSubstr("User=stacks-signer"));
  const Rendered testnet = RenderNodeFiles(testing::ConfigFrom("STACKS_NETWORK=testnet\n"), {});
  EXPECT_THAT(FileAt(testnet, paths::kNodeUnit)->content, Not(HasSubstr("ExecStartPre")));
  EXPECT_EQ(FileAt(testnet, paths::kSignerUnit), nullptr);
}

TEST(RenderNode, CloudWatchAgentShipsLogsToTheDeploymentsGroups) {
  const Rendered r =
      RenderNodeFiles(testing::ConfigFrom(""), {PlaceholderSecrets(), "stacks-x", "", ""});
  const auto json = nlohmann::json::parse(FileAt(r, paths::kCloudWatchAgentConfig)->content);
  EXPECT_EQ(json["metrics"]["namespace"], "CWAgent");
  EXPECT_EQ(json["logs"]["logs_collected"]["files"]["collect_list"][0]["log_group_name"],
            "/stacks-runner/stacks-x/stacks-node");
  EXPECT_EQ(json["metrics"]["metrics_collected"]["disk"]["resources"][1], "/var/lib/stacks");
}

}  // namespace
}  // namespace sr::node
