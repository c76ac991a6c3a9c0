#include "checks/stacks_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checks/check.h"

namespace sr::checks {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

std::vector<std::string> Found(const std::string& resources_json,
                               const std::string& parameters = "{}") {
  TemplateToCheck t;
  t.stack = "s";
  t.template_json =
      Json::parse(R"({"Parameters": )" + parameters + R"(, "Resources": )" + resources_json + "}");
  std::vector<std::string> out;
  for (const auto& f : RunChecks({t}).findings) {
    if (f.rule_id.starts_with("StacksRunner-")) out.push_back(f.rule_id + "@" + f.resource);
  }
  return out;
}

std::string Group(const std::string& ingress) {
  return R"({"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "g",
      "SecurityGroupIngress": )" +
         ingress + "}}}";
}

TEST(StacksRules, P2pIsTheOnlyPortOpenToTheInternet) {
  EXPECT_THAT(Found(Group(R"([
      {"IpProtocol": "tcp", "FromPort": 20444, "ToPort": 20444, "CidrIp": "0.0.0.0/0"},
      {"IpProtocol": "udp", "FromPort": 20444, "ToPort": 20444, "CidrIpv6": "::/0"},
      {"IpProtocol": "tcp", "FromPort": 20443, "ToPort": 20443, "CidrIp": "10.0.0.0/8"}])")),
              IsEmpty());
  const auto rpc = Found(Group(R"([
      {"IpProtocol": "tcp", "FromPort": 20443, "ToPort": 20443, "CidrIp": "0.0.0.0/0"}])"));
  EXPECT_THAT(rpc, Contains("StacksRunner-RpcNotPublic@G"));
  EXPECT_THAT(rpc, Contains("StacksRunner-OnlyP2pPublic@G"));
  // Metrics and the signer endpoint, through a range or all traffic, over IPv6 too.
  EXPECT_THAT(Found(Group(R"([{"IpProtocol": "tcp", "FromPort": 9000, "ToPort": 9999,
                              "CidrIpv6": "::/0"}])")),
              Contains("StacksRunner-RpcNotPublic@G"));
  EXPECT_THAT(Found(Group(R"([{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}])")),
              Contains("StacksRunner-RpcNotPublic@G"));
  // Another port: not RPC, but still not P2P.
  const auto ssh = Found(Group(R"([{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                    "CidrIp": "0.0.0.0/0"}])"));
  EXPECT_THAT(ssh, Not(Contains("StacksRunner-RpcNotPublic@G")));
  EXPECT_THAT(ssh, Contains("StacksRunner-OnlyP2pPublic@G"));
  EXPECT_THAT(Found(R"({"I": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
      "GroupId": "sg", "IpProtocol": "tcp", "FromPort": 30000, "ToPort": 30001,
      "CidrIp": "0.0.0.0/0"}}})"),
              Contains("StacksRunner-RpcNotPublic@I"));
}

TEST(StacksRules, AParameterWhoseDefaultIsTheInternetCountsAsOpen) {
  const std::string ingress =
      R"([{"IpProtocol": "tcp", "FromPort": 20443, "ToPort": 20443, "CidrIp": {"Ref": "Rpc"}}])";
  EXPECT_THAT(Found(Group(ingress), R"({"Rpc": {"Type": "String", "Default": "0.0.0.0/0"}})"),
              Contains("StacksRunner-RpcNotPublic@G"));
  EXPECT_THAT(Found(Group(ingress), R"({"Rpc": {"Type": "String"}})"), IsEmpty());
  EXPECT_THAT(Found(Group(R"([{"IpProtocol": "tcp", "FromPort": 20443, "ToPort": 20443,
      "CidrIp": {"Fn::If": ["Open", "0.0.0.0/0", "10.0.0.0/8"]}}])")),
              Contains("StacksRunner-RpcNotPublic@G"));
}

