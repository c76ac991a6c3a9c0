#include "config/load.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::config {
namespace {

using ::testing::HasSubstr;

LoadResult Load(const std::string& text, std::map<std::string, std::string> env = {}) {
  return LoadConfig({"test.env", text, std::move(env)});
}

Config MustLoad(const std::string& text, std::map<std::string, std::string> env = {}) {
  LoadResult r = Load(text, std::move(env));
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::kError) ADD_FAILURE() << FormatDiagnostic(d);
  }
  return r.config.value_or(Config{});
}

// The formatted errors of a load that must fail.
std::vector<std::string> Errors(const std::string& text,
                                std::map<std::string, std::string> env = {}) {
  LoadResult r = Load(text, std::move(env));
  EXPECT_FALSE(r.config.has_value()) << "expected the configuration to be rejected";
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics) {
    if (d.severity == Severity::kError) out.push_back(FormatDiagnostic(d));
  }
  return out;
}

std::vector<std::string> Warnings(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& d : Load(text).diagnostics) {
    if (d.severity == Severity::kWarning) out.push_back(FormatDiagnostic(d));
  }
  return out;
}

// --- Defaults -------------------------------------------------------------------------------

TEST(ConfigDefaults, EmptyFileIsAMainnetFollower) {
  const Config c = MustLoad("");
  EXPECT_EQ(c.network->name, "mainnet");
  EXPECT_EQ(c.role, Role::kFollower);
  EXPECT_EQ(c.instance_type, "m5.large");
  EXPECT_EQ(c.arch, CpuArch::kX86_64);
  EXPECT_EQ(c.stacks_version, std::string(kDefaultStacksVersion));
  EXPECT_TRUE(c.download_chainstate);
  EXPECT_EQ(c.p2p_port, 20444);
  EXPECT_EQ(c.rpc_port, 20443);
  EXPECT_EQ(c.bitcoin.host, "bitcoin.mainnet.stacks.org");
  EXPECT_EQ(c.bitcoin.rpc_port, 8332);
  EXPECT_EQ(c.bitcoin.p2p_port, 8333);
  EXPECT_EQ(c.bitcoin.rpc_username, "stacks");
  EXPECT_EQ(c.data_volume.type, VolumeType::kGp3);
  EXPECT_EQ(c.data_volume.iops, 12000);
  EXPECT_EQ(c.data_volume.throughput, 700);
  EXPECT_EQ(c.root_volume_gib, 46);
  EXPECT_EQ(c.ha.health_check_grace_min, 10);
  EXPECT_EQ(c.ha.lifecycle_heartbeat_min, 100);
  EXPECT_EQ(c.ha.nodes, 2);
  EXPECT_TRUE(c.signer_secret_arn.empty());
  EXPECT_TRUE(c.bootstrap_nodes.empty());  // stacks-node has the mainnet seeds built in
}

TEST(ConfigDefaults, MainnetDataVolumeHoldsTodaysChainstateWithRoomToGrow) {
  const Config c = MustLoad("");
  // About 1 TB extracted today: the blueprint's 1024 GiB is already full.
  EXPECT_GE(c.data_volume.size_gib, 2000);
  EXPECT_EQ(c.bootstrap_timeout_min, 240);
}

TEST(ConfigDefaults, TestnetIsKryptonOnHirosRegtestBitcoind) {
  const Config c = MustLoad("STACKS_NETWORK=testnet\n");
  EXPECT_EQ(c.network->name, "testnet");
  EXPECT_EQ(c.network->burnchain_mode, "krypton");  // not xenon
  EXPECT_EQ(c.bitcoin.host, "bitcoin.regtest.hiro.so");
  EXPECT_EQ(c.bitcoin.rpc_port, 18443);
  EXPECT_EQ(c.bitcoin.p2p_port, 18444);
  EXPECT_EQ(c.bitcoin.rpc_username, "");
  EXPECT_EQ(c.data_volume.size_gib, 512);
  EXPECT_EQ(c.ha.lifecycle_heartbeat_min, 60);
  EXPECT_FALSE(c.download_chainstate);
  EXPECT_EQ(c.bootstrap_timeout_min, 30);
  ASSERT_EQ(c.network->seed_nodes.size(), 1u);
  EXPECT_THAT(std::string(c.network->seed_nodes[0]), HasSubstr("@seed.testnet.hiro.so:20444"));
}

TEST(ConfigDefaults, KryptonIsAcceptedAsTheTestnet) {
  EXPECT_EQ(MustLoad("STACKS_NETWORK=krypton\n").network->name, "testnet");
}

TEST(ConfigDefaults, SignersAndMinersGetFourVcpus) {
  EXPECT_EQ(MustLoad("STACKS_NODE_CONFIGURATION=signer\n").instance_type, "m5.xlarge");
  EXPECT_EQ(MustLoad("STACKS_NODE_CONFIGURATION=miner\nSTACKS_BITCOIN_SECRET_ARN="
                     "arn:aws:secretsmanager:us-east-1:111111111111:secret:btc-AbCdEf\n")
                .instance_type,
            "m5.xlarge");
}

TEST(ConfigDefaults, CpuTypeFollowsTheInstanceType) {
  EXPECT_EQ(MustLoad("STACKS_INSTANCE_TYPE=m7g.large\n").arch, CpuArch::kArm64);
  EXPECT_EQ(MustLoad("STACKS_INSTANCE_TYPE=c7i.xlarge\n").arch, CpuArch::kX86_64);
}

TEST(ConfigDefaults, IoVolumesDefaultToTwelveThousandIopsAndNoThroughput) {
  const Config c = MustLoad("STACKS_DATA_VOL_TYPE=io2\n");
  EXPECT_EQ(c.data_volume.iops, 12000);
  EXPECT_FALSE(c.data_volume.throughput.has_value());
  const Config gp2 = MustLoad("STACKS_DATA_VOL_TYPE=gp2\n");
  EXPECT_FALSE(gp2.data_volume.iops.has_value());
}

