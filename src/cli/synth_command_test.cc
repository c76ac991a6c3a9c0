#include "cli/synth_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "testing/cli_harness.h"

namespace sr::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using Harness = testing::CliHarness;

TEST(SynthCommand, WritesEverythingAndPrintsThePlan) {
  Harness h;
  h.fs.files["f.env"] = "AWS_REGION=us-east-1\n";
  EXPECT_EQ(h.Run({"synth", "--env", "f.env", "--out", "out"}), kExitOk);
  EXPECT_EQ(h.WrittenUnder("out"), 7u);
  EXPECT_TRUE(h.fs.files.count("out/stacks-ha-nodes.template.json"));
  EXPECT_TRUE(h.fs.files.count("out/nag-report.json"));
  EXPECT_TRUE(h.fs.files.count("out/nag-report.csv"));
  const std::string plan = h.out.str();
  EXPECT_THAT(plan, HasSubstr("stacks-runner synth: f.env"));
  EXPECT_THAT(plan, HasSubstr("stacks-single-node  stacks-single-node-follower"));
  EXPECT_THAT(plan, HasSubstr("not built yet: run `make dist`"));
  EXPECT_THAT(plan, HasSubstr("Next: stacks-runner deploy stacks-common stacks-single-node "
                              "stacks-ha-nodes --env f.env"));
  EXPECT_THAT(plan, HasSubstr("  cost       about US$"));
  EXPECT_THAT(plan, HasSubstr("Security checks: 0 errors"));
  EXPECT_THAT(h.fs.files["out/nag-report.json"], HasSubstr("\"errors\": 0"));
  EXPECT_THAT(h.err.str(), IsEmpty());
}

// An insecure configuration: synth writes everything, as cdk synth with cdk-nag does, and fails.
TEST(SynthCommand, UnsuppressedSecurityErrorsWriteTheReportsAndExitThree) {
  Harness h;
  h.fs.files["open.env"] = "STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0\n";
  EXPECT_EQ(h.Run({"synth", "--env", "open.env", "--out", "out"}), kExitChecksFailed);
  EXPECT_EQ(h.WrittenUnder("out"), 7u);
  EXPECT_THAT(h.out.str(), HasSubstr("Error  StacksRunner-RpcNotPublic  stacks-single-node/"
                                     "NodeSecurityGroup"));
  EXPECT_THAT(h.err.str(), HasSubstr("unsuppressed security error(s)"));
  EXPECT_THAT(h.err.str(), HasSubstr("--allow-nag-errors"));
  const auto report = nlohmann::json::parse(h.fs.files["out/nag-report.json"]);
  EXPECT_GT(report["summary"]["errors"].get<int>(), 0);
  EXPECT_THAT(h.fs.files["out/nag-report.csv"], HasSubstr("\"StacksRunner-RpcNotPublic\""));

  Harness allowed;
  allowed.fs.files["open.env"] = "STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0\n";
  EXPECT_EQ(allowed.Run({"synth", "--env", "open.env", "--allow-nag-errors"}), kExitOk);
  EXPECT_THAT(allowed.err.str(), HasSubstr("allowed by --allow-nag-errors"));
}

TEST(SynthCommand, DefaultOutputDirectoryAndDotEnv) {
  Harness h;
  h.fs.files[".env"] = "STACKS_NETWORK=testnet\n";
  EXPECT_EQ(h.Run({"synth", "stacks-common"}), kExitOk);
  EXPECT_TRUE(h.fs.files.count("stacks.out/stacks-common.template.json"));
  EXPECT_EQ(h.WrittenUnder("stacks.out"), 4u);
  EXPECT_THAT(h.out.str(), HasSubstr("stacks-runner synth: .env"));
  EXPECT_THAT(h.out.str(), HasSubstr("testnet"));
}

TEST(SynthCommand, NoFileMeansEnvironmentOnly) {
  Harness h;
  h.ctx.environment = {{"STACKS_NETWORK", "testnet"}};
  EXPECT_EQ(h.Run({"synth"}), kExitOk);
  EXPECT_THAT(h.out.str(), HasSubstr("stacks-runner synth: environment"));
  EXPECT_THAT(h.out.str(), HasSubstr("network    testnet"));
}

