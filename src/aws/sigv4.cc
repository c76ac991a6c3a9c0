#include "aws/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cstdio>
#include <stdexcept>

namespace sr::aws {
namespace {

// Left out of the signature, as recent botocore does (Debian's 1.29 leaves out only expect,
// user-agent and x-amzn-trace-id): hop-by-hop headers that proxies and HTTP stacks may add, drop or
// change, the user agent and the trace id; and an Authorization left from an earlier signing.
constexpr std::string_view kUnsignedHeaders[] = {"authorization",
                                                 "connection",
                                                 "expect",
                                                 "keep-alive",
                                                 "proxy-authenticate",
                                                 "proxy-authorization",
                                                 "te",
                                                 "trailer",
                                                 "transfer-encoding",
                                                 "upgrade",
                                                 "user-agent",
                                                 "x-amzn-trace-id"};

std::string_view AsBytes(const util::Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string ToLowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsHttpSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsSigned(std::string_view lower_name) {
  return std::find(std::begin(kUnsignedHeaders), std::end(kUnsignedHeaders), lower_name) ==
         std::end(kUnsignedHeaders);
}

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

// The canonical values of one header, in request order, joined with commas.
std::string JoinedHeaderValues(const HttpRequest& request, std::string_view lower_name) {
  std::string joined;
  bool found = false;
  for (const auto& [name, value] : request.headers) {
    if (!EqualsIgnoreCase(name, lower_name)) continue;
    if (found) joined += ',';
    joined += CanonicalHeaderValue(value);
    found = true;
  }
  if (!found && lower_name == "host") joined = CanonicalHeaderValue(request.host);
  return joined;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string joined;
  for (const std::string& name : names) {
    if (!joined.empty()) joined += ';';
    joined += name;
  }
  return joined;
}

// Sets the headers that the signature covers and that Sign itself is responsible for.
void AddSigningHeaders(HttpRequest& request, const Credentials& credentials,
                       const SigningParams& params, const std::string& amz_date,
                       const std::string& payload_hash) {
  RemoveHeader(request, "Authorization");
  SetHeader(request, "X-Amz-Date", amz_date);
  if (!credentials.session_token.empty()) {
    SetHeader(request, "X-Amz-Security-Token", credentials.session_token);
  }
  if (params.s3 || params.unsigned_payload || params.add_content_sha256) {
    SetHeader(request, "X-Amz-Content-SHA256", payload_hash);
  }
}

}  // namespace

PathRules PathRulesFor(const SigningParams& params) {
  return PathRules{.normalize = !params.s3 && params.normalize_path, .encode = !params.s3};
}

std::string AmzDate(std::chrono::system_clock::time_point time) {
  using std::chrono::floor;
  const auto seconds = floor<std::chrono::seconds>(time);
  const auto days = floor<std::chrono::days>(seconds);
  const std::chrono::year_month_day date{days};
  const std::chrono::hh_mm_ss clock{seconds - days};
  char text[32];
  std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return text;
}

std::string CredentialScope(std::string_view amz_date, std::string_view region,
                            std::string_view service) {
  std::string scope(amz_date.substr(0, 8));
  for (std::string_view part : {region, service, std::string_view("aws4_request")}) {
    scope += '/';
    scope += part;
  }
  return scope;
}

std::string NormalizePath(std::string_view path) {
  if (path.empty()) return "/";
  std::vector<std::string_view> kept;
  for (std::string_view segment : SplitPath(path)) {
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
    } else if (!segment.empty() && segment != ".") {
      kept.push_back(segment);
    }
  }
  std::string out = path.front() == '/' ? "/" : "";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  if (path.back() == '/' && !kept.empty()) out += '/';
  return out;
}

std::string CanonicalUri(std::string_view path, PathRules rules) {
  std::string uri(path.empty() ? std::string_view("/") : path);
  if (rules.normalize) uri = NormalizePath(uri);
  if (rules.encode) uri = UriEncode(uri, /*keep_slash=*/true);
  return uri;
}

std::string CanonicalQuery(const NameValueList& query) {
  NameValueList encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(UriEncode(name), UriEncode(value));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::string CanonicalHeaderValue(std::string_view value) {
  std::string out;
  bool space_pending = false;
  for (char c : value) {
    if (IsHttpSpace(c)) {
      space_pending = !out.empty();
      continue;
    }
    if (space_pending) out += ' ';
    space_pending = false;
    out += c;
  }
  return out;
}

std::vector<std::string> SignedHeaderNames(const HttpRequest& request) {
  std::vector<std::string> names{"host"};
  for (const auto& header : request.headers) {
    std::string name = ToLowerAscii(header.first);
    if (IsSigned(name)) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::string CanonicalRequest(const HttpRequest& request,
                             const std::vector<std::string>& signed_header_names,
                             std::string_view payload_hash, PathRules rules) {
  std::string out = request.method;
  out += '\n';
  out += CanonicalUri(request.path, rules);
  out += '\n';
  out += CanonicalQuery(request.query);
  out += '\n';
  for (const std::string& name : signed_header_names) {
    out += name;
    out += ':';
    out += JoinedHeaderValues(request, name);
    out += '\n';
  }
  out += '\n';
  out += JoinNames(signed_header_names);
  out += '\n';
  out += payload_hash;
  return out;
}

std::string StringToSign(std::string_view amz_date, std::string_view credential_scope,
                         std::string_view canonical_request) {
  std::string out(kSigningAlgorithm);
  out += '\n';
  out += amz_date;
  out += '\n';
  out += credential_scope;
  out += '\n';
  out += util::Sha256Hex(canonical_request);
  return out;
}

util::Sha256Digest HmacSha256(std::string_view key, std::string_view data) {
  util::Sha256Digest digest{};
  unsigned int length = 0;
  const unsigned char* result = HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
                                     reinterpret_cast<const unsigned char*>(data.data()),
                                     data.size(), digest.data(), &length);
  if (result == nullptr || length != digest.size()) {
    throw std::runtime_error("HMAC-SHA256 is not available from OpenSSL");
  }
  return digest;
}

util::Sha256Digest SigningKey(std::string_view secret_access_key, std::string_view amz_date,
                              std::string_view region, std::string_view service) {
  std::string date_key_secret = "AWS4";
  date_key_secret += secret_access_key;
  util::Sha256Digest key = HmacSha256(date_key_secret, amz_date.substr(0, 8));
  OPENSSL_cleanse(date_key_secret.data(), date_key_secret.size());
  key = HmacSha256(AsBytes(key), region);
  key = HmacSha256(AsBytes(key), service);
  return HmacSha256(AsBytes(key), "aws4_request");
}

std::string Signature(const util::Sha256Digest& signing_key, std::string_view string_to_sign) {
  return util::HexEncode(HmacSha256(AsBytes(signing_key), string_to_sign));
}

std::string AuthorizationHeader(std::string_view access_key_id, std::string_view credential_scope,
                                const std::vector<std::string>& signed_header_names,
                                std::string_view signature) {
  std::string out(kSigningAlgorithm);
  out += " Credential=";
  out += access_key_id;
  out += '/';
  out += credential_scope;
  out += ", SignedHeaders=";
  out += JoinNames(signed_header_names);
  out += ", Signature=";
  out += signature;
  return out;
}

HttpRequest Sign(HttpRequest request, const Credentials& credentials, const SigningParams& params,
                 SigningTrace* trace) {
  const std::string amz_date = AmzDate(params.time);
  const std::string payload_hash =
      params.unsigned_payload ? std::string(kUnsignedPayload) : util::Sha256Hex(request.body);
  AddSigningHeaders(request, credentials, params, amz_date, payload_hash);

  const std::vector<std::string> names = SignedHeaderNames(request);
  const std::string scope = CredentialScope(amz_date, params.region, params.service);
  SigningTrace steps;
  steps.canonical_request = CanonicalRequest(request, names, payload_hash, PathRulesFor(params));
  steps.string_to_sign = StringToSign(amz_date, scope, steps.canonical_request);
  steps.signature =
      Signature(SigningKey(credentials.secret_access_key, amz_date, params.region, params.service),
                steps.string_to_sign);

  SetHeader(request, "Authorization",
            AuthorizationHeader(credentials.access_key_id, scope, names, steps.signature));
  if (trace != nullptr) *trace = std::move(steps);
  return request;
}

}  // namespace sr::aws
