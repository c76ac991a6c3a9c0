// Security groups. The node's: Stacks P2P (tcp and udp) open to the internet, as peers need,
// and RPC only from the allowed CIDR blocks (the VPC by default); in HA also the agent's health
// check port from the load balancer. The load balancer's: RPC from the allowed blocks in, and
// out only to the nodes' RPC and agent ports.
#ifndef STACKS_RUNNER_TEMPLATES_SECURITY_GROUPS_H_
#define STACKS_RUNNER_TEMPLATES_SECURITY_GROUPS_H_

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

// The CIDR blocks allowed to reach RPC: the configured ones, or Ref VpcCidr.
std::vector<Json> RpcSources(const config::Config& config);

void AddNodeSecurityGroup(Template& t, const config::Config& config);

// HA only: the load balancer's group, and the pairs of rules that let it reach the nodes' RPC
// port and the node agent's health check port and nothing else (the blueprint opened every TCP
// port from the load balancer).
void AddLoadBalancerSecurityGroups(Template& t, const config::Config& config);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_SECURITY_GROUPS_H_
