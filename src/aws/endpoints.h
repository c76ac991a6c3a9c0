// Which region and which URL each call goes to, resolved as the AWS CLI and SDKs do, so users can
// point stacks-runner at any AWS-compatible endpoint (and tests at local ones).
#ifndef STACKS_RUNNER_AWS_ENDPOINTS_H_
#define STACKS_RUNNER_AWS_ENDPOINTS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "aws/error.h"
#include "aws/service.h"
#include "aws/shared_config.h"

namespace sr::aws {

using Environment = std::map<std::string, std::string>;

// AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string ProfileName(const Environment& env);

struct Resolved {
  std::string value;
  std::string source;  // "AWS_REGION", "profile dev in ~/.aws/config", "instance metadata", ...
};

// The first of: `from_configuration` (the .env's AWS_REGION, given by the caller),
// AWS_REGION, AWS_DEFAULT_REGION, the profile's `region`, instance metadata (`imds_region`, may
// be empty). Fails with a message listing every place looked.
AwsResult<Resolved> ResolveRegion(const std::string& from_configuration, const Environment& env,
                                  const SharedConfig& config, const std::string& profile,
                                  const std::function<std::optional<std::string>()>& imds_region);

// The first of: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the profile's `endpoint_url`
// (none of these when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else the service's public
// endpoint in the region's partition. `source` is "default" for the public endpoint.
Resolved ResolveEndpoint(const ServiceInfo& service, const std::string& region,
                         const Environment& env, const SharedConfig& config,
                         const std::string& profile);

// "aws", "aws-cn" or "aws-us-gov", and the partition's DNS suffix.
std::string PartitionOf(const std::string& region);
std::string DnsSuffixOf(const std::string& region);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_ENDPOINTS_H_
