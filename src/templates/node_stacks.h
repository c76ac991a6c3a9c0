// The two node stacks: one instance with its own data volume, or an Auto Scaling group of nodes
// behind an internal Application Load Balancer. Both import the common stack's role, profile and
// assets bucket, and take what only deploy time knows as parameters (VPC, its CIDR, subnets, the
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

Template BuildSingleNodeStack(const config::Config& config, const NodeSettingsAsset& settings);
Template BuildHaNodesStack(const config::Config& config, const NodeSettingsAsset& settings);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NODE_STACKS_H_
