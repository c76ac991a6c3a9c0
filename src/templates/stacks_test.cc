// The three stacks, resource by resource: everything the blueprint's own unit tests asserted
// (lib/stacks/test/*.test.ts), except where we deliberately do better
// (docs/blueprint-differences.md), and what we add.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "templates/common_stack.h"
#include "templates/names.h"
#include "templates/node_stacks.h"
#include "testing/test_support.h"

namespace sr::templates {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

// Comparisons ignore key order.
json Plain(const Json& j) { return json::parse(j.dump()); }

json Resources(const Template& t) { return Plain(t.ToJson())["Resources"]; }

// The only resource of `type`; fails when there is not exactly one.
json Only(const Template& t, const std::string& type) {
  json found;
  int count = 0;
  const json resources = Resources(t);
  for (const auto& [id, r] : resources.items()) {
    if (r["Type"] == type) {
      found = r;
      ++count;
    }
  }
  EXPECT_EQ(count, 1) << type;
  return found;
}

int CountOf(const Template& t, const std::string& type) {
  int count = 0;
  const json resources = Resources(t);
  for (const auto& [id, r] : resources.items()) count += r["Type"] == type;
  return count;
}

// The blueprint's test .env (test/.env-test), adapted where ours refuses its values: ports 1 and
// 12 are below 1024, and 128 GiB cannot hold the mainnet chainstate, so the network is testnet.
const char kBlueprintTestEnv[] =
    "AWS_ACCOUNT_ID=xxxxxxxxxxxx\n"
    "AWS_REGION=us-west-2\n"
    "STACKS_NETWORK=testnet\n"
    "STACKS_INSTANCE_TYPE=m5.large\n"
    "STACKS_P2P_PORT=20001\n"
    "STACKS_RPC_PORT=20012\n"
    "STACKS_DATA_VOL_TYPE=gp3\n"
    "STACKS_DATA_VOL_SIZE=128\n"
    "STACKS_DATA_VOL_IOPS=12000\n"
    "STACKS_DATA_VOL_THROUGHPUT=700\n"
    "STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN=75\n"
    "STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=12\n"
    "STACKS_HA_NUMBER_OF_NODES=3\n";

struct Stacks {
  config::Config config;
  NodeSettingsAsset settings;
  Template common;
  Template single;
  Template ha;
  explicit Stacks(const std::string& env)
      : config(testing::ConfigFrom(env)),
        settings(RenderNodeSettings(config)),
        common(BuildCommonStack(config)),
        single(BuildSingleNodeStack(config, settings)),
        ha(BuildHaNodesStack(config, settings)) {}
};

const json kVpcCidr = {{"Ref", "VpcCidr"}};

// --- stacks-common ----------------------------------------------------------------------------

TEST(CommonStack, RoleIsAssumedByEc2) {
  Stacks s(kBlueprintTestEnv);
  const json role = Only(s.common, "AWS::IAM::Role");
  EXPECT_EQ(role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
            json::parse(R"([{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
                              "Action":"sts:AssumeRole"}])"));
}

TEST(CommonStack, RoleHasNoAccountWideSecretsAccess) {
  // The blueprint attached SecretsManagerReadWrite and CloudWatchAgentServerPolicy.
  Stacks s(kBlueprintTestEnv);
  const json role = Only(s.common, "AWS::IAM::Role");
  EXPECT_EQ(role["Properties"]["ManagedPolicyArns"], json::parse(R"([{"Fn::Sub":
                "arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore"}])"));
  EXPECT_THAT(Plain(s.common.ToJson()).dump(), Not(HasSubstr("secretsmanager")));
  EXPECT_THAT(Plain(s.common.ToJson()).dump(), Not(HasSubstr("SecretsManagerReadWrite")));
}

TEST(CommonStack, WildcardResourcesOnlyWhereScopedByCondition) {
  Stacks s(kBlueprintTestEnv);
  const json role = Only(s.common, "AWS::IAM::Role");
  for (const auto& policy : role["Properties"]["Policies"]) {
    for (const auto& statement : policy["PolicyDocument"]["Statement"]) {
      if (statement["Resource"] == "*") {
        EXPECT_EQ(statement["Action"], "cloudwatch:PutMetricData");
        EXPECT_EQ(statement["Condition"]["StringEquals"]["cloudwatch:namespace"],
                  json::array({"StacksRunner", "CWAgent"}));
      }
    }
  }
}

TEST(CommonStack, NodesReadAssetsOnlyFromTheAssetsBucket) {
  Stacks s(kBlueprintTestEnv);
  const json statements =
      Only(s.common, "AWS::IAM::Role")["Properties"]["Policies"][0]["PolicyDocument"]["Statement"];
  const json read = statements[0];
  EXPECT_EQ(read["Action"], "s3:GetObject");
  EXPECT_EQ(read["Resource"], json({{"Fn::Sub", "${AssetsBucket.Arn}/*"}}));
}

