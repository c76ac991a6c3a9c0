#include "http/url.h"

#include <arpa/inet.h>

#include <algorithm>

namespace sr::http {
namespace {

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), LowerAscii);
  return out;
}

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_';
}

std::optional<uint16_t> ParsePort(std::string_view text) {
  if (text.empty() || text.size() > 5) return std::nullopt;
  unsigned value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  if (value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

std::optional<Url> Fail(std::string* error, std::string reason) {
  *error = std::move(reason);
  return std::nullopt;
}

}  // namespace

std::string Url::UrlHost() const {
  return host.find(':') != std::string::npos ? "[" + host + "]" : host;
}

std::string Url::Authority() const { return HasDefaultPort() ? UrlHost() : HostPort(); }

std::string Url::HostPort() const { return UrlHost() + ":" + std::to_string(port); }

std::string Url::ToString() const { return scheme + "://" + Authority() + base_path; }

bool IsIpAddress(std::string_view host) {
  const std::string s(host);
  unsigned char buf[16];
  return ::inet_pton(AF_INET, s.c_str(), buf) == 1 || ::inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

std::optional<Url> ParseUrl(std::string_view text, std::string* error) {
  if (std::any_of(text.begin(), text.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    return Fail(error, "contains a space or a control character");
  }
  const size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return Fail(error, "missing scheme (expected http:// or https://)");
  }
  Url url;
  url.scheme = Lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") {
    return Fail(error, "unsupported scheme (expected http:// or https://)");
  }
  const std::string_view rest = text.substr(scheme_end + 3);
  const size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  const std::string_view authority = rest.substr(0, authority_end);
  const std::string_view path = rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Fail(error, "user information (user:password@) is not allowed");
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    return Fail(error, "a query or a fragment is not allowed");
  }

  std::string_view host = authority;
  std::optional<std::string_view> port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Fail(error, "unterminated '[' in host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Fail(error, "unexpected text after ']'");
      port_text = after.substr(1);
    }
    unsigned char buf[16];
    if (::inet_pton(AF_INET6, std::string(host).c_str(), buf) != 1) {
      return Fail(error, "invalid IPv6 address in brackets");
    }
  } else {
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      host = authority.substr(0, colon);
      port_text = authority.substr(colon + 1);
    }
    if (host.find(':') != std::string_view::npos) {
      return Fail(error, "an IPv6 address must be written in brackets ([::1])");
    }
    if (!std::all_of(host.begin(), host.end(), IsHostChar)) {
      return Fail(error, "invalid character in host");
    }
  }
  if (host.empty()) return Fail(error, "missing host");
  url.host = Lower(host);

  if (port_text) {
    const std::optional<uint16_t> port = ParsePort(*port_text);
    if (!port) return Fail(error, "invalid port (expected 1-65535)");
    url.port = *port;
  } else {
    url.port = url.IsHttps() ? 443 : 80;
  }

  url.base_path = std::string(path);
  while (!url.base_path.empty() && url.base_path.back() == '/') url.base_path.pop_back();
  return url;
}

}  // namespace sr::http
