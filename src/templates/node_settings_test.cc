#include "templates/node_settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/load.h"
#include "testing/test_support.h"

namespace sr::templates {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kSignerArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:signer-AbCdEf";
constexpr char kMinerArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:miner-AbCdEf";
constexpr char kBitcoindArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:btc-AbCdEf";

// What the instance gets from the settings: loaded with no warning, and rendering them again
// gives the same bytes (nothing lost, nothing added).
config::Config Reload(const NodeSettingsAsset& settings) {
  const config::LoadResult r = config::LoadConfig({"node.env", settings.content, {}});
  for (const auto& d : r.diagnostics) ADD_FAILURE() << config::FormatDiagnostic(d);
  EXPECT_TRUE(r.config.has_value());
  return r.config.value_or(config::Config{});
}

TEST(NodeSettings, MinerSettingsSurviveTheRoundTrip) {
  const auto c = testing::ConfigFrom(
      std::string("STACKS_NETWORK=testnet\nSTACKS_NODE_CONFIGURATION=miner\n"
                  "BITCOIN_PEER_HOST=btc.internal\nBITCOIN_RPC_USERNAME=op\n") +
      "STACKS_SIGNER_SECRET_ARN=" + kSignerArn + "\nSTACKS_MINER_SECRET_ARN=" + kMinerArn +
      "\nSTACKS_BITCOIN_SECRET_ARN=" + kBitcoindArn +
      "\nSTACKS_MINER_WALLET_NAME=miners/main\nSTACKS_MINER_MOCK_MINING=true\n"
      "STACKS_MINER_BURN_FEE_CAP=450000\nSTACKS_MINER_SATOSHIS_PER_BYTE=100\n"
      "STACKS_MINER_RBF_FEE_INCREMENT=10\nSTACKS_MINER_MAX_RBF=200\n"
      "STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS=15000\n"
      "STACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS=2000\nSTACKS_MINER_BLOCK_COMMIT_DELAY_MS=30000\n"
      "STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS=150000\nSTACKS_MINER_TENURE_TIMEOUT_SECS=200\n"
      "STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE=30\n"
      "STACKS_MINER_BLOCK_REWARD_RECIPIENT=ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ\n");
  const NodeSettingsAsset settings = RenderNodeSettings(c);
  const config::Config again = Reload(settings);
  EXPECT_EQ(RenderNodeSettings(again).content, settings.content);
  EXPECT_EQ(again.signer_secret_arn, kSignerArn);
  EXPECT_EQ(again.miner_secret_arn, kMinerArn);
  EXPECT_EQ(again.bitcoind_secret_arn, kBitcoindArn);
  const config::MinerSettings& m = again.miner;
  EXPECT_EQ(m.wallet_name, "miners/main");
  EXPECT_TRUE(m.mock_mining);
  EXPECT_EQ(m.burn_fee_cap, 450000);
  EXPECT_EQ(m.satoshis_per_byte, 100);
  EXPECT_EQ(m.rbf_fee_increment, 10);
  EXPECT_EQ(m.max_rbf, 200);
  EXPECT_EQ(m.nakamoto_attempt_time_ms, 15000);
  EXPECT_EQ(m.min_time_between_blocks_ms, 2000);
  EXPECT_EQ(m.block_commit_delay_ms, 30000);
  EXPECT_EQ(m.tenure_extend_wait_timeout_ms, 150000);
  EXPECT_EQ(m.tenure_timeout_secs, 200);
  EXPECT_EQ(m.tenure_cost_limit_per_block_percentage, 30);
  EXPECT_EQ(m.block_reward_recipient, "ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ");
}

TEST(NodeSettings, MinerDefaultsAreWrittenAndUnsetSettingsStayUnset) {
  const auto c = testing::ConfigFrom(
      std::string("STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n") +
      "STACKS_BITCOIN_SECRET_ARN=" + kBitcoindArn + "\n");
  const NodeSettingsAsset settings = RenderNodeSettings(c);
  EXPECT_THAT(settings.content, HasSubstr("STACKS_MINER_WALLET_NAME=\"stacks-miner\"\n"));
  EXPECT_THAT(settings.content, HasSubstr("STACKS_MINER_BURN_FEE_CAP=\"20000\"\n"));
  EXPECT_THAT(settings.content, HasSubstr("STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS=\"20000\"\n"));
  EXPECT_THAT(settings.content, Not(HasSubstr("STACKS_MINER_TENURE_TIMEOUT_SECS")));
  const config::Config again = Reload(settings);
  EXPECT_FALSE(again.miner.tenure_timeout_secs);
  EXPECT_EQ(RenderNodeSettings(again).content, settings.content);
}

TEST(NodeSettings, OtherRolesGetNoMinerSettings) {
  for (const char* role : {"follower", "signer"}) {
    const auto c = testing::ConfigFrom(std::string("STACKS_NODE_CONFIGURATION=") + role +
                                       "\nBITCOIN_PEER_HOST=btc.internal\n");
    const NodeSettingsAsset settings = RenderNodeSettings(c);
    EXPECT_THAT(settings.content, Not(HasSubstr("STACKS_MINER_"))) << role;
    EXPECT_THAT(settings.content, Not(HasSubstr("STACKS_BITCOIN_SECRET_ARN"))) << role;
    Reload(settings);  // no warning
  }
}

TEST(NodeSettings, NoSecretIsWritten) {
  const auto c = testing::ConfigFrom(
      "BITCOIN_PEER_HOST=btc.internal\nBITCOIN_RPC_USERNAME=op\nBITCOIN_RPC_PASSWORD=pw-5c4d3b\n");
  const NodeSettingsAsset settings = RenderNodeSettings(c);
  EXPECT_THAT(settings.content, Not(HasSubstr("pw-5c4d3b")));
  EXPECT_THAT(settings.content, Not(HasSubstr("BITCOIN_RPC_PASSWORD")));
}

}  // namespace
}  // namespace sr::templates
