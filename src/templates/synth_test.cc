#include "templates/synth.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "templates/node_settings.h"
#include "testing/test_support.h"

namespace sr::templates {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

NodeBinary NotBuilt(config::CpuArch arch = config::CpuArch::kX86_64) {
  return {arch, "dist/" + NodeBinaryFileName(arch), std::nullopt};
}

std::map<std::string, std::string> FilesOf(const SynthResult& r) {
  std::map<std::string, std::string> files;
  for (const auto& f : r.files) files[f.path] = f.content;
  return files;
}

TEST(SelectStacks, DefaultsToEveryStackOfTheRole) {
  const auto follower = testing::ConfigFrom("");
  EXPECT_THAT(SelectStacks(follower, {}).stacks,
              ElementsAre(StackKind::kCommon, StackKind::kSingleNode, StackKind::kHaNodes));
  const auto signer = testing::ConfigFrom("STACKS_NODE_CONFIGURATION=signer\n");
  EXPECT_THAT(SelectStacks(signer, {}).stacks,
              ElementsAre(StackKind::kCommon, StackKind::kSingleNode));
}

TEST(SelectStacks, AcceptsIdsAndCloudFormationNames) {
  const auto c = testing::ConfigFrom("");
  EXPECT_THAT(
      SelectStacks(c, {"stacks-ha-nodes-follower", "stacks-common", "stacks-common"}).stacks,
      ElementsAre(StackKind::kHaNodes, StackKind::kCommon));
}

TEST(SelectStacks, UnknownNamesListWhatIsAccepted) {
  const auto r = SelectStacks(testing::ConfigFrom(""), {"stacks-single"});
  EXPECT_EQ(r.error,
            "unknown stack 'stacks-single'; accepted: stacks-common, stacks-single-node, "
            "stacks-ha-nodes");
}

TEST(SelectStacks, HaSignersAndMinersAreRefusedWithTheReason) {
  const auto signer = testing::ConfigFrom("STACKS_NODE_CONFIGURATION=signer\n");
  EXPECT_THAT(SelectStacks(signer, {"stacks-ha-nodes"}).error,
              HasSubstr("exactly one signer may run per signer key"));
  const auto miner = testing::ConfigFrom(
      "STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=10.0.0.5\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-"
      "AbCdEf\n");
  EXPECT_THAT(SelectStacks(miner, {"stacks-ha-nodes"}).error, HasSubstr("miner"));
}

TEST(Synthesize, WritesTemplatesManifestAndSettings) {
  const auto c = testing::ConfigFrom("AWS_REGION=us-east-1\n");
  const auto files = FilesOf(Synthesize(c, SelectStacks(c, {}).stacks, NotBuilt()));
  EXPECT_THAT(files, ::testing::SizeIs(5));
  for (const char* name :
       {"stacks-common.template.json", "stacks-single-node.template.json",
        "stacks-ha-nodes.template.json", "manifest.json", "assets/node-settings.env"}) {
    EXPECT_TRUE(files.count(name)) << name;
  }
  for (const auto& [name, content] : files) {
    if (name.ends_with(".json")) {
      EXPECT_NO_THROW(json::parse(content)) << name;
    }
  }
}

TEST(Synthesize, IsByteIdenticalAcrossRuns) {
  const auto c = testing::ConfigFrom("STACKS_NETWORK=testnet\n");
  const auto stacks = SelectStacks(c, {}).stacks;
  EXPECT_EQ(FilesOf(Synthesize(c, stacks, NotBuilt())), FilesOf(Synthesize(c, stacks, NotBuilt())));
}

TEST(Synthesize, ManifestNamesStacksDependenciesParametersAndAssets) {
  const auto c = testing::ConfigFrom("AWS_REGION=us-east-1\nAWS_ACCOUNT_ID=111111111111\n");
  const SynthResult r = Synthesize(c, SelectStacks(c, {}).stacks, NotBuilt());
  const json m = json::parse(r.manifest.dump());
  EXPECT_EQ(m["network"], "mainnet");
  EXPECT_EQ(m["region"], "us-east-1");
  EXPECT_EQ(m["stacks"]["stacks-common"]["stackName"], "stacks-nodes-common");
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["stackName"], "stacks-single-node-follower");
  EXPECT_EQ(m["stacks"]["stacks-ha-nodes"]["stackName"], "stacks-ha-nodes-follower");
  EXPECT_EQ(m["stacks"]["stacks-common"]["dependsOn"], json::array());
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["dependsOn"], json::array({"stacks-common"}));
  EXPECT_EQ(m["stacks"]["stacks-ha-nodes"]["dependsOn"], json::array({"stacks-common"}));
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["parameters"]["ImageId"]["name"],
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["assets"],
            json::array({"node-binary-x86_64", "node-settings"}));
  EXPECT_EQ(m["assets"]["node-binary-x86_64"]["built"], false);
  EXPECT_EQ(m["assets"]["node-settings"]["file"], "assets/node-settings.env");
  EXPECT_THAT(m["assets"]["node-settings"]["key"].get<std::string>(),
              ::testing::MatchesRegex("settings/[0-9a-f]{64}\\.env"));
}

