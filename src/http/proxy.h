// HTTP proxies from the environment, the way the AWS CLI (botocore over Python's urllib) and
// curl read them:
//   https:// endpoints use https_proxy, else HTTPS_PROXY; http:// endpoints http_proxy, else
//   HTTP_PROXY (lowercase wins, as in urllib; a lowercase variable set to "" means no proxy).
//   ALL_PROXY is not read. A proxy URL is http://[user:password@]host[:port] (port 80 when not
//   given; "host:port" without a scheme means http://); https:// proxies are not supported.
//   HTTPS goes through a CONNECT tunnel with TLS inside; HTTP is sent to the proxy with the
//   absolute URL as request target. user:password (percent-decoded) becomes Basic
//   Proxy-Authorization and is never shown: see ProxyUrl::Redacted.
// no_proxy (else NO_PROXY) is a list separated by commas or blanks; each entry is
//   `*`                      every host;
//   `example.com`, `.example.com`  that host and every name under it (not notexample.com);
//                            leading and trailing dots are ignored, as in curl and urllib;
//   `10.1.2.3`, `10.0.0.0/8`, `fd00::/8`, `[::1]`  an IP address or CIDR range, matched against
//                            endpoints given as addresses (names are not resolved: as curl);
//   any of these + `:port`   only that port (urllib matches host:port entries; curl does not).
// Names compare case-insensitively. Unlike curl and the AWS CLI, loopback and link-local
// destinations never use a proxy (as Go's net/http does for loopback): `localhost`,
// `*.localhost`, 127.0.0.0/8, ::1, 169.254.0.0/16 and fe80::/10 (the instance metadata service
// 169.254.169.254), and fd00:ec2::254 (its IPv6 address). A remote proxy cannot reach this
// machine's loopback, and asking it for 169.254.169.254 would get the credentials of the
// proxy's own instance.
#ifndef STACKS_RUNNER_HTTP_PROXY_H_
#define STACKS_RUNNER_HTTP_PROXY_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/url.h"

namespace sr::http {

struct ProxyUrl {
  Url address;           // scheme "http"; base_path empty
  std::string username;  // percent-decoded; empty for none
  std::string password;

  // "http://host:port", with "user:***@" when there are credentials: for messages.
  std::string Redacted() const;
  // "Basic base64(user:password)", or "" without credentials.
  std::string AuthorizationHeader() const;
};

struct ProxySettings {
  std::optional<ProxyUrl> https_proxy;  // for https:// endpoints
  std::optional<ProxyUrl> http_proxy;   // for http:// endpoints
  std::vector<std::string> no_proxy;    // entries, lowercase, as described above
};

// Parses a proxy URL (see above). Errors never repeat the text.
std::optional<ProxyUrl> ParseProxyUrl(std::string_view text, std::string* error);

// The proxy settings of an environment; nothing, with `error` naming the variable, when a proxy
// variable does not parse.
std::optional<ProxySettings> ProxySettingsFromEnvironment(
    const std::map<std::string, std::string>& environment, std::string* error);

// Splits a no_proxy value into its entries.
std::vector<std::string> ParseNoProxy(std::string_view value);

// True when `endpoint` is to be reached directly: always-direct destinations and no_proxy.
bool BypassesProxy(const std::vector<std::string>& no_proxy, const Url& endpoint);

// The proxy to use for `endpoint`, or nullptr for a direct connection.
const ProxyUrl* ProxyFor(const ProxySettings& settings, const Url& endpoint);

}  // namespace sr::http

#endif  // STACKS_RUNNER_HTTP_PROXY_H_
