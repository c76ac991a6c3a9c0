// The rendered units pass `systemd-analyze verify`, and the user data passes shellcheck.
#include "node/system_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "node/layout.h"
#include "node/render.h"
#include "templates/node_settings.h"
#include "templates/user_data.h"
#include "testing/test_support.h"
#include "util/process.h"

namespace sr::node {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("stacks-runner-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void Write(const fs::path& p, const std::string& content,
           fs::perms perms = fs::perms::owner_read | fs::perms::owner_write) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << content;
  fs::permissions(p, perms);
}

// systemd-analyze verify in a root that has the system's own units (for the targets ours name)
// and the executables ours run; any complaint fails.
std::string VerifyUnits(const fs::path& root, const std::vector<std::string>& units) {
  fs::create_directories(root / "usr/lib/systemd");
  fs::copy("/usr/lib/systemd/system", root / "usr/lib/systemd/system",
           fs::copy_options::recursive | fs::copy_options::copy_symlinks |
               fs::copy_options::skip_existing);
  const auto exec = fs::perms::owner_all;
  for (const char* binary :
       {paths::kNodeBinary, paths::kSignerBinary, paths::kRunnerBinary, "/usr/bin/test"}) {
    Write(root / fs::path(binary).relative_path(), "#!/bin/sh\n", exec);
  }
  std::vector<std::string> argv = {"systemd-analyze", "verify", "--man=no",
                                   "--root=" + root.string()};
  for (const auto& u : units) argv.push_back((root / fs::path(u).relative_path()).string());
  util::SystemProcessRunner runner;
  const util::ProcessResult r = runner.Run(argv, 60s);
  if (!r.started) return "systemd-analyze could not run (install systemd): " + r.error;
  return r.out + r.err + (r.exit_code == 0 ? "" : "exit " + std::to_string(r.exit_code));
}

TEST(SystemdUnits, SignerAndNodeUnitsVerify) {
  TempDir dir;
  const Rendered r = RenderNodeFiles(
      testing::ConfigFrom("STACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n"),
      {});
  for (const auto& f : r.files) Write(dir.path() / fs::path(f.path).relative_path(), f.content);
  EXPECT_EQ(VerifyUnits(dir.path(), {paths::kNodeUnit, paths::kSignerUnit}), "");
}

TEST(SystemdUnits, FollowerUnitVerifies) {
  TempDir dir;
  const Rendered r = RenderNodeFiles(testing::ConfigFrom("STACKS_NETWORK=testnet\n"), {});
  for (const auto& f : r.files) Write(dir.path() / fs::path(f.path).relative_path(), f.content);
  EXPECT_EQ(VerifyUnits(dir.path(), {paths::kNodeUnit}), "");
}

TEST(SystemdUnits, AgentUnitVerifiesInBothForms) {
  TempDir dir;
  RenderOptions ha;
  ha.asg = "stacks-ha-nodes-follower";
  ha.lifecycle_hook = "stacks-ha-nodes-follower";
  for (const RenderOptions& options : {RenderOptions{}, ha}) {
    const fs::path root = dir.path() / (options.asg.empty() ? "single" : "ha");
    const Rendered r = RenderNodeFiles(testing::ConfigFrom(""), options);
    EXPECT_TRUE(r.problems.empty());
    for (const auto& f : r.files) Write(root / fs::path(f.path).relative_path(), f.content);
    EXPECT_EQ(VerifyUnits(root, {paths::kAgentUnit}), "");
  }
  // Its own user, its memory capped, restarted whatever happens to it.
  const std::string unit = AgentUnit(testing::ConfigFrom(""), "", "");
  EXPECT_THAT(unit, ::testing::HasSubstr("User=stacks-agent\n"));
  EXPECT_THAT(unit, ::testing::HasSubstr("MemoryMax=64M\n"));
  EXPECT_THAT(unit, ::testing::HasSubstr("Restart=always\n"));
  EXPECT_THAT(unit, ::testing::Not(::testing::HasSubstr("ReadWritePaths")));
}

TEST(SystemdUnits, AnAgentNameThatCannotGoOnItsCommandLineIsAProblem) {
  RenderOptions options;
  options.asg = "group; rm -rf /";
  options.lifecycle_hook = "hook";
  EXPECT_FALSE(RenderNodeFiles(testing::ConfigFrom(""), options).problems.empty());
}

TEST(SystemdUnits, TheCheckCatchesABadUnit) {
  TempDir dir;
  Write(dir.path() / "etc/systemd/system/bad.service",
        "[Service]\nExecStart=/opt/stacks/current/stacks-node\nKillSignal=SIGNOPE\n");
  EXPECT_THAT(VerifyUnits(dir.path(), {"/etc/systemd/system/bad.service"}),
              ::testing::HasSubstr("SIGNOPE"));
}

// shellcheck over the user data, with CloudFormation's ${...} replaced as Fn::Sub would.
std::string Shellcheck(const std::string& script) {
  const std::string rendered =
      std::regex_replace(script, std::regex(R"(\$\{[A-Za-z0-9:.]+\})"), "value");
  TempDir dir;
  Write(dir.path() / "user-data.sh", rendered);
  util::SystemProcessRunner runner;
  const util::ProcessResult r =
      runner.Run({"shellcheck", "--severity=style", (dir.path() / "user-data.sh").string()}, 60s);
  if (!r.started) return "shellcheck could not run (install shellcheck): " + r.error;
  return r.out + r.err;
}

TEST(UserData, IsShellcheckCleanInEveryForm) {
  const auto config = testing::ConfigFrom("");
  const auto settings = templates::RenderNodeSettings(config);
  for (auto placement :
       {templates::NodePlacement::kSingleNode, templates::NodePlacement::kHaGroup}) {
    for (bool instance_store : {false, true}) {
      const std::string script = templates::UserDataScript({placement, &settings, instance_store});
      EXPECT_EQ(Shellcheck(script), "") << script;
    }
  }
}

TEST(UserData, TheCheckCatchesABadScript) {
  EXPECT_THAT(Shellcheck("#!/bin/bash\nrm -rf $dir/*\n"), ::testing::HasSubstr("SC2"));
}

}  // namespace
}  // namespace sr::node
