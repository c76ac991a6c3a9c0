// Everything needed to call AWS as the current user: the shared config files, the region, the
// credentials chain and each service's endpoint, resolved once. Makes a client per service.
#ifndef STACKS_RUNNER_AWS_SESSION_H_
#define STACKS_RUNNER_AWS_SESSION_H_

#include <functional>
#include <memory>
#include <string>

#include "aws/client.h"
#include "aws/credentials.h"
#include "aws/endpoints.h"
#include "aws/imds.h"
#include "aws/shared_config.h"
#include "http/http_client.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/process.h"

namespace sr::aws {

struct SessionDeps {
  Environment env;
  util::FileSystem* fs = nullptr;
  util::ProcessRunner* processes = nullptr;
  util::Clock* clock = nullptr;
  http::HttpClient* http = nullptr;       // AWS calls (may use a proxy)
  http::HttpClient* imds_http = nullptr;  // instance metadata (never a proxy)
  std::function<double()> random;         // retry jitter
  // --profile: wins over AWS_PROFILE and, as in the AWS CLI, over credentials in the environment.
  std::string profile;
};

class Session {
 public:
  // `region_from_config` is the configuration's AWS_REGION (may be empty). Fails when no region
  // can be found or AWS_EC2_METADATA_SERVICE_ENDPOINT is malformed; credentials are looked up
  // on the first call, not here.
  static AwsResult<std::unique_ptr<Session>> Create(SessionDeps deps,
                                                    const std::string& region_from_config);

  // A client for the service at its resolved endpoint; fails on a malformed endpoint URL.
  AwsResult<AwsClient> Client(const ServiceInfo& service);
  // Where the endpoint of a service comes from ("default", "AWS_ENDPOINT_URL", ...).
  Resolved EndpointOf(const ServiceInfo& service) const;

  const std::string& region() const { return region_.value; }
  const std::string& region_source() const { return region_.source; }
  std::string partition() const { return PartitionOf(region_.value); }
  CachingCredentials& credentials() { return *credentials_; }
  const RetryPolicy& retry() const { return retry_; }
  ImdsClient* imds() { return imds_.get(); }

 private:
  Session() = default;

  SessionDeps deps_;
  SharedConfig config_;
  std::string profile_;
  Resolved region_;
  RetryPolicy retry_;
  std::unique_ptr<ImdsClient> imds_;
  std::unique_ptr<CachingCredentials> credentials_;
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SESSION_H_
