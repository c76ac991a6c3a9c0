// Filling a node stack's parameters at deploy time, from the manifest's sources: the default VPC
// (or the configured one), its CIDR, its public subnets, the AMI from its SSM public parameter,
// and the uploaded assets. On updates, the placement and the AMI keep their deployed values, so
// that nothing moves or is replaced unless asked.
#ifndef STACKS_RUNNER_DEPLOY_PARAMETERS_H_
#define STACKS_RUNNER_DEPLOY_PARAMETERS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/client.h"
#include "aws/cloudformation.h"
#include "aws/ec2.h"

namespace sr::deploy {

struct UploadedAsset {
  std::string key;
  std::string sha256;
};

struct ParameterInputs {
  const nlohmann::json* sources = nullptr;  // manifest.stacks[<id>].parameters
  const aws::Stack* existing = nullptr;     // the deployed stack, if any
  std::map<std::string, UploadedAsset> assets;
  bool refresh_ami = false;  // resolve the AMI again on update
};

struct ResolvedParameters {
  std::vector<aws::StackParameter> parameters;
  std::vector<std::string> notes;  // for the plan: "VpcId vpc-0a1b... (default VPC)"
};

// Fails with an actionable message: no default VPC, no public subnet, too few zones for HA, a
// configured VPC or subnet that does not exist, an AMI parameter missing in the region.
aws::AwsResult<ResolvedParameters> ResolveParameters(const ParameterInputs& inputs,
                                                     aws::Ec2Api& ec2, aws::AwsClient& ssm);

// One subnet per availability zone, public ones first, in zone order: what the HA group and the
// load balancer span by default (and the first is the single node's).
std::vector<aws::Subnet> OnePerZone(std::vector<aws::Subnet> subnets);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_PARAMETERS_H_
