#include "cli/cost_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "cli/cli.h"
#include "cli/exit_codes.h"
#include "testing/cli_harness.h"

namespace sr::cli {
namespace {

using ::testing::HasSubstr;

using Harness = testing::CliHarness;

TEST(CostCommand, ItemizesEachStackWithItsAssumptionsAndWritesNothing) {
  Harness h;
  h.fs.files["f.env"] = "AWS_REGION=us-east-1\nSTACKS_NETWORK=testnet\n";
  EXPECT_EQ(h.Run({"cost", "--env", "f.env", "stacks-single-node"}), kExitOk) << h.err.str();
  const std::string text = h.out.str();
  EXPECT_THAT(text, HasSubstr("Monthly on-demand estimate in us-east-1"));
  EXPECT_THAT(text, HasSubstr("stacks-single-node (stacks-single-node-follower)"));
  EXPECT_THAT(text, HasSubstr("EC2 m5.large (NodeInstance): 1 instance × 730 h × $0.096"));
  EXPECT_THAT(text, HasSubstr("EBS gp3 DataVolume, storage: 512 GB × $0.08"));
  EXPECT_THAT(text, HasSubstr("Assumptions:"));
  EXPECT_EQ(h.fs.files.size(), 1u);
}

TEST(CostCommand, ARegionWithoutPricesIsBadInput) {
  Harness h;
  h.fs.files["f.env"] = "AWS_REGION=sa-east-1\n";
  EXPECT_EQ(h.Run({"cost", "--env", "f.env"}), kExitInvalidInput);
  EXPECT_THAT(h.err.str(), HasSubstr("no prices for sa-east-1; priced regions: "));
}

TEST(CostCommand, SynthsPlanLine) {
  const config::Config config =
      testing::ConfigFrom("AWS_REGION=eu-west-1\nSTACKS_INSTANCE_TYPE=m7i.large\n");
  const auto assembly = templates::Synthesize(config, {templates::StackKind::kSingleNode}, {});
  EXPECT_THAT(CostLine(config, assembly), HasSubstr("at least US$"));
  EXPECT_THAT(CostLine(config, assembly), HasSubstr("in eu-west-1"));
}

}  // namespace
}  // namespace sr::cli
