#include "config/variables.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

namespace sr::config {
namespace {

TEST(Variables, EveryVariableIsDocumentedAndEveryDocumentedVariableExists) {
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) + "/docs/configuration.md");
  ASSERT_TRUE(in) << "docs/configuration.md is missing";
  std::stringstream text;
  text << in.rdbuf();
  std::set<std::string> documented;
  const std::string doc = text.str();
  const std::regex heading("\n### ([A-Z0-9_]+)\n");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), heading);
       it != std::sregex_iterator(); ++it) {
    documented.insert((*it)[1]);
  }
  std::set<std::string> known;
  for (const auto& spec : AllVariables()) known.insert(std::string(spec.name));
  EXPECT_EQ(documented, known);
}

TEST(Variables, TheBlueprintSampleVariablesAreAllKnown) {
  for (const char* name : {"AWS_ACCOUNT_ID",
                           "AWS_REGION",
                           "STACKS_INSTANCE_TYPE",
                           "STACKS_CPU_TYPE",
                           "STACKS_VERSION",
                           "STACKS_BUILD_FROM_SOURCE",
                           "STACKS_DOWNLOAD_CHAINSTATE",
                           "STACKS_NODE_CONFIGURATION",
                           "STACKS_BOOTSTRAP_NODE",
                           "STACKS_CHAINSTATE_ARCHIVE",
                           "STACKS_NETWORK",
                           "STACKS_P2P_PORT",
                           "STACKS_RPC_PORT",
                           "BITCOIN_PEER_HOST",
                           "BITCOIN_RPC_USERNAME",
                           "BITCOIN_RPC_PASSWORD",
                           "BITCOIN_RPC_PORT",
                           "BITCOIN_P2P_PORT",
                           "STACKS_SIGNER_SECRET_ARN",
                           "STACKS_MINER_SECRET_ARN",
                           "STACKS_DATA_VOL_SIZE",
                           "STACKS_DATA_VOL_TYPE",
                           "STACKS_DATA_VOL_IOPS",
                           "STACKS_DATA_VOL_THROUGHPUT",
                           "STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN",
                           "STACKS_HA_NODES_HEARTBEAT_DELAY_MIN",
                           "STACKS_HA_NUMBER_OF_NODES"}) {
    const VariableSpec* spec = FindVariable(name);
    ASSERT_NE(spec, nullptr) << name;
    EXPECT_TRUE(spec->from_blueprint) << name;
  }
}

TEST(Variables, Suggestions) {
  EXPECT_EQ(SuggestVariable("STACKS_DATA_VOLUME_SIZE"), "STACKS_DATA_VOL_SIZE");
  EXPECT_EQ(SuggestVariable("STACKS_NETWRK"), "STACKS_NETWORK");
  EXPECT_EQ(SuggestVariable("BITCOIN_RPC_PASS"), "BITCOIN_RPC_PASSWORD");
  EXPECT_EQ(SuggestVariable("STACKS_SOMETHING_ELSE_ENTIRELY"), "");
}

TEST(Variables, SecretsAreRedacted) {
  EXPECT_EQ(ShownValue("BITCOIN_RPC_PASSWORD", "x"), "<redacted>");
  EXPECT_EQ(ShownValue("STACKS_SIGNER_PRIVATE_KEY", "x"), "<redacted>");
  EXPECT_EQ(ShownValue("STACKS_NETWORK", "mainnet"), "mainnet");
  // An ARN variable holding something else may hold the secret itself.
  EXPECT_EQ(ShownValue("STACKS_SIGNER_SECRET_ARN", "0123abcd01"), "<not shown: not an ARN>");
  EXPECT_EQ(ShownValue("STACKS_SIGNER_SECRET_ARN", "arn:aws:s3:::b"), "arn:aws:s3:::b");
  EXPECT_EQ(ShownValue("STACKS_MINER_SECRET_ARN", "none"), "none");
}

}  // namespace
}  // namespace sr::config
