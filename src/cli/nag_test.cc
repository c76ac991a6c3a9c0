#include "cli/nag.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "testing/test_support.h"

namespace sr::cli {
namespace {

using ::testing::HasSubstr;

TEST(Nag, PortsAreTheConfiguredOnes) {
  const config::Config config =
      testing::ConfigFrom("STACKS_P2P_PORT=30444\nSTACKS_RPC_PORT=30443\n");
  const checks::Ports ports = PortsOf(config);
  EXPECT_EQ(ports.p2p, 30444);
  EXPECT_EQ(ports.rpc, 30443);
  EXPECT_EQ(ports.private_ports.size(), 4u);
}

TEST(Nag, EveryTemplateOfTheAssemblyIsChecked) {
  const config::Config config = testing::ConfigFrom("STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0\n");
  const auto assembly = templates::Synthesize(
      config, {templates::StackKind::kCommon, templates::StackKind::kHaNodes}, {});
  const checks::CheckResult result = CheckAssembly(config, assembly);
  bool ha_rpc = false;
  for (const auto& f : result.findings) {
    ha_rpc |= f.stack == "stacks-ha-nodes" && f.rule_id == "StacksRunner-RpcNotPublic";
  }
  EXPECT_TRUE(ha_rpc);
  EXPECT_GT(result.Errors(), 0u);
  const auto files = NagReportFiles(result);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].path, "nag-report.json");
  EXPECT_EQ(files[1].path, "nag-report.csv");
}

TEST(Nag, ErrorsFailUnlessAllowed) {
  checks::CheckResult result;
  checks::Finding f;
  f.rule_id = "StacksRunner-Imdsv2";
  result.findings.push_back(f);
  std::ostringstream out, err;
  EXPECT_FALSE(ReportFindings(result, "synth", false, out, err));
  EXPECT_THAT(err.str(), HasSubstr("synth: 1 unsuppressed security error(s)"));
  std::ostringstream out2, err2;
  EXPECT_TRUE(ReportFindings(result, "deploy", true, out2, err2));
  EXPECT_THAT(err2.str(), HasSubstr("allowed by --allow-nag-errors"));
  result.findings[0].suppressed = true;
  std::ostringstream out3, err3;
  EXPECT_TRUE(ReportFindings(result, "synth", false, out3, err3));
  EXPECT_EQ(err3.str(), "");
}

// Deploy checks before it talks to AWS: an insecure template is never sent.
TEST(Nag, DeployRefusesUnsuppressedErrorsBeforeContactingAws) {
  testing::FakeFileSystem fs;
  std::ostringstream out, err;
  Context ctx;
  ctx.fs = &fs;
  ctx.out = &out;
  ctx.err = &err;
  ctx.dist_dir = "dist";
  fs.files["open.env"] = "STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0\n";
  const char* argv[] = {"stacks-runner", "deploy", "stacks-single-node", "--env", "open.env",
                        "--out",         "out"};
  EXPECT_EQ(cli::Run(ctx, 7, argv), kExitChecksFailed);
  EXPECT_THAT(err.str(), HasSubstr("deploy: nothing was deployed"));
  EXPECT_THAT(out.str(), HasSubstr("StacksRunner-RpcNotPublic"));
  EXPECT_TRUE(fs.files.count("out/nag-report.json"));
}

}  // namespace
}  // namespace sr::cli
