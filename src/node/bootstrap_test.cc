#include "node/bootstrap.h"

#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keys/secrets.h"
#include "node/layout.h"
#include "templates/node_settings.h"
#include "testing/fake_host.h"
#include "testing/test_support.h"
#include "util/sha256.h"

namespace sr::node {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr char kBase[] = "https://releases.test/stacks-core/releases";
constexpr char kVolume[] = "vol-0123456789abcdef0";

std::string MakeZip(const std::vector<std::pair<std::string, std::string>>& files) {
  struct archive* a = archive_write_new();
  archive_write_set_format_zip(a);
  std::vector<char> buffer(1 << 20);
  size_t used = 0;
  archive_write_open_memory(a, buffer.data(), buffer.size(), &used);
  for (const auto& [name, content] : files) {
    struct archive_entry* e = archive_entry_new();
    archive_entry_set_pathname(e, name.c_str());
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_size(e, static_cast<la_int64_t>(content.size()));
    archive_write_header(a, e);
    archive_write_data(a, content.data(), content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return std::string(buffer.data(), used);
}

std::string Sha512Hex(const std::string& bytes) {
  util::Sha512 h;
  h.Update(bytes);
  return h.FinishHex();
}

// An instance as it boots: a root disk, the data volume attached, the release downloadable.
struct Instance {
  testing::FakeHost host;
  BootstrapOptions options;
  BootstrapHooks hooks;
  std::vector<std::string> log;
  int chainstate_restores = 0;

  explicit Instance(const std::string& env) {
    const config::Config config = testing::ConfigFrom(env);
    host.files[paths::kSettings].content = templates::RenderNodeSettings(config).content;
    host.devices = {{"/dev/nvme0n1", "Amazon Elastic Block Store", "vol0aaaaaaaaaaaaaaaa",
                     50ull << 30, true, true},
                    {"/dev/nvme1n1", "Amazon Elastic Block Store", "vol0123456789abcdef0",
                     2048ull << 30, false, false}};
    host.device_links["/dev/sdf"] = "/dev/nvme1n1";
    const std::string zip = MakeZip(
        {{"stacks-node", "#!node"}, {"stacks-signer", "#!signer"}, {"stacks-cli", "#!cli"}});
    const std::string arm_zip = MakeZip({{"stacks-node", "#!arm-node"}, {"stacks-signer", "#!s"}});
    ServeRelease("4.0.2", zip, arm_zip);
    // Installing the CloudWatch agent package puts its control script in place.
    host.on_command = [this](const std::vector<std::string>& argv) -> CommandResult {
      if (argv[0] == "dnf") {
        host.files["/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl"] = {};
      }
      return {0, ""};
    };
    options.settings_path = paths::kSettings;
    options.cfn_stack = "stacks-single-node-follower";
    options.cfn_resource = "NodeInstance";
    options.data_volume = kVolume;
    options.release_base_url = kBase;
    hooks.fetch_chainstate = [this](NodeHost& h, const config::Config&, std::string*, const Log&) {
      ++chainstate_restores;
      return h.WriteFile(paths::kChainstateReady, "ok\n", 0644, "stacks", "stacks").ok;
    };
  }
  void ServeRelease(const std::string& version, const std::string& x64, const std::string& arm) {
    const std::string base = std::string(kBase) + "/download/" + version + "/";
    host.http[base + "linux-glibc-x64.zip"].body = x64;
    host.http[base + "linux-glibc-arm64.zip"].body = arm;
    host.http[base + "CHECKSUMS.txt"].body =
        Sha512Hex(x64) + "  linux-glibc-x64.zip\n" + Sha512Hex(arm) + "  linux-glibc-arm64.zip\n";
  }
  BootstrapResult Run() {
    return RunBootstrap(host, options, hooks, [this](const std::string& l) { log.push_back(l); });
  }
  const StepOutcome* Step(const BootstrapResult& r, const std::string& name) {
    for (const auto& s : r.steps) {
      if (s.step == name) return &s;
    }
    return nullptr;
  }
};

TEST(Bootstrap, FreshMainnetFollowerEndToEnd) {
  Instance i("");
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.failed_step << ": " << r.error;
  std::vector<std::string> steps;
  for (const auto& s : r.steps) steps.push_back(s.step);
  EXPECT_EQ(steps, BootstrapSteps());
  // Users: the node's and the agent's, no signer's.
  EXPECT_EQ(i.host.users, (std::set<std::string>{"stacks", "stacks-agent"}));
  // The data volume: formatted once, in fstab by UUID, mounted.
  EXPECT_EQ(i.host.mkfs_count, 1);
  const std::string uuid = i.host.filesystems["/dev/nvme1n1"].uuid;
  EXPECT_THAT(i.host.files["/etc/fstab"].content,
              HasSubstr("UUID=" + uuid + " /var/lib/stacks xfs defaults,noatime,nofail 0 2"));
  EXPECT_TRUE(i.host.mounted.count("/var/lib/stacks"));
  EXPECT_TRUE(i.host.directories.count("/var/lib/stacks/node"));
  // The release, verified and installed.
  EXPECT_EQ(i.host.files["/opt/stacks/4.0.2/stacks-node"].content, "#!node");
  EXPECT_EQ(i.host.files["/opt/stacks/4.0.2/stacks-node"].mode, 0755);
  EXPECT_FALSE(i.host.files.count("/opt/stacks/4.0.2/stacks-cli"));
  EXPECT_EQ(i.host.symlinks["/opt/stacks/current"], "/opt/stacks/4.0.2");
  EXPECT_EQ(i.host.files[paths::kInstalledVersion].content, "4.0.2\n");
  // Configs, checked before start.
  EXPECT_THAT(i.host.files[paths::kNodeConfig].content, HasSubstr("mode = \"mainnet\""));
  EXPECT_TRUE(i.host.Ran({paths::kNodeBinary, "check-config", "--config", paths::kNodeConfig}));
  EXPECT_TRUE(i.host.Ran({"systemctl", "enable", "stacks-runner-agent.service"}));
  EXPECT_TRUE(i.host.Ran({"systemctl", "enable", "stacks-node.service"}));
  // The agent, as its own user, observing this single node (no launch hook to complete).
  const std::string agent_unit = i.host.files[paths::kAgentUnit].content;
  EXPECT_THAT(agent_unit, HasSubstr("User=stacks-agent\n"));
  EXPECT_THAT(agent_unit,
              HasSubstr("ExecStart=/opt/stacks-runner/bin/stacks-runner node agent --settings "
                        "/etc/stacks-runner/node.env\n"));
  EXPECT_TRUE(i.host.directories.count(paths::kRunnerLogDir));
  // The chainstate restored, then the services, then the signal: SUCCESS last.
  EXPECT_EQ(i.chainstate_restores, 1);
  ASSERT_EQ(i.host.signals.size(), 1u);
  EXPECT_TRUE(i.host.signals[0].success);
  EXPECT_EQ(i.host.signals[0].stack, "stacks-single-node-follower");
  EXPECT_EQ(i.host.signals[0].logical_id, "NodeInstance");
  EXPECT_EQ(i.host.signals[0].unique_id, "i-0123456789abcdef0");
  EXPECT_THAT(i.log, Contains(HasSubstr("bootstrap: step data-volume: changed")));
}

TEST(Bootstrap, RerunChangesNothing) {
  Instance i("");
  ASSERT_TRUE(i.Run().ok);
  const size_t downloads = i.host.http_requests.size();
  i.host.commands.clear();
  const BootstrapResult again = i.Run();
  ASSERT_TRUE(again.ok) << again.error;
  for (const auto& s : again.steps) {
    if (s.step != "signal") {
      EXPECT_FALSE(s.changed) << s.step << ": " << s.detail;
    }
  }
  EXPECT_EQ(i.host.mkfs_count, 1);
  EXPECT_EQ(i.host.http_requests.size(), downloads);  // nothing downloaded again
  EXPECT_EQ(i.chainstate_restores, 1);
  EXPECT_FALSE(i.host.Ran({"systemctl", "restart", "stacks-node.service"}));
  EXPECT_FALSE(i.host.Ran({"systemctl", "start", "stacks-node.service"}));
  EXPECT_FALSE(i.host.Ran({"systemctl", "restart", "stacks-runner-agent.service"}));
}

TEST(Bootstrap, VolumeThatHoldsDataIsNeverFormatted) {
  Instance i("");
  i.host.filesystems["/dev/nvme1n1"] = {"xfs", "11111111-2222-3333-4444-555555555555"};
  ASSERT_TRUE(i.Run().ok);
  EXPECT_EQ(i.host.mkfs_count, 0);
  EXPECT_THAT(i.host.files["/etc/fstab"].content,
              HasSubstr("UUID=11111111-2222-3333-4444-555555555555 /var/lib/stacks xfs"));
  EXPECT_THAT(i.log, Contains(HasSubstr("keeping its data")));
}

TEST(Bootstrap, StaleFstabEntryIsReplacedNotDuplicated) {
  Instance i("");
  i.host.files["/etc/fstab"].content =
      "UUID=root / xfs defaults 0 0\nUUID=old /var/lib/stacks xfs defaults 0 2\n";
  i.host.filesystems["/dev/nvme1n1"] = {"xfs", "new-uuid"};
  ASSERT_TRUE(i.Run().ok);
  EXPECT_EQ(i.host.files["/etc/fstab"].content,
            "UUID=root / xfs defaults 0 0\n"
            "UUID=new-uuid /var/lib/stacks xfs defaults,noatime,nofail 0 2\n");
}

TEST(Bootstrap, FailureMidwaySignalsFailureWithTheStepAndStopsThere) {
  Instance i("");
  i.host.on_command = [](const std::vector<std::string>& argv) -> CommandResult {
    if (argv.size() > 1 && argv[1] == "check-config") {
      return {1, "WARN Invalid config: unknown field `foo`"};
    }
    return {0, ""};
  };
  const BootstrapResult r = i.Run();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failed_step, "check-config");
  EXPECT_THAT(r.error, HasSubstr("Invalid config: unknown field `foo`"));
  ASSERT_EQ(i.host.signals.size(), 1u);
  EXPECT_FALSE(i.host.signals[0].success);
  EXPECT_EQ(i.host.signals[0].unique_id, "i-0123456789abcdef0 failed at check-config");
  EXPECT_FALSE(i.host.Ran({"systemctl", "daemon-reload"}));  // nothing after the failure
}

TEST(Bootstrap, AgentRunsBeforeTheChainstateRestore) {
  // A restore can outlast the launch hook's heartbeat timeout: the agent heartbeats meanwhile.
  Instance i("STACKS_NODE_CONFIGURATION=follower\n");
  bool agent_started_before_restore = false;
  i.hooks.fetch_chainstate = [&](NodeHost& h, const config::Config&, std::string*, const Log&) {
    agent_started_before_restore =
        i.host.Ran({"systemctl", "start", "stacks-runner-agent.service"}) ||
        i.host.Ran({"systemctl", "restart", "stacks-runner-agent.service"});
    return h.WriteFile(paths::kChainstateReady, "ok\n", 0644, "stacks", "stacks").ok;
  };
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(agent_started_before_restore);
}

TEST(Bootstrap, HaFailureAbandonsTheLaunch) {
  Instance i("");
  i.options.cfn_stack.clear();
  i.options.asg = "stacks-ha-nodes-follower";
  i.options.lifecycle_hook = "stacks-ha-nodes-follower";
  i.options.data_volume.clear();
  i.options.data_device = "/dev/sdf";
  i.host.http.clear();  // the release cannot be downloaded
  const BootstrapResult r = i.Run();
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.failed_step, "stacks-release");
  ASSERT_EQ(i.host.lifecycle_actions.size(), 1u);
  EXPECT_FALSE(i.host.lifecycle_actions[0].second);
  EXPECT_TRUE(i.host.signals.empty());
}

TEST(Bootstrap, HaNodeFindsItsVolumeByDeviceNameAndLeavesTheHookToTheAgent) {
  Instance i("");
  i.options.cfn_stack.clear();
  i.options.asg = "stacks-ha-nodes-follower";
  i.options.lifecycle_hook = "stacks-ha-nodes-follower";
  i.options.data_volume.clear();
  i.options.data_device = "/dev/sdf";
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(i.host.mounted.count("/var/lib/stacks"));
  EXPECT_TRUE(i.host.lifecycle_actions.empty());
  EXPECT_THAT(i.Step(r, "signal")->detail, HasSubstr("agent completes the launch hook"));
  // The agent it leaves the hook to knows the group and the hook, and runs.
  EXPECT_THAT(i.host.files[paths::kAgentUnit].content,
              HasSubstr(" node agent --settings /etc/stacks-runner/node.env --asg "
                        "stacks-ha-nodes-follower --lifecycle-hook stacks-ha-nodes-follower\n"));
  EXPECT_THAT(i.Step(r, "services")->detail, HasSubstr("stacks-runner-agent"));
}

TEST(Bootstrap, MissingDeviceFailsAfterWaiting) {
  Instance i("");
  i.host.devices.pop_back();
  i.options.device_wait = std::chrono::seconds(30);
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "data-volume");
  EXPECT_THAT(r.error, HasSubstr("no block device for EBS volume vol-0123456789abcdef0"));
  EXPECT_EQ(i.host.slept, std::chrono::seconds(30));
}

