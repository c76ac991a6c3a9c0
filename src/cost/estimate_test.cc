#include "cost/estimate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::cost {
namespace {

using ::testing::HasSubstr;

// One m5.large with a 512 GB gp3 volume, as the blueprint's estimate describes it.
StackTemplate SeedNode(int iops, int throughput, int root_gb) {
  Json t = Json::parse(R"({"Resources": {
      "Node": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m5.large",
        "BlockDeviceMappings": []}},
      "Data": {"Type": "AWS::EC2::Volume", "Properties": {"VolumeType": "gp3", "Size": 512}}}})");
  t["Resources"]["Data"]["Properties"]["Iops"] = iops;
  t["Resources"]["Data"]["Properties"]["Throughput"] = throughput;
  if (root_gb > 0) {
    t["Resources"]["Node"]["Properties"]["BlockDeviceMappings"].push_back(Json{
        {"DeviceName", "/dev/xvda"}, {"Ebs", {{"VolumeType", "gp3"}, {"VolumeSize", root_gb}}}});
  }
  return {"stacks-single-node", "stacks-single-node-follower", t};
}

TEST(Estimate, TheSeedsNodeAtBaselinePerformance) {
  const Estimate e = EstimateCost({SeedNode(3000, 125, 0)}, "us-east-1", Usage{});
  ASSERT_EQ(e.stacks.size(), 1u);
  ASSERT_EQ(e.stacks[0].items.size(), 2u);
  EXPECT_NEAR(*e.stacks[0].items[0].monthly, 70.08, 1e-9);  // 730 h x $0.096
  EXPECT_NEAR(*e.stacks[0].items[1].monthly, 40.96, 1e-9);  // 512 GB x $0.08
  EXPECT_EQ(Money(e.total), "111.04");
  EXPECT_EQ(e.unpriced, 0u);
}

TEST(Estimate, TheSeedsFigureWithinACent) {
  // docs/cost.md: a 30 GB root and 6,000 IOPS and 700 MB/s on the data volume come to $151.44.
  const Estimate e = EstimateCost({SeedNode(6000, 700, 30)}, "us-east-1", Usage{});
  EXPECT_EQ(Money(e.total), "151.44");
  // The blueprint's own data volume performance (12,000 IOPS, 700 MB/s) costs more.
  EXPECT_EQ(Money(EstimateCost({SeedNode(12000, 700, 0)}, "us-east-1", Usage{}).total), "179.04");
}

TEST(Estimate, GroupsAlbCloudWatchSecretsAndKeys) {
  const Json t = Json::parse(R"({"Resources": {
      "LT": {"Type": "AWS::EC2::LaunchTemplate", "Properties": {"LaunchTemplateData": {
        "InstanceType": "m7g.large", "Monitoring": {"Enabled": true},
        "BlockDeviceMappings": [{"DeviceName": "/dev/sdf", "Ebs": {"VolumeType": "io2",
          "VolumeSize": 100, "Iops": 40000}}]}}},
      "G": {"Type": "AWS::AutoScaling::AutoScalingGroup", "Properties": {"DesiredCapacity": "2",
        "MinSize": "2", "MaxSize": "4", "LaunchTemplate": {"LaunchTemplateId": {"Ref": "LT"}}}},
      "LB": {"Type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "Properties": {"Type": "application"}},
      "D": {"Type": "AWS::CloudWatch::Dashboard"},
      "A": {"Type": "AWS::CloudWatch::Alarm", "Properties": {"Period": 60}},
      "S": {"Type": "AWS::SecretsManager::Secret"},
      "K": {"Type": "AWS::KMS::Key"}}})");
  Usage usage;
  usage.custom_metrics_per_node = 10;
  const Estimate e =
      EstimateCost({{"stacks-ha-nodes", "stacks-ha-nodes-follower", t}}, "us-east-1", usage);
  const std::string text = FormatEstimate(e);
  EXPECT_THAT(text, HasSubstr("EC2 m7g.large (G): 2 instances × 730 h × $0.0816"));
  EXPECT_THAT(text, HasSubstr("119.14"));  // 2 x 730 x 0.0816
  EXPECT_THAT(text, HasSubstr("EBS io2 G /dev/sdf, IOPS up to 32,000: 2 × 32000 IOPS × $0.065"));
  EXPECT_THAT(text, HasSubstr("EBS io2 G /dev/sdf, IOPS 32,001-64,000: 2 × 8000 IOPS × $0.0455"));
  EXPECT_THAT(text, HasSubstr("CloudWatch detailed monitoring (G): 2 instances × $2.1"));
  EXPECT_THAT(text, HasSubstr("CloudWatch custom metrics (G): 2 instances × 10 metrics × $0.3"));
  EXPECT_THAT(text, HasSubstr("Application Load Balancer LB, hours: 730 h × $0.0225"));
  EXPECT_THAT(text, HasSubstr("Application Load Balancer LB, LCUs: 1 LCU × 730 h × $0.008"));
  EXPECT_THAT(text, HasSubstr("CloudWatch dashboards: 1 dashboard × $3"));
  EXPECT_THAT(text, HasSubstr("CloudWatch alarms: 1 alarm metric × $0.1"));
  EXPECT_THAT(text, HasSubstr("Secrets Manager secrets: 1 secret × $0.4"));
  EXPECT_THAT(text, HasSubstr("KMS customer managed keys: 1 key × $1"));
  EXPECT_THAT(text, HasSubstr("730 hours a month"));
}

// A signer or miner reads secrets the configuration names: they are billed too, once each,
// however many patterns grant them; the secrets the stack creates are counted as resources.
TEST(Estimate, CountsTheSecretsTheConfigurationNamesOnce) {
  const Json t = Json::parse(R"({"Resources": {
      "SignerSecret": {"Type": "AWS::SecretsManager::Secret"},
      "P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyDocument": {"Statement": [
        {"Effect": "Allow", "Action": "cloudformation:SignalResource", "Resource": "x"},
        {"Effect": "Allow", "Action": ["secretsmanager:DescribeSecret",
          "secretsmanager:GetSecretValue"], "Resource": [{"Ref": "SignerSecret"},
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf",
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf-??????",
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:miner-??????"]},
        {"Effect": "Allow", "Action": "secretsmanager:PutSecretValue",
          "Resource": [{"Ref": "SignerSecret"}]}]}}}}})");
  const std::string text =
      FormatEstimate(EstimateCost({{"stacks-single-node", "s", t}}, "us-east-1", Usage{}));
  EXPECT_THAT(text, HasSubstr("Secrets Manager secrets: 1 secret × $0.4"));
  EXPECT_THAT(text, HasSubstr("Secrets Manager secrets the configuration names: 2 secrets × $0.4"));
}

TEST(Estimate, WhatTheTableCannotPriceIsNamedAndLeftOut) {
  const Json t = Json::parse(R"({"Resources": {
      "N": {"Type": "AWS::EC2::Instance", "Properties": {"InstanceType": "m7i.large"}}}})");
  const Estimate e = EstimateCost({{"s", "s", t}}, "eu-west-1", Usage{});
  EXPECT_EQ(e.unpriced, 1u);
  EXPECT_EQ(e.total, 0);
  EXPECT_THAT(FormatEstimate(e), HasSubstr("no ec2:m7i.large price for eu-west-1"));
}

TEST(Money, TwoDecimalsAndThousands) {
  EXPECT_EQ(Money(0), "0.00");
  EXPECT_EQ(Money(1234.5), "1,234.50");
  EXPECT_EQ(Money(70.08), "70.08");
}

}  // namespace
}  // namespace sr::cost
