#include "aws/endpoints.h"

#include <algorithm>

#include "config/validators.h"

namespace sr::aws {
namespace {

std::string Get(const Environment& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

bool IsTrue(std::string value) {
  std::transform(value.begin(), value.end(), value.begin(), ::tolower);
  return value == "true";
}

}  // namespace

std::string ProfileName(const Environment& env) {
  for (const char* name : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    const std::string v = Get(env, name);
    if (!v.empty()) return v;
  }
  return "default";
}

AwsResult<Resolved> ResolveRegion(const std::string& from_configuration, const Environment& env,
                                  const SharedConfig& config, const std::string& profile,
                                  const std::function<std::optional<std::string>()>& imds_region) {
  std::vector<Resolved> candidates;
  if (!from_configuration.empty()) candidates.push_back({from_configuration, "the configuration"});
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    const std::string v = Get(env, name);
    if (!v.empty()) candidates.push_back({v, name});
  }
  if (auto v = config.Get(profile, "region")) {
    candidates.push_back({*v, "profile " + profile + " in " + config.config_path});
  }
  for (const auto& c : candidates) {
    if (!config::IsRegion(c.value)) {
      return MakeError(AwsError::Kind::kConfig, "InvalidRegion",
                       "region \"" + c.value + "\" from " + c.source +
                           " is not an AWS region name (such as us-east-1)");
    }
    return c;
  }
  if (imds_region) {
    if (auto v = imds_region(); v && config::IsRegion(*v)) return Resolved{*v, "instance metadata"};
  }
  return MakeError(AwsError::Kind::kConfig, "NoRegion",
                   "no AWS region: set AWS_REGION in the configuration or the environment; also "
                   "looked at AWS_DEFAULT_REGION, the `region` of profile " +
                       profile + " in " + config.config_path + ", and instance metadata");
}

std::string PartitionOf(const std::string& region) {
  if (region.rfind("cn-", 0) == 0) return "aws-cn";
  if (region.rfind("us-gov-", 0) == 0) return "aws-us-gov";
  return "aws";
}

std::string DnsSuffixOf(const std::string& region) {
  return PartitionOf(region) == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

Resolved ResolveEndpoint(const ServiceInfo& service, const std::string& region,
                         const Environment& env, const SharedConfig& config,
                         const std::string& profile) {
  if (!IsTrue(Get(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) {
    const std::string specific = "AWS_ENDPOINT_URL_" + std::string(service.endpoint_env);
    if (std::string v = Get(env, specific); !v.empty()) return {v, specific};
    if (std::string v = Get(env, "AWS_ENDPOINT_URL"); !v.empty()) return {v, "AWS_ENDPOINT_URL"};
    if (auto v = config.Get(profile, "endpoint_url")) {
      return {*v, "endpoint_url of profile " + profile};
    }
  }
  return {
      "https://" + std::string(service.endpoint_prefix) + "." + region + "." + DnsSuffixOf(region),
      "default"};
}

}  // namespace sr::aws
