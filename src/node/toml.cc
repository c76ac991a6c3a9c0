#include "node/toml.h"

#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace sr::node {
namespace {

using Json = nlohmann::ordered_json;

bool IsTable(const Json& v) { return v.is_object(); }
bool IsArrayOfTables(const Json& v) { return v.is_array() && !v.empty() && v[0].is_object(); }

std::string Value(const Json& v) {
  if (v.is_string()) return TomlString(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return v.dump();
  if (v.is_number_float()) return v.dump();
  if (v.is_array()) {
    std::string out = "[";
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + Value(v[i]);
    return out + "]";
  }
  throw std::invalid_argument("no TOML form for " + v.dump());
}

void WriteTable(std::ostringstream& out, const std::string& name, const Json& table,
                bool array_entry) {
  if (!name.empty())
    out << "\n" << (array_entry ? "[[" : "[") << name << (array_entry ? "]]" : "]") << "\n";
  for (const auto& [key, value] : table.items()) {
    if (!IsTable(value) && !IsArrayOfTables(value)) out << key << " = " << Value(value) << "\n";
  }
  for (const auto& [key, value] : table.items()) {
    const std::string child = name.empty() ? key : name + "." + key;
    if (IsTable(value)) WriteTable(out, child, value, false);
    if (IsArrayOfTables(value)) {
      for (const auto& entry : value) WriteTable(out, child, entry, true);
    }
  }
}

}  // namespace

std::string TomlString(const std::string& value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string ToToml(const Json& document, const std::string& header) {
  std::ostringstream out;
  std::istringstream lines(header);
  for (std::string line; std::getline(lines, line);)
    out << (line.empty() ? "#" : "# " + line) << "\n";
  WriteTable(out, "", document, false);
  return out.str();
}

}  // namespace sr::node
