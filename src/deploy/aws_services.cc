#include "deploy/aws_services.h"

namespace sr::deploy {

aws::AwsResult<AwsServices> AwsServices::Create(aws::SessionDeps deps,
                                                const std::string& region_from_config) {
  auto session = aws::Session::Create(std::move(deps), region_from_config);
  if (!session) return session.error();
  AwsServices s;
  s.session = std::move(*session);
  auto cfn = s.session->Client(aws::CloudFormation());
  if (!cfn) return cfn.error();
  s.cloudformation.emplace(std::move(*cfn));
  auto ec2 = s.session->Client(aws::Ec2());
  if (!ec2) return ec2.error();
  s.ec2.emplace(std::move(*ec2));
  auto s3 = s.session->Client(aws::S3());
  if (!s3) return s3.error();
  // Custom endpoints (local stacks, S3-compatible stores) are addressed path-style.
  s.s3.emplace(std::move(*s3), s.session->EndpointOf(aws::S3()).source != "default");
  auto ssm = s.session->Client(aws::Ssm());
  if (!ssm) return ssm.error();
  s.ssm.emplace(std::move(*ssm));
  auto sts = s.session->Client(aws::Sts());
  if (!sts) return sts.error();
  s.sts.emplace(std::move(*sts));
  return s;
}

}  // namespace sr::deploy
