#include "config/validators.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace sr::config {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsHexLower(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); }
bool IsHex(char c) { return IsHexLower(c) || (c >= 'A' && c <= 'F'); }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    const size_t at = s.find(sep, start);
    parts.push_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return parts;
}

bool ParseUint(std::string_view s, unsigned long* out) {
  if (s.empty() || s.size() > 12 || !std::all_of(s.begin(), s.end(), IsDigit)) return false;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && ptr == s.data() + s.size();
}

bool IsIpv4(std::string_view s) {
  auto parts = Split(s, '.');
  if (parts.size() != 4) return false;
  for (auto p : parts) {
    unsigned long v = 0;
    if (p.size() > 3 || !ParseUint(p, &v) || v > 255) return false;
  }
  return true;
}

bool IsPort(std::string_view s) {
  unsigned long v = 0;
  return ParseUint(s, &v) && v >= 1 && v <= 65535;
}

}  // namespace

bool IsAccountId(std::string_view s) {
  return s.size() == 12 && std::all_of(s.begin(), s.end(), IsDigit);
}

bool IsRegion(std::string_view s) {
  // AREA(-gov|-iso..)?-DIRECTION-N
  auto parts = Split(s, '-');
  if (parts.size() < 3 || parts.size() > 4) return false;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty() || !std::all_of(parts[i].begin(), parts[i].end(), IsLower)) return false;
  }
  if (parts[0].size() != 2) return false;
  const auto last = parts.back();
  return !last.empty() && last.size() <= 2 && std::all_of(last.begin(), last.end(), IsDigit);
}

bool IsHost(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || c == '.'; })) {
    return IsIpv4(s);
  }
  for (auto label : Split(s, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-';
        })) {
      return false;
    }
  }
  return true;
}

bool IsIpv4Cidr(std::string_view s) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) return false;
  unsigned long bits = 0;
  return IsIpv4(s.substr(0, slash)) && ParseUint(s.substr(slash + 1), &bits) && bits <= 32;
}

bool IsResourceId(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix) || s.size() <= prefix.size() + 1 || s[prefix.size()] != '-') {
    return false;
  }
  const auto id = s.substr(prefix.size() + 1);
  return (id.size() == 8 || id.size() == 17) && std::all_of(id.begin(), id.end(), IsHexLower);
}

bool IsSecretArn(std::string_view s) {
  auto parts = Split(s, ':');
  if (parts.size() != 7) return false;
  const bool partition_ok = parts[1] == "aws" || parts[1] == "aws-cn" || parts[1] == "aws-us-gov";
  return parts[0] == "arn" && partition_ok && parts[2] == "secretsmanager" && IsRegion(parts[3]) &&
         IsAccountId(parts[4]) && parts[5] == "secret" && !parts[6].empty() &&
         std::all_of(parts[6].begin(), parts[6].end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) ||
                  std::string_view("/_+=.@-").find(c) != std::string_view::npos;
         });
}

namespace {

// An http:// or https:// URL whose HOST[:PORT] (up to the first '/') is valid; `rest` is what
// follows the scheme.
bool HasHttpHost(std::string_view s, std::string_view* rest) {
  if (s.starts_with("https://")) {
    *rest = s.substr(8);
  } else if (s.starts_with("http://")) {
    *rest = s.substr(7);
  } else {
    return false;
  }
  std::string_view host = rest->substr(0, rest->find('/'));
  const size_t colon = host.find(':');
  if (colon != std::string_view::npos) {
    if (!IsPort(host.substr(colon + 1))) return false;
    host = host.substr(0, colon);
  }
  return IsHost(host);
}

}  // namespace

bool IsBaseUrl(std::string_view s) {
  std::string_view rest;
  return HasHttpHost(s, &rest) && std::none_of(s.begin(), s.end(), [](char c) {
           return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' ||
                  c == '?' || c == '#' || c == '@' || c == '\\';
         });
}

bool IsEmailAddress(std::string_view s) {
  const size_t at = s.find('@');
  if (s.size() > 254 || at == std::string_view::npos || at == 0 || at > 64 ||
      s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  const std::string_view domain = s.substr(at + 1);
  if (domain.find('.') == std::string_view::npos || !IsHost(domain)) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<long>(at), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-/=?^_`{|}~.").find(c) != std::string_view::npos;
  });
}

bool IsArchiveUrl(std::string_view s) {
  std::string_view rest;
  if (!HasHttpHost(s, &rest) || rest.find('/') == std::string_view::npos) return false;
  if (std::any_of(s.begin(), s.end(), [](char c) {
        return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'';
      })) {
    return false;
  }
  return s.ends_with(".tar.zst") || s.ends_with(".tar.gz") || s.ends_with(".tgz");
}

bool IsBootstrapNode(std::string_view s) {
  const size_t at = s.find('@');
  if (at != 66) return false;
  const auto key = s.substr(0, 66);
  if (!(key.starts_with("02") || key.starts_with("03")) ||
      !std::all_of(key.begin(), key.end(), IsHex)) {
    return false;
  }
  const auto address = s.substr(at + 1);
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return false;
  return IsHost(address.substr(0, colon)) && IsPort(address.substr(colon + 1));
}

bool IsStacksVersion(std::string_view s) {
  auto parts = Split(s, '.');
  if (parts.size() != 3 && parts.size() != 5) return false;
  unsigned long v = 0;
  return std::all_of(parts.begin(), parts.end(),
                     [&](std::string_view p) { return p.size() <= 6 && ParseUint(p, &v); });
}

int CompareVersions(std::string_view a, std::string_view b) {
  auto pa = Split(a, '.');
  auto pb = Split(b, '.');
  for (size_t i = 0; i < std::max(pa.size(), pb.size()); ++i) {
    unsigned long va = 0, vb = 0;
    if (i < pa.size()) ParseUint(pa[i], &va);
    if (i < pb.size()) ParseUint(pb[i], &vb);
    if (va != vb) return va < vb ? -1 : 1;
  }
  return 0;
}

}  // namespace sr::config
