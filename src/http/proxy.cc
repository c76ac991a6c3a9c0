#include "http/proxy.h"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <tuple>

namespace sr::http {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    const int hi = HexValue(s[i + 1]);
    const int lo = HexValue(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

// An IP address as bytes: 4 for IPv4, 16 for IPv6; IPv4-mapped IPv6 addresses become IPv4.
struct IpBytes {
  std::array<uint8_t, 16> bytes{};
  int size = 0;  // 0: not an address
};

IpBytes ParseIp(std::string_view text) {
  IpBytes ip;
  const std::string s(text);
  if (::inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) {
    ip.size = 4;
  } else if (::inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) == 1) {
    ip.size = 16;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(kMapped, kMapped + 12, ip.bytes.begin())) {
      std::copy(ip.bytes.begin() + 12, ip.bytes.end(), ip.bytes.begin());
      ip.size = 4;
    }
  }
  return ip;
}

// True when the first `bits` bits of a and b are equal (and both are of one family).
bool PrefixMatches(const IpBytes& a, const IpBytes& b, int bits) {
  if (a.size == 0 || a.size != b.size || bits < 0 || bits > a.size * 8) return false;
  int i = 0;
  for (; bits >= 8; bits -= 8, ++i) {
    if (a.bytes[i] != b.bytes[i]) return false;
  }
  if (bits == 0) return true;
  const uint8_t mask = static_cast<uint8_t>(0xff << (8 - bits));
  return (a.bytes[i] & mask) == (b.bytes[i] & mask);
}

bool InRange(const IpBytes& ip, std::string_view network, int bits) {
  return PrefixMatches(ip, ParseIp(network), bits);
}

bool AlwaysDirect(std::string_view host, const IpBytes& ip) {
  if (host == "localhost" || (host.size() > 10 && host.ends_with(".localhost"))) return true;
  return InRange(ip, "127.0.0.0", 8) || InRange(ip, "169.254.0.0", 16) || InRange(ip, "::1", 128) ||
         InRange(ip, "fe80::", 10) || InRange(ip, "fd00:ec2::254", 128);
}

// One no_proxy entry against a host (lowercase, no brackets, no trailing dot) and port.
bool EntryMatches(std::string_view entry, std::string_view host, const IpBytes& host_ip,
                  uint16_t port) {
  if (entry == "*") return true;
  std::string_view pattern = entry;
  std::optional<std::string_view> port_text;
  if (pattern.starts_with('[')) {
    const size_t close = pattern.find(']');
    if (close == std::string_view::npos) return false;
    const std::string_view after = pattern.substr(close + 1);
    pattern = pattern.substr(1, close - 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port_text = after.substr(1);
    }
  } else if (std::count(pattern.begin(), pattern.end(), ':') == 1) {
    const size_t colon = pattern.find(':');
    port_text = pattern.substr(colon + 1);
    pattern = pattern.substr(0, colon);
  }
  if (port_text) {
    if (port_text->empty() || port_text->size() > 5 ||
        !std::all_of(port_text->begin(), port_text->end(),
                     [](char c) { return c >= '0' && c <= '9'; }) ||
        std::stoi(std::string(*port_text)) != port) {
      return false;
    }
  }

  if (const size_t slash = pattern.find('/'); slash != std::string_view::npos) {
    const std::string_view bits = pattern.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 ||
        !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return false;
    }
    return PrefixMatches(host_ip, ParseIp(pattern.substr(0, slash)), std::stoi(std::string(bits)));
  }
  if (const IpBytes pattern_ip = ParseIp(pattern); pattern_ip.size != 0) {
    return PrefixMatches(host_ip, pattern_ip, pattern_ip.size * 8);
  }
  if (host_ip.size != 0) return false;  // a name never matches an address
  while (pattern.starts_with('.')) pattern.remove_prefix(1);
  while (pattern.ends_with('.')) pattern.remove_suffix(1);
  if (pattern.empty()) return false;
  if (host == pattern) return true;
  return host.size() > pattern.size() && host.ends_with(pattern) &&
         host[host.size() - pattern.size() - 1] == '.';
}

}  // namespace

std::string ProxyUrl::Redacted() const {
  return "http://" + std::string(username.empty() ? "" : "***:***@") + address.HostPort();
}

