// The bootstrap hook: the installed version read through the host picks the archive, paths go
// under the root, the agent's progress file is written; a dry run downloads nothing.
#include "chainstate/bootstrap_hook.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "chainstate/test_archives.h"
#include "http/beast_http_client.h"
#include "node/layout.h"
#include "testing/fake_host.h"
#include "testing/test_support.h"

namespace sr::chainstate {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class BootstrapHookTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = sr::testing::TestTempDir("hook");
    const std::string archive =
        testing::MakeArchive(testing::ChainstateEntries(), testing::Format::kGzip);
    testing::Publish(dir_ / "www/mainnet/stacks-blockchain",
                     "mainnet-stacks-blockchain-4.0.2-latest.tar.gz", archive);
    server_ = std::make_unique<testing::RangeServer>(dir_ / "www");
    network_ = config::MainnetProfile();
    base_ = server_->Url("/mainnet/stacks-blockchain/");
    network_.archive_base = base_;
    config_ = sr::testing::ConfigFrom("STACKS_NETWORK=mainnet\n");
    config_.network = &network_;
    host_.files[node::paths::kInstalledVersion].content = "4.0.2\n";
    options_.root = (dir_ / "root").string();
    options_.make_http_client = [] {
      return std::make_unique<http::BeastHttpClient>(http::ClientOptions{});
    };
    options_.adjust_request = [](FetchRequest& r) {
      r.chunk_size = 64 << 10;
      r.buffer_limit = 256 << 10;
      r.sync_before_marker = false;
    };
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::unique_ptr<testing::RangeServer> server_;
  config::NetworkProfile network_ = config::MainnetProfile();
  std::string base_;
  config::Config config_;
  sr::testing::FakeHost host_;
  NodeFetchOptions options_;
  std::string log_;
  Log log_fn_ = [this](const std::string& line) { log_ += line + "\n"; };
};

TEST_F(BootstrapHookTest, RestoresUnderTheRootWithTheInstalledVersion) {
  auto hook = MakeBootstrapHook(options_);
  std::string error;
  ASSERT_TRUE(hook(host_, config_, &error, log_fn_)) << error << log_;
  const fs::path node = dir_ / "root/var/lib/stacks/node";
  EXPECT_TRUE(fs::exists(node / ".stacks-runner-chainstate-ready"));
  EXPECT_TRUE(fs::exists(node / "mainnet/headers.sqlite"));
  EXPECT_THAT(log_, HasSubstr("mainnet-stacks-blockchain-4.0.2-latest.tar.gz"));
  const auto progress = nlohmann::json::parse(
      testing::ReadFile(dir_ / "root/var/lib/stacks-runner/chainstate-progress.json"));
  EXPECT_EQ(progress["phase"], "done");
  EXPECT_THAT(progress["url"].get<std::string>(), HasSubstr("4.0.2-latest.tar.gz"));
}

TEST_F(BootstrapHookTest, DryRunOnlyLooksTheArchiveUp) {
  options_.dry_run = true;
  auto hook = MakeBootstrapHook(options_);
  std::string error;
  ASSERT_TRUE(hook(host_, config_, &error, log_fn_)) << error;
  EXPECT_THAT(log_, HasSubstr("dry run: would restore"));
  EXPECT_FALSE(fs::exists(dir_ / "root/var/lib/stacks/node"));
}

TEST(UnderRoot, JoinsPaths) {
  EXPECT_EQ(UnderRoot("/", "/var/lib/stacks/node"), "/var/lib/stacks/node");
  EXPECT_EQ(UnderRoot("/tmp/r/", "/var/lib/stacks/node"), "/tmp/r/var/lib/stacks/node");
}

}  // namespace
}  // namespace sr::chainstate
