#include "checks/suppressions.h"

#include <regex>

namespace sr::checks {
namespace {

// JavaScript's String.length counts UTF-16 code units; for the 10-character minimum, code points
// are close enough (they differ only beyond the Basic Multilingual Plane).
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::optional<std::string> Base64Decode(const std::string& in) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=') break;
    const size_t v = alphabet.find(c);
    if (v == std::string::npos) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// cdk-nag reads "/pattern/flags" with /\/(.*)\/(.*)?/: from the first slash to the last.
std::optional<std::regex> ToRegex(const std::string& s) {
  const size_t first = s.find('/');
  const size_t last = s.rfind('/');
  if (first == std::string::npos || last == first) return std::nullopt;
  const std::string flags = s.substr(last + 1);
  auto options = std::regex::ECMAScript;
  if (flags.find('i') != std::string::npos) options |= std::regex::icase;
  try {
    return std::regex(s.substr(first + 1, last - first - 1), options);
  } catch (const std::regex_error&) {
    return std::nullopt;
  }
}

}  // namespace

Suppressions ReadSuppressions(const Json& resource) {
  Suppressions out;
  const Json& list = Get(Get(Get(resource, "Metadata"), "cdk_nag"), "rules_to_suppress");
  if (list.is_null()) return out;
  if (!list.is_array()) {
    out.errors.push_back("Metadata.cdk_nag.rules_to_suppress is not a list");
    return out;
  }
  for (const auto& entry : list) {
    const Json& id = Get(entry, "id");
    const Json& reason = Get(entry, "reason");
    if (!id.is_string() || !reason.is_string()) {
      out.errors.push_back("a suppression without a string id and reason: " + entry.dump());
      continue;
    }
    Suppression s;
    s.id = id.get<std::string>();
    s.reason = reason.get<std::string>();
    if (IsTrue(Get(entry, "is_reason_encoded"))) {
      if (auto decoded = Base64Decode(s.reason)) s.reason = *decoded;
    }
    std::string problems;
    if (std::regex_search(s.id, std::regex("\\[.*\\]"))) {
      problems += " its id names a finding: name it in applies_to instead.";
    }
    if (CodePoints(s.reason) < 10) problems += " its reason is shorter than 10 characters.";
    for (const auto& a : AsList(Get(entry, "applies_to"))) {
      if (a.is_string()) {
        s.applies_to.push_back(a.get<std::string>());
      } else if (Get(a, "regex").is_string() && ToRegex(a["regex"].get<std::string>())) {
        s.applies_to_regex.push_back(a["regex"].get<std::string>());
      } else {
        problems += " applies_to entry " + a.dump() + " is not a string or a valid {\"regex\"}.";
      }
    }
    if (!problems.empty()) {
      out.errors.push_back("suppression of " + s.id + ":" + problems);
      continue;
    }
    out.items.push_back(std::move(s));
  }
  return out;
}

std::optional<std::string> SuppressionReason(const Suppressions& suppressions,
                                             const std::string& rule_id,
                                             const std::string& finding) {
  for (const auto& s : suppressions.items) {
    if (s.id != rule_id) continue;
    if (!s.granular()) return s.reason;
    if (finding.empty()) continue;
    bool applies =
        std::find(s.applies_to.begin(), s.applies_to.end(), finding) != s.applies_to.end();
    for (const auto& r : s.applies_to_regex) {
      if (auto rx = ToRegex(r); rx && std::regex_search(finding, *rx)) applies = true;
    }
    if (applies) return "[" + finding + "] " + s.reason;
  }
  return std::nullopt;
}

}  // namespace sr::checks
