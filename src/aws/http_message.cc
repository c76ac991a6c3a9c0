#include "aws/http_message.h"

#include <algorithm>

namespace sr::aws {
namespace {

bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    if (IsUnreserved(c) || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

std::string EncodeQuery(const NameValueList& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    if (!out.empty()) out += '&';
    out += UriEncode(name);
    out += '=';
    out += UriEncode(value);
  }
  return out;
}

std::string RequestTarget(const HttpRequest& request) {
  std::string target = request.path.empty() ? "/" : request.path;
  if (!request.query.empty()) {
    target += '?';
    target += EncodeQuery(request.query);
  }
  return target;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return LowerAscii(x) == LowerAscii(y); });
}

const std::string* FindHeader(const HttpRequest& request, std::string_view name) {
  for (const auto& [header_name, value] : request.headers) {
    if (EqualsIgnoreCase(header_name, name)) return &value;
  }
  return nullptr;
}

void RemoveHeader(HttpRequest& request, std::string_view name) {
  std::erase_if(request.headers, [name](const auto& h) { return EqualsIgnoreCase(h.first, name); });
}

void SetHeader(HttpRequest& request, std::string_view name, std::string value) {
  RemoveHeader(request, name);
  request.headers.emplace_back(std::string(name), std::move(value));
}

}  // namespace sr::aws