// --- The blueprint's sample and semantics ------------------------------------------------------

TEST(ConfigBlueprint, SampleFollowerFileLoadsUnchanged) {
  const std::string sample =
      "AWS_ACCOUNT_ID=\"xxxxxxxxxxxx\"        # The AWS account ID\n"
      "AWS_REGION=\"us-west-2\"               # AWS region\n"
      "# STACKS_INSTANCE_TYPE=\"m5.large\"\n"
      "STACKS_NODE_CONFIGURATION=\"follower\" # Node configuration type\n"
      "STACKS_NETWORK=\"mainnet\"             # Network\n"
      "# STACKS_DATA_VOL_SIZE=1024\n";
  const Config c = MustLoad(sample);
  EXPECT_EQ(c.region, "us-west-2");
  EXPECT_EQ(c.account_id, "");  // a placeholder: warned about, not used
  EXPECT_THAT(Warnings(sample), testing::Contains(HasSubstr("AWS_ACCOUNT_ID")));
}

TEST(ConfigBlueprint, EveryBlueprintVariableIsAccepted) {
  const Config c = MustLoad(
      "AWS_ACCOUNT_ID=111111111111\n"
      "AWS_REGION=eu-central-1\n"
      "STACKS_INSTANCE_TYPE=m6i.xlarge\n"
      "STACKS_CPU_TYPE=x86_64\n"
      "STACKS_VERSION=4.0.2\n"
      "STACKS_BUILD_FROM_SOURCE=false\n"
      "STACKS_DOWNLOAD_CHAINSTATE=false\n"
      "STACKS_NODE_CONFIGURATION=follower\n"
      "STACKS_BOOTSTRAP_NODE=02196f005965cebe6ddc3901b7b1cc1aa7a88f305bb8c5893456b8f9a605923893"
      "@seed.mainnet.hiro.so:20444\n"
      "STACKS_CHAINSTATE_ARCHIVE=https://archive.hiro.so/mainnet/stacks-blockchain/"
      "mainnet-stacks-blockchain-latest.tar.gz\n"
      "STACKS_NETWORK=mainnet\n"
      "STACKS_P2P_PORT=20444\n"
      "STACKS_RPC_PORT=20443\n"
      "BITCOIN_PEER_HOST=bitcoind.internal\n"
      "BITCOIN_RPC_USERNAME=user\n"
      "BITCOIN_RPC_PASSWORD=pass\n"
      "BITCOIN_RPC_PORT=8332\n"
      "BITCOIN_P2P_PORT=8333\n"
      "STACKS_SIGNER_SECRET_ARN=none\n"
      "STACKS_MINER_SECRET_ARN=none\n"
      "STACKS_DATA_VOL_SIZE=3000\n"
      "STACKS_DATA_VOL_TYPE=gp3\n"
      "STACKS_DATA_VOL_IOPS=16000\n"
      "STACKS_DATA_VOL_THROUGHPUT=1000\n"
      "STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN=15\n"
      "STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=90\n"
      "STACKS_HA_NUMBER_OF_NODES=3\n");
  EXPECT_EQ(c.account_id, "111111111111");
  EXPECT_EQ(c.instance_type, "m6i.xlarge");
  EXPECT_FALSE(c.download_chainstate);
  ASSERT_EQ(c.bootstrap_nodes.size(), 1u);
  EXPECT_THAT(c.chainstate_archive, HasSubstr("latest.tar.gz"));
  EXPECT_EQ(c.bitcoin.host, "bitcoind.internal");
  EXPECT_EQ(c.bitcoin.rpc_username, "user");
  EXPECT_EQ(c.bitcoin.rpc_password, "pass");
  EXPECT_EQ(c.data_volume.size_gib, 3000);
  EXPECT_EQ(c.data_volume.iops, 16000);
  EXPECT_EQ(c.data_volume.throughput, 1000);
  EXPECT_EQ(c.ha.health_check_grace_min, 15);
  EXPECT_EQ(c.ha.lifecycle_heartbeat_min, 90);
  EXPECT_EQ(c.ha.nodes, 3);
}

TEST(ConfigBlueprint, ProcessEnvironmentWinsOverTheFile) {
  const Config c = MustLoad("STACKS_NETWORK=mainnet\nAWS_REGION=us-west-2\n",
                            {{"STACKS_NETWORK", "testnet"}, {"AWS_REGION", "eu-west-1"}});
  EXPECT_EQ(c.network->name, "testnet");
  EXPECT_EQ(c.region, "eu-west-1");
}

TEST(ConfigBlueprint, EmptyValueMeansDefault) {
  EXPECT_EQ(MustLoad("STACKS_INSTANCE_TYPE=\n").instance_type, "m5.large");
  EXPECT_EQ(MustLoad("", {{"STACKS_RPC_PORT", ""}}).rpc_port, 20443);
}

TEST(ConfigBlueprint, NoneMeansNoSecret) {
  EXPECT_TRUE(MustLoad("STACKS_SIGNER_SECRET_ARN=none\n").signer_secret_arn.empty());
  EXPECT_TRUE(MustLoad("STACKS_SIGNER_SECRET_ARN=None\n").signer_secret_arn.empty());
}

TEST(ConfigBlueprint, CpuTypeAcceptsBlueprintSpellings) {
  EXPECT_EQ(MustLoad("STACKS_INSTANCE_TYPE=c7g.large\nSTACKS_CPU_TYPE=ARM_64\n").arch,
            CpuArch::kArm64);
  EXPECT_EQ(MustLoad("STACKS_INSTANCE_TYPE=c7g.large\nSTACKS_CPU_TYPE=arm64\n").arch,
            CpuArch::kArm64);
  EXPECT_EQ(MustLoad("STACKS_CPU_TYPE=X86_64\n").arch, CpuArch::kX86_64);
}

