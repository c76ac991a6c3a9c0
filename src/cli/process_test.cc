// The built binary, as a whole process: exit codes, output streams, and what lands on disk.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sr::cli {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};

class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stacks-runner-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name) << content;
  }
  static std::string Slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  // Runs the binary in the test directory with a clean environment plus `env`.
  ProcessResult Run(const std::string& args, const std::string& env = "") {
    const std::string command = "cd '" + dir_.string() + "' && env -i PATH=/usr/bin:/bin " + env +
                                " '" + STACKS_RUNNER_BINARY + "' " + args + " >out.txt 2>err.txt";
    const int status = std::system(command.c_str());
    ProcessResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(dir_ / "out.txt");
    r.err = Slurp(dir_ / "err.txt");
    return r;
  }
  fs::path dir_;
};

TEST_F(ProcessTest, SynthOfTheSampleWritesThreeTemplates) {
  const std::string sample =
      std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs/mainnet-follower.env";
  const ProcessResult r = Run("synth --env '" + sample + "' --out out");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  for (const char* f : {"stacks-common.template.json", "stacks-single-node.template.json",
                        "stacks-ha-nodes.template.json", "manifest.json"}) {
    EXPECT_TRUE(fs::exists(dir_ / "out" / f)) << f;
  }
  EXPECT_THAT(r.out, HasSubstr("Wrote out/"));
  // No temporary files are left behind.
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "out")) {
    EXPECT_THAT(entry.path().string(), ::testing::Not(HasSubstr(".tmp-")));
  }
}

TEST_F(ProcessTest, InvalidFileExitsTwoWithOneLinePerProblemAndWritesNothing) {
  Write("bad.env", "STACKS_RPC_PORT=http\nSTACKS_DATA_VOL_TYPE=gp4\n");
  const ProcessResult r = Run("synth --env bad.env --out out");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "bad.env:1: error: STACKS_RPC_PORT=\"http\": not a whole number; accepted: "
            "1024-65535\n"
            "bad.env:2: error: STACKS_DATA_VOL_TYPE=\"gp4\": unknown volume type; accepted: gp3, "
            "gp2, io1, io2, instance-store\n");
  EXPECT_FALSE(fs::exists(dir_ / "out"));
}

TEST_F(ProcessTest, EnvironmentOverridesTheFile) {
  Write("f.env", "STACKS_NETWORK=mainnet\n");
  const ProcessResult r = Run("synth --env f.env --out out", "STACKS_NETWORK=testnet");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(Slurp(dir_ / "out" / "manifest.json"), HasSubstr("\"network\": \"testnet\""));
}

TEST_F(ProcessTest, OutputIsByteIdenticalAcrossRuns) {
  ASSERT_EQ(Run("synth --out a").exit_code, 0);
  ASSERT_EQ(Run("synth --out b").exit_code, 0);
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "a")) {
    if (!entry.is_regular_file()) continue;
    const fs::path twin = dir_ / "b" / fs::relative(entry.path(), dir_ / "a");
    EXPECT_EQ(Slurp(entry.path()), Slurp(twin)) << entry.path();
  }
}

}  // namespace
}  // namespace sr::cli
