#include "templates/iam.h"

#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/tags.h"

namespace sr::templates {

Json Statement(std::string_view effect, const std::vector<std::string>& actions, Json resource,
               Json principal) {
  Json s = Json::object();
  s["Effect"] = effect;
  if (!principal.is_null()) s["Principal"] = std::move(principal);
  if (actions.size() == 1) {
    s["Action"] = actions.front();
  } else {
    s["Action"] = actions;
  }
  if (!resource.is_null()) s["Resource"] = std::move(resource);
  return s;
}

Json PolicyDocument(std::vector<Json> statements) {
  return Json{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

NodeAssetsGrant OwnAssetsBucket() {
  return {cfn::Sub("${" + std::string(ids::kAssetsBucket) + ".Arn}/*"),
          "Resource::<" + std::string(ids::kAssetsBucket) + ".Arn>/*", "this stack's assets bucket"};
}

NodeAssetsGrant ImportedAssetsBucket() {
  // Fn::Join, not Fn::Sub with a variable map, so the finding reads as the ARN it stands for.
  return {cfn::Join("", Json::array({"arn:", cfn::Ref("AWS::Partition"), ":s3:::",
                                     cfn::ImportValue(kExportAssetsBucket), "/*"})),
          "Resource::arn:<AWS::Partition>:s3:::" + std::string(kExportAssetsBucket) + "/*",
          "the common stack's assets bucket"};
}

void AddNodeRole(Template& t, const config::Config& config, std::string description,
                 const NodeAssetsGrant& assets) {
  Resource role{"AWS::IAM::Role"};
  role.properties["Description"] = std::move(description);
  role.properties["AssumeRolePolicyDocument"] = PolicyDocument(
      {Statement("Allow", {"sts:AssumeRole"}, Json(), Json{{"Service", "ec2.amazonaws.com"}})});
  // Session Manager instead of SSH. Scoped grants that need a stack's own resources (signals,
  // lifecycle actions, secrets) are added by the node stacks, on their own resources only.
  role.properties["ManagedPolicyArns"] =
      Json::array({cfn::Sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")});
  Json read_assets = Statement("Allow", {"s3:GetObject"}, assets.objects);
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
        "Read-only, " + assets.bucket +
            " only: the nodes fetch content-addressed keys (bin/<sha256>/..., "
            "settings/<sha256>.env) unknown when the role is created",
        {assets.finding}},
       {"AwsSolutions-IAM5",
        "The CloudWatch agent creates and writes its log groups under /stacks-runner/, one set "
        "per deployment, named after stacks created later",
        {"Resource::arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/"
         "stacks-runner/*"}}});
  t.AddResource(ids::kNodeRole, std::move(role));

  Resource profile{"AWS::IAM::InstanceProfile"};
  profile.properties["Roles"] = Json::array({cfn::Ref(ids::kNodeRole)});
  t.AddResource(ids::kNodeInstanceProfile, std::move(profile));
}

}  // namespace sr::templates
