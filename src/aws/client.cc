#include "aws/client.h"

#include <algorithm>
#include <cmath>

#include "aws/sigv4.h"

namespace sr::aws {
namespace {

AwsError TransportToError(const ServiceInfo& service, std::string_view operation,
                          const http::TransportError& t) {
  AwsError e = MakeError(AwsError::Kind::kTransport,
                         std::string(http::TransportErrorKindName(t.kind)), t.message);
  e.service = std::string(service.name);
  e.operation = std::string(operation);
  return e;
}

}  // namespace

AwsClient::AwsClient(const ServiceInfo& service, std::string region, http::Url endpoint,
                     ClientDeps deps, RetryPolicy retry)
    : service_(service),
      region_(std::move(region)),
      endpoint_(std::move(endpoint)),
      deps_(std::move(deps)),
      retry_(retry) {}

std::chrono::milliseconds AwsClient::Backoff(int attempt) const {
  // Full jitter: a uniform delay up to min(max, base * 2^(attempt - 1)).
  const double cap =
      std::min<double>(static_cast<double>(retry_.max_delay.count()),
                       static_cast<double>(retry_.base_delay.count()) * std::pow(2.0, attempt - 1));
  const double r = deps_.random ? deps_.random() : 0.5;
  return std::chrono::milliseconds(static_cast<long>(cap * r));
}

AwsResult<http::HttpResponse> AwsClient::Send(std::string_view operation, HttpRequest request,
                                              const RestOptions& options,
                                              const http::Url& connect_to) {
  if (request.host.empty()) request.host = connect_to.Authority();
  request.path = endpoint_.base_path + request.path;
  const bool s3 = service_.protocol == Protocol::kRestXml;
  bool refreshed_credentials = false;
  AwsError last;
  attempts_made_ = 0;
  for (int attempt = 1; attempt <= std::max(1, retry_.max_attempts); ++attempt) {
    attempts_made_ = attempt;
    auto credentials = deps_.credentials->Get();
    if (!credentials) return credentials.error();

    SigningParams params;
    params.region = region_;
    params.service = std::string(service_.signing_name);
    params.time = deps_.clock->Now();
    params.s3 = s3;
    params.unsigned_payload = s3 && options.unsigned_payload;
    const HttpRequest signed_request = Sign(request, credentials->credentials, params);

    http::SendResult sent = deps_.http->Send(connect_to, signed_request, options.transfer);
    if (auto* transport = std::get_if<http::TransportError>(&sent)) {
      last = TransportToError(service_, operation, *transport);
      // A request that may have reached the server is repeated only when that is harmless.
      if (transport->request_sent && !options.idempotent) return last;
    } else {
      http::HttpResponse& response = std::get<http::HttpResponse>(sent);
      if (response.status < 300) return std::move(response);
      last = ParseError(service_, operation, response.status, response.body,
                        [&response](std::string_view name) { return response.FindHeader(name); });
      // Temporary credentials may have expired between the cache check and the call: fetch new
      // ones once, right away.
      if (last.IsExpiredCredentials() && credentials->expiration && !refreshed_credentials) {
        refreshed_credentials = true;
        deps_.credentials->Invalidate();
        continue;
      }
      if (!last.IsRetryable()) return last;
    }
    if (attempt < retry_.max_attempts) deps_.clock->SleepFor(Backoff(attempt));
  }
  if (retry_.max_attempts > 1) {
    last.message += " (gave up after " + std::to_string(attempts_made_) + " attempts)";
  }
  return last;
}

AwsResult<XmlResponse> AwsClient::CallQuery(std::string_view action, const NameValueList& params) {
  auto response = Send(action, QueryRequest(service_, action, params), RestOptions{}, endpoint_);
  if (!response) return response.error();
  return ParseXml(service_, action, response->body);
}

AwsResult<nlohmann::json> AwsClient::CallJson(std::string_view operation,
                                              const nlohmann::json& body) {
  auto response = Send(operation, JsonRequest(service_, operation, body), RestOptions{}, endpoint_);
  if (!response) return response.error();
  if (response->body.empty()) return nlohmann::json::object();
  auto parsed = nlohmann::json::parse(response->body, nullptr, false);
  if (parsed.is_discarded()) {
    AwsError e = MakeError(AwsError::Kind::kResponse, "InvalidResponse",
                           "not JSON: " + response->body.substr(0, 200));
    e.service = std::string(service_.name);
    e.operation = std::string(operation);
    return e;
  }
  return parsed;
}

AwsResult<http::HttpResponse> AwsClient::CallRest(std::string_view operation, HttpRequest request,
                                                  const RestOptions& options,
                                                  const http::Url* connect_to) {
  return Send(operation, std::move(request), options, connect_to ? *connect_to : endpoint_);
}

}  // namespace sr::aws
