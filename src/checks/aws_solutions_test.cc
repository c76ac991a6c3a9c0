#include "checks/aws_solutions.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "checks/check.h"

namespace sr::checks {
namespace {

using ::testing::Contains;
using ::testing::IsEmpty;
using ::testing::Not;

// "Rule@Resource" or "Rule@Resource[finding]" of every finding of the AwsSolutions rules.
std::vector<std::string> Found(const std::string& resources_json) {
  TemplateToCheck t;
  t.stack = "s";
  t.template_json = Json::parse(R"({"Parameters": {"Cidr": {"Type": "String"}}, "Resources": )" +
                                resources_json + "}");
  std::vector<std::string> out;
  for (const auto& f : RunChecks({t}).findings) {
    if (!f.rule_id.starts_with("AwsSolutions-")) continue;
    out.push_back(f.rule_id + "@" + f.resource + (f.finding.empty() ? "" : "[" + f.finding + "]"));
  }
  return out;
}

TEST(AwsSolutions, Ec23OpenInboundOnGroupsAndIngressResources) {
  EXPECT_THAT(Found(R"({"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
      "GroupDescription": "group", "SecurityGroupIngress": [
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "CidrIp": "10.0.0.0/8"},
        {"IpProtocol": "tcp", "FromPort": 2, "ToPort": 2, "CidrIpv6": "::/0"}]}}})"),
              Contains("AwsSolutions-EC23@G"));
  EXPECT_THAT(Found(R"({"I": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {
      "GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 1, "ToPort": 1,
      "CidrIp": "0.0.0.0/0"}}})"),
              Contains("AwsSolutions-EC23@I"));
  // A CIDR known only at deploy time is not taken as open (cdk-nag cannot validate it).
  EXPECT_THAT(Found(R"({"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
      "GroupDescription": "group", "SecurityGroupIngress": [
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "CidrIp": {"Ref": "Cidr"}}]}}})"),
              IsEmpty());
}

TEST(AwsSolutions, Ec26VolumesInstancesAndMatchedLaunchTemplates) {
  EXPECT_THAT(Found(R"({"V": {"Type": "AWS::EC2::Volume", "Properties": {"Size": 1}}})"),
              Contains("AwsSolutions-EC26@V"));
  EXPECT_THAT(Found(R"({"V": {"Type": "AWS::EC2::Volume", "Properties": {"Encrypted": "true"}}})"),
              IsEmpty());
  EXPECT_THAT(Found(R"({"I": {"Type": "AWS::EC2::Instance", "Properties": {"Monitoring": true,
      "DisableApiTermination": true, "BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": false}}]}}})"),
              Contains("AwsSolutions-EC26@I"));
  // As cdk-nag: a group whose LaunchTemplateId is a Ref is not matched to the template at all;
  // StacksRunner-LaunchTemplateEncrypted covers that.
  const std::string data = R"("LaunchTemplateData": {"BlockDeviceMappings": [
      {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": false}}]})";
  const std::string named = R"("LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {
      "LaunchTemplateName": {"Fn::Sub": "${AWS::StackName}"}, )" +
                            data + "}}";
  const std::string lt =
      R"("LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {)" + data + "}}";
  EXPECT_THAT(Found(R"({)" + named + R"(, "A": {"Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {"MinSize": "1", "MaxSize": "1", "NotificationConfigurations": [],
      "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LT"}, "Version": "1"}}}})"),
              Not(Contains("AwsSolutions-EC26@A")));
  // Both without a LaunchTemplateName: cdk-nag matches them.
  EXPECT_THAT(Found(R"({)" + lt + R"(, "A": {"Type": "AWS::AutoScaling::AutoScalingGroup",
      "Properties": {"MinSize": "1", "MaxSize": "1",
      "LaunchTemplate": {"Version": "1"}}}})"),
              Contains("AwsSolutions-EC26@A"));
}

TEST(AwsSolutions, Ec27Ec28Ec29) {
  const auto found = Found(R"({"G": {"Type": "AWS::EC2::SecurityGroup",
      "Properties": {"GroupDescription": "x"}},
      "I": {"Type": "AWS::EC2::Instance", "Properties": {"BlockDeviceMappings": [
        {"DeviceName": "/dev/xvda", "Ebs": {"Encrypted": true}}]}}})");
  EXPECT_THAT(found, Contains("AwsSolutions-EC27@G"));
  EXPECT_THAT(found, Contains("AwsSolutions-EC28@I"));
  EXPECT_THAT(found, Contains("AwsSolutions-EC29@I"));
}

TEST(AwsSolutions, Elb2AccessLogs) {
  EXPECT_THAT(Found(R"({"L": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
      "LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "false"}]}}})"),
              Contains("AwsSolutions-ELB2@L"));
  EXPECT_THAT(Found(R"({"L": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {
      "LoadBalancerAttributes": [{"Key": "access_logs.s3.enabled", "Value": "true"}]}}})"),
              IsEmpty());
}

