#include "aws/imds.h"

#include <algorithm>

namespace sr::aws {
namespace {

AwsError ImdsError(std::string code, std::string message) {
  AwsError e = MakeError(AwsError::Kind::kTransport, std::move(code),
                         "instance metadata: " + std::move(message));
  e.service = "IMDS";
  return e;
}

}  // namespace

bool ImdsDisabled(const Environment& env) {
  auto it = env.find("AWS_EC2_METADATA_DISABLED");
  if (it == env.end()) return false;
  std::string v = it->second;
  std::transform(v.begin(), v.end(), v.begin(), ::tolower);
  return v == "true";
}

AwsResult<ImdsOptions> ImdsOptionsFromEnvironment(const Environment& env) {
  ImdsOptions options;
  std::string url = "http://169.254.169.254";
  if (auto it = env.find("AWS_EC2_METADATA_SERVICE_ENDPOINT");
      it != env.end() && !it->second.empty()) {
    url = it->second;
  }
  std::string error;
  auto parsed = http::ParseUrl(url, &error);
  if (!parsed) {
    return MakeError(AwsError::Kind::kConfig, "InvalidEndpoint",
                     "AWS_EC2_METADATA_SERVICE_ENDPOINT=\"" + url + "\": " + error);
  }
  options.endpoint = *parsed;
  return options;
}

ImdsClient::ImdsClient(http::HttpClient* http, util::Clock* clock, ImdsOptions options)
    : http_(http), clock_(clock), options_(std::move(options)) {}

AwsResult<std::string> ImdsClient::Token(bool force_new) {
  if (!force_new && !token_.empty() && clock_->Now() + std::chrono::minutes(1) < token_expires_) {
    return token_;
  }
  HttpRequest request;
  request.method = "PUT";
  request.path = options_.endpoint.base_path + "/latest/api/token";
  request.headers = {
      {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl.count())}};
  http::RequestOptions transfer;
  transfer.timeout = options_.timeout;
  AwsError last;
  for (int attempt = 0; attempt < std::max(1, options_.attempts); ++attempt) {
    auto sent = http_->Send(options_.endpoint, request, transfer);
    if (auto* t = std::get_if<http::TransportError>(&sent)) {
      last = ImdsError(std::string(http::TransportErrorKindName(t->kind)), t->message);
      continue;
    }
    auto& response = std::get<http::HttpResponse>(sent);
    if (response.status == 200 && !response.body.empty()) {
      token_ = response.body;
      token_expires_ = clock_->Now() + options_.token_ttl;
      return token_;
    }
    last = ImdsError("HTTP" + std::to_string(response.status),
                     "token request answered HTTP " + std::to_string(response.status));
    if (response.status < 500) break;
  }
  token_.clear();
  return last;
}

AwsResult<std::string> ImdsClient::Fetch(const std::string& full_path) {
  bool renewed = false;
  AwsError last;
  for (int attempt = 0; attempt < std::max(1, options_.attempts) + 1; ++attempt) {
    auto token = Token(renewed);
    if (!token) return token.error();
    HttpRequest request;
    request.method = "GET";
    request.path = options_.endpoint.base_path + "/latest/" + full_path;
    request.headers = {{"X-aws-ec2-metadata-token", *token}};
    http::RequestOptions transfer;
    transfer.timeout = options_.timeout;
    auto sent = http_->Send(options_.endpoint, request, transfer);
    if (auto* t = std::get_if<http::TransportError>(&sent)) {
      last = ImdsError(std::string(http::TransportErrorKindName(t->kind)), t->message);
      continue;
    }
    auto& response = std::get<http::HttpResponse>(sent);
    if (response.status == 200) return std::move(response.body);
    if (response.status == 401 && !renewed) {  // the token expired or was revoked
      renewed = true;
      continue;
    }
    last = ImdsError(response.status == 404 ? "NotFound" : "HTTP" + std::to_string(response.status),
                     full_path + " answered HTTP " + std::to_string(response.status));
    if (response.status < 500) break;
  }
  return last;
}

AwsResult<std::string> ImdsClient::Get(const std::string& path) {
  return Fetch("meta-data/" + path);
}

AwsResult<std::string> ImdsClient::GetLatest(const std::string& path) { return Fetch(path); }

}  // namespace sr::aws
