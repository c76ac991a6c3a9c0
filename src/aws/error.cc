#include "aws/error.h"

#include <array>
#include <string_view>

namespace sr::aws {
namespace {

// Codes AWS services use for throttling (the SDKs' standard retry mode list).
constexpr std::array<std::string_view, 16> kThrottlingCodes = {
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "ThrottlingError",
    "Throttled",
};

constexpr std::array<std::string_view, 4> kTransientCodes = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure"};

}  // namespace

bool AwsError::IsThrottling() const {
  for (auto c : kThrottlingCodes) {
    if (code == c) return true;
  }
  return false;
}

bool AwsError::IsRetryable() const {
  if (kind == Kind::kTransport) return true;
  if (kind != Kind::kService) return false;
  if (IsThrottling()) return true;
  for (auto c : kTransientCodes) {
    if (code == c) return true;
  }
  return http_status == 500 || http_status == 502 || http_status == 503 || http_status == 504;
}

bool AwsError::IsAccessDenied() const {
  return code == "AccessDenied" || code == "AccessDeniedException" ||
         code == "UnauthorizedOperation" || code == "AuthorizationError";
}

bool AwsError::IsExpiredCredentials() const {
  return code == "ExpiredToken" || code == "ExpiredTokenException" || code == "RequestExpired" ||
         code == "InvalidClientTokenId" || code == "UnrecognizedClientException" ||
         code == "InvalidAccessKeyId" || code == "SignatureDoesNotMatch";
}

std::string AwsError::Describe() const {
  std::string out;
  if (!service.empty()) out += service + " ";
  if (!operation.empty()) out += operation;
  if (!out.empty()) out += ": ";
  if (!code.empty()) out += code + ": ";
  out += message.empty() ? std::string("(no message)") : message;
  if (http_status != 0 || !request_id.empty()) {
    out += " (";
    if (http_status != 0) out += "HTTP " + std::to_string(http_status);
    if (!request_id.empty())
      out += (http_status != 0 ? ", request id " : "request id ") + request_id;
    out += ")";
  }
  return out;
}

AwsError MakeError(AwsError::Kind kind, std::string code, std::string message) {
  AwsError e;
  e.kind = kind;
  e.code = std::move(code);
  e.message = std::move(message);
  return e;
}

}  // namespace sr::aws
