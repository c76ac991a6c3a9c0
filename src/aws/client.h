// One AWS service at one endpoint: builds each call's request in the service's protocol, signs
// it (SigV4) with current credentials, sends it through an HttpClient, and retries what is worth
// retrying (throttling, 5xx, dropped connections) with exponential backoff and full jitter, as
// the SDKs' standard retry mode does. Errors come back as AWS sent them.
#ifndef STACKS_RUNNER_AWS_CLIENT_H_
#define STACKS_RUNNER_AWS_CLIENT_H_

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "aws/credentials.h"
#include "aws/error.h"
#include "aws/protocol.h"
#include "aws/service.h"
#include "http/http_client.h"
#include "util/clock.h"

namespace sr::aws {

struct RetryPolicy {
  int max_attempts = 5;  // AWS_MAX_ATTEMPTS overrides it (see Session)
  std::chrono::milliseconds base_delay{1000};
  std::chrono::milliseconds max_delay{20000};
};

struct ClientDeps {
  http::HttpClient* http = nullptr;
  util::Clock* clock = nullptr;
  CachingCredentials* credentials = nullptr;
  std::function<double()> random;  // uniform in [0, 1): the jitter
};

struct RestOptions {
  bool unsigned_payload = false;  // S3: do not hash the body (large uploads)
  http::RequestOptions transfer;  // timeout, streaming of the response body
  // Idempotent calls (every REST call we make) may be repeated after a dropped connection.
  bool idempotent = true;
};

class AwsClient {
 public:
  AwsClient(const ServiceInfo& service, std::string region, http::Url endpoint, ClientDeps deps,
            RetryPolicy retry = {});

  // Query and ec2 protocols: the response document, or the error.
  AwsResult<XmlResponse> CallQuery(std::string_view action, const NameValueList& params);
  // JSON protocol: the response object, or the error.
  AwsResult<nlohmann::json> CallJson(std::string_view operation, const nlohmann::json& body);
  // REST (S3): `request` carries method, path (without the endpoint's base path), query, headers
  // and body; its host is the endpoint's unless set. `connect_to` overrides where to connect
  // (virtual-hosted S3 buckets).
  AwsResult<http::HttpResponse> CallRest(std::string_view operation, HttpRequest request,
                                         const RestOptions& options,
                                         const http::Url* connect_to = nullptr);

  const ServiceInfo& service() const { return service_; }
  const std::string& region() const { return region_; }
  const http::Url& endpoint() const { return endpoint_; }
  int attempts_made() const { return attempts_made_; }  // of the last call, for tests

 private:
  AwsResult<http::HttpResponse> Send(std::string_view operation, HttpRequest request,
                                     const RestOptions& options, const http::Url& connect_to);
  std::chrono::milliseconds Backoff(int attempt) const;

  const ServiceInfo& service_;
  std::string region_;
  http::Url endpoint_;
  ClientDeps deps_;
  RetryPolicy retry_;
  int attempts_made_ = 0;
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_CLIENT_H_
