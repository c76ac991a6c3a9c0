// Pieces both node stacks use: deploy-time parameters, volumes, instance metadata options.
#ifndef STACKS_RUNNER_TEMPLATES_NODE_PARTS_H_
#define STACKS_RUNNER_TEMPLATES_NODE_PARTS_H_

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

enum class SubnetShape { kOneSubnet, kSubnetList };

// VpcId, VpcCidr (when RPC is limited to the VPC), SubnetId + AvailabilityZone or SubnetIds,
// ImageId, NodeBinaryKey, NodeBinarySha256.
void AddNodeParameters(Template& t, const config::Config& config, SubnetShape subnets);

// IMDSv2 only, one hop (no containers reach the instance credentials).
Json RequireImdsV2();

enum class MappingOf { kInstance, kLaunchTemplate };

// The EBS settings of the root volume: encrypted gp3 at its baseline 3000 IOPS and 125 MiB/s.
// An instance's block device mapping cannot state the throughput (only a launch template's can).
Json RootVolumeEbs(const config::Config& config, MappingOf mapping);

// The EBS settings of the data volume in a launch template's block device mapping.
Json DataVolumeEbs(const config::Config& config);

// "Delete" for followers (the chain can be restored from the archive or peers), "Snapshot" for
// signers and miners (their databases cannot).
std::string DataVolumeDeletionPolicy(const config::Config& config);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NODE_PARTS_H_
