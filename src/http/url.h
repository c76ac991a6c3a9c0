// Endpoint URLs: `https://cloudformation.us-east-1.amazonaws.com`, `http://127.0.0.1:4566/prefix`
// parsed into what a connection needs (scheme, host, port) and the path prefix the caller puts
// before each request's path. Only http and https, no user info, no query, no fragment.
#ifndef STACKS_RUNNER_HTTP_URL_H_
#define STACKS_RUNNER_HTTP_URL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sr::http {

struct Url {
  std::string scheme;     // "http" or "https"
  std::string host;       // lowercase; an IPv6 address without its brackets ("::1")
  uint16_t port = 0;      // as given, or 80 / 443
  std::string base_path;  // "" or "/prefix" (no trailing '/'), as given (percent-encoded)

  bool IsHttps() const { return scheme == "https"; }
  bool HasDefaultPort() const { return port == (IsHttps() ? 443 : 80); }
  // The host as written in a URL: IPv6 addresses in brackets.
  std::string UrlHost() const;
  // UrlHost, then ":port" unless it is the scheme's default: the Host header's value.
  std::string Authority() const;
  // UrlHost:port, always with the port (CONNECT targets, connection pool keys).
  std::string HostPort() const;
  // scheme://Authority() followed by base_path.
  std::string ToString() const;

  friend bool operator==(const Url&, const Url&) = default;
};

// Parses an absolute http(s) URL. On failure returns nothing and sets `error` to the reason;
// the reason never repeats the text (a proxy URL may carry a password), so callers add it when
// it is safe to show.
std::optional<Url> ParseUrl(std::string_view text, std::string* error);

// True for an IPv4 address in dotted form or an IPv6 address (without brackets).
bool IsIpAddress(std::string_view host);

}  // namespace sr::http

#endif  // STACKS_RUNNER_HTTP_URL_H_