TEST(ConfigBlueprint, BuildFromSourceIsWarnedAboutNotFatal) {
  EXPECT_THAT(Warnings("STACKS_BUILD_FROM_SOURCE=true\n"),
              testing::Contains(HasSubstr("not supported")));
}

// --- Bad input: one line per problem, naming file:line, variable, value, what is accepted -----

TEST(ConfigErrors, FormatNamesFileLineVariableValueAndAccepted) {
  const auto errors = Errors("# comment\nSTACKS_DATA_VOL_TYPE=\"gp4\"\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0],
            "test.env:2: error: STACKS_DATA_VOL_TYPE=\"gp4\": unknown volume type; accepted: "
            "gp3, gp2, io1, io2, instance-store");
}

TEST(ConfigErrors, EnvironmentValuesAreAttributedToTheEnvironment) {
  const auto errors = Errors("", {{"STACKS_RPC_PORT", "http"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("environment: error: STACKS_RPC_PORT=\"http\""));
  EXPECT_THAT(errors[0], HasSubstr("accepted: 1024-65535"));
}

TEST(ConfigErrors, EveryProblemIsReportedNotJustTheFirst) {
  const auto errors = Errors(
      "STACKS_NETWORK=mainet\nSTACKS_RPC_PORT=70000\nSTACKS_DATA_VOL_TYPE=gp4\n"
      "STACKS_NODE_CONFIGURATION=validator\n");
  EXPECT_EQ(errors.size(), 4u);
}

TEST(ConfigErrors, UnknownStacksAndBitcoinVariablesAreLikelyTypos) {
  const auto errors = Errors("STACKS_DATA_VOLUME_SIZE=2048\nBITCOIN_RPC_PASS=x\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_THAT(errors[0], HasSubstr("test.env:1"));
  EXPECT_THAT(errors[0], HasSubstr("did you mean STACKS_DATA_VOL_SIZE?"));
  // An unknown name that looks like a secret keeps its value out of the message.
  EXPECT_THAT(errors[1], HasSubstr("BITCOIN_RPC_PASS=\"<redacted>\""));
  EXPECT_THAT(errors[1], HasSubstr("did you mean BITCOIN_RPC_PASSWORD?"));
}

TEST(ConfigErrors, OtherVariablesInTheFileAreIgnoredWithAWarning) {
  LoadResult r = Load("DEBUG_KEY_NAME=mykey\n");
  EXPECT_TRUE(r.config.has_value());
  EXPECT_THAT(Warnings("DEBUG_KEY_NAME=mykey\n"), testing::Contains(HasSubstr("ignored")));
}

TEST(ConfigErrors, UnknownVariablesInTheEnvironmentAreNotTypos) {
  // stacks-node reads STACKS_LOG_JSON etc. from the environment; they are not ours to judge.
  EXPECT_TRUE(Load("", {{"STACKS_LOG_JSON", "1"}}).config.has_value());
}

TEST(ConfigErrors, DotenvSyntaxProblemsAreReportedWithTheirLine) {
  const auto errors = Errors("STACKS_NETWORK=mainnet\nnot an assignment\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("test.env:2: error: not a KEY=VALUE assignment"));
}

TEST(ConfigErrors, DuplicateKeysWarnAndTheLastWins) {
  EXPECT_EQ(MustLoad("STACKS_RPC_PORT=20443\nSTACKS_RPC_PORT=30443\n").rpc_port, 30443);
  EXPECT_THAT(Warnings("STACKS_RPC_PORT=20443\nSTACKS_RPC_PORT=30443\n"),
              testing::Contains(HasSubstr("already set on line 1")));
}

TEST(ConfigErrors, Network) {
  EXPECT_THAT(Errors("STACKS_NETWORK=xenon\n")[0], HasSubstr("krypton"));
  EXPECT_THAT(Errors("STACKS_NETWORK=mocknet\n")[0], HasSubstr("accepted: mainnet, testnet"));
  EXPECT_THAT(Errors("STACKS_NETWORK=devnet\n")[0], HasSubstr("accepted: mainnet, testnet"));
}

TEST(ConfigErrors, Role) {
  EXPECT_THAT(Errors("STACKS_NODE_CONFIGURATION=validator\n")[0],
              HasSubstr("accepted: follower, signer, miner"));
}

TEST(ConfigErrors, AccountAndRegion) {
  EXPECT_THAT(Errors("AWS_ACCOUNT_ID=12345\n")[0], HasSubstr("12 digits"));
  EXPECT_THAT(Errors("AWS_REGION=us-east\n")[0], HasSubstr("us-east-1"));
  EXPECT_EQ(MustLoad("AWS_REGION=us-gov-west-1\n").region, "us-gov-west-1");
}

TEST(ConfigErrors, InstanceTypeShape) {
  EXPECT_THAT(Errors("STACKS_INSTANCE_TYPE=large\n")[0], HasSubstr("FAMILY.SIZE"));
  EXPECT_THAT(Errors("STACKS_INSTANCE_TYPE=M5.LARGE\n")[0], HasSubstr("FAMILY.SIZE"));
  EXPECT_THAT(Errors("STACKS_INSTANCE_TYPE=mac2.metal\n")[0], HasSubstr("FAMILY.SIZE"));
}

TEST(ConfigErrors, InstanceTypeAgainstCpuArchitecture) {
  const auto errors = Errors("STACKS_INSTANCE_TYPE=m7g.large\nSTACKS_CPU_TYPE=x86_64\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("test.env:2: error: STACKS_CPU_TYPE=\"x86_64\""));
  EXPECT_THAT(errors[0], HasSubstr("m7g.large, which is arm64"));
  EXPECT_THAT(Errors("STACKS_INSTANCE_TYPE=m5.large\nSTACKS_CPU_TYPE=ARM_64\n")[0],
              HasSubstr("which is x86_64"));
  EXPECT_THAT(Errors("STACKS_CPU_TYPE=sparc\n")[0], HasSubstr("accepted: x86_64, ARM_64"));
}

TEST(ConfigErrors, InstanceTypeWithoutAvx2) {
  EXPECT_THAT(Errors("STACKS_INSTANCE_TYPE=m3.xlarge\n")[0], HasSubstr("AVX2"));
}

TEST(ConfigErrors, SmallInstancesAreWarnedAbout) {
  EXPECT_THAT(Warnings("STACKS_INSTANCE_TYPE=t3.medium\n"),
              testing::Contains(HasSubstr("at least 8 GiB")));
  EXPECT_THAT(Warnings("STACKS_INSTANCE_TYPE=c5.large\n"),
              testing::Contains(HasSubstr("at least 8 GiB")));
  EXPECT_THAT(Warnings("STACKS_NODE_CONFIGURATION=signer\nSTACKS_INSTANCE_TYPE=m5.large\n"),
              testing::Contains(HasSubstr("4 vCPUs")));
  EXPECT_TRUE(Warnings("STACKS_INSTANCE_TYPE=m5.large\n").empty());
}

TEST(ConfigErrors, Versions) {
  EXPECT_THAT(Errors("STACKS_VERSION=3.4.0.0.4\n")[0], HasSubstr("960,230"));
  EXPECT_THAT(Errors("STACKS_VERSION=4.0.1\nSTACKS_NETWORK=testnet\n")[0],
              HasSubstr("reset in Aug 2026"));
  EXPECT_EQ(MustLoad("STACKS_VERSION=4.0.1\n").stacks_version, "4.0.1");
  EXPECT_THAT(Errors("STACKS_VERSION=v4.0.2\n")[0], HasSubstr("accepted: latest or a release"));
  EXPECT_EQ(MustLoad("STACKS_VERSION=LATEST\n").stacks_version, "latest");
  EXPECT_THAT(Warnings("STACKS_VERSION=latest\n"), testing::Contains(HasSubstr("pin a release")));
  EXPECT_THAT(Warnings("STACKS_VERSION=4.1.0\n"), testing::Contains(HasSubstr("newer than")));
}

TEST(ConfigErrors, Booleans) {
  EXPECT_THAT(Errors("STACKS_DOWNLOAD_CHAINSTATE=maybe\n")[0], HasSubstr("accepted: true, false"));
  EXPECT_FALSE(MustLoad("STACKS_DOWNLOAD_CHAINSTATE=FALSE\n").download_chainstate);
  EXPECT_TRUE(
      MustLoad("STACKS_NETWORK=testnet\nSTACKS_DOWNLOAD_CHAINSTATE=1\n").download_chainstate);
}

TEST(ConfigErrors, BootstrapNodes) {
  const std::string key = "02196f005965cebe6ddc3901b7b1cc1aa7a88f305bb8c5893456b8f9a605923893";
  EXPECT_EQ(
      MustLoad("STACKS_BOOTSTRAP_NODE=" + key + "@a.example:20444, " + key + "@10.0.0.1:20444\n")
          .bootstrap_nodes.size(),
      2u);
  EXPECT_THAT(Errors("STACKS_BOOTSTRAP_NODE=" + key + "@host\n")[0], HasSubstr("PUBKEY@HOST:PORT"));
  EXPECT_THAT(Errors("STACKS_BOOTSTRAP_NODE=04" + key.substr(2) + "@host:1\n")[0],
              HasSubstr("compressed public key"));
}

TEST(ConfigErrors, ChainstateArchive) {
  EXPECT_THAT(Errors("STACKS_CHAINSTATE_ARCHIVE=ftp://x/y.tar.gz\n")[0],
              HasSubstr(".tar.zst or .tar.gz"));
  EXPECT_THAT(Errors("STACKS_CHAINSTATE_ARCHIVE=https://x.example/y.zip\n")[0],
              HasSubstr(".tar.zst or .tar.gz"));
  EXPECT_THAT(Warnings("STACKS_CHAINSTATE_ARCHIVE=http://mirror.example/a.tar.zst\n"),
              testing::Contains(HasSubstr("plain HTTP")));
  EXPECT_THAT(Warnings("STACKS_DOWNLOAD_CHAINSTATE=false\n"
                       "STACKS_CHAINSTATE_ARCHIVE=https://m.example/a.tar.zst\n"),
              testing::Contains(HasSubstr("ignored")));
}

TEST(ConfigErrors, Ports) {
  EXPECT_THAT(Errors("STACKS_RPC_PORT=80\n")[0], HasSubstr("accepted: 1024-65535"));
  EXPECT_THAT(Errors("STACKS_P2P_PORT=20443\n")[0], HasSubstr("different ports"));
  EXPECT_THAT(Errors("STACKS_RPC_PORT=9153\n")[0], HasSubstr("Prometheus"));
  EXPECT_THAT(Errors("STACKS_P2P_PORT=30000\n")[0], HasSubstr("signer"));
  EXPECT_THAT(Errors("BITCOIN_RPC_PORT=0\n")[0], HasSubstr("accepted: 1-65535"));
  EXPECT_THAT(Errors("BITCOIN_RPC_PORT=8333\n")[0], HasSubstr("different ports"));
  EXPECT_THAT(Errors("STACKS_RPC_PORT=20443.5\n")[0], HasSubstr("not a whole number"));
}

TEST(ConfigErrors, BitcoinHost) {
  EXPECT_THAT(Errors("BITCOIN_PEER_HOST=bad_host!\n")[0], HasSubstr("host name"));
  EXPECT_THAT(Errors("STACKS_NETWORK=testnet\nBITCOIN_PEER_HOST=bitcoin.testnet.stacks.org\n")[0],
              HasSubstr("bitcoin.regtest.hiro.so"));
}

TEST(ConfigErrors, OwnBitcoindDoesNotInheritThePublicCredentials) {
  const Config c = MustLoad("BITCOIN_PEER_HOST=10.0.1.5\n");
  EXPECT_EQ(c.bitcoin.rpc_username, "");
  EXPECT_EQ(c.bitcoin.rpc_password, "");
  EXPECT_THAT(Errors("BITCOIN_PEER_HOST=10.0.1.5\nBITCOIN_RPC_PASSWORD=x\n")[0],
              HasSubstr("set both or neither"));
}

TEST(ConfigErrors, PasswordsNeverAppearInMessages) {
  LoadResult r = Load("BITCOIN_RPC_PASSWORD=hunter2secret\nBITCOIN_RPC_PASSWORD=again-secret\n");
  for (const auto& d : r.diagnostics) {
    EXPECT_THAT(FormatDiagnostic(d), testing::Not(HasSubstr("secret")));
  }
  EXPECT_FALSE(r.diagnostics.empty());  // the duplicate was reported, redacted
}

TEST(ConfigErrors, SignersAndMinersOnThePublicBitcoindAreWarned) {
  EXPECT_THAT(Warnings("STACKS_NODE_CONFIGURATION=signer\n"),
              testing::Contains(HasSubstr("usual reason a Stacks node falls behind")));
  EXPECT_THAT(Warnings("STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n"),
              testing::Not(testing::Contains(HasSubstr("falls behind"))));
}

TEST(ConfigErrors, SecretArns) {
  EXPECT_THAT(Errors("STACKS_SIGNER_SECRET_ARN=my-secret\n")[0], HasSubstr("secret ARN"));
  const std::string arn =
      "arn:aws:secretsmanager:us-east-1:111111111111:secret:stacks/signer-AbCdEf";
  EXPECT_EQ(MustLoad("STACKS_NODE_CONFIGURATION=signer\nSTACKS_SIGNER_SECRET_ARN=" + arn + "\n")
                .signer_secret_arn,
            arn);
  EXPECT_THAT(Warnings("STACKS_SIGNER_SECRET_ARN=" + arn + "\n"),
              testing::Contains(HasSubstr("a follower does not use this secret")));
}

TEST(ConfigErrors, VolumeSizes) {
  EXPECT_THAT(Errors("STACKS_DATA_VOL_SIZE=1024\n")[0],
              HasSubstr("too small for mainnet: the mainnet chainstate is about 1 TB"));
  EXPECT_EQ(MustLoad("STACKS_NETWORK=testnet\nSTACKS_DATA_VOL_SIZE=200\n").data_volume.size_gib,
            200);
  EXPECT_THAT(Errors("STACKS_DATA_VOL_SIZE=70000\n")[0], HasSubstr("accepted: 1-65536 GiB"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_TYPE=io1\nSTACKS_DATA_VOL_SIZE=20000\n")[0],
              HasSubstr("accepted: 4-16384 GiB"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_SIZE=2TB\n")[0], HasSubstr("not a whole number"));
  EXPECT_THAT(Errors("STACKS_ROOT_VOL_SIZE=4\n")[0], HasSubstr("accepted: 8-16384 GiB"));
}

TEST(ConfigErrors, VolumeTypeAgainstIopsAndThroughput) {
  EXPECT_THAT(Errors("STACKS_DATA_VOL_IOPS=90000\n")[0], HasSubstr("3000-80000 IOPS for gp3"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_TYPE=io2\nSTACKS_DATA_VOL_IOPS=50\n")[0],
              HasSubstr("100-256000 IOPS for io2"));
  EXPECT_THAT(Errors("STACKS_NETWORK=testnet\nSTACKS_DATA_VOL_SIZE=100\n"
                     "STACKS_DATA_VOL_TYPE=io1\nSTACKS_DATA_VOL_IOPS=6000\n")[0],
              HasSubstr("at most 50 IOPS per GiB: 100 GiB allows 5000"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_TYPE=gp2\nSTACKS_DATA_VOL_IOPS=3000\n")[0],
              HasSubstr("no settable IOPS"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_TYPE=io2\nSTACKS_DATA_VOL_THROUGHPUT=500\n")[0],
              HasSubstr("only for gp3"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_THROUGHPUT=3000\n")[0], HasSubstr("125-2000 MiB/s"));
  EXPECT_THAT(Errors("STACKS_DATA_VOL_IOPS=3000\nSTACKS_DATA_VOL_THROUGHPUT=1000\n")[0],
              HasSubstr("3000 IOPS allow 750 MiB/s"));
}

TEST(ConfigErrors, InstanceStoreNeedsAnInstanceWithOne) {
  EXPECT_THAT(Errors("STACKS_DATA_VOL_TYPE=instance-store\n")[0],
              HasSubstr("m5.large has no instance store"));
  LoadResult ok = Load("STACKS_DATA_VOL_TYPE=instance-store\nSTACKS_INSTANCE_TYPE=i4i.xlarge\n");
  EXPECT_TRUE(ok.config.has_value());
  EXPECT_THAT(Warnings("STACKS_DATA_VOL_TYPE=instance-store\nSTACKS_INSTANCE_TYPE=m6id.large\n"),
              testing::Contains(HasSubstr("erased when the instance stops")));
}

TEST(ConfigErrors, HighAvailability) {
  EXPECT_THAT(Errors("STACKS_HA_NUMBER_OF_NODES=0\n")[0], HasSubstr("accepted: 1-20 nodes"));
  EXPECT_THAT(Warnings("STACKS_HA_NUMBER_OF_NODES=1\n"),
              testing::Contains(HasSubstr("not highly available")));
  EXPECT_THAT(Errors("STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=180\n")[0],
              HasSubstr("accepted: 1-120 minutes"));
  EXPECT_THAT(Errors("STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN=-1\n")[0],
              HasSubstr("accepted: 0-1440"));
}

TEST(ConfigErrors, BootstrapTimeout) {
  EXPECT_THAT(Errors("STACKS_BOOTSTRAP_TIMEOUT_MIN=800\n")[0], HasSubstr("at most 12 hours"));
  EXPECT_EQ(MustLoad("STACKS_BOOTSTRAP_TIMEOUT_MIN=600\n").bootstrap_timeout_min, 600);
}

TEST(ConfigErrors, Placement) {
  const Config c = MustLoad(
      "STACKS_VPC_ID=vpc-0a1b2c3d4e5f60001\n"
      "STACKS_SUBNET_IDS=subnet-0000000000000001a, subnet-0000000000000002b\n"
      "STACKS_RPC_ALLOWED_CIDRS=10.0.0.0/8,192.168.0.0/16\n");
  EXPECT_EQ(c.placement.vpc_id, "vpc-0a1b2c3d4e5f60001");
  EXPECT_EQ(c.placement.subnet_ids.size(), 2u);
  EXPECT_EQ(c.placement.rpc_allowed_cidrs.size(), 2u);
  EXPECT_THAT(Errors("STACKS_VPC_ID=vpc-xyz\n")[0], HasSubstr("not a VPC id"));
  EXPECT_THAT(Errors("STACKS_SUBNET_IDS=subnet-0000000000000001a\n")[0],
              HasSubstr("set STACKS_VPC_ID as well"));
  EXPECT_THAT(Errors("STACKS_RPC_ALLOWED_CIDRS=10.0.0.0\n")[0], HasSubstr("IPv4 CIDR"));
  EXPECT_THAT(Warnings("STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0\n"),
              testing::Contains(HasSubstr("whole internet")));
  EXPECT_TRUE(MustLoad("STACKS_RPC_ALLOWED_CIDRS=vpc\n").placement.rpc_allowed_cidrs.empty());
}

// --- The node agent and the alarms ---------------------------------------------------------

TEST(ConfigMonitoring, DefaultsForMainnetAndTestnet) {
  const Config mainnet = MustLoad("");
  EXPECT_EQ(mainnet.monitoring.reference_node, "https://api.hiro.so");
  EXPECT_EQ(mainnet.monitoring.sync_tolerance_blocks, 10);
  EXPECT_EQ(mainnet.monitoring.stall_min, 20);
  EXPECT_EQ(mainnet.monitoring.agent_interval_sec, 30);
  EXPECT_EQ(mainnet.monitoring.alarm_behind_min, 30);
  EXPECT_EQ(mainnet.monitoring.alarm_email, "");
  EXPECT_EQ(mainnet.ha.max_sync_min, 480);  // restored from the archive
  const Config testnet = MustLoad("STACKS_NETWORK=testnet\n");
  EXPECT_EQ(testnet.monitoring.reference_node, "https://api.testnet.hiro.so");
  EXPECT_EQ(testnet.ha.max_sync_min, 720);  // from genesis
  EXPECT_EQ(MustLoad("STACKS_DOWNLOAD_CHAINSTATE=false\n").ha.max_sync_min, 2880);
  // Never past what the launch hook allows: 100 heartbeat timeouts.
  EXPECT_EQ(MustLoad("STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=2\n").ha.max_sync_min, 200);
}

TEST(ConfigMonitoring, ValuesAndTheirErrors) {
  const Config c = MustLoad(
      "STACKS_REFERENCE_NODE=https://stacks.example.com:3999/\n"
      "STACKS_SYNC_TOLERANCE_BLOCKS=3\nSTACKS_STALL_MIN=45\nSTACKS_AGENT_INTERVAL_SEC=15\n"
      "STACKS_HA_MAX_SYNC_MIN=600\nSTACKS_ALARM_BEHIND_MIN=10\n"
      "STACKS_ALARM_EMAIL=node-ops+stacks@example.com\n");
  EXPECT_EQ(c.monitoring.reference_node, "https://stacks.example.com:3999");
  EXPECT_EQ(c.monitoring.sync_tolerance_blocks, 3);
  EXPECT_EQ(c.monitoring.stall_min, 45);
  EXPECT_EQ(c.monitoring.agent_interval_sec, 15);
  EXPECT_EQ(c.ha.max_sync_min, 600);
  EXPECT_EQ(c.monitoring.alarm_behind_min, 10);
  EXPECT_EQ(c.monitoring.alarm_email, "node-ops+stacks@example.com");
  EXPECT_EQ(MustLoad("STACKS_REFERENCE_NODE=off\n").monitoring.reference_node, "");
  EXPECT_EQ(MustLoad("STACKS_REFERENCE_NODE=OFF\n").monitoring.reference_node, "");

  EXPECT_THAT(Errors("STACKS_REFERENCE_NODE=api.hiro.so\n")[0],
              HasSubstr("STACKS_REFERENCE_NODE=\"api.hiro.so\""));
  EXPECT_THAT(Errors("STACKS_REFERENCE_NODE=api.hiro.so\n")[0],
              HasSubstr("accepted: off, or an http(s) URL"));
  EXPECT_THAT(Errors("STACKS_REFERENCE_NODE=https://u:p@x.example\n")[0],
              HasSubstr("not a node URL"));
  EXPECT_THAT(Warnings("STACKS_REFERENCE_NODE=http://node.example:20443\n"),
              testing::Contains(HasSubstr("plain HTTP")));
  EXPECT_TRUE(Warnings("STACKS_REFERENCE_NODE=http://127.0.0.1:20443\n").empty());
  EXPECT_THAT(Errors("STACKS_SYNC_TOLERANCE_BLOCKS=0\n")[0], HasSubstr("accepted: 1-1000 blocks"));
  EXPECT_THAT(Errors("STACKS_STALL_MIN=2\n")[0], HasSubstr("accepted: 5-1440 minutes"));
  EXPECT_THAT(Errors("STACKS_AGENT_INTERVAL_SEC=1\n")[0], HasSubstr("accepted: 10-300 seconds"));
  EXPECT_THAT(Errors("STACKS_ALARM_BEHIND_MIN=x\n")[0], HasSubstr("not a whole number"));
  EXPECT_THAT(Errors("STACKS_AGENT_INTERVAL_SEC=300\nSTACKS_ALARM_BEHIND_MIN=5\n")[0],
              HasSubstr("shorter than two agent intervals (STACKS_AGENT_INTERVAL_SEC=300); "
                        "accepted: 10-1440 minutes"));
  for (const char* bad : {"ops", "ops@", "@example.com", "ops@example", "a@b@example.com",
                          "ops @example.com", "ops@example.com,dev@example.com"}) {
    EXPECT_THAT(Errors(std::string("STACKS_ALARM_EMAIL=") + bad + "\n")[0],
                HasSubstr("not an email address; accepted: one address such as ops@example.com"))
        << bad;
  }
  EXPECT_THAT(Errors("STACKS_HA_MAX_SYNC_MIN=5000\n")[0], HasSubstr("accepted: 10-2880 minutes"));
  EXPECT_THAT(Errors("STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=5\nSTACKS_HA_MAX_SYNC_MIN=600\n")[0],
              HasSubstr("100 heartbeat timeouts (STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=5); "
                        "accepted: 10-500 minutes"));
}

// --- Miners ---------------------------------------------------------------------------------

constexpr char kBitcoindArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:btc-AbCdEf";

std::string MinerEnv(const std::string& extra = "") {
  return std::string("STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n") +
         "STACKS_BITCOIN_SECRET_ARN=" + kBitcoindArn + "\n" + extra;
}

TEST(ConfigMiner, NeedsItsBitcoindSecret) {
  const auto errors = Errors("STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("STACKS_BITCOIN_SECRET_ARN=\"none\""));
  EXPECT_THAT(errors[0], HasSubstr("a miner needs the RPC credentials of its own bitcoind"));
  EXPECT_THAT(errors[0], HasSubstr("docs/secrets.md"));
  const auto pasted = Errors("STACKS_NODE_CONFIGURATION=miner\nSTACKS_BITCOIN_SECRET_ARN=btc\n");
  EXPECT_THAT(pasted[0], HasSubstr("not a Secrets Manager secret ARN"));
  EXPECT_THAT(pasted[0], HasSubstr("STACKS_BITCOIN_SECRET_ARN=\"<not shown: not an ARN>\""));
  EXPECT_THAT(pasted[0], ::testing::Not(HasSubstr("\"btc\"")));
  EXPECT_EQ(MustLoad(MinerEnv()).bitcoind_secret_arn, kBitcoindArn);
}

TEST(ConfigMiner, BitcoindSecretIsIgnoredByOtherRoles) {
  const std::string env = std::string("STACKS_BITCOIN_SECRET_ARN=") + kBitcoindArn + "\n";
  EXPECT_TRUE(MustLoad(env).bitcoind_secret_arn.empty());
  EXPECT_THAT(Warnings(env), testing::Contains(HasSubstr("a follower does not use this secret")));
  EXPECT_THAT(Warnings("STACKS_NODE_CONFIGURATION=signer\n" + env),
              testing::Contains(HasSubstr("a signer does not use this secret")));
}

TEST(ConfigMiner, RpcPasswordInTheFileIsRefusedForAMiner) {
  const auto errors = Errors(MinerEnv("BITCOIN_RPC_USERNAME=op\nBITCOIN_RPC_PASSWORD=pw-77aa\n"));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_THAT(errors[0], HasSubstr("BITCOIN_RPC_PASSWORD=\"<redacted>\""));
  EXPECT_THAT(errors[0], HasSubstr("live only in the bitcoind secret"));
  EXPECT_THAT(errors[0], testing::Not(HasSubstr("pw-77aa")));
  // A signer's node is given no RPC credentials: the password is ignored, and said so.
  EXPECT_THAT(Warnings("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n"
                       "BITCOIN_RPC_USERNAME=op\nBITCOIN_RPC_PASSWORD=pw-77aa\n"),
              testing::Contains(HasSubstr("ignored: a signer's node reads Bitcoin over P2P")));
}

TEST(ConfigMiner, DefaultsAreTheDocumentedOnes) {
  const Config c = MustLoad(MinerEnv());
  EXPECT_EQ(c.miner.wallet_name, "stacks-miner");
  EXPECT_FALSE(c.miner.mock_mining);
  EXPECT_EQ(c.miner.burn_fee_cap, 20000);
  EXPECT_EQ(c.miner.satoshis_per_byte, 50);
  EXPECT_EQ(c.miner.rbf_fee_increment, 5);
  EXPECT_EQ(c.miner.max_rbf, 150);
  EXPECT_EQ(c.miner.nakamoto_attempt_time_ms, 20000);
  EXPECT_FALSE(c.miner.min_time_between_blocks_ms);
  EXPECT_FALSE(c.miner.tenure_timeout_secs);
  EXPECT_TRUE(c.miner.block_reward_recipient.empty());
  EXPECT_TRUE(Warnings(MinerEnv()).empty());
}

TEST(ConfigMiner, EverySettingCanBeOverridden) {
  const Config c = MustLoad(MinerEnv(
      "STACKS_MINER_WALLET_NAME=miners/main_1.w\nSTACKS_MINER_MOCK_MINING=true\n"
      "STACKS_MINER_BURN_FEE_CAP=450000\nSTACKS_MINER_SATOSHIS_PER_BYTE=100\n"
      "STACKS_MINER_RBF_FEE_INCREMENT=10\nSTACKS_MINER_MAX_RBF=200\n"
      "STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS=5000\nSTACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS=2000\n"
      "STACKS_MINER_BLOCK_COMMIT_DELAY_MS=30000\n"
      "STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS=150000\nSTACKS_MINER_TENURE_TIMEOUT_SECS=200\n"
      "STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE=30\n"
      "STACKS_MINER_BLOCK_REWARD_RECIPIENT=SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7.pool-v1\n"));
  EXPECT_EQ(c.miner.wallet_name, "miners/main_1.w");
  EXPECT_TRUE(c.miner.mock_mining);
  EXPECT_EQ(c.miner.burn_fee_cap, 450000);
  EXPECT_EQ(c.miner.satoshis_per_byte, 100);
  EXPECT_EQ(c.miner.rbf_fee_increment, 10);
  EXPECT_EQ(c.miner.max_rbf, 200);
  EXPECT_EQ(c.miner.nakamoto_attempt_time_ms, 5000);
  EXPECT_EQ(c.miner.min_time_between_blocks_ms, 2000);
  EXPECT_EQ(c.miner.block_commit_delay_ms, 30000);
  EXPECT_EQ(c.miner.tenure_extend_wait_timeout_ms, 150000);
  EXPECT_EQ(c.miner.tenure_timeout_secs, 200);
  EXPECT_EQ(c.miner.tenure_cost_limit_per_block_percentage, 30);
  EXPECT_EQ(c.miner.block_reward_recipient, "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7.pool-v1");
}

TEST(ConfigMiner, ValuesAreChecked) {
  for (const char* bad : {"my wallet", "a/../b", "wallet\"", "w;rm"}) {
    const auto errors = Errors(MinerEnv(std::string("STACKS_MINER_WALLET_NAME='") + bad + "'\n"));
    ASSERT_FALSE(errors.empty()) << bad;
    EXPECT_THAT(errors[0], HasSubstr("accepted: 1-64 ASCII letters, digits and . _ - /")) << bad;
  }
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS=500\n"))[0],
              HasSubstr("accepted: 1000-600000 milliseconds"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_MAX_RBF=90\n"))[0],
              HasSubstr("accepted: 100-1000 percent of the fee rate"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_BURN_FEE_CAP=lots\n"))[0],
              HasSubstr("not a whole number"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS=60000\n"))[0],
              HasSubstr("block_proposal_timeout_ms, 120000"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_TENURE_TIMEOUT_SECS=100\n"))[0],
              HasSubstr("must be longer than the tenure extend wait (120000 ms"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE=0\n"))[0],
              HasSubstr("accepted: 1-100 percent"));
  EXPECT_THAT(Errors(MinerEnv("STACKS_MINER_MOCK_MINING=maybe\n"))[0], HasSubstr("not a boolean"));
  // A testnet address on mainnet, a bad checksum, a bad contract name.
  for (const char* bad :
       {"ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ", "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ8",
        "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7.1pool", "pool"}) {
    const auto errors =
        Errors(MinerEnv(std::string("STACKS_MINER_BLOCK_REWARD_RECIPIENT=") + bad + "\n"));
    ASSERT_FALSE(errors.empty()) << bad;
    EXPECT_THAT(errors[0], HasSubstr("not a mainnet Stacks principal; accepted: an address "
                                     "(SP... or SM..."))
        << bad;
  }
  EXPECT_EQ(
      MustLoad("STACKS_NETWORK=testnet\n" + MinerEnv("STACKS_MINER_BLOCK_REWARD_RECIPIENT="
                                                     "ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ\n"))
          .miner.block_reward_recipient,
      "ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ");
}

TEST(ConfigMiner, TooFewReplaceByFeeStepsAreWarned) {
  // The 4.0.2 sample's 25 sat/vB with max_rbf 150 leaves room for 2 increments of 5.
  EXPECT_THAT(Warnings(MinerEnv("STACKS_MINER_SATOSHIS_PER_BYTE=25\n")),
              testing::Contains(HasSubstr("fewer than three replace-by-fee increments")));
  EXPECT_TRUE(Warnings(MinerEnv("STACKS_MINER_SATOSHIS_PER_BYTE=40\n")).empty());
}

TEST(ConfigMiner, MinerSettingsAreWarnedAsIgnoredForOtherRoles) {
  const auto warnings = Warnings("STACKS_MINER_MOCK_MINING=true\nSTACKS_MINER_BURN_FEE_CAP=1000\n");
  EXPECT_THAT(warnings, testing::Contains(HasSubstr(
                            "STACKS_MINER_MOCK_MINING=\"true\": ignored: only a miner uses it "
                            "(STACKS_NODE_CONFIGURATION is follower)")));
  EXPECT_THAT(warnings, testing::Contains(HasSubstr("STACKS_MINER_BURN_FEE_CAP")));
  // Ignored means not checked either: a value a miner could not use is no error for a signer.
  const std::string signer =
      "STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n"
      "STACKS_MINER_WALLET_NAME=../x\nSTACKS_MINER_TENURE_TIMEOUT_SECS=40\n";
  MustLoad(signer);
  EXPECT_THAT(Warnings(signer), testing::Contains(HasSubstr("STACKS_MINER_WALLET_NAME")));
}

}  // namespace
}  // namespace sr::config