TEST(Bootstrap, RootDiskIsNeverTakenForTheDataVolume) {
  Instance i("");
  i.host.devices[1].has_partitions = true;
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "data-volume");
  EXPECT_THAT(r.error, HasSubstr("has partitions"));
  EXPECT_EQ(i.host.mkfs_count, 0);
}

TEST(Bootstrap, X86WithoutAvx2IsRefused) {
  Instance i("");
  i.host.cpu_flags = "fpu sse sse2 avx";
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "stacks-release");
  EXPECT_THAT(r.error, HasSubstr("no AVX2"));
}

TEST(Bootstrap, Graviton) {
  Instance i("STACKS_INSTANCE_TYPE=m7g.large\n");
  i.host.architecture = "aarch64";
  i.host.cpu_flags = "fp asimd";
  ASSERT_TRUE(i.Run().ok);
  EXPECT_EQ(i.host.files["/opt/stacks/4.0.2/stacks-node"].content, "#!arm-node");
}

TEST(Bootstrap, TamperedZipIsRefusedAndNothingIsKept) {
  Instance i("");
  i.host.http[std::string(kBase) + "/download/4.0.2/linux-glibc-x64.zip"].body =
      MakeZip({{"stacks-node", "#!evil"}});
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "stacks-release");
  EXPECT_THAT(r.error, HasSubstr("does not match the release's CHECKSUMS.txt"));
  for (const auto& [path, file] : i.host.files) {
    EXPECT_EQ(path.find("/opt/stacks/"), std::string::npos) << path;
  }
  EXPECT_FALSE(i.host.signals.empty());
  EXPECT_FALSE(i.host.signals.back().success);
}

