// The EC2 instance metadata service, version 2 only: a session token from PUT /latest/api/token,
// then GETs that carry it. Used for instance credentials and region on EC2, and by the node
// runtime. Never goes through a proxy.
#ifndef STACKS_RUNNER_AWS_IMDS_H_
#define STACKS_RUNNER_AWS_IMDS_H_

#include <chrono>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "http/http_client.h"
#include "util/clock.h"

namespace sr::aws {

struct ImdsOptions {
  // AWS_EC2_METADATA_SERVICE_ENDPOINT, else http://169.254.169.254.
  http::Url endpoint;
  std::chrono::milliseconds timeout{1000};  // per request: off EC2 nothing answers
  int attempts = 2;
  std::chrono::seconds token_ttl{21600};
};

// Options from the environment; fails on a malformed AWS_EC2_METADATA_SERVICE_ENDPOINT.
AwsResult<ImdsOptions> ImdsOptionsFromEnvironment(const Environment& env);
// AWS_EC2_METADATA_DISABLED=true
bool ImdsDisabled(const Environment& env);

class ImdsClient : public MetadataSource {
 public:
  ImdsClient(http::HttpClient* http, util::Clock* clock, ImdsOptions options);

  // GET /latest/meta-data/<path>
  AwsResult<std::string> Get(const std::string& path) override;
  // GET /latest/<path>, e.g. "dynamic/instance-identity/document"
  AwsResult<std::string> GetLatest(const std::string& path);

 private:
  AwsResult<std::string> Token(bool force_new);
  AwsResult<std::string> Fetch(const std::string& full_path);

  http::HttpClient* http_;
  util::Clock* clock_;
  ImdsOptions options_;
  std::string token_;
  util::Clock::TimePoint token_expires_{};
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_IMDS_H_
