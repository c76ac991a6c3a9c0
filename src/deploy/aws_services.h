// The AWS clients the deploy-side commands use, made from one session.
#ifndef STACKS_RUNNER_DEPLOY_AWS_SERVICES_H_
#define STACKS_RUNNER_DEPLOY_AWS_SERVICES_H_

#include <memory>
#include <optional>

#include "aws/cloudformation.h"
#include "aws/ec2.h"
#include "aws/s3.h"
#include "aws/session.h"

namespace sr::deploy {

struct AwsServices {
  std::unique_ptr<aws::Session> session;
  std::optional<aws::CloudFormationApi> cloudformation;
  std::optional<aws::Ec2Api> ec2;
  std::optional<aws::S3Api> s3;
  std::optional<aws::AwsClient> ssm;
  std::optional<aws::AwsClient> sts;

  static aws::AwsResult<AwsServices> Create(aws::SessionDeps deps,
                                            const std::string& region_from_config);
};

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_AWS_SERVICES_H_