TEST(CommonStack, AssetsBucketIsEncryptedPrivateAndTlsOnly) {
  Stacks s(kBlueprintTestEnv);
  const json bucket = Only(s.common, "AWS::S3::Bucket");
  EXPECT_EQ(bucket["Properties"]["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
                  ["ServerSideEncryptionByDefault"]["SSEAlgorithm"],
            "AES256");
  for (const char* flag :
       {"BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"}) {
    EXPECT_EQ(bucket["Properties"]["PublicAccessBlockConfiguration"][flag], true) << flag;
  }
  EXPECT_EQ(bucket["DeletionPolicy"], "Retain");
  const json policy = Only(s.common, "AWS::S3::BucketPolicy");
  const json deny = policy["Properties"]["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(deny["Effect"], "Deny");
  EXPECT_EQ(deny["Condition"], json::parse(R"({"Bool":{"aws:SecureTransport":"false"}})"));
}

TEST(CommonStack, ExportsWhatTheNodeStacksImport) {
  Stacks s(kBlueprintTestEnv);
  const json outputs = Plain(s.common.ToJson())["Outputs"];
  EXPECT_EQ(outputs["InstanceRoleARN"]["Export"]["Name"], "StacksNodeInstanceRoleArn");
  std::set<std::string> exports;
  for (const auto& [id, o] : outputs.items()) exports.insert(o["Export"]["Name"]);
  for (const Template* t : {&s.single, &s.ha}) {
    const std::string body = t->ToJson().dump();
    for (const std::string name : {"StacksNodeInstanceRoleName", "StacksNodeInstanceProfileName",
                                   "StacksNodeAssetsBucketName"}) {
      EXPECT_THAT(body, HasSubstr("\"Fn::ImportValue\":\"" + name + "\""));
      EXPECT_TRUE(exports.count(name)) << name;
    }
  }
}

// --- stacks-single-node -------------------------------------------------------------------

TEST(SingleNodeStack, SecurityGroupOpensP2pAndKeepsRpcInTheVpc) {
  Stacks s(kBlueprintTestEnv);
  const json sg = Only(s.single, "AWS::EC2::SecurityGroup")["Properties"];
  EXPECT_EQ(
      sg["SecurityGroupEgress"],
      json::parse(R"([{"CidrIp":"0.0.0.0/0","Description":"Allow all outbound traffic by default",
                              "IpProtocol":"-1"}])"));
  const json ingress = sg["SecurityGroupIngress"];
  ASSERT_EQ(ingress.size(), 3u);
  EXPECT_EQ(ingress[0]["IpProtocol"], "tcp");
  EXPECT_EQ(ingress[0]["FromPort"], 20001);
  EXPECT_EQ(ingress[0]["ToPort"], 20001);
  EXPECT_EQ(ingress[0]["CidrIp"], "0.0.0.0/0");
  EXPECT_EQ(ingress[1]["IpProtocol"], "udp");
  EXPECT_EQ(ingress[1]["FromPort"], 20001);
  EXPECT_EQ(ingress[1]["CidrIp"], "0.0.0.0/0");
  EXPECT_EQ(ingress[2]["IpProtocol"], "tcp");
  EXPECT_EQ(ingress[2]["FromPort"], 20012);
  EXPECT_EQ(ingress[2]["ToPort"], 20012);
  EXPECT_EQ(ingress[2]["CidrIp"], kVpcCidr);
}

TEST(SingleNodeStack, RpcCanBeOpenedToConfiguredBlocksInstead) {
  Stacks s(std::string(kBlueprintTestEnv) + "STACKS_RPC_ALLOWED_CIDRS=10.1.0.0/16,10.2.0.0/16\n");
  const json ingress =
      Only(s.single, "AWS::EC2::SecurityGroup")["Properties"]["SecurityGroupIngress"];
  ASSERT_EQ(ingress.size(), 4u);
  EXPECT_EQ(ingress[2]["CidrIp"], "10.1.0.0/16");
  EXPECT_EQ(ingress[3]["CidrIp"], "10.2.0.0/16");
  EXPECT_FALSE(Plain(s.single.ToJson())["Parameters"].contains("VpcCidr"));
}

TEST(SingleNodeStack, Instance) {
  Stacks s(kBlueprintTestEnv);
  const json instance = Only(s.single, "AWS::EC2::Instance");
  const json p = instance["Properties"];
  EXPECT_EQ(p["BlockDeviceMappings"],
            json::parse(R"([{"DeviceName":"/dev/xvda","Ebs":{"DeleteOnTermination":true,
                "Encrypted":true,"Iops":3000,"VolumeSize":46,"VolumeType":"gp3"}}])"));
  EXPECT_EQ(p["Monitoring"], true);
  EXPECT_EQ(p["PropagateTagsToVolumeOnCreation"], true);
  for (const char* key : {"AvailabilityZone", "UserData", "IamInstanceProfile", "ImageId",
                          "InstanceType", "SecurityGroupIds", "SubnetId"}) {
    EXPECT_TRUE(p.contains(key)) << key;
  }
  EXPECT_EQ(p["InstanceType"], "m5.large");
  EXPECT_EQ(p["ImageId"], json({{"Ref", "ImageId"}}));
  EXPECT_EQ(p["MetadataOptions"]["HttpTokens"], "required");
  EXPECT_EQ(p["IamInstanceProfile"], json({{"Fn::ImportValue", "StacksNodeInstanceProfileName"}}));
}

TEST(SingleNodeStack, InstanceWaitsForTheBootstrapSignal) {
  Stacks s(kBlueprintTestEnv);
  const json instance = Only(s.single, "AWS::EC2::Instance");
  EXPECT_EQ(instance["CreationPolicy"],
            json::parse(R"({"ResourceSignal":{"Count":1,"Timeout":"PT30M"}})"));
  EXPECT_EQ(instance["DependsOn"], json::array({"NodeStackPolicy"}));
  // The grant to signal covers this stack only.
  const json policy = Only(s.single, "AWS::IAM::Policy")["Properties"];
  EXPECT_EQ(policy["PolicyDocument"]["Statement"][0]["Action"], "cloudformation:SignalResource");
  EXPECT_EQ(policy["PolicyDocument"]["Statement"][0]["Resource"], json({{"Ref", "AWS::StackId"}}));
  EXPECT_EQ(policy["Roles"], json::parse(R"([{"Fn::ImportValue":"StacksNodeInstanceRoleName"}])"));
}

TEST(SingleNodeStack, DataVolume) {
  Stacks s(kBlueprintTestEnv);
  const json volume = Only(s.single, "AWS::EC2::Volume");
  const json p = volume["Properties"];
  EXPECT_EQ(p["Encrypted"], true);
  EXPECT_EQ(p["Iops"], 12000);
  EXPECT_EQ(p["Throughput"], 700);
  EXPECT_EQ(p["MultiAttachEnabled"], false);
  EXPECT_EQ(p["Size"], 128);
  EXPECT_EQ(p["VolumeType"], "gp3");
  EXPECT_EQ(p["AvailabilityZone"], json({{"Ref", "AvailabilityZone"}}));
  EXPECT_EQ(volume["DeletionPolicy"], "Delete");
  // Attached at /dev/sdf when the instance launches, so the bootstrap sees it before signalling
  // (a separate VolumeAttachment would wait for the signal: a deadlock).
  EXPECT_EQ(Only(s.single, "AWS::EC2::Instance")["Properties"]["Volumes"],
            json::parse(R"([{"Device":"/dev/sdf","VolumeId":{"Ref":"DataVolume"}}])"));
  EXPECT_EQ(CountOf(s.single, "AWS::EC2::VolumeAttachment"), 0);
}

TEST(SingleNodeStack, SignerAndMinerVolumesAreSnapshottedOnDeletion) {
  Stacks signer(std::string(kBlueprintTestEnv) + "STACKS_NODE_CONFIGURATION=signer\n");
  EXPECT_EQ(Only(signer.single, "AWS::EC2::Volume")["DeletionPolicy"], "Snapshot");
  EXPECT_EQ(Only(signer.single, "AWS::EC2::Volume")["UpdateReplacePolicy"], "Snapshot");
}