TEST(Bootstrap, LatestIsResolvedOnceAndRecorded) {
  Instance i("STACKS_VERSION=latest\n");
  i.host.http[std::string(kBase) + "/latest"] = {200, "", std::string(kBase) + "/tag/4.0.2"};
  ASSERT_TRUE(i.Run().ok);
  EXPECT_EQ(i.host.files[paths::kInstalledVersion].content, "4.0.2\n");
  // A newer release appears; this node keeps the one it installed.
  i.host.http[std::string(kBase) + "/latest"].location = std::string(kBase) + "/tag/4.0.3";
  const size_t before = i.host.http_requests.size();
  ASSERT_TRUE(i.Run().ok);
  EXPECT_EQ(i.host.http_requests.size(), before);
  EXPECT_EQ(i.host.symlinks["/opt/stacks/current"], "/opt/stacks/4.0.2");
}

TEST(Bootstrap, TestnetSyncsFromGenesisWithoutAChainstateStep) {
  Instance i("STACKS_NETWORK=testnet\n");
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(i.chainstate_restores, 0);
  EXPECT_THAT(i.Step(r, "chainstate")->detail, HasSubstr("syncs from genesis"));
}

TEST(Bootstrap, SignerNeedsItsSecrets) {
  Instance i("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "configs");
  EXPECT_THAT(r.error, HasSubstr("secrets"));
  EXPECT_EQ(i.host.users, (std::set<std::string>{"stacks", "stacks-agent", "stacks-signer"}));
}

TEST(Bootstrap, SignerStartsBeforeItsNode) {
  Instance i("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  i.hooks.secrets = [](const config::Config&, NodeSecrets* s, PublicIdentity*, std::string*) {
    s->signer_private_key = std::string(64, 'b');
    s->auth_token = "token";
    return true;
  };
  i.host.on_command = [](const std::vector<std::string>& argv) -> CommandResult {
    // Nothing runs yet, so each unit is started.
    if (argv.size() > 1 && argv[1] == "is-active") return {3, ""};
    return {0, ""};
  };
  const BootstrapResult r = i.Run();
  EXPECT_EQ(r.failed_step, "services");  // is-active keeps saying no
  size_t signer_at = 0, node_at = 0, agent_at = 0;
  for (size_t k = 0; k < i.host.commands.size(); ++k) {
    if (i.host.commands[k] ==
        std::vector<std::string>{"systemctl", "start", "stacks-runner-agent.service"}) {
      agent_at = k;
    }
    if (i.host.commands[k] ==
        std::vector<std::string>{"systemctl", "start", "stacks-signer.service"}) {
      signer_at = k;
    }
    if (i.host.commands[k] ==
        std::vector<std::string>{"systemctl", "start", "stacks-node.service"}) {
      node_at = k;
    }
  }
  EXPECT_GT(signer_at, 0u);
  EXPECT_GT(node_at, signer_at);
  // The agent first, before the chainstate restore: it reports (and in HA heartbeats) the boot.
  EXPECT_GT(agent_at, 0u);
  EXPECT_LT(agent_at, signer_at);
  EXPECT_EQ(i.host.files[paths::kSignerConfig].mode, 0600);
}

// A signer's or miner's secrets as the hook gives them, with their public identity.
void GiveSecrets(Instance& i) {
  i.hooks.secrets = [](const config::Config& c, NodeSecrets* s, PublicIdentity* id, std::string*) {
    s->signer_private_key = std::string(64, 'b');
    s->auth_token = "token";
    id->signer_address = "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7";
    id->signer_public_key = "02" + std::string(64, 'c');
    if (c.role == config::Role::kMiner) {
      s->miner_seed = s->mining_key = std::string(64, 'd');
      s->bitcoin_rpc_username = "miner";
      s->bitcoin_rpc_password = "rpc-password";
      id->miner_address = "SP000000000000000000002Q6VF78";
    }
    return true;
  };
}

constexpr char kHandle[] =
    "https://cloudformation-waitcondition-us-east-1.s3.amazonaws.com/arn%3Aaws%3Acloudformation"
    "/NodeIdentity?X-Amz-Signature=abc";

TEST(Bootstrap, SignerPublishesItsIdentityOnceToTheWaitCondition) {
  Instance i("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  GiveSecrets(i);
  i.options.identity_url = kHandle;
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.failed_step << ": " << r.error;
  ASSERT_EQ(i.host.puts.size(), 2u);
  EXPECT_EQ(i.host.puts[0].first, kHandle);
  const auto first = nlohmann::json::parse(i.host.puts[0].second);
  EXPECT_EQ(first, (nlohmann::json{{"Status", "SUCCESS"},
                                   {"Reason", "public identity"},
                                   {"UniqueId", "signer-address"},
                                   {"Data", "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7"}}));
  EXPECT_EQ(nlohmann::json::parse(i.host.puts[1].second)["UniqueId"], "signer-public-key");
  EXPECT_EQ(nlohmann::json::parse(i.host.puts[1].second)["Data"], "02" + std::string(64, 'c'));
  EXPECT_THAT(i.Step(r, "identity")->detail, HasSubstr("signer-address, signer-public-key"));
  // The handle's URL expires: a reboot does not send again what was sent.
  const BootstrapResult again = i.Run();
  ASSERT_TRUE(again.ok) << again.error;
  EXPECT_EQ(i.host.puts.size(), 2u);
  EXPECT_EQ(i.Step(again, "identity")->detail, "published earlier");
}

TEST(Bootstrap, MinerPublishesItsAddressTooAndARefusalOnlyWarns) {
  Instance i(
      "STACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:btc-"
      "AbCdEf\n");
  GiveSecrets(i);
  i.options.identity_url = kHandle;
  i.host.put_status = 403;  // the handle's URL expired: the node still starts
  const BootstrapResult refused = i.Run();
  ASSERT_TRUE(refused.ok) << refused.error;
  EXPECT_THAT(i.Step(refused, "identity")->detail,
              HasSubstr("refused the signer-address signal: HTTP 403"));
  EXPECT_EQ(i.host.puts.size(), 1u);  // a refusal is not retried
  bool warned = false;
  for (const auto& line : i.log) {
    EXPECT_THAT(line, ::testing::Not(HasSubstr("X-Amz-Signature")));
    warned |= line.find("identity: warning:") != std::string::npos;
  }
  EXPECT_TRUE(warned);
  i.host.put_status = 200;
  i.host.puts.clear();
  ASSERT_TRUE(i.Run().ok);
  ASSERT_EQ(i.host.puts.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(i.host.puts[2].second)["UniqueId"], "miner-address");
  EXPECT_EQ(nlohmann::json::parse(i.host.puts[2].second)["Data"], "SP000000000000000000002Q6VF78");
}

TEST(Bootstrap, AFailingHandleIsTriedThreeTimesThenTheNodeStartsAnyway) {
  Instance i("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
  GiveSecrets(i);
  i.options.identity_url = kHandle;
  i.host.put_status = 503;
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(i.host.puts.size(), 3u);
  EXPECT_THAT(i.Step(r, "identity")->detail, HasSubstr("HTTP 503"));
}

TEST(Bootstrap, FollowerWithoutAHandlePublishesNothing) {
  Instance i("");
  i.options.identity_url = kHandle;
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(i.host.puts.empty());
  EXPECT_THAT(i.Step(r, "identity")->detail, HasSubstr("no identity"));
}

// --- The secret scan: a signer and a miner booted end to end with real-looking secrets ---------

// Secrets Manager in memory: a value per id (nullopt: created empty), stores what it is given.
class MapStore : public SecretStore {
 public:
  std::map<std::string, std::optional<std::string>> values;
  aws::AwsResult<std::optional<std::string>> Get(const std::string& id) override {
    auto it = values.find(id);
    if (it == values.end()) {
      return aws::MakeError(aws::AwsError::Kind::kService, "ResourceNotFoundException", "no");
    }
    return it->second;
  }
  aws::AwsResult<aws::Unit> Put(const std::string& id, const std::string& value,
                                const std::string&) override {
    values[id] = value;
    return aws::Unit{};
  }
};

constexpr char kScanSignerArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:sig";
constexpr char kScanMinerArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:min";
constexpr char kScanBitcoindArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:btc";

// Boots `env` with the secrets in `store`, then checks that no secret value (nor a private key's
// 64-hex core) appears anywhere but in the two 0600 configuration files: not in another file, a
// command line, a log line or an identity signal.
void ScanBoot(const std::string& env, MapStore& store) {
  Instance i(env);
  i.options.identity_url = "https://wait.example/handle?X-Amz-Signature=0";
  i.hooks.secrets = [&](const config::Config& c, NodeSecrets* secrets, PublicIdentity* identity,
                        std::string* error) {
    auto loaded = LoadNodeSecrets(store, c, {kScanSignerArn, kScanMinerArn, kScanBitcoindArn},
                                  "i-0123456789abcdef0", error,
                                  [&](const std::string& l) { i.log.push_back(l); });
    if (!loaded) return false;
    *secrets = loaded->secrets;
    *identity = loaded->identity;
    return true;
  };
  const BootstrapResult r = i.Run();
  ASSERT_TRUE(r.ok) << r.failed_step << ": " << r.error;

  // The secret values, as they are stored now (a first boot generated some).
  std::vector<std::string> secrets;
  std::string error;
  for (const auto& [id, value] : store.values) {
    if (!value) continue;
    if (auto signer = keys::ParseSignerSecret(*value, &error)) {
      secrets.push_back(signer->private_key);
      secrets.push_back(signer->auth_password);
    } else if (auto miner = keys::ParseMinerSecret(*value, &error)) {
      secrets.push_back(miner->private_key);
    }
    if (auto bitcoind = keys::ParseBitcoindSecret(*value, &error)) {
      secrets.push_back(bitcoind->password);
    }
  }
  std::erase(secrets, std::string());
  for (size_t k = 0, n = secrets.size(); k < n; ++k) {
    if (secrets[k].size() == 66) secrets.push_back(secrets[k].substr(0, 64));
  }
  ASSERT_GE(secrets.size(), 3u);

  std::set<std::string> holders;
  for (const auto& [path, file] : i.host.files) {
    for (const auto& secret : secrets) {
      if (file.content.find(secret) == std::string::npos) continue;
      holders.insert(path);
      EXPECT_EQ(file.mode, 0600) << path;
      EXPECT_NE(file.owner, "root") << path;
    }
  }
  std::set<std::string> expected = {paths::kNodeConfig, paths::kSignerConfig};
  EXPECT_EQ(holders, expected);
  for (const auto& secret : secrets) {
    for (const auto& line : i.log) EXPECT_EQ(line.find(secret), std::string::npos) << line;
    for (const auto& argv : i.host.commands) {
      for (const auto& arg : argv) EXPECT_EQ(arg.find(secret), std::string::npos) << arg;
    }
    for (const auto& [url, body] : i.host.puts) {
      EXPECT_EQ(body.find(secret), std::string::npos) << body;
    }
    for (const auto& signal : i.host.signals) {
      EXPECT_EQ(signal.unique_id.find(secret), std::string::npos);
    }
  }
  EXPECT_FALSE(i.host.puts.empty());
}

TEST(SecretScan, SignerSecretsReachOnlyTheSecretFiles) {
  MapStore store;
  store.values[kScanSignerArn] =
      R"({"private_key":"73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801",)"
      R"("auth_password":"Zx9-signer-auth-password-7f3a2b1c0d9e8f7a6b5c"})";
  ScanBoot(std::string("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n") +
               "STACKS_SIGNER_SECRET_ARN=" + kScanSignerArn + "\n",
           store);
}

TEST(SecretScan, MinerSecretsReachOnlyTheSecretFiles) {
  for (const char* network : {"mainnet", "testnet"}) {
    MapStore store;
    store.values[kScanSignerArn] = std::nullopt;  // created empty: the first boot fills them
    store.values[kScanMinerArn] = std::nullopt;
    store.values[kScanBitcoindArn] = R"({"username":"miner","password":"Btc-rpc-pw-5e4d3c2b1a"})";
    ScanBoot(std::string("STACKS_NETWORK=") + network +
                 "\nSTACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n"
                 "STACKS_BITCOIN_SECRET_ARN=" +
                 kScanBitcoindArn + "\n",
             store);
  }
}

TEST(Release, ChecksumsFileFormats) {
  const std::string digest(128, 'a');
  EXPECT_EQ(ChecksumFor(digest + "  linux-glibc-x64.zip\n", "linux-glibc-x64.zip"), digest);
  EXPECT_EQ(ChecksumFor(digest + " *artifacts/linux-glibc-x64.zip\n", "linux-glibc-x64.zip"),
            digest);
  EXPECT_FALSE(ChecksumFor(digest + "  linux-glibc-arm64.zip\n", "linux-glibc-x64.zip"));
  EXPECT_FALSE(ChecksumFor("abc  linux-glibc-x64.zip\n", "linux-glibc-x64.zip"));  // not SHA-512
  EXPECT_EQ(ReleaseAsset("aarch64"), "linux-glibc-arm64.zip");
  EXPECT_FALSE(ReleaseAsset("riscv64"));
}

}  // namespace
}  // namespace sr::node
