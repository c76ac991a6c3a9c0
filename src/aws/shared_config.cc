#include "aws/shared_config.h"

#include <cctype>

namespace sr::aws {
namespace {

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

}  // namespace

IniFile ParseIni(std::string_view text) {
  IniFile out;
  std::string section;
  bool in_section = false;
  bool in_nested = false;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    const std::string line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    const bool indented = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    if (line.front() == '[' && line.back() == ']') {
      section = Trim(std::string_view(line).substr(1, line.size() - 2));
      in_section = true;
      in_nested = false;
      out[section];
      continue;
    }
    if (!in_section) continue;
    if (indented && in_nested) continue;  // a nested block's own keys
    const size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = Trim(std::string_view(line).substr(0, eq));
    const std::string value = Trim(std::string_view(line).substr(eq + 1));
    in_nested = value.empty();
    if (!in_nested) out[section][key] = value;
  }
  return out;
}

SharedConfig SharedConfig::FromText(std::string_view credentials, std::string_view config) {
  SharedConfig c;
  c.credentials_ = ParseIni(credentials);
  for (auto& [name, section] : ParseIni(config)) {
    if (name == "default") {
      // `[profile default]` wins over `[default]` when both exist.
      c.config_.emplace("default", section);
    } else if (name.rfind("profile ", 0) == 0) {
      const std::string profile = Trim(std::string_view(name).substr(8));
      c.config_[profile] = section;
    }
    // Other sections ([sso-session x], [services x]) are not used.
  }
  return c;
}

SharedConfig SharedConfig::Load(const std::map<std::string, std::string>& env,
                                util::FileSystem& fs) {
  auto get = [&](const char* name) {
    auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  const std::string home = get("HOME");
  std::string credentials_path = get("AWS_SHARED_CREDENTIALS_FILE");
  if (credentials_path.empty()) credentials_path = home + "/.aws/credentials";
  std::string config_path = get("AWS_CONFIG_FILE");
  if (config_path.empty()) config_path = home + "/.aws/config";
  std::string error;
  const std::string credentials =
      fs.IsFile(credentials_path) ? fs.ReadFile(credentials_path, &error).value_or("") : "";
  const std::string config =
      fs.IsFile(config_path) ? fs.ReadFile(config_path, &error).value_or("") : "";
  SharedConfig c = FromText(credentials, config);
  c.credentials_path = credentials_path;
  c.config_path = config_path;
  return c;
}

std::optional<std::string> SharedConfig::Get(const std::string& profile,
                                             const std::string& key) const {
  for (const IniFile* file : {&credentials_, &config_}) {
    auto section = file->find(profile);
    if (section == file->end()) continue;
    auto it = section->second.find(key);
    if (it != section->second.end()) return it->second;
  }
  return std::nullopt;
}

bool SharedConfig::HasProfile(const std::string& profile) const {
  return credentials_.count(profile) > 0 || config_.count(profile) > 0;
}

}  // namespace sr::aws
