#include "checks/report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::checks {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

CheckResult Sample() {
  CheckResult r;
  Finding open;
  open.rule_id = "AwsSolutions-EC23";
  open.stack = "stacks-single-node";
  open.stack_name = "stacks-single-node-follower";
  open.resource = "NodeSecurityGroup";
  open.resource_type = "AWS::EC2::SecurityGroup";
  open.info = "The Security Group allows for 0.0.0.0/0 or ::/0 inbound access.";
  open.detail = "tcp 20443-20443 from 0.0.0.0/0";
  r.findings.push_back(open);
  Finding iam = open;
  iam.rule_id = "AwsSolutions-IAM5";
  iam.resource = "NodeRole";
  iam.finding = "Resource::*";
  iam.detail = "";
  iam.suppressed = true;
  iam.suppression_reason = "[Resource::*] PutMetricData has \"no\" resources";
  r.findings.push_back(iam);
  Finding warn = open;
  warn.rule_id = "StacksRunner-UncheckedType";
  warn.level = Level::kWarning;
  r.findings.push_back(warn);
  return r;
}

TEST(Report, JsonUsesCdkNagsKeysAndAddsOurs) {
  const Json j = Json::parse(ReportJson(Sample(), "stacks-runner 9.9.9"));
  EXPECT_EQ(j["version"], 1);
  EXPECT_EQ(j["generator"], "stacks-runner 9.9.9");
  EXPECT_EQ(j["summary"], Json::parse(R"({"errors": 1, "warnings": 1, "suppressed": 1})"));
  ASSERT_EQ(j["findings"].size(), 3u);
  const Json& f = j["findings"][1];
  EXPECT_EQ(f["ruleId"], "AwsSolutions-IAM5");
  EXPECT_EQ(f["ruleLevel"], "Error");
  EXPECT_EQ(f["resourceId"], "NodeRole");
  EXPECT_EQ(f["findingId"], "Resource::*");
  EXPECT_EQ(f["compliance"], "Suppressed");
  EXPECT_EQ(f["exceptionReason"], "[Resource::*] PutMetricData has \"no\" resources");
  EXPECT_EQ(j["findings"][0]["compliance"], "Non-Compliant");
  EXPECT_EQ(j["findings"][0]["exceptionReason"], "N/A");
}

TEST(Report, CsvQuotesEveryField) {
  const std::string csv = ReportCsv(Sample());
  EXPECT_THAT(csv, testing::StartsWith("Rule ID,Resource ID,Compliance,Exception Reason,Rule "
                                       "Level,Rule Info,Stack,Finding ID,Detail\n"));
  EXPECT_THAT(csv, HasSubstr("\"AwsSolutions-IAM5\",\"NodeRole\",\"Suppressed\",\"[Resource::*] "
                             "PutMetricData has \"\"no\"\" resources\",\"Error\""));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);
}

TEST(Report, TerminalShowsWhatIsNotSuppressed) {
  const std::string text = FormatFindings(Sample());
  EXPECT_THAT(text, HasSubstr("Security checks: 1 error, 1 warning, 1 suppressed finding\n"));
  EXPECT_THAT(text, HasSubstr("  Error  AwsSolutions-EC23  stacks-single-node/NodeSecurityGroup: "
                              "The Security Group allows for 0.0.0.0/0 or ::/0 inbound access. "
                              "(tcp 20443-20443 from 0.0.0.0/0)\n"));
  EXPECT_THAT(text, HasSubstr("  Warning  StacksRunner-UncheckedType"));
  EXPECT_THAT(text, Not(HasSubstr("IAM5")));
}

}  // namespace
}  // namespace sr::checks
