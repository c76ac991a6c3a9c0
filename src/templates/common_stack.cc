#include "templates/common_stack.h"

#include "templates/iam.h"
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
