// Signers and miners in the single-node stack: their secrets (created empty and retained, or
// named by the configuration), the node role's grants on exactly those, the bootstrap flags in
// the user data, the identity wait condition and the outputs; and a scan proving that no secret
// value of a configuration reaches any file synth writes.
#include "templates/secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checks/stacks_rules.h"
#include "node/bootstrap.h"
#include "templates/names.h"
#include "templates/node_stacks.h"
#include "templates/synth.h"
#include "testing/test_support.h"

namespace sr::templates {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBitcoindArn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf";
// A partial ARN (the secret's name only, no "-" and 6 characters after it).
const std::string kSignerArn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:stacks/signer-key";
const std::string kMinerArn =
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:stacks/miner-Q1w2E3";

std::string SignerEnv(const std::string& network, const std::string& extra = "") {
  return "STACKS_NETWORK=" + network +
         "\nSTACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=10.0.0.5\n" + extra;
}

std::string MinerEnv(const std::string& network, const std::string& extra = "") {
  return "STACKS_NETWORK=" + network +
         "\nSTACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=10.0.0.5\n"
         "STACKS_BITCOIN_SECRET_ARN=" +
         kBitcoindArn + "\n" + extra;
}

struct SingleNode {
  config::Config config;
  json doc;
  explicit SingleNode(const std::string& env) : config(testing::ConfigFrom(env)) {
    const Template t = BuildSingleNodeStack(config, RenderNodeSettings(config));
    doc = json::parse(t.ToJson().dump());
  }
  const json& Res(const std::string& id) const { return doc.at("Resources").at(id); }
  bool Has(const std::string& id) const { return doc["Resources"].contains(id); }
  int CountOf(const std::string& type) const {
    int n = 0;
    for (const auto& [id, r] : doc["Resources"].items()) n += r["Type"] == type;
    return n;
  }
  json Grant(const std::string& sid) const {
    for (const auto& s : Res(ids::kNodeStackPolicy)["Properties"]["PolicyDocument"]["Statement"]) {
      if (s.value("Sid", "") == sid) return s;
    }
    return json();
  }
  std::string UserData() const {
    return Res(ids::kNodeInstance)["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"][0];
  }
};

const json kSignerRef = {{"Ref", "SignerSecret"}};
const json kMinerRef = {{"Ref", "MinerSecret"}};

// --- the secrets ---------------------------------------------------------------------------------

TEST(NodeSecrets, ASignerWithoutASecretGetsOneCreatedEmptyAndRetained) {
  for (const char* network : {"mainnet", "testnet"}) {
    SingleNode s(SignerEnv(network));
    ASSERT_TRUE(s.Has("SignerSecret")) << network;
    EXPECT_FALSE(s.Has("MinerSecret"));
    EXPECT_EQ(s.CountOf("AWS::SecretsManager::Secret"), 1);
    const json& secret = s.Res("SignerSecret");
    EXPECT_EQ(secret["DeletionPolicy"], "Retain");
    EXPECT_EQ(secret["UpdateReplacePolicy"], "Retain");
    const json& p = secret["Properties"];
    // Empty: no value, generated or given, that an update could write over the key.
    EXPECT_FALSE(p.contains("SecretString"));
    EXPECT_FALSE(p.contains("GenerateSecretString"));
    EXPECT_FALSE(p.contains("KmsKeyId"));  // aws/secretsmanager
    EXPECT_EQ(p["Name"], json::parse(R"({"Fn::Sub": "${AWS::StackName}/signer-key"})"));
    EXPECT_THAT(p["Description"].get<std::string>(), HasSubstr("STACKS_SIGNER_SECRET_ARN"));
    EXPECT_THAT(p["Description"].get<std::string>(), HasSubstr("stacks-single-node-signer"));
    EXPECT_EQ(p["Tags"][0], json::parse(R"({"Key": "Name",
                                           "Value": "stacks-single-node-signer/signer-key"})"));
    EXPECT_EQ(p["Tags"][2]["Value"], network);
    EXPECT_EQ(secret["Metadata"]["cdk_nag"]["rules_to_suppress"][0]["id"], "AwsSolutions-SMG4");
  }
}

TEST(NodeSecrets, AMinerWithoutSecretsGetsSignerAndMinerSecretsButNeverABitcoindOne) {
  for (const char* network : {"mainnet", "testnet"}) {
    SingleNode s(MinerEnv(network));
    EXPECT_EQ(s.CountOf("AWS::SecretsManager::Secret"), 2) << network;
    for (const char* id : {"SignerSecret", "MinerSecret"}) {
      EXPECT_EQ(s.Res(id)["DeletionPolicy"], "Retain");
      EXPECT_EQ(s.Res(id)["UpdateReplacePolicy"], "Retain");
    }
    EXPECT_EQ(s.Res("MinerSecret")["Properties"]["Name"],
              json::parse(R"({"Fn::Sub": "${AWS::StackName}/miner-key"})"));
    EXPECT_THAT(s.Res("MinerSecret")["Properties"]["Description"].get<std::string>(),
                HasSubstr("STACKS_MINER_SECRET_ARN"));
  }
}

TEST(NodeSecrets, SecretsTheConfigurationNamesAreNotCreated) {
  SingleNode s(MinerEnv("mainnet", "STACKS_SIGNER_SECRET_ARN=" + kSignerArn +
                                       "\nSTACKS_MINER_SECRET_ARN=" + kMinerArn + "\n"));
  EXPECT_EQ(s.CountOf("AWS::SecretsManager::Secret"), 0);
}

TEST(NodeSecrets, AFollowerHasNoSecretsNoGrantsNoWaitCondition) {
  SingleNode s("STACKS_NETWORK=mainnet\nSTACKS_SIGNER_SECRET_ARN=" + kSignerArn + "\n");
  EXPECT_EQ(s.CountOf("AWS::SecretsManager::Secret"), 0);
  EXPECT_EQ(s.CountOf("AWS::CloudFormation::WaitCondition"), 0);
  EXPECT_EQ(s.CountOf("AWS::CloudFormation::WaitConditionHandle"), 0);
  const json& statements =
      s.Res(ids::kNodeStackPolicy)["Properties"]["PolicyDocument"]["Statement"];
  ASSERT_EQ(statements.size(), 1u);
  EXPECT_EQ(statements[0]["Sid"], "SignalThisStack");
  EXPECT_THAT(s.doc.dump(), Not(HasSubstr("secretsmanager")));
  EXPECT_THAT(s.UserData(), Not(HasSubstr("-secret")));
  EXPECT_THAT(s.UserData(), Not(HasSubstr("--identity-url")));
  EXPECT_FALSE(s.doc["Outputs"].contains(outputs::kNodeIdentity));
  EXPECT_FALSE(s.doc["Outputs"].contains(outputs::kSignerSecretArn));
}

// --- IAM -----------------------------------------------------------------------------------------

TEST(NodeSecrets, ArnPatternsMatchFullAndPartialArns) {
  EXPECT_THAT(SecretArnPatterns(kBitcoindArn), ElementsAre(kBitcoindArn, kBitcoindArn + "-??????"));
  EXPECT_THAT(SecretArnPatterns(kSignerArn), ElementsAre(kSignerArn + "-??????"));
  // "-signer" is 6 letters after a hyphen: a full ARN of "stacks", or the name "stacks-signer".
  const std::string ambiguous =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:stacks-signer";
  EXPECT_THAT(SecretArnPatterns(ambiguous), ElementsAre(ambiguous, ambiguous + "-??????"));
  const std::string short_name = "arn:aws:secretsmanager:us-east-1:123456789012:secret:key-ab_cde";
  EXPECT_THAT(SecretArnPatterns(short_name), ElementsAre(short_name + "-??????"));
}

TEST(NodeSecrets, ASignerReadsAndFillsOnlyTheSecretItsStackCreated) {
  SingleNode s(SignerEnv("mainnet"));
  const json read = s.Grant("ReadNodeSecrets");
  EXPECT_EQ(read["Effect"], "Allow");
  EXPECT_EQ(read["Action"],
            json::parse(R"(["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"])"));
  EXPECT_EQ(read["Resource"], json::array({kSignerRef}));
  const json put = s.Grant("StoreFirstBootKeys");
  EXPECT_EQ(put["Action"], "secretsmanager:PutSecretValue");
  EXPECT_EQ(put["Resource"], json::array({kSignerRef}));
  EXPECT_EQ(s.Res(ids::kNodeStackPolicy)["Properties"]["PolicyDocument"]["Statement"].size(), 3u);
}

TEST(NodeSecrets, ASignerWithItsOwnSecretMayOnlyReadIt) {
  SingleNode s(SignerEnv("testnet", "STACKS_SIGNER_SECRET_ARN=" + kSignerArn + "\n"));
  EXPECT_EQ(s.Grant("ReadNodeSecrets")["Resource"], json::array({kSignerArn + "-??????"}));
  EXPECT_TRUE(s.Grant("StoreFirstBootKeys").is_null());
  EXPECT_THAT(s.doc.dump(), Not(HasSubstr("PutSecretValue")));
}

TEST(NodeSecrets, AMinerReadsItsThreeSecretsAndFillsOnlyTheCreatedOnes) {
  SingleNode s(MinerEnv("mainnet"));
  EXPECT_EQ(s.Grant("ReadNodeSecrets")["Resource"],
            json::array({kSignerRef, kMinerRef, kBitcoindArn, kBitcoindArn + "-??????"}));
  EXPECT_EQ(s.Grant("StoreFirstBootKeys")["Resource"], json::array({kSignerRef, kMinerRef}));

  SingleNode given(MinerEnv("testnet", "STACKS_MINER_SECRET_ARN=" + kMinerArn + "\n"));
  EXPECT_EQ(given.Grant("ReadNodeSecrets")["Resource"],
            json::array({kSignerRef, kMinerArn, kMinerArn + "-??????", kBitcoindArn,
                         kBitcoindArn + "-??????"}));
  EXPECT_EQ(given.Grant("StoreFirstBootKeys")["Resource"], json::array({kSignerRef}));
}

TEST(NodeSecrets, NoGrantHasAWildcardBeyondTheSecretSuffix) {
  for (const std::string& env : {SignerEnv("mainnet"), MinerEnv("mainnet")}) {
    SingleNode s(env);
    for (const char* sid : {"ReadNodeSecrets", "StoreFirstBootKeys"}) {
      EXPECT_THAT(s.Grant(sid).dump(), Not(HasSubstr("*"))) << sid;
    }
  }
}

// --- user data, wait condition, outputs
// -------------------------------------------------------------

TEST(NodeSecrets, BootstrapIsToldWhereTheSecretsAreAndWhereToReport) {
  SingleNode signer(SignerEnv("mainnet"));
  EXPECT_THAT(signer.UserData(), HasSubstr("  --signer-secret '${SignerSecret}' \\\n"));
  EXPECT_THAT(signer.UserData(), HasSubstr("  --identity-url '${NodeIdentityHandle}' \\\n"));
  EXPECT_THAT(signer.UserData(), Not(HasSubstr("--miner-secret")));
  EXPECT_THAT(signer.UserData(), Not(HasSubstr("--bitcoind-secret")));

  SingleNode miner(MinerEnv("testnet", "STACKS_SIGNER_SECRET_ARN=" + kSignerArn + "\n"));
  const std::string script = miner.UserData();
  EXPECT_THAT(script, HasSubstr("  --signer-secret '" + kSignerArn + "' \\\n"));
  EXPECT_THAT(script, HasSubstr("  --miner-secret '${MinerSecret}' \\\n"));
  EXPECT_THAT(script, HasSubstr("  --bitcoind-secret '" + kBitcoindArn + "' \\\n"));
  EXPECT_THAT(script, HasSubstr("--identity-url '${NodeIdentityHandle}'"));
  // The flags belong to the bootstrap command, before its last line.
  EXPECT_LT(script.find("--identity-url"), script.find("--data-volume"));
  EXPECT_GT(script.find("--signer-secret"), script.find("node bootstrap"));
}

TEST(NodeSecrets, TheWaitConditionWaitsForEachPublicValueAfterTheInstance) {
  SingleNode signer(SignerEnv("mainnet", "STACKS_BOOTSTRAP_TIMEOUT_MIN=90\n"));
  EXPECT_EQ(signer.Res("NodeIdentityHandle")["Type"], "AWS::CloudFormation::WaitConditionHandle");
  EXPECT_FALSE(signer.Res("NodeIdentityHandle").contains("Properties"));
  const json& wait = signer.Res("NodeIdentity");
  EXPECT_EQ(wait["Type"], "AWS::CloudFormation::WaitCondition");
  EXPECT_EQ(wait["Properties"]["Handle"], json::parse(R"({"Ref": "NodeIdentityHandle"})"));
  EXPECT_EQ(wait["Properties"]["Count"], 2);
  // Not the bootstrap timeout: a wait condition's Timeout cannot be updated.
  EXPECT_EQ(wait["Properties"]["Timeout"], "43200");
  EXPECT_EQ(wait["DependsOn"], json::array({"NodeInstance"}));

  SingleNode miner(MinerEnv("mainnet"));
  EXPECT_EQ(miner.Res("NodeIdentity")["Properties"]["Count"], 3);
  EXPECT_EQ(IdentitySignalCount(config::Role::kFollower), 0);
}

// The wait condition counts exactly the signals `node bootstrap --identity-url` sends, under the
// UniqueIds the output's description names.
TEST(NodeSecrets, TheWaitConditionCountsWhatTheBootstrapSends) {
  const node::PublicIdentity identity{"02ab", "SP1", "SP2"};
  for (const std::string& env : {SignerEnv("mainnet"), MinerEnv("testnet")}) {
    SingleNode s(env);
    std::vector<std::string> sent;
    for (const auto& [id, body] : node::IdentitySignals(s.config, identity)) sent.push_back(id);
    EXPECT_EQ(static_cast<int>(sent.size()), IdentitySignalCount(s.config.role));
    EXPECT_EQ(s.Res("NodeIdentity")["Properties"]["Count"], sent.size());
    const std::string description = s.doc["Outputs"][outputs::kNodeIdentity]["Description"];
    for (const auto& id : sent) EXPECT_THAT(description, HasSubstr("\"" + id + "\"")) << id;
    EXPECT_EQ(sent[0], identity::kSignerAddress);
    EXPECT_EQ(sent[1], identity::kSignerPublicKey);
    if (sent.size() == 3) {
      EXPECT_EQ(sent[2], identity::kMinerAddress);
    }
  }
}

TEST(NodeSecrets, OutputsShowTheIdentityToRegisterAndWhereTheSecretsAre) {
  SingleNode signer(SignerEnv("mainnet"));
  const json& out = signer.doc["Outputs"];
  EXPECT_EQ(out[outputs::kNodeIdentity]["Value"],
            json::parse(R"({"Fn::GetAtt": ["NodeIdentity", "Data"]})"));
  const std::string description = out[outputs::kNodeIdentity]["Description"];
  EXPECT_THAT(description, HasSubstr("signer-address"));
  EXPECT_THAT(description, HasSubstr("signer-public-key"));
  EXPECT_THAT(description, HasSubstr("register"));
  EXPECT_EQ(out[outputs::kSignerSecretArn]["Value"], kSignerRef);
  EXPECT_FALSE(out.contains(outputs::kMinerSecretArn));
  EXPECT_FALSE(out.contains(outputs::kBitcoindSecretArn));

  SingleNode miner(MinerEnv("testnet", "STACKS_MINER_SECRET_ARN=" + kMinerArn + "\n"));
  const json& mout = miner.doc["Outputs"];
  EXPECT_THAT(mout[outputs::kNodeIdentity]["Description"].get<std::string>(),
              HasSubstr("miner-address"));
  EXPECT_EQ(mout[outputs::kSignerSecretArn]["Value"], kSignerRef);
  EXPECT_EQ(mout[outputs::kMinerSecretArn]["Value"], kMinerArn);
  EXPECT_EQ(mout[outputs::kBitcoindSecretArn]["Value"], kBitcoindArn);
  for (const auto& [id, o] : mout.items()) EXPECT_FALSE(o.contains("Export")) << id;
}

// --- no secret value in anything synth writes
// ------------------------------------------------------

// Real-looking secret values, where a configuration may hold any.
const std::string kRpcPassword = "Xk9#rT2vLq8wZp4mNs7bYc3d";
const std::string kRpcUser = "stacks-rpc-operator";

std::vector<OutputFile> SynthAll(const std::string& env) {
  const config::Config c = testing::ConfigFrom(env);
  std::vector<StackKind> stacks = {StackKind::kCommon, StackKind::kSingleNode};
  if (c.role == config::Role::kFollower) stacks.push_back(StackKind::kHaNodes);
  const NodeBinary binary{c.arch, "/dist/x", std::string(64, 'a')};
  return Synthesize(c, stacks, binary).files;
}

TEST(NodeSecrets, NoSecretValueReachesATemplateTheUserDataOrAnAsset) {
  const std::string password_lines =
      "BITCOIN_RPC_USERNAME=" + kRpcUser + "\nBITCOIN_RPC_PASSWORD=" + kRpcPassword + "\n";
  const std::vector<std::string> envs = {
      "STACKS_NETWORK=mainnet\nBITCOIN_PEER_HOST=10.0.0.5\n" + password_lines,
      "STACKS_NETWORK=testnet\nBITCOIN_PEER_HOST=10.0.0.5\n" + password_lines,
      SignerEnv("mainnet", password_lines),
      SignerEnv("testnet", password_lines + "STACKS_SIGNER_SECRET_ARN=" + kSignerArn + "\n"),
      MinerEnv("mainnet"),
      MinerEnv("testnet", "STACKS_MINER_SECRET_ARN=" + kMinerArn + "\n"),
  };
  for (const auto& env : envs) {
    const auto files = SynthAll(env);
    ASSERT_GE(files.size(), 4u) << env;
    for (const auto& f : files) {
      EXPECT_THAT(f.content, Not(HasSubstr(kRpcPassword))) << f.path << " of\n" << env;
    }
    // The rendered user data of every node template: no secret-looking value in it either.
    for (const auto& f : files) {
      if (f.path.find("template.json") == std::string::npos) continue;
      const json doc = json::parse(f.content);
      for (const auto& [id, r] : doc["Resources"].items()) {
        if (r["Type"] != "AWS::EC2::Instance") continue;
        const std::string script = r["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"][0];
        EXPECT_THAT(checks::SecretLookingValues(script), ElementsAre()) << f.path;
      }
    }
  }
}

}  // namespace
}  // namespace sr::templates