std::string ProxyUrl::AuthorizationHeader() const {
  if (username.empty() && password.empty()) return "";
  const std::string plain = username + ":" + password;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  encoded.resize(static_cast<size_t>(n));
  return "Basic " + encoded;
}

std::optional<ProxyUrl> ParseProxyUrl(std::string_view text, std::string* error) {
  std::string url_text(text);
  if (url_text.find("://") == std::string::npos) url_text = "http://" + url_text;
  const size_t authority_begin = url_text.find("://") + 3;
  const size_t authority_end = std::min(url_text.find('/', authority_begin), url_text.size());
  const size_t at = url_text.rfind('@', authority_end);
  ProxyUrl proxy;
  if (at != std::string::npos && at >= authority_begin) {
    const std::string_view userinfo =
        std::string_view(url_text).substr(authority_begin, at - authority_begin);
    const size_t colon = userinfo.find(':');
    const auto user = PercentDecode(userinfo.substr(0, colon));
    const auto password = PercentDecode(
        colon == std::string_view::npos ? std::string_view() : userinfo.substr(colon + 1));
    if (!user || !password) {
      *error = "invalid percent-encoding in the proxy's user:password";
      return std::nullopt;
    }
    proxy.username = *user;
    proxy.password = *password;
    url_text.erase(authority_begin, at + 1 - authority_begin);
  }
  std::string why;
  std::optional<Url> url = ParseUrl(url_text, &why);
  if (!url) {
    *error = "invalid proxy URL: " + why;
    return std::nullopt;
  }
  if (url->scheme != "http") {
    *error = "invalid proxy URL: only http:// proxies are supported";
    return std::nullopt;
  }
  url->base_path.clear();  // "http://proxy:3128/" is common; a path means nothing to a proxy
  proxy.address = std::move(*url);
  return proxy;
}

std::vector<std::string> ParseNoProxy(std::string_view value) {
  std::vector<std::string> entries;
  std::string current;
  for (char c : value) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!current.empty()) entries.push_back(std::move(current));
      current.clear();
    } else {
      current += LowerAscii(c);
    }
  }
  if (!current.empty()) entries.push_back(std::move(current));
  return entries;
}

std::optional<ProxySettings> ProxySettingsFromEnvironment(
    const std::map<std::string, std::string>& environment, std::string* error) {
  // The lowercase variable wins, even when empty (urllib's rule).
  auto lookup = [&](const char* lower, const char* upper) -> std::optional<std::string> {
    if (auto it = environment.find(lower); it != environment.end()) return it->second;
    if (auto it = environment.find(upper); it != environment.end()) return it->second;
    return std::nullopt;
  };
  ProxySettings settings;
  for (auto [lower, upper, target] :
       {std::tuple{"https_proxy", "HTTPS_PROXY", &settings.https_proxy},
        std::tuple{"http_proxy", "HTTP_PROXY", &settings.http_proxy}}) {
    const std::optional<std::string> value = lookup(lower, upper);
    if (!value || value->empty()) continue;
    std::string why;
    *target = ParseProxyUrl(*value, &why);
    if (!*target) {
      *error = (environment.count(lower) ? std::string(lower) : std::string(upper)) + ": " + why;
      return std::nullopt;
    }
  }
  if (const auto no_proxy = lookup("no_proxy", "NO_PROXY")) {
    settings.no_proxy = ParseNoProxy(*no_proxy);
  }
  return settings;
}

bool BypassesProxy(const std::vector<std::string>& no_proxy, const Url& endpoint) {
  std::string_view host = endpoint.host;
  while (host.ends_with('.')) host.remove_suffix(1);
  const IpBytes ip = ParseIp(host);
  if (AlwaysDirect(host, ip)) return true;
  return std::any_of(no_proxy.begin(), no_proxy.end(), [&](const std::string& entry) {
    return EntryMatches(entry, host, ip, endpoint.port);
  });
}

const ProxyUrl* ProxyFor(const ProxySettings& settings, const Url& endpoint) {
  const std::optional<ProxyUrl>& proxy =
      endpoint.IsHttps() ? settings.https_proxy : settings.http_proxy;
  if (!proxy || BypassesProxy(settings.no_proxy, endpoint)) return nullptr;
  return &*proxy;
}

}  // namespace sr::http
