#include "templates/security_groups.h"

#include "config/ports.h"
#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/tags.h"

namespace sr::templates {
namespace {

Json Rule(std::string_view protocol, int port, Json cidr, std::string_view description) {
  return Json{{"IpProtocol", protocol},
              {"FromPort", port},
              {"ToPort", port},
              {"CidrIp", std::move(cidr)},
              {"Description", description}};
}

}  // namespace

std::vector<Json> RpcSources(const config::Config& config) {
  std::vector<Json> sources;
  for (const auto& cidr : config.placement.rpc_allowed_cidrs) sources.emplace_back(cidr);
  if (sources.empty()) sources.push_back(cfn::Ref(params::kVpcCidr));
  return sources;
}

void AddNodeSecurityGroup(Template& t, const config::Config& config) {
  Json ingress = Json::array();
  ingress.push_back(Rule("tcp", config.p2p_port, "0.0.0.0/0", "Stacks P2P from peers"));
  ingress.push_back(Rule("udp", config.p2p_port, "0.0.0.0/0", "Stacks P2P from peers"));
  for (const Json& source : RpcSources(config)) {
    ingress.push_back(Rule("tcp", config.rpc_port, source, "Stacks RPC"));
  }
  Resource sg{"AWS::EC2::SecurityGroup"};
  sg.properties["GroupDescription"] = "Stacks node: P2P from anywhere, RPC from allowed networks";
  sg.properties["VpcId"] = cfn::Ref(params::kVpcId);
  sg.properties["SecurityGroupIngress"] = std::move(ingress);
  // Nodes reach bitcoind, peers, the chainstate archive, releases and AWS APIs.
  sg.properties["SecurityGroupEgress"] =
      Json::array({Json{{"IpProtocol", "-1"},
                        {"CidrIp", "0.0.0.0/0"},
                        {"Description", "Allow all outbound traffic by default"}}});
  sg.properties["Tags"] = StandardTags(config);
  sg.metadata =
      NagMetadata({{"AwsSolutions-EC23",
                    "Stacks P2P must be reachable by any peer; StacksRunner-OnlyP2pPublic and "
                    "StacksRunner-RpcNotPublic fail on any other port open to the internet"}});
  t.AddResource(ids::kNodeSecurityGroup, std::move(sg));
}

void AddLoadBalancerSecurityGroups(Template& t, const config::Config& config) {
  Json ingress = Json::array();
  for (const Json& source : RpcSources(config)) {
    ingress.push_back(Rule("tcp", config.rpc_port, source, "Stacks RPC through the load balancer"));
  }
  Resource sg{"AWS::EC2::SecurityGroup"};
  sg.properties["GroupDescription"] = "Stacks RPC load balancer";
  sg.properties["VpcId"] = cfn::Ref(params::kVpcId);
  sg.properties["SecurityGroupIngress"] = std::move(ingress);
  // No default allow-all egress: the only egress rule is the one to the nodes below. EC2 needs a
  // rule to replace its default, so this one matches nothing (as CDK's allowAllOutbound=false).
  sg.properties["SecurityGroupEgress"] =
      Json::array({Json{{"IpProtocol", "icmp"},
                        {"FromPort", 252},
                        {"ToPort", 86},
                        {"CidrIp", "255.255.255.255/32"},
                        {"Description", "Disallow all traffic"}}});
  sg.properties["Tags"] = StandardTags(config);
  t.AddResource(ids::kAlbSecurityGroup, std::move(sg));

  Resource in{"AWS::EC2::SecurityGroupIngress"};
  in.properties = Json{{"GroupId", cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")},
                       {"IpProtocol", "tcp"},
                       {"FromPort", config.rpc_port},
                       {"ToPort", config.rpc_port},
                       {"SourceSecurityGroupId", cfn::GetAtt(ids::kAlbSecurityGroup, "GroupId")},
                       {"Description", "Load balancer to target"}};
  t.AddResource(ids::kAlbToNodeRpcIngress, std::move(in));

  Resource out{"AWS::EC2::SecurityGroupEgress"};
  out.properties =
      Json{{"GroupId", cfn::GetAtt(ids::kAlbSecurityGroup, "GroupId")},
           {"IpProtocol", "tcp"},
           {"FromPort", config.rpc_port},
           {"ToPort", config.rpc_port},
           {"DestinationSecurityGroupId", cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")},
           {"Description", "Load balancer to target"}};
  t.AddResource(ids::kAlbToNodeRpcEgress, std::move(out));

  // The health check reaches the node agent's /health, from the load balancer only.
  Resource agent_in{"AWS::EC2::SecurityGroupIngress"};
  agent_in.properties =
      Json{{"GroupId", cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")},
           {"IpProtocol", "tcp"},
           {"FromPort", config::kAgentPort},
           {"ToPort", config::kAgentPort},
           {"SourceSecurityGroupId", cfn::GetAtt(ids::kAlbSecurityGroup, "GroupId")},
           {"Description", "Load balancer health check to the node agent"}};
  t.AddResource(ids::kAgentIngressFromAlb, std::move(agent_in));

  Resource agent_out{"AWS::EC2::SecurityGroupEgress"};
  agent_out.properties =
      Json{{"GroupId", cfn::GetAtt(ids::kAlbSecurityGroup, "GroupId")},
           {"IpProtocol", "tcp"},
           {"FromPort", config::kAgentPort},
           {"ToPort", config::kAgentPort},
           {"DestinationSecurityGroupId", cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")},
           {"Description", "Load balancer health check to the node agent"}};
  t.AddResource(ids::kAlbToAgentEgress, std::move(agent_out));
}

}  // namespace sr::templates
