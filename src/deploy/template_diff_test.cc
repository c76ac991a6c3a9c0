#include "deploy/template_diff.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::deploy {
namespace {

using ::testing::HasSubstr;

const json kDeployed = json::parse(R"({
  "Parameters": {"ImageId": {"Type": "AWS::EC2::Image::Id"}},
  "Resources": {
    "Sg": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"SecurityGroupIngress": [
      {"IpProtocol": "tcp", "FromPort": 20444, "ToPort": 20444, "CidrIp": "0.0.0.0/0"}]}},
    "Node": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.large",
      "UserData": {"Fn::Base64": {"Fn::Sub": "#!/bin/bash\necho one\necho two\n"}}}},
    "Old": {"Type": "AWS::SNS::Topic"}
  },
  "Outputs": {"nodeinstanceid": {"Value": {"Ref": "Node"}}}
})");

TEST(TemplateDiff, EqualTemplatesHaveNoDifferences) {
  EXPECT_TRUE(DiffTemplates(kDeployed, kDeployed).empty());
}

TEST(TemplateDiff, ResourceByResourceAndPropertyByProperty) {
  json local = kDeployed;
  local["Resources"]["Node"]["Properties"]["InstanceType"] = "m5.xlarge";
  local["Resources"]["Node"]["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"] =
      "#!/bin/bash\necho one\necho three\n";
  local["Resources"]["Sg"]["Properties"]["SecurityGroupIngress"].push_back(
      {{"IpProtocol", "udp"}, {"FromPort", 20444}, {"ToPort", 20444}, {"CidrIp", "0.0.0.0/0"}});
  local["Resources"].erase("Old");
  local["Resources"]["New"] = {{"Type", "AWS::SQS::Queue"}};
  local["Outputs"]["region"] = {{"Value", {{"Ref", "AWS::Region"}}}};

  const TemplateDiff diff = DiffTemplates(kDeployed, local);
  ASSERT_EQ(diff.resources.size(), 4u);  // New, Node, Old, Sg (sorted by id)
  EXPECT_EQ(diff.resources[0].kind, ResourceDiff::Kind::kAdded);
  EXPECT_EQ(diff.resources[1].logical_id, "Node");
  ASSERT_EQ(diff.resources[1].changes.size(), 2u);
  EXPECT_EQ(diff.resources[1].changes[0].path, "Properties.InstanceType");
  EXPECT_EQ(diff.resources[2].kind, ResourceDiff::Kind::kRemoved);
  EXPECT_EQ(diff.resources[3].changes[0].path, "Properties.SecurityGroupIngress[1]");
  EXPECT_FALSE(diff.resources[3].changes[0].before.has_value());
  ASSERT_EQ(diff.sections.size(), 1u);
  EXPECT_EQ(diff.sections[0].key, "region");

  const std::string text = FormatDiff(diff);
  EXPECT_THAT(text, HasSubstr("[+] AWS::SQS::Queue New"));
  EXPECT_THAT(text, HasSubstr("[-] AWS::SNS::Topic Old"));
  EXPECT_THAT(text, HasSubstr("~ Properties.InstanceType: \"m5.large\" -> \"m5.xlarge\""));
  // User data is shown line by line.
  EXPECT_THAT(text, HasSubstr("- echo two"));
  EXPECT_THAT(text, HasSubstr("+ echo three"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("echo one")));
  EXPECT_THAT(text, HasSubstr("[+] Outputs region added"));
}

TEST(TemplateDiff, NothingDeployedMeansEverythingAdded) {
  const TemplateDiff diff = DiffTemplates(json(), kDeployed);
  EXPECT_EQ(diff.resources.size(), 3u);
  for (const auto& r : diff.resources) EXPECT_EQ(r.kind, ResourceDiff::Kind::kAdded);
}

}  // namespace
}  // namespace sr::deploy
