// STS: who the credentials belong to, and assuming roles.
#ifndef STACKS_RUNNER_AWS_STS_H_
#define STACKS_RUNNER_AWS_STS_H_

#include <string>

#include "aws/client.h"
#include "aws/credentials.h"

namespace sr::aws {

struct CallerIdentity {
  std::string account;
  std::string arn;
  std::string user_id;
};

AwsResult<CallerIdentity> GetCallerIdentity(AwsClient& sts);
AwsResult<TimedCredentials> AssumeRole(AwsClient& sts, const AssumeRoleRequest& request);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_STS_H_
