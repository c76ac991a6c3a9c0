#include "checks/check.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::checks {
namespace {

TemplateToCheck Template(const std::string& resources) {
  TemplateToCheck t;
  t.stack = "stacks-single-node";
  t.stack_name = "stacks-single-node-follower";
  t.template_json = Json::parse(R"({"Resources": )" + resources + "}");
  return t;
}

const char kOpenGroup[] = R"({"G": {"Type": "AWS::EC2::SecurityGroup", %s "Properties": {
    "GroupDescription": "node", "SecurityGroupIngress": [
      {"IpProtocol": "tcp", "FromPort": 20444, "ToPort": 20444, "CidrIp": "0.0.0.0/0"}]}}})";

std::string Group(const std::string& metadata) {
  char buffer[1024];
  std::snprintf(buffer, sizeof buffer, kOpenGroup, metadata.c_str());
  return buffer;
}

TEST(RunChecks, FindingsNameTheStackResourceAndRule) {
  const CheckResult r = RunChecks({Template(Group(""))});
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule_id, "AwsSolutions-EC23");
  EXPECT_EQ(f.level, Level::kError);
  EXPECT_EQ(f.stack, "stacks-single-node");
  EXPECT_EQ(f.stack_name, "stacks-single-node-follower");
  EXPECT_EQ(f.resource, "G");
  EXPECT_EQ(f.resource_type, "AWS::EC2::SecurityGroup");
  EXPECT_EQ(f.detail, "tcp 20444-20444 from 0.0.0.0/0");
  EXPECT_FALSE(f.suppressed);
  EXPECT_EQ(r.Errors(), 1u);
}

TEST(RunChecks, SuppressionsInTheResourceMetadataApply) {
  const CheckResult r = RunChecks({Template(Group(R"("Metadata": {"cdk_nag": {"rules_to_suppress":
      [{"id": "AwsSolutions-EC23", "reason": "Stacks P2P is public by design"}]}},)"))});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(r.findings[0].suppressed);
  EXPECT_EQ(r.findings[0].suppression_reason, "Stacks P2P is public by design");
  EXPECT_EQ(r.Errors(), 0u);
  EXPECT_EQ(r.Suppressed(), 1u);
}

TEST(RunChecks, AMalformedSuppressionIsAnErrorOfItsOwn) {
  const CheckResult r = RunChecks({Template(Group(R"("Metadata": {"cdk_nag": {"rules_to_suppress":
      [{"id": "AwsSolutions-EC23", "reason": "why not"}]}},)"))});
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].rule_id, kSuppressionFormatRule);
  EXPECT_THAT(r.findings[0].detail, ::testing::HasSubstr("shorter than 10 characters"));
  EXPECT_EQ(r.findings[1].rule_id, "AwsSolutions-EC23");
  EXPECT_FALSE(r.findings[1].suppressed);
  EXPECT_EQ(r.Errors(), 2u);
}

TEST(RunChecks, ConfiguredPortsAreTheOnesChecked) {
  Ports ports;
  ports.p2p = 30444;
  const CheckResult r = RunChecks({Template(Group(""))}, ports);
  std::vector<std::string> ids;
  for (const auto& f : r.findings) ids.push_back(f.rule_id);
  EXPECT_THAT(ids, ::testing::Contains("StacksRunner-OnlyP2pPublic"));
}

TEST(Rules, EveryRuleHasAnIdALevelAndOneLine) {
  for (const auto& rule : AllRules()) {
    EXPECT_TRUE(rule.id.starts_with("AwsSolutions-") || rule.id.starts_with("StacksRunner-"))
        << rule.id;
    EXPECT_FALSE(rule.info.empty()) << rule.id;
    EXPECT_EQ(rule.info.find('\n'), std::string::npos) << rule.id;
    EXPECT_EQ(FindRule(rule.id), &rule);
  }
  EXPECT_EQ(FindRule("AwsSolutions-Nope"), nullptr);
}

}  // namespace
}  // namespace sr::checks
