#include "deploy/security_changes.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::deploy {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json Template(json resources) { return {{"Resources", std::move(resources)}}; }

const json kRole = {
    {"Type", "AWS::IAM::Role"},
    {"Properties",
     {{"ManagedPolicyArns", json::array({"arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"})},
      {"Policies",
       json::array({{{"PolicyName", "p"},
                     {"PolicyDocument",
                      {{"Statement", json::array({{{"Effect", "Allow"},
                                                   {"Action", "s3:GetObject"},
                                                   {"Resource", "arn:aws:s3:::b/*"}}})}}}}})}}}};

const json kGroup = {
    {"Type", "AWS::EC2::SecurityGroup"},
    {"Properties",
     {{"SecurityGroupIngress", json::array({{{"IpProtocol", "tcp"},
                                             {"FromPort", 20443},
                                             {"ToPort", 20443},
                                             {"CidrIp", {{"Ref", "VpcCidr"}}}}})}}}};

TEST(SecurityChanges, NewStackGrantsAreBroadening) {
  const auto changes = SecurityChanges(json(), Template({{"Role", kRole}, {"Sg", kGroup}}));
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_TRUE(AnyBroadening(changes));
  const std::string text = FormatSecurityChanges(changes);
  EXPECT_THAT(text, HasSubstr("+ Role (AWS::IAM::Role): managed policy"));
  EXPECT_THAT(text, HasSubstr("Allow s3:GetObject on arn:aws:s3:::b/*"));
  EXPECT_THAT(text, HasSubstr("ingress tcp 20443 from ${VpcCidr}"));
}

TEST(SecurityChanges, UnchangedGrantsAreNotReported) {
  const json t = Template({{"Role", kRole}, {"Sg", kGroup}});
  EXPECT_TRUE(SecurityChanges(t, t).empty());
}

TEST(SecurityChanges, OpeningRpcToTheInternetIsBroadening) {
  json wider = kGroup;
  wider["Properties"]["SecurityGroupIngress"][0]["CidrIp"] = "0.0.0.0/0";
  const auto changes = SecurityChanges(Template({{"Sg", kGroup}}), Template({{"Sg", wider}}));
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_TRUE(AnyBroadening(changes));
  EXPECT_THAT(FormatSecurityChanges(changes),
              HasSubstr("+ Sg (AWS::EC2::SecurityGroup): ingress tcp 20443 from 0.0.0.0/0"));
}

TEST(SecurityChanges, WithdrawingIsNotBroadening) {
  json narrower = kRole;
  narrower["Properties"]["ManagedPolicyArns"] = json::array();
  const auto changes = SecurityChanges(Template({{"Role", kRole}}), Template({{"Role", narrower}}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_FALSE(changes[0].added);
  EXPECT_FALSE(AnyBroadening(changes));
}

TEST(SecurityChanges, AddedPolicyStatementOnAnotherResourceIsBroadening) {
  json policy = {{"Type", "AWS::IAM::Policy"},
                 {"Properties",
                  {{"PolicyDocument",
                    {{"Statement", json::array({{{"Effect", "Allow"},
                                                 {"Action", "cloudformation:SignalResource"},
                                                 {"Resource", {{"Ref", "AWS::StackId"}}}}})}}}}}};
  const auto changes =
      SecurityChanges(Template({{"Role", kRole}}), Template({{"Role", kRole}, {"P", policy}}));
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_THAT(changes[0].description,
              HasSubstr("cloudformation:SignalResource on ${AWS::StackId}"));
}

}  // namespace
}  // namespace sr::deploy
