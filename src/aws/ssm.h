// SSM Parameter Store reads: the AMI ids AWS publishes as public parameters.
#ifndef STACKS_RUNNER_AWS_SSM_H_
#define STACKS_RUNNER_AWS_SSM_H_

#include <string>

#include "aws/client.h"

namespace sr::aws {

AwsResult<std::string> GetParameter(AwsClient& ssm, const std::string& name);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SSM_H_
