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

  // The role followers run with (every follower stack of the account and region shares it).
  // Signers and miners get a role of their own in their single-node stack, built the same way.
  AddNodeRole(t, config,
              "Stacks nodes: read node assets, publish metrics and logs, Session Manager access",
              OwnAssetsBucket());

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