TEST(SynthCommand, InvalidConfigurationPrintsEveryProblemExitsTwoAndWritesNothing) {
  Harness h;
  h.fs.files["bad.env"] =
      "STACKS_NETWORK=mainet\n"
      "STACKS_DATA_VOL_TYPE=gp4\n"
      "STACKS_DATA_VOLUME_SIZE=2048\n";
  EXPECT_EQ(h.Run({"synth", "--env", "bad.env", "--out", "out"}), kExitInvalidInput);
  EXPECT_EQ(h.WrittenUnder("out"), 0u);
  EXPECT_THAT(h.out.str(), IsEmpty());
  std::istringstream lines(h.err.str());
  std::vector<std::string> errors;
  for (std::string line; std::getline(lines, line);) errors.push_back(line);
  ASSERT_EQ(errors.size(), 3u) << h.err.str();
  EXPECT_THAT(errors[0], HasSubstr("bad.env:1: error: STACKS_NETWORK=\"mainet\""));
  EXPECT_THAT(errors[1], HasSubstr("bad.env:2: error: STACKS_DATA_VOL_TYPE=\"gp4\""));
  EXPECT_THAT(errors[2], HasSubstr("bad.env:3: error: STACKS_DATA_VOLUME_SIZE=\"2048\""));
}

TEST(SynthCommand, MissingEnvFileIsBadInput) {
  Harness h;
  EXPECT_EQ(h.Run({"synth", "--env", "missing.env"}), kExitInvalidInput);
  EXPECT_THAT(h.err.str(), HasSubstr("cannot read missing.env"));
}

TEST(SynthCommand, RefusedStackIsBadInput) {
  Harness h;
  h.fs.files["s.env"] = "STACKS_NODE_CONFIGURATION=signer\n";
  EXPECT_EQ(h.Run({"synth", "--env", "s.env", "stacks-ha-nodes"}), kExitInvalidInput);
  EXPECT_THAT(h.err.str(), HasSubstr("exactly one signer may run per signer key"));
  EXPECT_EQ(h.fs.files.size(), 1u);
}

TEST(SynthCommand, WriteFailureExitsOneAndSaysWhy) {
  Harness h;
  h.fs.fail_writes = true;
  EXPECT_EQ(h.Run({"synth", "--out", "out"}), kExitFailure);
  EXPECT_THAT(h.err.str(), HasSubstr("No space left on device"));
  EXPECT_THAT(h.out.str(), IsEmpty());
}

TEST(SynthCommand, BuiltNodeBinaryIsHashed) {
  Harness h;
  h.fs.files["dist/stacks-runner-linux-x86_64"] = "binary";
  EXPECT_EQ(h.Run({"synth", "--out", "out"}), kExitOk);
  EXPECT_THAT(h.out.str(), HasSubstr("dist/stacks-runner-linux-x86_64, sha256 "));
  EXPECT_THAT(h.fs.files["out/manifest.json"], HasSubstr("\"built\": true"));
}

TEST(Cli, UsageErrorsExitTwo) {
  Harness h;
  EXPECT_EQ(h.Run({}), kExitInvalidInput);
  EXPECT_EQ(h.Run({"frobnicate"}), kExitInvalidInput);
  EXPECT_EQ(h.Run({"synth", "--bogus"}), kExitInvalidInput);
  EXPECT_THAT(h.err.str(), HasSubstr("stacks-runner --help"));
}

TEST(Cli, HelpAndVersionExitZero) {
  Harness h;
  EXPECT_EQ(h.Run({"--help"}), kExitOk);
  EXPECT_THAT(h.out.str(), HasSubstr("synth"));
  EXPECT_EQ(h.Run({"--version"}), kExitOk);
  EXPECT_THAT(h.out.str(), HasSubstr("stacks-runner 0."));
}

TEST(Cli, DistDirectoryCanBeOverridden) {
  EXPECT_EQ(DefaultDistDir({{"STACKS_RUNNER_DIST_DIR", "/opt/dist"}}), "/opt/dist");
  EXPECT_THAT(DefaultDistDir({}), ::testing::EndsWith("/dist"));
}

}  // namespace
}  // namespace sr::cli
