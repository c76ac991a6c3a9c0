// AWS Signature Version 4, Authorization-header form, as a pure function of the request, the
// credentials and a given time (no clock, no environment, no I/O). The steps follow aws-c-auth:
// canonical request -> string to sign -> signing key -> signature; each is exposed so that tests
// can check it against AWS's test suites and error messages can show what was signed.
//
// Headers signed: every header of the request but the ones recent botocore leaves out (hop-by-hop
// headers such as connection and transfer-encoding, expect, user-agent, x-amzn-trace-id) and an
// old Authorization; plus `host` (request.host unless a Host header is given) and those Sign adds.
// A secret access key never appears in anything returned here; only the signature derived from it
// does.
#ifndef STACKS_RUNNER_AWS_SIGV4_H_
#define STACKS_RUNNER_AWS_SIGV4_H_

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_message.h"
#include "util/sha256.h"

namespace sr::aws {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct SigningParams {
  std::string region;   // "us-east-1"
  std::string service;  // signing name: "cloudformation", "s3", "ssm", ...
  std::chrono::system_clock::time_point time;
  // S3 rules: the path is signed as sent (no normalization, no second encoding) and an
  // x-amz-content-sha256 header is added and signed.
  bool s3 = false;
  bool unsigned_payload = false;    // sign "UNSIGNED-PAYLOAD" instead of the body's hash
  bool add_content_sha256 = false;  // add x-amz-content-sha256 for non-S3 services too
  // Non-S3 only: remove "." and ".." segments and empty segments ("//") before encoding the path.
  // Every AWS service but S3 wants it; AWS's suite has vectors without it.
  bool normalize_path = true;
};

// How the path becomes the canonical URI.
struct PathRules {
  bool normalize = true;  // remove ".", ".." and empty segments
  bool encode = true;     // UriEncode the (already encoded) path once more, keeping '/'
};
PathRules PathRulesFor(const SigningParams& params);

// What Sign computed, for tests and diagnostics. It holds no secret.
struct SigningTrace {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;
};

inline constexpr std::string_view kSigningAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

// Returns the request with X-Amz-Date, X-Amz-Security-Token (when the credentials have a session
// token), x-amz-content-sha256 (S3, unsigned_payload or add_content_sha256) and Authorization set,
// each replacing any header of the same name. A Date header, if given, is signed as is.
HttpRequest Sign(HttpRequest request, const Credentials& credentials, const SigningParams& params,
                 SigningTrace* trace = nullptr);

// The steps, in order.

std::string AmzDate(std::chrono::system_clock::time_point time);  // "20150830T123600Z"
std::string CredentialScope(std::string_view amz_date, std::string_view region,
                            std::string_view service);  // "20150830/us-east-1/iam/aws4_request"

// botocore's remove_dot_segments: also drops empty segments; keeps a trailing '/'.
std::string NormalizePath(std::string_view path);
std::string CanonicalUri(std::string_view path, PathRules rules);
// Pairs encoded, sorted by encoded name then encoded value, joined as `n=v&n=v`.
std::string CanonicalQuery(const NameValueList& query);
// Trimmed, every run of whitespace (folded lines included) collapsed to one space.
std::string CanonicalHeaderValue(std::string_view value);
// Lowercase names of the headers to sign, sorted and unique; always includes "host".
std::vector<std::string> SignedHeaderNames(const HttpRequest& request);
std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_header_names,
                             std::string_view payload_hash, PathRules rules);
std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request);
util::Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view amz_date,
                              std::string_view region, std::string_view service);
std::string Signature(const util::Sha256Digest& signing_key, std::string_view string_to_sign);
std::string AuthorizationHeader(std::string_view access_key_id, std::string_view credential_scope,
                                const std::vector<std::string>& signed_header_names,
                                std::string_view signature);

util::Sha256Digest HmacSha256(std::string_view key, std::string_view data);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SIGV4_H_
