#include "checks/suppressions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::checks {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

Json WithSuppressions(const std::string& list) {
  return Json::parse(
      R"({"Type": "AWS::IAM::Role", "Metadata": {"cdk_nag": {"rules_to_suppress": )" + list +
      "}}}");
}

TEST(Suppressions, WholeRuleOrGranularFindings) {
  const Suppressions s = ReadSuppressions(WithSuppressions(R"([
      {"id": "AwsSolutions-EC23", "reason": "P2P is public by design"},
      {"id": "AwsSolutions-IAM5", "reason": "PutMetricData has no resources",
       "applies_to": ["Resource::*", {"regex": "/^Action::logs:.*$/i"}]}])"));
  EXPECT_THAT(s.errors, IsEmpty());
  EXPECT_EQ(SuppressionReason(s, "AwsSolutions-EC23", ""), "P2P is public by design");
  EXPECT_EQ(SuppressionReason(s, "AwsSolutions-IAM5", "Resource::*"),
            "[Resource::*] PutMetricData has no resources");
  EXPECT_EQ(SuppressionReason(s, "AwsSolutions-IAM5", "Action::LOGS:Put*"),
            "[Action::LOGS:Put*] PutMetricData has no resources");
  EXPECT_FALSE(SuppressionReason(s, "AwsSolutions-IAM5", "Resource::arn:x:*"));
  EXPECT_FALSE(SuppressionReason(s, "AwsSolutions-IAM4", ""));
}

TEST(Suppressions, WhatCdkNagRefusesIsAnError) {
  const Suppressions s = ReadSuppressions(WithSuppressions(R"([
      {"id": "AwsSolutions-EC23", "reason": "short"},
      {"id": "AwsSolutions-IAM5[Resource::*]", "reason": "a finding in the id"},
      {"id": "AwsSolutions-IAM5", "reason": "a bad regular expression", "applies_to": [{"regex": "nope"}]},
      {"reason": "no id at all here"}])"));
  ASSERT_EQ(s.errors.size(), 4u);
  EXPECT_THAT(s.errors[0], HasSubstr("shorter than 10 characters"));
  EXPECT_THAT(s.errors[1], HasSubstr("names a finding"));
  EXPECT_THAT(s.errors[2], HasSubstr("not a string or a valid"));
  EXPECT_THAT(s.errors[3], HasSubstr("without a string id and reason"));
  EXPECT_THAT(s.items, IsEmpty());
}

TEST(Suppressions, EncodedReasonsAreDecoded) {
  // cdk-nag stores a reason with characters beyond Latin-1 in base64: "Überall offen: P2P ✓".
  const Suppressions s = ReadSuppressions(WithSuppressions(R"([{"id": "AwsSolutions-EC23",
      "reason": "w5xiZXJhbGwgb2ZmZW46IFAyUCDinJM=", "is_reason_encoded": true}])"));
  ASSERT_THAT(s.errors, IsEmpty());
  EXPECT_EQ(SuppressionReason(s, "AwsSolutions-EC23", ""), "Überall offen: P2P ✓");
}

TEST(Suppressions, NoneWithoutMetadata) {
  const Suppressions s = ReadSuppressions(Json::parse(R"({"Type": "AWS::S3::Bucket"})"));
  EXPECT_THAT(s.items, IsEmpty());
  EXPECT_THAT(s.errors, IsEmpty());
}

}  // namespace
}  // namespace sr::checks