TEST(AwsSolutions, S1S2S10Buckets) {
  const std::string policy = R"("P": {"Type": "AWS::S3::BucketPolicy", "Properties": {
      "Bucket": {"Ref": "B"}, "PolicyDocument": {"Statement": [{"Effect": "Deny",
      "Principal": {"AWS": "*"}, "Action": "s3:*", "Condition": {"Bool":
      {"aws:SecureTransport": "false"}}, "Resource": [{"Fn::GetAtt": ["B", "Arn"]},
      {"Fn::Sub": "${B.Arn}/*"}]}]}}})";
  const auto with_policy = Found(R"({"B": {"Type": "AWS::S3::Bucket", "Properties": {
      "PublicAccessBlockConfiguration": {"BlockPublicAcls": true, "BlockPublicPolicy": true,
      "IgnorePublicAcls": true, "RestrictPublicBuckets": true}}}, )" +
                                 policy + "}");
  EXPECT_THAT(with_policy, Contains("AwsSolutions-S1@B"));
  EXPECT_THAT(with_policy, Not(Contains("AwsSolutions-S2@B")));
  EXPECT_THAT(with_policy, Not(Contains("AwsSolutions-S10@B")));
  EXPECT_THAT(with_policy, Not(Contains("AwsSolutions-S10@P")));
  const auto bare = Found(R"({"B": {"Type": "AWS::S3::Bucket", "Properties": {
      "PublicAccessBlockConfiguration": {"BlockPublicAcls": false}}}})");
  EXPECT_THAT(bare, Contains("AwsSolutions-S2@B"));
  EXPECT_THAT(bare, Contains("AwsSolutions-S10@B"));
  // A bucket other buckets log to is a log bucket: no S1 for it.
  EXPECT_THAT(Found(R"({"Logs": {"Type": "AWS::S3::Bucket"}, "B": {"Type": "AWS::S3::Bucket",
      "Properties": {"LoggingConfiguration": {"DestinationBucketName": {"Ref": "Logs"}}}}})"),
              Not(Contains("AwsSolutions-S1@Logs")));
}

TEST(AwsSolutions, AutoScalingNotificationsCooldownHealthCheck) {
  const auto found = Found(R"({"A": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {
      "MinSize": "1", "MaxSize": "1", "Cooldown": "0", "HealthCheckType": "ELB",
      "NotificationConfigurations": [{"TopicARN": "t", "NotificationTypes": [
        "autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_TERMINATE"]}]}}})");
  EXPECT_THAT(found, Contains("AwsSolutions-AS1@A"));
  EXPECT_THAT(found, Contains("AwsSolutions-AS2@A"));
  EXPECT_THAT(found, Contains("AwsSolutions-AS3@A"));
}

TEST(AwsSolutions, IamGranularFindingsReadLikeCdkNags) {
  const auto found = Found(R"({"R": {"Type": "AWS::IAM::Role", "Properties": {
      "AssumeRolePolicyDocument": {},
      "ManagedPolicyArns": [{"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/ReadOnlyAccess"},
                            "arn:aws:iam::111111111111:policy/Mine"],
      "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": ["s3:Get*", "s3:PutObject"],
         "Resource": {"Fn::Sub": "${B.Arn}/*"}},
        {"Effect": "Deny", "Action": "*", "Resource": "*"}]}}]}},
      "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "p", "PolicyDocument": {
        "Statement": [{"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": "*"}]}}}})");
  EXPECT_THAT(found, Contains("AwsSolutions-IAM4@R[Policy::arn:<AWS::Partition>:iam::aws:policy/"
                              "ReadOnlyAccess]"));
  EXPECT_THAT(found, Not(Contains(::testing::HasSubstr("policy/Mine"))));
  EXPECT_THAT(found, Contains("AwsSolutions-IAM5@R[Action::s3:Get*]"));
  EXPECT_THAT(found, Contains("AwsSolutions-IAM5@R[Resource::<B.Arn>/*]"));
  EXPECT_THAT(found, Contains("AwsSolutions-IAM5@P[Resource::*]"));
  EXPECT_EQ(std::count(found.begin(), found.end(), "AwsSolutions-IAM5@R[Resource::*]"), 0);
}

TEST(AwsSolutions, SecretsTopicsAndKeys) {
  const auto found = Found(R"({"S": {"Type": "AWS::SecretsManager::Secret"},
      "T": {"Type": "AWS::SNS::Topic"},
      "K": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}},
      "E": {"Type": "AWS::SNS::Topic", "Properties": {"KmsMasterKeyId": "alias/x"}}})");
  EXPECT_THAT(found, Contains("AwsSolutions-SMG4@S"));
  EXPECT_THAT(found, Contains("AwsSolutions-SNS3@T"));
  EXPECT_THAT(found, Contains("AwsSolutions-KMS5@K"));
  EXPECT_THAT(found, Not(Contains("AwsSolutions-SNS3@E")));
  EXPECT_THAT(Found(R"({"T": {"Type": "AWS::SNS::Topic"}, "P": {"Type": "AWS::SNS::TopicPolicy",
      "Properties": {"Topics": [{"Ref": "T"}], "PolicyDocument": {"Statement": [{
      "Effect": "Deny", "Principal": "*", "Action": "sns:Publish", "Resource": {"Ref": "T"},
      "Condition": {"Bool": {"aws:SecureTransport": false}}}]}}}})"),
              IsEmpty());
}

}  // namespace
}  // namespace sr::checks
