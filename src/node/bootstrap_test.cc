#include "node/bootstrap.h"

#include <archive.h>
#include <archive_entry.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

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
  i.hooks.secrets = [](const config::Config&, NodeSecrets* s, std::string*) {
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