TEST(StacksRules, Imdsv2OnInstancesAndLaunchTemplates) {
  const auto found = Found(R"({
      "A": {"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {
        "HttpEndpoint": "enabled", "HttpTokens": "required"}}},
      "B": {"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {
        "HttpTokens": "optional"}}},
      "C": {"Type": "AWS::EC2::Instance", "Properties": {}},
      "D": {"Type": "AWS::EC2::Instance", "Properties": {"MetadataOptions": {
        "HttpEndpoint": "disabled"}}},
      "L": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {}}},
      "M": {"Type": "AWS::EC2::Instance", "Properties": {"LaunchTemplate": {
        "LaunchTemplateId": {"Ref": "L"}, "Version": "1"}}}})");
  EXPECT_THAT(found, Not(Contains("StacksRunner-Imdsv2@A")));
  EXPECT_THAT(found, Contains("StacksRunner-Imdsv2@B"));
  EXPECT_THAT(found, Contains("StacksRunner-Imdsv2@C"));
  EXPECT_THAT(found, Not(Contains("StacksRunner-Imdsv2@D")));
  EXPECT_THAT(found, Contains("StacksRunner-Imdsv2@L"));
  EXPECT_THAT(found, Not(Contains("StacksRunner-Imdsv2@M")));  // the launch template's finding
}

// A signer's or miner's user data names its secrets by ARN: identifiers, not values.
TEST(StacksRules, SecretArnsAreNotSecretValues) {
  EXPECT_THAT(
      SecretLookingValues(
          "  --signer-secret 'arn:aws:secretsmanager:us-east-1:123456789012:secret:my-signer' "
          "\\\n  --bitcoind-secret "
          "'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:btc-AbCdEf' \\\n"
          "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:1:secret:b\n"),
      ::testing::ElementsAre());
  // A password next to an ARN is still found.
  EXPECT_THAT(SecretLookingValues("x=arn:aws:s3:::b password=hunter22\n"),
              ::testing::ElementsAre(HasSubstr("password")));
}

TEST(StacksRules, SecretLookingValuesNeverShowTheValue) {
  const auto found = SecretLookingValues(
      "#!/bin/bash\n"
      "export BITCOIN_RPC_PASSWORD=foundation\n"
      "token=$(curl -s http://x)\n"
      "password_file=/etc/stacks/pw\n"
      "key=AKIAABCDEFGHIJKLMNOP\n"
      "-----BEGIN EC PRIVATE KEY-----\n"
      "signer=" +
      std::string(64, 'a') + "01\n" + "miner=" + std::string(64, 'b') + "\n");
  ASSERT_EQ(found.size(), 5u) << ::testing::PrintToString(found);
  EXPECT_THAT(found[0], HasSubstr("line 2: a value assigned to BITCOIN_RPC_PASSWORD"));
  EXPECT_THAT(found[1], HasSubstr("line 5: an AWS access key id"));
  EXPECT_THAT(found[2], HasSubstr("line 6: a PEM private key"));
  EXPECT_THAT(found[3], HasSubstr("line 7: 66 hex digits"));
  EXPECT_THAT(found[4], HasSubstr("line 8: 64 hex digits"));
  for (const auto& f : found) EXPECT_THAT(f, Not(HasSubstr("foundation")));
}

TEST(StacksRules, DigestsAndPublicKeysAreNotSecrets) {
  const std::string digest(64, 'c');
  EXPECT_THAT(SecretLookingValues("fetch 'settings/" + digest + ".env' '" + digest + "'\n"),
              IsEmpty());
  EXPECT_THAT(SecretLookingValues("echo \"" + digest + "  file\" | sha256sum --check\n"),
              IsEmpty());
  EXPECT_THAT(SecretLookingValues("seed=02" + std::string(64, 'd') + "@seed.example:20444\n"),
              IsEmpty());
}