TEST(Synthesize, EveryTemplateParameterHasASourceInTheManifest) {
  for (const char* env : {"", "STACKS_RPC_ALLOWED_CIDRS=10.0.0.0/8\n",
                          "STACKS_VPC_ID=vpc-0a1b2c3d\nSTACKS_SUBNET_IDS=subnet-0a1b2c3d\n"}) {
    const auto c = testing::ConfigFrom(env);
    const SynthResult r = Synthesize(c, SelectStacks(c, {}).stacks, NotBuilt());
    const json m = json::parse(r.manifest.dump());
    const auto files = FilesOf(r);
    for (const auto& [id, stack] : m["stacks"].items()) {
      const json t = json::parse(files.at(stack["template"].get<std::string>()));
      std::set<std::string> declared, sourced;
      if (t.contains("Parameters")) {
        for (const auto& [name, p] : t["Parameters"].items()) declared.insert(name);
      }
      for (const auto& [name, p] : stack["parameters"].items()) sourced.insert(name);
      EXPECT_EQ(declared, sourced) << id << " with " << env;
    }
  }
}

TEST(Synthesize, ConfiguredPlacementIsPassedAsValues) {
  const auto c = testing::ConfigFrom(
      "STACKS_VPC_ID=vpc-0a1b2c3d\nSTACKS_SUBNET_IDS=subnet-0a1b2c3d,subnet-1a1b2c3d\n");
  const json m = json::parse(Synthesize(c, SelectStacks(c, {}).stacks, NotBuilt()).manifest.dump());
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["parameters"]["VpcId"]["value"], "vpc-0a1b2c3d");
  EXPECT_EQ(m["stacks"]["stacks-single-node"]["parameters"]["SubnetId"]["value"],
            "subnet-0a1b2c3d");
  EXPECT_EQ(m["stacks"]["stacks-ha-nodes"]["parameters"]["SubnetIds"]["value"],
            json::array({"subnet-0a1b2c3d", "subnet-1a1b2c3d"}));
}

TEST(Synthesize, BuiltBinaryIsContentAddressed) {
  const auto c = testing::ConfigFrom("STACKS_INSTANCE_TYPE=m7g.large\n");
  const std::string digest(64, 'a');
  const NodeBinary built{config::CpuArch::kArm64, "dist/stacks-runner-linux-arm64", digest};
  const json m = json::parse(Synthesize(c, SelectStacks(c, {}).stacks, built).manifest.dump());
  const json asset = m["assets"]["node-binary-arm64"];
  EXPECT_EQ(asset["built"], true);
  EXPECT_EQ(asset["sha256"], digest);
  EXPECT_EQ(asset["key"], "bin/" + digest + "/stacks-runner-linux-arm64");
  EXPECT_EQ(m["stacks"]["stacks-ha-nodes"]["parameters"]["ImageId"]["name"],
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
}

TEST(Synthesize, CommonAloneNeedsNoNodeAssets) {
  const auto c = testing::ConfigFrom("");
  const auto files = FilesOf(Synthesize(c, {StackKind::kCommon}, NotBuilt()));
  EXPECT_EQ(files.size(), 2u);
  EXPECT_EQ(json::parse(files.at("manifest.json"))["assets"], json::object());
}

TEST(Synthesize, NoSecretInAnyFile) {
  const auto c = testing::ConfigFrom(
      "BITCOIN_PEER_HOST=btc.internal\nBITCOIN_RPC_USERNAME=op\nBITCOIN_RPC_PASSWORD=pw-9f8e7d\n");
  for (const auto& [name, content] :
       FilesOf(Synthesize(c, SelectStacks(c, {}).stacks, NotBuilt()))) {
    EXPECT_THAT(content, Not(HasSubstr("pw-9f8e7d"))) << name;
  }
}

TEST(Synthesize, SettingsReloadIntoTheSameConfiguration) {
  // The node reads its settings back with the same loader: nothing may be lost or added.
  const auto c = testing::ConfigFrom(
      "STACKS_NETWORK=testnet\nSTACKS_INSTANCE_TYPE=c7g.2xlarge\nSTACKS_DATA_VOL_TYPE=io2\n"
      "STACKS_DATA_VOL_IOPS=20000\nSTACKS_RPC_PORT=30443\n");
  const NodeSettingsAsset settings = RenderNodeSettings(c);
  const auto again = testing::ConfigFrom(settings.content);
  EXPECT_EQ(RenderNodeSettings(again).content, settings.content);
  EXPECT_EQ(again.arch, config::CpuArch::kArm64);
  EXPECT_EQ(again.data_volume.iops, 20000);
  EXPECT_EQ(again.rpc_port, 30443);
}

}  // namespace
}  // namespace sr::templates
