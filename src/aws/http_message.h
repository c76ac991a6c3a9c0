// The plain HTTP request that the AWS layer builds, signs (aws/sigv4.h) and hands to the HTTP
// client, with the few helpers that signing and query-protocol form bodies need. No I/O here.
#ifndef STACKS_RUNNER_AWS_HTTP_MESSAGE_H_
#define STACKS_RUNNER_AWS_HTTP_MESSAGE_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sr::aws {

using NameValueList = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;      // "GET", "POST"
  std::string host;        // "cloudformation.us-east-1.amazonaws.com" or "127.0.0.1:4566"
  std::string path = "/";  // as sent: already percent-encoded where needed (see UriEncode)
  NameValueList query;     // decoded name/value pairs, in order; encoded by EncodeQuery
  NameValueList headers;   // in order; names as given, compared case-insensitively
  std::string body;
};

// RFC 3986 percent-encoding: every byte but the unreserved A-Z a-z 0-9 - . _ ~ becomes %XX
// (uppercase hex). With keep_slash, '/' is kept too, for paths such as S3 object keys.
std::string UriEncode(std::string_view bytes, bool keep_slash = false);

// `name=value` pairs, each side UriEncode'd, joined with '&': the query string of a URL and the
// application/x-www-form-urlencoded body of the query protocol (a space is %20, never '+').
std::string EncodeQuery(const NameValueList& pairs);

// The request target of the request line: the path, then '?' and the encoded query if any.
std::string RequestTarget(const HttpRequest& request);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The value of the first header with that name (case-insensitive), or nullptr.
const std::string* FindHeader(const HttpRequest& request, std::string_view name);

// Removes every header with that name (case-insensitive).
void RemoveHeader(HttpRequest& request, std::string_view name);

// Replaces every header with that name (case-insensitive) by one `name: value`, added last.
void SetHeader(HttpRequest& request, std::string_view name, std::string value);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_HTTP_MESSAGE_H_