TEST(StacksRules, UserDataIsReadWithItsSubstitutions) {
  const auto found = Found(R"({"I": {"Type": "AWS::EC2::Instance", "Properties": {
      "MetadataOptions": {"HttpTokens": "required"},
      "UserData": {"Fn::Base64": {"Fn::Sub": ["x\npassword=${Pw}\n", {"Pw": "hunter2hunter2"}]}}}}})");
  EXPECT_THAT(found, Contains("StacksRunner-UserDataSecrets@I"));
  EXPECT_THAT(Found(R"({"I": {"Type": "AWS::EC2::Instance", "Properties": {
      "MetadataOptions": {"HttpTokens": "required"},
      "UserData": {"Fn::Base64": {"Fn::Sub": "password=${Pw}\n"}}}}})",
                    R"({"Pw": {"Type": "String", "NoEcho": true}})"),
              IsEmpty());
  EXPECT_EQ(
      RenderUserData(Json::parse(R"({"Fn::Base64": {"Fn::Join": ["", ["a", {"Ref": "X"}]]}})"),
                     Resolver(Json::object())),
      "a${?}");
}

TEST(StacksRules, LaunchTemplateVolumesAreEncrypted) {
  EXPECT_THAT(Found(R"({"L": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {
      "LaunchTemplateData": {"MetadataOptions": {"HttpTokens": "required"},
      "BlockDeviceMappings": [{"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}},
                              {"DeviceName": "/dev/sdf", "Ebs": {"VolumeSize": 10}},
                              {"DeviceName": "/dev/sdg", "VirtualName": "ephemeral0"}]}}}})"),
              Contains("StacksRunner-LaunchTemplateEncrypted@L"));
}

TEST(StacksRules, ProvisionedIopsAboveSixteenThousandWarn) {
  TemplateToCheck t;
  t.template_json = Json::parse(R"({"Resources": {
      "V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true, "VolumeType": "io2",
            "Iops": 64000}},
      "W": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": true, "VolumeType": "gp3",
            "Iops": 64000}}}})");
  const CheckResult r = RunChecks({t});
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].rule_id, "StacksRunner-ProvisionedIops");
  EXPECT_EQ(r.findings[0].level, Level::kWarning);
  EXPECT_EQ(r.Errors(), 0u);
  EXPECT_EQ(r.Warnings(), 1u);
}

TEST(StacksRules, SecretsAreNeverGrantedToARoleTheStackDoesNotCreate) {
  const std::string role = R"("Role": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {"Statement": []}}})";
  auto policy = [](const std::string& roles, const std::string& action) {
    return R"("P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "Roles": )" +
           roles + R"(, "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": )" + action +
           R"(, "Resource": "arn:aws:secretsmanager:us-east-1:1:secret:s-AbCdEf"}]}}})";
  };
  const std::string imported = R"([{"Fn::ImportValue": "StacksNodeInstanceRoleName"}])";
  const std::string own = R"([{"Ref": "Role"}])";
  // The stack's own role: fine. An imported or named role: every node that shares it gets it.
  EXPECT_THAT(Found("{" + role + ", " + policy(own, R"("secretsmanager:GetSecretValue")") + "}"),
              Not(Contains("StacksRunner-SecretsOnSharedRole@P")));
  EXPECT_THAT(Found("{" + role + ", " + policy(imported, R"("secretsmanager:GetSecretValue")") + "}"),
              Contains("StacksRunner-SecretsOnSharedRole@P"));
  EXPECT_THAT(Found("{" + policy(R"(["some-role"])", R"(["secretsmanager:PutSecretValue"])") + "}"),
              Contains("StacksRunner-SecretsOnSharedRole@P"));
  // Wildcards that cover Secrets Manager count; other services do not.
  for (const char* action : {R"("*")", R"("secrets*:Get*")", R"("SecretsManager:*")"}) {
    EXPECT_THAT(Found("{" + policy(imported, action) + "}"),
                Contains("StacksRunner-SecretsOnSharedRole@P"))
        << action;
  }
  EXPECT_THAT(Found("{" + policy(imported, R"(["cloudformation:SignalResource", "s3:Get*"])") + "}"),
              Not(Contains("StacksRunner-SecretsOnSharedRole@P")));
}

TEST(StacksRules, UnknownResourceTypesAreNamed) {
  EXPECT_THAT(
      Found(R"({"Q": {"Type": "AWS::SQS::Queue"}, "D": {"Type": "AWS::CloudWatch::Dashboard"}})"),
      ::testing::ElementsAre("StacksRunner-UncheckedType@Q"));
}

}  // namespace
}  // namespace sr::checks
