// The AWS services stacks-runner calls: how each is named, signed, addressed and spoken to.
// Values from each service's API model (botocore/data/<service>/<version>/service-2.json).
#ifndef STACKS_RUNNER_AWS_SERVICE_H_
#define STACKS_RUNNER_AWS_SERVICE_H_

#include <string_view>

namespace sr::aws {

enum class Protocol { kQuery, kEc2, kJson, kRestXml };

struct ServiceInfo {
  std::string_view name;             // "CloudFormation", as messages name it
  std::string_view endpoint_env;     // AWS_ENDPOINT_URL_<this>: the service id, upper case
  std::string_view endpoint_prefix;  // "cloudformation" in cloudformation.us-east-1.amazonaws.com
  std::string_view signing_name;     // SigV4 service name
  Protocol protocol;
  std::string_view api_version;    // query and ec2 protocols: the Version parameter
  std::string_view target_prefix;  // json protocol: X-Amz-Target is "<prefix>.<Operation>"
  std::string_view json_version;   // json protocol: application/x-amz-json-<this>
};

const ServiceInfo& CloudFormation();
const ServiceInfo& Ec2();
const ServiceInfo& S3();
const ServiceInfo& Sts();
const ServiceInfo& Ssm();
const ServiceInfo& AutoScaling();
const ServiceInfo& CloudWatch();
const ServiceInfo& SecretsManager();
const ServiceInfo& CloudWatchLogs();

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SERVICE_H_
