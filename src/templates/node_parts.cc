#include "templates/node_parts.h"

#include "templates/names.h"
#include "templates/node_stacks.h"

namespace sr::templates {

std::string AmiSsmParameter(config::CpuArch arch) {
  return std::string("/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-") +
         (arch == config::CpuArch::kArm64 ? "arm64" : "x86_64");
}

void AddNodeParameters(Template& t, const config::Config& config, SubnetShape subnets) {
  t.AddParameter(params::kVpcId,
                 Json{{"Type", "AWS::EC2::VPC::Id"},
                      {"Description", "VPC of the nodes (STACKS_VPC_ID, or the default VPC)"}});
  if (config.placement.rpc_allowed_cidrs.empty()) {
    t.AddParameter(params::kVpcCidr,
                   Json{{"Type", "String"},
                        {"AllowedPattern", R"(^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$)"},
                        {"Description", "CIDR block of the VPC; RPC is open to it only"}});
  }
  if (subnets == SubnetShape::kOneSubnet) {
    t.AddParameter(params::kSubnetId,
                   Json{{"Type", "AWS::EC2::Subnet::Id"},
                        {"Description", "Subnet of the node (public: peers must reach P2P)"}});
    t.AddParameter(params::kAvailabilityZone,
                   Json{{"Type", "AWS::EC2::AvailabilityZone::Name"},
                        {"Description", "Availability zone of that subnet (for the data volume)"}});
  } else {
    t.AddParameter(
        params::kSubnetIds,
        Json{{"Type", "List<AWS::EC2::Subnet::Id>"},
             {"Description", "Subnets of the nodes and the load balancer, in two or more zones"}});
  }
  t.AddParameter(params::kImageId,
                 Json{{"Type", "AWS::EC2::Image::Id"},
                      {"Description", "Amazon Linux 2023 AMI; stacks-runner deploy resolves " +
                                          AmiSsmParameter(config.arch) +
                                          " on create and keeps it on updates"}});
  t.AddParameter(params::kNodeBinaryKey,
                 Json{{"Type", "String"},
                      {"AllowedPattern", "^bin/[0-9a-f]{64}/stacks-runner-linux-(x86_64|arm64)$"},
                      {"Description",
                       "Object key of the stacks-runner node binary in the "
                       "assets bucket"}});
  t.AddParameter(params::kNodeBinarySha256,
                 Json{{"Type", "String"},
                      {"AllowedPattern", "^[0-9a-f]{64}$"},
                      {"Description", "SHA-256 of the node binary, checked before it runs"}});
}

Json RequireImdsV2() {
  return Json{
      {"HttpEndpoint", "enabled"}, {"HttpTokens", "required"}, {"HttpPutResponseHopLimit", 1}};
}

Json RootVolumeEbs(const config::Config& config, MappingOf mapping) {
  Json ebs = Json{{"VolumeType", "gp3"}, {"VolumeSize", config.root_volume_gib}, {"Iops", 3000}};
  if (mapping == MappingOf::kLaunchTemplate) ebs["Throughput"] = 125;
  ebs["Encrypted"] = true;
  ebs["DeleteOnTermination"] = true;
  return ebs;
}

Json DataVolumeEbs(const config::Config& config) {
  const auto& v = config.data_volume;
  Json ebs = Json{{"VolumeType", config::VolumeTypeName(v.type)}, {"VolumeSize", v.size_gib}};
  if (v.iops) ebs["Iops"] = *v.iops;
  if (v.throughput) ebs["Throughput"] = *v.throughput;
  ebs["Encrypted"] = true;
  ebs["DeleteOnTermination"] = true;
  return ebs;
}

std::string DataVolumeDeletionPolicy(const config::Config& config) {
  return config.role == config::Role::kFollower ? "Delete" : "Snapshot";
}

}  // namespace sr::templates