TEST(SingleNodeStack, InstanceStoreHasNoEbsDataVolume) {
  Stacks s(std::string(kBlueprintTestEnv) +
           "STACKS_DATA_VOL_TYPE=instance-store\nSTACKS_INSTANCE_TYPE=i4i.xlarge\n");
  EXPECT_EQ(CountOf(s.single, "AWS::EC2::Volume"), 0);
  const json p = Only(s.single, "AWS::EC2::Instance")["Properties"];
  EXPECT_FALSE(p.contains("Volumes"));
  const std::string script = p["UserData"]["Fn::Base64"]["Fn::Sub"][0];
  EXPECT_THAT(script, HasSubstr("--data-volume instance-store"));
}

TEST(SingleNodeStack, Dashboard) {
  Stacks s(kBlueprintTestEnv);
  const json dashboard = Only(s.single, "AWS::CloudWatch::Dashboard")["Properties"];
  const json body = json::parse(dashboard["DashboardBody"]["Fn::Sub"].get<std::string>());
  EXPECT_GE(body["widgets"].size(), 10u);  // the blueprint had 10
  const std::string text = body.dump();
  for (const char* metric :
       {"CPUUtilization", "NetworkIn", "NetworkOut", "mem_used_percent", "cpu_usage_iowait",
        "VolumeReadOps", "VolumeWriteBytes", "VolumeTotalReadTime", "StacksTipHeight",
        "BurnBlockHeight", "StacksBlocksBehind", "disk_used_percent"}) {
    EXPECT_THAT(text, HasSubstr(metric));
  }
}

TEST(SingleNodeStack, OutputsTheSeedsJqCommandsRead) {
  Stacks s(kBlueprintTestEnv);
  const json outputs = Plain(s.single.ToJson())["Outputs"];
  EXPECT_EQ(outputs["nodeinstanceid"]["Value"], json({{"Ref", "NodeInstance"}}));
  EXPECT_EQ(outputs["region"]["Value"], json({{"Ref", "AWS::Region"}}));
}

