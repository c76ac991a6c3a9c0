#include "templates/common_stack.h"

#include "templates/iam.h"
#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/s3.h"
#include "templates/tags.h"

namespace sr::templates {
namespace {

Json Export(std::string_view name) { return Json{{"Name", name}}; }

}  // namespace

Template BuildCommonStack(const config::Config& config) {
  Template t(
      "stacks-runner: shared by the Stacks node stacks of this account and region: the node "
      "instance role and profile, and the assets bucket the nodes boot from");

  PrivateBucketOptions assets;
  assets.tags = StandardTags(config);
  assets.retain = true;  // deleting the stack must not fail on a non-empty bucket
  assets.metadata = NagMetadata(
      {{"AwsSolutions-S1",
        "Holds only what deploy uploads, under content-addressed keys, and nodes check every "
        "object against its SHA-256 before use; server access logs would need a second bucket "
        "in every account and region"}});
  AddPrivateBucket(t, ids::kAssetsBucket, ids::kAssetsBucketPolicy, assets);

  Resource role{"AWS::IAM::Role"};
  role.properties["Description"] =
      "Stacks nodes: read node assets, publish metrics and logs, Session Manager access";
  role.properties["AssumeRolePolicyDocument"] = PolicyDocument(
      {Statement("Allow", {"sts:AssumeRole"}, Json(), Json{{"Service", "ec2.amazonaws.com"}})});
  // Session Manager instead of SSH. Scoped grants that need a stack's own resources (signals,
  // lifecycle actions) are added by the node stacks, on their own resources only.
  role.properties["ManagedPolicyArns"] =
      Json::array({cfn::Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")});
  Json read_assets = Statement("Allow", {"s3:GetObject"},
                               cfn::Sub("${" + std::string(ids::kAssetsBucket) + ".Arn}/*"));
  read_assets["Sid"] = "ReadNodeAssets";
  Json metrics = Statement("Allow", {"cloudwatch:PutMetricData"}, "*");
  metrics["Sid"] = "PublishNodeMetrics";
  metrics["Condition"] = Json{
      {"StringEquals",
       {{"cloudwatch:namespace",
         Json::array({std::string(kMetricNamespace), std::string(kCloudWatchAgentNamespace)})}}}};
  Json logs = Statement("Allow",
                        {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents",
                         "logs:DescribeLogStreams", "logs:PutRetentionPolicy"},
                        cfn::Arn("logs", "log-group:/stacks-runner/*"));
  logs["Sid"] = "WriteNodeLogs";
  role.properties["Policies"] =
      Json::array({Json{{"PolicyName", "stacks-node-runtime"},
                        {"PolicyDocument", PolicyDocument({read_assets, metrics, logs})}}});
  role.properties["Tags"] = StandardTags(config);
  role.metadata = NagMetadata(
      {{"AwsSolutions-IAM4",
        "Session Manager access instead of SSH: AWS keeps this policy's actions in step with the "
        "SSM agent, and it grants no access to data",
        {"Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSSMManagedInstanceCore"}},
       {"AwsSolutions-IAM5",
        "cloudwatch:PutMetricData has no resource-level permissions; a condition limits it to "
        "the StacksRunner and CWAgent namespaces",
        {"Resource::*"}},
       {"AwsSolutions-IAM5",
        "Read-only, this stack's assets bucket only: the nodes fetch content-addressed keys "
        "(bin/<sha256>/..., settings/<sha256>.env) unknown when the role is created",
        {"Resource::<AssetsBucket.Arn>/*"}},
       {"AwsSolutions-IAM5",
        "The CloudWatch agent creates and writes its log groups under /stacks-runner/, one set "
        "per deployment, named after stacks created later",
        {"Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/"
         "stacks-runner/*"}}});
  t.AddResource(ids::kNodeRole, std::move(role));

  Resource profile{"AWS::IAM::InstanceProfile"};
  profile.properties["Roles"] = Json::array({cfn::Ref(ids::kNodeRole)});
  t.AddResource(ids::kNodeInstanceProfile, std::move(profile));

  t.AddOutput("InstanceRoleARN", Json{{"Description", "The node instance role"},
                                      {"Value", cfn::GetAtt(ids::kNodeRole, "Arn")},
                                      {"Export", Export(kExportRoleArn)}});
  t.AddOutput("InstanceRoleName",
              Json{{"Value", cfn::Ref(ids::kNodeRole)}, {"Export", Export(kExportRoleName)}});
  t.AddOutput("InstanceProfileName", Json{{"Value", cfn::Ref(ids::kNodeInstanceProfile)},
                                          {"Export", Export(kExportInstanceProfileName)}});
  t.AddOutput("InstanceProfileArn", Json{{"Value", cfn::GetAtt(ids::kNodeInstanceProfile, "Arn")},
                                         {"Export", Export(kExportInstanceProfileArn)}});
  t.AddOutput("AssetsBucketName",
              Json{{"Description", "Bucket the node binary and settings are uploaded to"},
                   {"Value", cfn::Ref(ids::kAssetsBucket)},
                   {"Export", Export(kExportAssetsBucket)}});
  return t;
}

}  // namespace sr::templates
