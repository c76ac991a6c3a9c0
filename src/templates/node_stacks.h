// The two node stacks: one instance with its own data volume, or an Auto Scaling group of nodes
// behind an internal Application Load Balancer. Both import the common stack's assets bucket and,
// but for a signer's or miner's single node (SingleNodeHasOwnRole), its role and profile, and take what only deploy time knows as parameters (VPC, its CIDR, subnets, the
// AMI, the node binary's key and digest).
#ifndef STACKS_RUNNER_TEMPLATES_NODE_STACKS_H_
#define STACKS_RUNNER_TEMPLATES_NODE_STACKS_H_

#include "config/config.h"
#include "templates/cfn.h"
#include "templates/node_settings.h"

namespace sr::templates {

// The SSM public parameter of the Amazon Linux 2023 AMI for the node's architecture; deploy
// resolves it when the stack is created and keeps that AMI on updates (a new AMI would replace
// the instance).
std::string AmiSsmParameter(config::CpuArch arch);

// Whether the single-node stack of `role` has an instance role and profile of its own
// (ids::kNodeRole, ids::kNodeInstanceProfile) instead of the common stack's shared ones: signers
// and miners do, so that their secrets' grants reach no other node. Followers (single or HA)
// share the common stack's role.
bool SingleNodeHasOwnRole(config::Role role);

Template BuildSingleNodeStack(const config::Config& config, const NodeSettingsAsset& settings);
Template BuildHaNodesStack(const config::Config& config, const NodeSettingsAsset& settings);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NODE_STACKS_H_