TEST(SingleNodeStack, AmiComesFromTheSsmParameterOfTheArchitecture) {
  EXPECT_EQ(AmiSsmParameter(config::CpuArch::kX86_64),
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
  EXPECT_EQ(AmiSsmParameter(config::CpuArch::kArm64),
            "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64");
}

TEST(SingleNodeStack, UserDataIsShortFetchesVerifiesAndHandsOver) {
  Stacks s(kBlueprintTestEnv);
  const std::string script = Plain(
      Only(s.single, "AWS::EC2::Instance"))["Properties"]["UserData"]["Fn::Base64"]["Fn::Sub"][0];
  EXPECT_LT(std::count(script.begin(), script.end(), '\n'), 60);
  EXPECT_THAT(script, HasSubstr("sha256sum --check"));
  EXPECT_THAT(script, HasSubstr("'${NodeBinaryKey}' '${NodeBinarySha256}'"));
  EXPECT_THAT(script, HasSubstr(s.settings.key));
  EXPECT_THAT(script, HasSubstr(s.settings.sha256));
  EXPECT_THAT(script, HasSubstr("node bootstrap --settings"));
  EXPECT_THAT(script, HasSubstr("--data-volume '${DataVolume}'"));
  EXPECT_THAT(script, HasSubstr("--status FAILURE"));
  EXPECT_THAT(script, Not(HasSubstr("password")));
}

// --- stacks-ha-nodes ----------------------------------------------------------------------

// The node security group of the HA stack (the other one belongs to the load balancer).
json NodeGroup(const Template& t) { return Resources(t)["NodeSecurityGroup"]["Properties"]; }

TEST(HaNodesStack, NodeIngressFromTheLoadBalancerOnlyOnRpc) {
  Stacks s(kBlueprintTestEnv);
  const json ingress = NodeGroup(s.ha)["SecurityGroupIngress"];
  // The blueprint added "tcp 0-65535 from the ALB"; we open RPC only.
  ASSERT_EQ(ingress.size(), 3u);
  EXPECT_EQ(ingress[0]["IpProtocol"], "tcp");
  EXPECT_EQ(ingress[1]["IpProtocol"], "udp");
  EXPECT_EQ(ingress[2]["CidrIp"], kVpcCidr);
  EXPECT_EQ(NodeGroup(s.ha)["SecurityGroupEgress"][0]["CidrIp"], "0.0.0.0/0");
  // From the load balancer: RPC, and the node agent's health check port (ours, on purpose:
  // docs/blueprint-differences.md), nothing else.
  EXPECT_EQ(CountOf(s.ha, "AWS::EC2::SecurityGroupIngress"), 2);
  const json from_alb = Resources(s.ha)["AlbToNodeRpcIngress"]["Properties"];
  EXPECT_EQ(from_alb["IpProtocol"], "tcp");
  EXPECT_EQ(from_alb["FromPort"], 20012);
  EXPECT_EQ(from_alb["ToPort"], 20012);
  EXPECT_EQ(from_alb["SourceSecurityGroupId"],
            json::parse(R"({"Fn::GetAtt":["AlbSecurityGroup","GroupId"]})"));
  EXPECT_EQ(from_alb["GroupId"], json::parse(R"({"Fn::GetAtt":["NodeSecurityGroup","GroupId"]})"));
}

TEST(HaNodesStack, LoadBalancerSecurityGroup) {
  Stacks s(kBlueprintTestEnv);
  const json sg = Resources(s.ha)["AlbSecurityGroup"]["Properties"];
  ASSERT_EQ(sg["SecurityGroupIngress"].size(), 1u);
  EXPECT_EQ(sg["SecurityGroupIngress"][0]["FromPort"], 20012);
  EXPECT_EQ(sg["SecurityGroupIngress"][0]["CidrIp"], kVpcCidr);
  // Egress only to the nodes' RPC port (the default allow-all is replaced by a no-op rule).
  EXPECT_EQ(sg["SecurityGroupEgress"][0]["CidrIp"], "255.255.255.255/32");
  EXPECT_EQ(CountOf(s.ha, "AWS::EC2::SecurityGroupEgress"), 2);
  const json egress = Resources(s.ha)["AlbToNodeRpcEgress"]["Properties"];
  EXPECT_EQ(egress["FromPort"], 20012);
  EXPECT_EQ(egress["DestinationSecurityGroupId"],
            json::parse(R"({"Fn::GetAtt":["NodeSecurityGroup","GroupId"]})"));
}

TEST(HaNodesStack, LaunchTemplate) {
  Stacks s(kBlueprintTestEnv);
  const json data = Only(s.ha, "AWS::EC2::LaunchTemplate")["Properties"]["LaunchTemplateData"];
  EXPECT_EQ(data["BlockDeviceMappings"], json::parse(R"([
      {"DeviceName":"/dev/xvda","Ebs":{"VolumeSize":46,"VolumeType":"gp3","Iops":3000,
        "Throughput":125,"Encrypted":true,"DeleteOnTermination":true}},
      {"DeviceName":"/dev/sdf","Ebs":{"VolumeSize":128,"VolumeType":"gp3","Iops":12000,
        "Throughput":700,"Encrypted":true,"DeleteOnTermination":true}}])"));
  EXPECT_EQ(data["EbsOptimized"], true);
  EXPECT_EQ(data["InstanceType"], "m5.large");
  EXPECT_EQ(data["SecurityGroupIds"].size(), 1u);
  for (const char* key : {"IamInstanceProfile", "ImageId", "UserData", "TagSpecifications"}) {
    EXPECT_TRUE(data.contains(key)) << key;
  }
  EXPECT_EQ(data["MetadataOptions"]["HttpTokens"], "required");
  EXPECT_EQ(data["Monitoring"]["Enabled"], true);
  const std::string script = data["UserData"]["Fn::Base64"]["Fn::Sub"][0];
  EXPECT_THAT(script, HasSubstr("--lifecycle-action-result ABANDON"));
  EXPECT_THAT(script, HasSubstr("--data-device /dev/sdf"));
}

TEST(HaNodesStack, AutoScalingGroup) {
  Stacks s(kBlueprintTestEnv);
  const json asg = Only(s.ha, "AWS::AutoScaling::AutoScalingGroup");
  const json p = asg["Properties"];
  EXPECT_EQ(p["AutoScalingGroupName"], json({{"Fn::Sub", "${AWS::StackName}"}}));
  EXPECT_EQ(p["HealthCheckGracePeriod"], 75 * 60);
  // EC2, not the blueprint's ELB: the load balancer's check now means "synced", and a node
  // that lags for minutes is routed around, not replaced (docs/blueprint-differences.md).
  EXPECT_EQ(p["HealthCheckType"], "EC2");
  EXPECT_EQ(p["DefaultInstanceWarmup"], 60);
  EXPECT_EQ(p["MinSize"], "3");
  EXPECT_EQ(p["MaxSize"], "6");
  EXPECT_EQ(p["DesiredCapacity"], "3");
  EXPECT_EQ(p["VPCZoneIdentifier"], json({{"Ref", "SubnetIds"}}));
  EXPECT_EQ(p["TargetGroupARNs"], json::parse(R"([{"Ref":"TargetGroup"}])"));
  EXPECT_EQ(asg["UpdatePolicy"]["AutoScalingRollingUpdate"]["MinInstancesInService"], 3);
  EXPECT_EQ(asg["UpdatePolicy"]["AutoScalingRollingUpdate"]["MaxBatchSize"], 1);
}

TEST(HaNodesStack, LaunchLifecycleHookCoversTheFirstNodes) {
  Stacks s(kBlueprintTestEnv);
  const json hooks = Only(
      s.ha, "AWS::AutoScaling::AutoScalingGroup")["Properties"]["LifecycleHookSpecificationList"];
  ASSERT_EQ(hooks.size(), 1u);
  EXPECT_EQ(hooks[0]["DefaultResult"], "ABANDON");
  EXPECT_EQ(hooks[0]["HeartbeatTimeout"], 12 * 60);
  EXPECT_EQ(hooks[0]["LifecycleHookName"], json({{"Fn::Sub", "${AWS::StackName}"}}));
  EXPECT_EQ(hooks[0]["LifecycleTransition"], "autoscaling:EC2_INSTANCE_LAUNCHING");
  // Nodes may complete only this group's hook.
  const json statement =
      Only(s.ha, "AWS::IAM::Policy")["Properties"]["PolicyDocument"]["Statement"][0];
  EXPECT_EQ(statement["Action"], json::array({"autoscaling:CompleteLifecycleAction",
                                              "autoscaling:RecordLifecycleActionHeartbeat"}));
  EXPECT_THAT(statement["Resource"]["Fn::Sub"].get<std::string>(),
              HasSubstr("autoScalingGroupName/${AWS::StackName}"));
}

TEST(HaNodesStack, LoadBalancer) {
  Stacks s(kBlueprintTestEnv);
  const json lb = Only(s.ha, "AWS::ElasticLoadBalancingV2::LoadBalancer");
  const json p = lb["Properties"];
  EXPECT_EQ(p["Scheme"], "internal");
  EXPECT_EQ(p["Type"], "application");
  EXPECT_EQ(p["SecurityGroups"].size(), 1u);
  EXPECT_EQ(p["Subnets"], json({{"Ref", "SubnetIds"}}));
  EXPECT_EQ(p["LoadBalancerAttributes"], json::parse(R"([
      {"Key":"deletion_protection.enabled","Value":"false"},
      {"Key":"access_logs.s3.enabled","Value":"true"},
      {"Key":"access_logs.s3.bucket","Value":{"Ref":"AlbLogBucket"}},
      {"Key":"access_logs.s3.prefix","Value":{"Fn::Sub":"${AWS::StackName}"}},
      {"Key":"routing.http.drop_invalid_header_fields.enabled","Value":"true"}])"));
  EXPECT_EQ(lb["DependsOn"], json::array({"AlbLogBucketPolicy"}));
}

TEST(HaNodesStack, AccessLogBucketAcceptsOnlyLoadBalancerDelivery) {
  Stacks s(kBlueprintTestEnv);
  const json body = Plain(s.ha.ToJson());
  EXPECT_EQ(body["Mappings"]["ElbLogDeliveryAccounts"]["us-east-1"]["AccountId"], "127311923021");
  const json statements =
      Only(s.ha, "AWS::S3::BucketPolicy")["Properties"]["PolicyDocument"]["Statement"];
  ASSERT_EQ(statements.size(), 2u);
  EXPECT_EQ(statements[0]["Effect"], "Deny");
  EXPECT_EQ(statements[1]["Action"], "s3:PutObject");
  EXPECT_EQ(statements[1]["Resource"]["Fn::Sub"],
            "${AlbLogBucket.Arn}/${AWS::StackName}/AWSLogs/${AWS::AccountId}/*");
  EXPECT_EQ(statements[1]["Principal"]["Fn::If"][0], "RegionUsesElbAccount");
  EXPECT_EQ(statements[1]["Principal"]["Fn::If"][2]["Service"],
            "logdelivery.elasticloadbalancing.amazonaws.com");
}

TEST(HaNodesStack, ListenerAndTargetGroup) {
  Stacks s(kBlueprintTestEnv);
  const json listener = Only(s.ha, "AWS::ElasticLoadBalancingV2::Listener")["Properties"];
  EXPECT_EQ(listener["Port"], 20012);
  EXPECT_EQ(listener["Protocol"], "HTTP");
  EXPECT_EQ(listener["DefaultActions"],
            json::parse(R"([{"Type":"forward","TargetGroupArn":{"Ref":"TargetGroup"}}])"));
  const json tg = Only(s.ha, "AWS::ElasticLoadBalancingV2::TargetGroup")["Properties"];
  EXPECT_EQ(tg["HealthCheckEnabled"], true);
  // The blueprint checked /v2/info on the RPC port, which answers 200 while the node is hours
  // behind; the node agent's /health answers 200 only when it is synced (on purpose:
  // docs/blueprint-differences.md).
  EXPECT_EQ(tg["HealthCheckIntervalSeconds"], 15);
  EXPECT_EQ(tg["HealthCheckTimeoutSeconds"], 5);
  EXPECT_EQ(tg["HealthCheckPath"], "/health");
  EXPECT_EQ(tg["HealthCheckPort"], "9180");
  EXPECT_EQ(tg["HealthyThresholdCount"], 2);
  EXPECT_EQ(tg["UnhealthyThresholdCount"], 3);
  EXPECT_EQ(tg["Matcher"], json::parse(R"({"HttpCode":"200"})"));
  EXPECT_EQ(tg["Port"], 20012);
  EXPECT_EQ(tg["Protocol"], "HTTP");
  EXPECT_EQ(tg["TargetType"], "instance");
  EXPECT_EQ(tg["TargetGroupAttributes"], json::parse(R"([
      {"Key":"deregistration_delay.timeout_seconds","Value":"30"},
      {"Key":"stickiness.enabled","Value":"false"}])"));
}

TEST(HaNodesStack, OutputsAndDashboard) {
  Stacks s(kBlueprintTestEnv);
  const json outputs = Plain(s.ha.ToJson())["Outputs"];
  EXPECT_EQ(outputs["alburl"]["Value"],
            json::parse(R"({"Fn::GetAtt":["LoadBalancer","DNSName"]})"));
  const json dashboard = Only(s.ha, "AWS::CloudWatch::Dashboard")["Properties"];
  const json body = json::parse(dashboard["DashboardBody"]["Fn::Sub"].get<std::string>());
  EXPECT_GE(body["widgets"].size(), 8u);
  EXPECT_THAT(body.dump(), HasSubstr("HealthyHostCount"));
}

TEST(HaNodesStack, OnlyTheLoadBalancerReachesTheNodeAgent) {
  Stacks s(kBlueprintTestEnv);
  const json in = Resources(s.ha)["AlbToNodeAgentIngress"]["Properties"];
  EXPECT_EQ(in["FromPort"], 9180);
  EXPECT_EQ(in["ToPort"], 9180);
  EXPECT_EQ(in["SourceSecurityGroupId"],
            json::parse(R"({"Fn::GetAtt":["AlbSecurityGroup","GroupId"]})"));
  EXPECT_EQ(in["GroupId"], json::parse(R"({"Fn::GetAtt":["NodeSecurityGroup","GroupId"]})"));
  const json out = Resources(s.ha)["AlbToNodeAgentEgress"]["Properties"];
  EXPECT_EQ(out["FromPort"], 9180);
  EXPECT_EQ(out["GroupId"], json::parse(R"({"Fn::GetAtt":["AlbSecurityGroup","GroupId"]})"));
  EXPECT_EQ(out["DestinationSecurityGroupId"],
            json::parse(R"({"Fn::GetAtt":["NodeSecurityGroup","GroupId"]})"));
  // Never from the internet or the VPC at large, and not on the single node at all.
  const json ha_ingress = NodeGroup(s.ha)["SecurityGroupIngress"];
  for (const auto& rule : ha_ingress) EXPECT_NE(rule["FromPort"], 9180);
  const json single_ingress =
      Resources(s.single)["NodeSecurityGroup"]["Properties"]["SecurityGroupIngress"];
  for (const auto& rule : single_ingress) {
    EXPECT_NE(rule["FromPort"], 9180);
  }
}

// --- Alarms -------------------------------------------------------------------------------

json Alarm(const Template& t, const std::string& id) { return Resources(t)[id]["Properties"]; }

TEST(Alarms, SingleNodeAlarmsOnItsOwnMetrics) {
  Stacks s(std::string(kBlueprintTestEnv) + "STACKS_ALARM_BEHIND_MIN=45\n");
  EXPECT_EQ(CountOf(s.single, "AWS::CloudWatch::Alarm"), 4);  // a follower: no signer alarm
  const json instance = json::parse(R"([{"Name":"InstanceId","Value":{"Ref":"NodeInstance"}}])");
  const json behind = Alarm(s.single, "NodeBehindAlarm");
  EXPECT_EQ(behind["Namespace"], "StacksRunner");
  EXPECT_EQ(behind["MetricName"], "Synced");
  EXPECT_EQ(behind["Dimensions"], instance);
  EXPECT_EQ(behind["Statistic"], "Maximum");
  EXPECT_EQ(behind["Period"], 60);
  EXPECT_EQ(behind["EvaluationPeriods"], 45);
  EXPECT_EQ(behind["DatapointsToAlarm"], 45);
  EXPECT_EQ(behind["ComparisonOperator"], "LessThanThreshold");
  EXPECT_EQ(behind["Threshold"], 1);
  EXPECT_EQ(behind["TreatMissingData"], "notBreaching");
  const json stalled = Alarm(s.single, "NodeStalledAlarm");
  EXPECT_EQ(stalled["MetricName"], "Stalled");
  EXPECT_EQ(stalled["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
  EXPECT_EQ(stalled["TreatMissingData"], "notBreaching");
  // A silent agent is exactly what this alarm is for.
  const json heartbeat = Alarm(s.single, "AgentHeartbeatAlarm");
  EXPECT_EQ(heartbeat["MetricName"], "AgentHeartbeat");
  EXPECT_EQ(heartbeat["Statistic"], "SampleCount");
  EXPECT_EQ(heartbeat["TreatMissingData"], "breaching");
  const json disk = Alarm(s.single, "DataDiskAlarm");
  EXPECT_EQ(disk["Namespace"], "CWAgent");
  EXPECT_EQ(disk["MetricName"], "disk_used_percent");
  EXPECT_EQ(disk["Dimensions"],
            json::parse(R"([{"Name":"InstanceId","Value":{"Ref":"NodeInstance"}},
                                                {"Name":"path","Value":"/var/lib/stacks"}])"));
  EXPECT_EQ(disk["Threshold"], 80);
  EXPECT_EQ(disk["ComparisonOperator"], "GreaterThanThreshold");
  EXPECT_EQ(disk["TreatMissingData"], "missing");
  for (const char* id :
       {"NodeBehindAlarm", "NodeStalledAlarm", "AgentHeartbeatAlarm", "DataDiskAlarm"}) {
    const json a = Alarm(s.single, id);
    EXPECT_EQ(a["AlarmActions"], json::parse(R"([{"Ref":"AlarmTopic"}])")) << id;
    EXPECT_EQ(a["OKActions"], json::parse(R"([{"Ref":"AlarmTopic"}])")) << id;
    EXPECT_THAT(a["AlarmName"]["Fn::Sub"].get<std::string>(), HasSubstr("${AWS::StackName}-"));
  }
}

TEST(Alarms, AllMetricsTheAlarmsReadAreOnesTheAgentPublishes) {
  Stacks s(std::string(kBlueprintTestEnv) + "STACKS_NODE_CONFIGURATION=signer\n");
  for (const Template* t : {&s.single, &s.ha}) {
    const json resources = Resources(*t);
    for (const auto& [id, r] : resources.items()) {
      if (r["Type"] != "AWS::CloudWatch::Alarm" || r["Properties"]["Namespace"] != "StacksRunner") {
        continue;
      }
      const std::string metric = r["Properties"]["MetricName"];
      EXPECT_TRUE(metric == metrics::kSynced || metric == metrics::kStalled ||
                  metric == metrics::kAgentHeartbeat || metric == metrics::kSignerHeartbeat ||
                  metric == metrics::kDataDiskUsedPercent)
          << metric;
    }
  }
  EXPECT_EQ(Alarm(s.single, "SignerHeartbeatAlarm")["MetricName"], "SignerHeartbeat");
}

TEST(Alarms, HaAlarmsOnTheGroup) {
  Stacks s(kBlueprintTestEnv);
  EXPECT_EQ(CountOf(s.ha, "AWS::CloudWatch::Alarm"), 4);
  const json group =
      json::parse(R"([{"Name":"AutoScalingGroupName","Value":{"Ref":"AutoScalingGroup"}}])");
  for (const char* id :
       {"NodeBehindAlarm", "NodeStalledAlarm", "AgentHeartbeatAlarm", "DataDiskAlarm"}) {
    EXPECT_EQ(Alarm(s.ha, id)["Dimensions"], group) << id;
  }
  // No node of the group synced: the service is stale or down.
  EXPECT_EQ(Alarm(s.ha, "NodeBehindAlarm")["Statistic"], "Maximum");
  EXPECT_EQ(Alarm(s.ha, "NodeBehindAlarm")["EvaluationPeriods"], 30);
  EXPECT_EQ(Alarm(s.ha, "DataDiskAlarm")["MetricName"], "DataDiskUsedPercent");
  EXPECT_EQ(Alarm(s.ha, "DataDiskAlarm")["Statistic"], "Maximum");
}

TEST(Alarms, TopicIsEncryptedTlsOnlyAndWritableByThisAccountsAlarmsOnly) {
  Stacks s(kBlueprintTestEnv);
  for (const Template* t : {&s.single, &s.ha}) {
    const json topic = Only(*t, "AWS::SNS::Topic")["Properties"];
    // A customer managed key: alarms cannot publish to a topic under alias/aws/sns.
    EXPECT_EQ(topic["KmsMasterKeyId"], json::parse(R"({"Fn::GetAtt":["AlarmTopicKey","Arn"]})"));
    const json key = Only(*t, "AWS::KMS::Key")["Properties"];
    EXPECT_EQ(key["EnableKeyRotation"], true);
    const json key_statements = key["KeyPolicy"]["Statement"];
    // HA: Auto Scaling's launch and termination notifications go to the topic as well.
    ASSERT_EQ(key_statements.size(), t == &s.ha ? 3u : 2u);
    EXPECT_EQ(key_statements[1]["Principal"]["Service"], "cloudwatch.amazonaws.com");
    EXPECT_EQ(key_statements[1]["Action"], json::array({"kms:Decrypt", "kms:GenerateDataKey*"}));
    if (t == &s.ha) {
      EXPECT_EQ(key_statements[2]["Condition"]["ArnEquals"]["aws:PrincipalArn"]["Fn::Sub"],
                "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
                "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling");
      EXPECT_EQ(
          Only(*t, "AWS::AutoScaling::AutoScalingGroup")["Properties"]["NotificationConfigurations"]
                                                        [0]["TopicARN"],
          json::parse(R"({"Ref":"AlarmTopic"})"));
    }
    const json statements =
        Only(*t, "AWS::SNS::TopicPolicy")["Properties"]["PolicyDocument"]["Statement"];
    ASSERT_EQ(statements.size(), 2u);
    EXPECT_EQ(statements[0]["Principal"]["Service"], "cloudwatch.amazonaws.com");
    EXPECT_TRUE(statements[0]["Condition"].contains("ArnLike"));
    EXPECT_EQ(statements[1]["Effect"], "Deny");
    EXPECT_EQ(statements[1]["Condition"]["Bool"]["aws:SecureTransport"], "false");
    EXPECT_EQ(CountOf(*t, "AWS::SNS::Subscription"), 0);  // no STACKS_ALARM_EMAIL
    EXPECT_EQ(Plain(t->ToJson())["Outputs"]["alarmtopicarn"]["Value"],
              json::parse(R"({"Ref":"AlarmTopic"})"));
  }
}

TEST(Alarms, EmailSubscriptionWhenAnAddressIsGiven) {
  Stacks s(std::string(kBlueprintTestEnv) + "STACKS_ALARM_EMAIL=ops@example.com\n");
  for (const Template* t : {&s.single, &s.ha}) {
    const json sub = Only(*t, "AWS::SNS::Subscription")["Properties"];
    EXPECT_EQ(sub["Protocol"], "email");
    EXPECT_EQ(sub["Endpoint"], "ops@example.com");
    EXPECT_EQ(sub["TopicArn"], json::parse(R"({"Ref":"AlarmTopic"})"));
  }
  // The address is for the templates only: the nodes never see it.
  EXPECT_THAT(s.settings.content, Not(HasSubstr("example.com")));
}

TEST(Dashboards, SyncStateAndAlarmsBesideTheBlueprintsWidgets) {
  Stacks s(kBlueprintTestEnv);
  auto body = [](const Template& t) {
    return json::parse(
        Only(t, "AWS::CloudWatch::Dashboard")["Properties"]["DashboardBody"]["Fn::Sub"]
            .get<std::string>());
  };
  const json single = body(s.single);
  std::string text = single.dump();
  for (const char* metric : {"\"Synced\"", "\"Stalled\"", "\"NodeUp\"", "StacksBlocksBehind",
                             "BurnBlocksBehind", "AgentHeartbeat"}) {
    EXPECT_THAT(text, HasSubstr(metric));
  }
  int alarm_widgets = 0;
  for (const auto& w : single["widgets"]) {
    if (w["type"] == "alarm") {
      ++alarm_widgets;
      EXPECT_EQ(w["properties"]["alarms"].size(), 4u);
      EXPECT_EQ(w["properties"]["alarms"][0], "${NodeBehindAlarm.Arn}");
    }
  }
  EXPECT_EQ(alarm_widgets, 1);
  const json ha = body(s.ha);
  text = ha.dump();
  for (const char* metric : {"\"Synced\"", "\"Stalled\"", "DataDiskUsedPercent", "HealthyHostCount",
                             "${AgentHeartbeatAlarm.Arn}"}) {
    EXPECT_THAT(text, HasSubstr(metric));
  }
}

// --- Across the stacks --------------------------------------------------------------------

TEST(AllStacks, EveryTaggableResourceCarriesTheProjectTag) {
  Stacks s(kBlueprintTestEnv);
  for (const Template* t : {&s.common, &s.single, &s.ha}) {
    const json resources = Resources(*t);
    for (const auto& [id, r] : resources.items()) {
      if (!r["Properties"].contains("Tags")) continue;
      bool tagged = false;
      for (const auto& tag : r["Properties"]["Tags"]) {
        tagged |= tag["Key"] == "Project" && tag["Value"] == "AWSStacks";
      }
      EXPECT_TRUE(tagged) << id;
    }
  }
}

TEST(AllStacks, NoSecretEverReachesATemplate) {
  Stacks s(std::string(kBlueprintTestEnv) +
           "BITCOIN_PEER_HOST=btc.internal\nBITCOIN_RPC_USERNAME=operator\n"
           "BITCOIN_RPC_PASSWORD=Sup3r-S3cret-Value\n");
  ASSERT_EQ(s.config.bitcoin.rpc_password, "Sup3r-S3cret-Value");
  for (const Template* t : {&s.common, &s.single, &s.ha}) {
    EXPECT_THAT(t->ToJson().dump(), Not(HasSubstr("Sup3r-S3cret-Value")));
  }
  EXPECT_THAT(s.settings.content, Not(HasSubstr("Sup3r-S3cret-Value")));
  EXPECT_THAT(s.settings.content, Not(HasSubstr("BITCOIN_RPC_PASSWORD")));
}

TEST(AllStacks, ImdsV2IsRequiredEverywhere) {
  Stacks s(kBlueprintTestEnv);
  EXPECT_EQ(Only(s.single, "AWS::EC2::Instance")["Properties"]["MetadataOptions"]["HttpTokens"],
            "required");
  EXPECT_EQ(Only(s.ha, "AWS::EC2::LaunchTemplate")["Properties"]["LaunchTemplateData"]
                                                  ["MetadataOptions"]["HttpTokens"],
            "required");
}

TEST(AllStacks, VolumesAreEncrypted) {
  Stacks s(kBlueprintTestEnv);
  EXPECT_EQ(Only(s.single, "AWS::EC2::Volume")["Properties"]["Encrypted"], true);
  const json launch_template = Only(s.ha, "AWS::EC2::LaunchTemplate");
  for (const auto& m : launch_template["Properties"]["LaunchTemplateData"]["BlockDeviceMappings"]) {
    EXPECT_EQ(m["Ebs"]["Encrypted"], true);
  }
}

// --- Node roles: who may reach a signer's or miner's secrets ------------------------------------

std::string SampleEnv(const std::string& name) {
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs/" + name);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << name;
  return text.str();
}

const json kImportedRole = json::parse(R"({"Fn::ImportValue":"StacksNodeInstanceRoleName"})");

// The statements of a policy document (a lone statement as a list of one).
json StatementsOf(const json& document) {
  const json& st = document["Statement"];
  return st.is_array() ? st : json::array({st});
}

// The one resource `id` of the template, or fails.
json ResourceOf(const Template& t, const std::string& id) {
  const json resources = Resources(t);
  EXPECT_TRUE(resources.contains(id)) << id;
  return resources.contains(id) ? resources[id] : json();
}

TEST(NodeRoles, SignersAndMinersHaveTheirOwnRoleWithTheirSecretGrants) {
  for (const char* sample : {"mainnet-signer.env", "mainnet-miner.env", "testnet-signer.env",
                             "testnet-miner.env"}) {
    SCOPED_TRACE(sample);
    const config::Config config = testing::ConfigFrom(SampleEnv(sample));
    ASSERT_TRUE(SingleNodeHasOwnRole(config.role));
    const Template single = BuildSingleNodeStack(config, RenderNodeSettings(config));
    const json role = Only(single, "AWS::IAM::Role");
    EXPECT_EQ(ResourceOf(single, ids::kNodeRole), role);
    EXPECT_EQ(role["Properties"]["AssumeRolePolicyDocument"]["Statement"],
              json::parse(R"([{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},
                              "Action":"sts:AssumeRole"}])"));
    // The secret grants are on this role, and on no role outside the stack.
    const json policy = Only(single, "AWS::IAM::Policy")["Properties"];
    EXPECT_EQ(policy["Roles"], json::array({json{{"Ref", ids::kNodeRole}}}));
    std::set<std::string> sids;
    for (const auto& st : StatementsOf(policy["PolicyDocument"])) sids.insert(st.value("Sid", ""));
    EXPECT_TRUE(sids.count("SignalThisStack"));
    EXPECT_TRUE(sids.count("ReadNodeSecrets"));
    EXPECT_TRUE(sids.count("StoreFirstBootKeys"));  // the samples name no secret
    EXPECT_THAT(Plain(single.ToJson()).dump(), Not(HasSubstr("StacksNodeInstanceRoleName")));
    // Its ARN is an output, for the key policy of a KMS key of a secret the operator names.
    EXPECT_EQ(Plain(single.ToJson())["Outputs"][outputs::kNodeRoleArn]["Value"],
              json::parse(R"({"Fn::GetAtt":["NodeRole","Arn"]})"));
  }
}

TEST(NodeRoles, ASignersRoleHasExactlyTheRuntimeGrantsOfTheCommonRole) {
  const config::Config config = testing::ConfigFrom(SampleEnv("mainnet-signer.env"));
  const json own = Only(BuildSingleNodeStack(config, RenderNodeSettings(config)),
                        "AWS::IAM::Role")["Properties"];
  const json shared = Only(BuildCommonStack(config), "AWS::IAM::Role")["Properties"];
  EXPECT_EQ(own["AssumeRolePolicyDocument"], shared["AssumeRolePolicyDocument"]);
  EXPECT_EQ(own["ManagedPolicyArns"], shared["ManagedPolicyArns"]);
  EXPECT_EQ(own["Tags"], shared["Tags"]);
  ASSERT_EQ(own["Policies"].size(), shared["Policies"].size());
  json own_statements = own["Policies"][0]["PolicyDocument"]["Statement"];
  json shared_statements = shared["Policies"][0]["PolicyDocument"]["Statement"];
  // The same statements but where the assets bucket comes from: the common stack's own
  // bucket there, the bucket it exports here.
  ASSERT_EQ(own_statements[0]["Sid"], "ReadNodeAssets");
  EXPECT_EQ(own_statements[0]["Resource"],
            json::parse(R"({"Fn::Join":["",["arn:",{"Ref":"AWS::Partition"},":s3:::",
                            {"Fn::ImportValue":"StacksNodeAssetsBucketName"},"/*"]]})"));
  EXPECT_EQ(shared_statements[0]["Resource"], json::parse(R"({"Fn::Sub":"${AssetsBucket.Arn}/*"})"));
  own_statements[0].erase("Resource");
  shared_statements[0].erase("Resource");
  EXPECT_EQ(own_statements, shared_statements);
  EXPECT_THAT(own.dump(), Not(HasSubstr("secretsmanager")));  // those are in NodeStackPolicy
}

TEST(NodeRoles, ASignersInstanceRunsWithTheStacksOwnProfile) {
  for (const char* sample : {"mainnet-signer.env", "mainnet-miner.env"}) {
    SCOPED_TRACE(sample);
    const config::Config config = testing::ConfigFrom(SampleEnv(sample));
    const Template single = BuildSingleNodeStack(config, RenderNodeSettings(config));
    const json profile = Only(single, "AWS::IAM::InstanceProfile");
    EXPECT_EQ(ResourceOf(single, ids::kNodeInstanceProfile), profile);
    EXPECT_EQ(profile["Properties"]["Roles"], json::array({json{{"Ref", ids::kNodeRole}}}));
    EXPECT_EQ(Only(single, "AWS::EC2::Instance")["Properties"]["IamInstanceProfile"],
              json({{"Ref", ids::kNodeInstanceProfile}}));
  }
}

TEST(NodeRoles, FollowersGetNoSecretsManagerPermissionAnywhere) {
  int templates = 0;
  for (const char* sample : {"mainnet-follower.env", "mainnet-follower-ha.env",
                             "testnet-follower.env", "testnet-follower-ha.env"}) {
    SCOPED_TRACE(sample);
    const config::Config config = testing::ConfigFrom(SampleEnv(sample));
    ASSERT_EQ(config.role, config::Role::kFollower);
    EXPECT_FALSE(SingleNodeHasOwnRole(config.role));
    const NodeSettingsAsset settings = RenderNodeSettings(config);
    const Template common = BuildCommonStack(config);
    const Template single = BuildSingleNodeStack(config, settings);
    const Template ha = BuildHaNodesStack(config, settings);
    for (const Template* t : {&common, &single, &ha}) {
      ++templates;
      EXPECT_THAT(Plain(t->ToJson()).dump(), Not(HasSubstr("secretsmanager")));
    }
    // Followers share the common role and profile; what their stacks attach to it is their own
    // signal or lifecycle grant only.
    EXPECT_EQ(CountOf(single, "AWS::IAM::Role"), 0);
    EXPECT_EQ(CountOf(ha, "AWS::IAM::Role"), 0);
    EXPECT_EQ(Only(single, "AWS::EC2::Instance")["Properties"]["IamInstanceProfile"],
              json({{"Fn::ImportValue", "StacksNodeInstanceProfileName"}}));
    EXPECT_EQ(Only(ha, "AWS::EC2::LaunchTemplate")["Properties"]["LaunchTemplateData"]
                                                 ["IamInstanceProfile"],
              json::parse(R"({"Name":{"Fn::ImportValue":"StacksNodeInstanceProfileName"}})"));
    for (const Template* t : {&single, &ha}) {
      const json policy = Only(*t, "AWS::IAM::Policy")["Properties"];
      EXPECT_EQ(policy["Roles"], json::array({kImportedRole}));
      for (const auto& st : StatementsOf(policy["PolicyDocument"])) {
        EXPECT_THAT(st["Action"].dump(), Not(HasSubstr("secretsmanager")));
      }
    }
  }
  EXPECT_EQ(templates, 12);
}

TEST(NodeRoles, NoStackOfAnyRoleAttachesASecretGrantToTheCommonRole) {
  for (const char* sample : {"mainnet-follower.env", "mainnet-follower-ha.env", "mainnet-signer.env",
                             "mainnet-miner.env", "testnet-signer.env", "testnet-miner.env"}) {
    SCOPED_TRACE(sample);
    const config::Config config = testing::ConfigFrom(SampleEnv(sample));
    const NodeSettingsAsset settings = RenderNodeSettings(config);
    std::vector<Template> stacks;
    stacks.push_back(BuildCommonStack(config));
    stacks.push_back(BuildSingleNodeStack(config, settings));
    if (config.role == config::Role::kFollower) stacks.push_back(BuildHaNodesStack(config, settings));
    EXPECT_THAT(Plain(stacks[0].ToJson()).dump(), Not(HasSubstr("secretsmanager")));
    for (const Template& t : stacks) {
      const json resources = Resources(t);
      for (const auto& [id, r] : resources.items()) {
        if (r["Type"] != "AWS::IAM::Policy") continue;
        bool shared = false;
        for (const auto& role : r["Properties"]["Roles"]) shared |= role == kImportedRole;
        if (shared) {
          EXPECT_THAT(r.dump(), Not(HasSubstr("secretsmanager"))) << id;
        }
      }
    }
  }
}

}  // namespace
}  // namespace sr::templates
