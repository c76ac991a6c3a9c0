// `node fetch-chainstate --root DIR` as a whole process against tests/chainstate/range_server.py:
// exit codes, the marker and the agent's progress file, and a run killed halfway whose leftover
// tree the next run removes.
#include "cli/chainstate_command.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "chainstate/test_archives.h"
#include "templates/node_settings.h"
#include "testing/fake_aws.h"
#include "testing/test_support.h"

namespace sr::cli {
namespace {

namespace fs = std::filesystem;
using chainstate::testing::Format;
using chainstate::testing::RangeServer;
using ::testing::HasSubstr;

class FetchChainstateProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = sr::testing::TestTempDir("fetch");
    root_ = dir_ / "root";
    const auto config = sr::testing::ConfigFrom("STACKS_NETWORK=mainnet\n");
    chainstate::testing::WriteFile(root_ / "etc/stacks-runner/node.env",
                                   templates::RenderNodeSettings(config).content);
    chainstate::testing::WriteFile(root_ / "var/lib/stacks-runner/installed-version", "4.0.2\n");
    archive_ =
        chainstate::testing::MakeArchive(chainstate::testing::ChainstateEntries(), Format::kZstd);
    chainstate::testing::Publish(dir_ / "www/mirror", "snap.tar.zst", archive_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  sr::testing::CliResult Fetch(const RangeServer& server, const std::string& extra = "") {
    return sr::testing::RunCli(dir_,
                               "node fetch-chainstate --root '" + root_.string() + "' --url " +
                                   server.Url("/mirror/snap.tar.zst") + " " + extra,
                               {});
  }
  fs::path Node() const { return root_ / "var/lib/stacks/node"; }

  fs::path dir_, root_;
  std::string archive_;
};

TEST_F(FetchChainstateProcess, RestoresVerifiesAndPublishesProgress) {
  RangeServer server(dir_ / "www");
  auto r = Fetch(server, "--connections 3");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("restored and verified " + util::Sha256Hex(archive_)));
  EXPECT_TRUE(fs::exists(Node() / ".stacks-runner-chainstate-ready"));
  EXPECT_TRUE(fs::exists(Node() / "mainnet/chainstate/vm/clarity/marf.sqlite.blobs"));
  const auto progress = nlohmann::json::parse(
      chainstate::testing::ReadFile(root_ / "var/lib/stacks-runner/chainstate-progress.json"));
  EXPECT_EQ(progress["phase"], "done");
  EXPECT_EQ(progress["bytes_done"], archive_.size());
  EXPECT_EQ(progress["bytes_total"], archive_.size());
  EXPECT_THAT(r.err, HasSubstr("SHA-256 verified"));

  r = Fetch(server);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("already restored"));
}

TEST_F(FetchChainstateProcess, FailureExitsOneAndLeavesNothing) {
  RangeServer server(dir_ / "www", {"--wrong-sha256"});
  auto r = Fetch(server);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("SHA-256 mismatch"));
  EXPECT_FALSE(fs::exists(Node() / "mainnet"));
  EXPECT_FALSE(fs::exists(Node() / ".stacks-runner-chainstate-ready"));
  const auto progress = nlohmann::json::parse(
      chainstate::testing::ReadFile(root_ / "var/lib/stacks-runner/chainstate-progress.json"));
  EXPECT_EQ(progress["phase"], "failed");
  EXPECT_THAT(progress["error"].get<std::string>(), HasSubstr("SHA-256 mismatch"));
}

TEST_F(FetchChainstateProcess, InvalidInputExitsTwo) {
  RangeServer server(dir_ / "www");
  EXPECT_EQ(Fetch(server, "--connections 0").exit_code, 2);
  auto r = sr::testing::RunCli(
      dir_, "node fetch-chainstate --root '" + root_.string() + "' --url ftp://x/y.tar.zst", {});
  EXPECT_EQ(r.exit_code, 2);
  chainstate::testing::WriteFile(root_ / "etc/stacks-runner/node.env", "STACKS_NETWORK=moon\n");
  r = Fetch(server);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("STACKS_NETWORK"));
}

TEST_F(FetchChainstateProcess, AKilledRunStartsOverCleanly) {
  // A slow server, so that the run is killed halfway with part of the tree written.
  auto slow = std::make_unique<RangeServer>(
      dir_ / "www", std::vector<std::string>{"--slow-after", std::to_string(archive_.size() / 2)});
  const std::string url = slow->Url("/mirror/snap.tar.zst");
  const pid_t pid = ::fork();
  if (pid == 0) {
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(STACKS_RUNNER_BINARY, STACKS_RUNNER_BINARY, "node", "fetch-chainstate", "--root",
            root_.c_str(), "--url", url.c_str(), "--connections", "1", nullptr);
    ::_exit(127);
  }
  const fs::path partial = Node() / "mainnet/burnchain/sortition/marf.sqlite";
  for (int i = 0; i < 200 && !fs::exists(partial); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(fs::exists(partial));
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_FALSE(fs::exists(Node() / ".stacks-runner-chainstate-ready"));
  slow.reset();

  RangeServer server(dir_ / "www");
  auto r = Fetch(server);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("left without its ready marker by an earlier attempt"));
  EXPECT_TRUE(fs::exists(Node() / ".stacks-runner-chainstate-ready"));
}

}  // namespace
}  // namespace sr::cli
