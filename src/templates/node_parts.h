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

// The EBS settings of the root volume: encrypted gp3.
Json RootVolumeEbs(const config::Config& config);

// The EBS settings of the data volume, as a block device mapping wants them (no Encrypted key
// difference from AWS::EC2::Volume other than the names the two resources use).
Json DataVolumeEbs(const config::Config& config);

// "Delete" for followers (the chain can be restored from the archive or peers), "Snapshot" for
// signers and miners (their databases cannot).
std::string DataVolumeDeletionPolicy(const config::Config& config);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NODE_PARTS_H_
