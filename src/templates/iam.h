// IAM policy documents.
#ifndef STACKS_RUNNER_TEMPLATES_IAM_H_
#define STACKS_RUNNER_TEMPLATES_IAM_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

// {"Effect", "Action", "Resource"[, "Principal"]}: `resource` may be a string, an intrinsic or a
// list; a null resource is left out (trust policies have none).
Json Statement(std::string_view effect, const std::vector<std::string>& actions, Json resource,
               Json principal = Json());

Json PolicyDocument(std::vector<Json> statements);

// Where the node role reads the node assets from: `objects` is the Resource of its s3:GetObject
// statement (the assets bucket's objects), `finding` how the security checks and cdk-nag name it
// in an AwsSolutions-IAM5 finding, so the suppression names exactly that wildcard, and `bucket`
// which bucket that is, for the suppression's reason.
struct NodeAssetsGrant {
  Json objects;
  std::string finding;
  std::string bucket;
};

// The assets bucket of the template itself (the common stack): "${AssetsBucket.Arn}/*".
NodeAssetsGrant OwnAssetsBucket();
// The common stack's assets bucket, imported by name (a node stack with a role of its own).
NodeAssetsGrant ImportedAssetsBucket();

// Adds the node instance role (ids::kNodeRole) and its instance profile
// (ids::kNodeInstanceProfile): assumed by EC2, with everything every Stacks node needs at run
// time (Session Manager, the assets bucket read, its metrics and logs) and the suppressions of
// the wildcards that needs. The common stack's shared role and the own role of a signer's or
// miner's single-node stack are both built here, so they cannot drift apart. Grants on a
// stack's own resources (signals, secrets, lifecycle actions) are separate AWS::IAM::Policy
// resources of the node stacks.
void AddNodeRole(Template& t, const config::Config& config, std::string description,
                 const NodeAssetsGrant& assets);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_IAM_H_
