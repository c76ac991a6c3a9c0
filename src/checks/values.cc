#include "checks/values.h"

#include <set>

namespace sr::checks {
namespace {

constexpr int kMaxDepth = 32;
// Fn::Join and Fn::Sub over parts with several possible values multiply; past this many outcomes
// the result is taken as unknown rather than enumerated.
constexpr size_t kMaxOutcomes = 64;

const std::set<std::string>& IntrinsicNames() {
  static const std::set<std::string> names = {
      "Ref",        "Fn::Base64",      "Fn::Cidr",  "Fn::FindInMap", "Fn::GetAtt",
      "Fn::GetAZs", "Fn::ImportValue", "Fn::Join",  "Fn::Select",    "Fn::Split",
      "Fn::Sub",    "Fn::Transform",   "Fn::If",    "Fn::Equals",    "Fn::And",
      "Fn::Or",     "Fn::Not",         "Condition", "Fn::Length",    "Fn::ToJsonString",
      "Fn::ForEach"};
  return names;
}

Possible Unknown() {
  Possible p;
  p.unknown = true;
  return p;
}

Possible Known(Json v) {
  Possible p;
  p.known.push_back(std::move(v));
  return p;
}

void Merge(Possible& into, const Possible& from) {
  for (const auto& v : from.known) {
    if (std::find(into.known.begin(), into.known.end(), v) == into.known.end()) {
      into.known.push_back(v);
    }
  }
  into.unknown |= from.unknown;
  into.may_be_absent |= from.may_be_absent;
}

// Every string that the concatenation of `parts` may give; unknown when any part is.
Possible Concatenate(const std::vector<Possible>& parts) {
  std::vector<std::string> outcomes = {""};
  for (const auto& part : parts) {
    if (part.unknown || part.known.empty()) return Unknown();
    std::vector<std::string> next;
    for (const auto& prefix : outcomes) {
      for (const auto& v : part.known) {
        std::string s;
        if (v.is_string()) {
          s = v.get<std::string>();
        } else if (v.is_number() || v.is_boolean()) {
          s = v.dump();
        } else {
          return Unknown();
        }
        next.push_back(prefix + s);
        if (next.size() > kMaxOutcomes) return Unknown();
      }
    }
    outcomes = std::move(next);
  }
  Possible p;
  for (auto& s : outcomes) p.known.push_back(std::move(s));
  return p;
}

}  // namespace

bool IsIntrinsic(const Json& value) {
  return value.is_object() && value.size() == 1 && IntrinsicNames().count(value.begin().key());
}

const Json& Get(const Json& value, const std::string& key) {
  static const Json kNull;
  if (!value.is_object()) return kNull;
  auto it = value.find(key);
  return it == value.end() ? kNull : *it;
}

std::vector<Json> AsList(const Json& value) {
  if (value.is_null()) return {};
  if (value.is_array()) return std::vector<Json>(value.begin(), value.end());
  return {value};
}

bool IsTrue(const Json& value) {
  return (value.is_boolean() && value.get<bool>()) || (value.is_string() && value == "true");
}

bool IsFalse(const Json& value) {
  return (value.is_boolean() && !value.get<bool>()) || (value.is_string() && value == "false");
}

Resolver::Resolver(const Json& template_json, std::map<std::string, Json> parameter_values)
    : template_(template_json), parameter_values_(std::move(parameter_values)) {}

Possible Resolver::Resolve(const Json& value) const { return ResolveDepth(value, 0); }

std::optional<std::string> Resolver::KnownString(const Json& value) const {
  Possible p = Resolve(value);
  if (p.unknown || p.may_be_absent || p.known.size() != 1 || !p.known.front().is_string()) {
    return std::nullopt;
  }
  return p.known.front().get<std::string>();
}

std::string Resolver::ReferencedId(const Json& value) {
  if (!value.is_object() || value.size() != 1) return "";
  if (auto it = value.find("Ref"); it != value.end() && it->is_string()) {
    return it->get<std::string>();
  }
  if (auto it = value.find("Fn::GetAtt"); it != value.end()) {
    if (it->is_array() && !it->empty() && (*it)[0].is_string()) return (*it)[0].get<std::string>();
    if (it->is_string()) {
      const std::string s = it->get<std::string>();
      return s.substr(0, s.find('.'));
    }
  }
  return "";
}

Possible Resolver::ResolveDepth(const Json& value, int depth) const {
  if (depth > kMaxDepth) return Unknown();
  if (!IsIntrinsic(value)) return Known(value);
  const std::string& fn = value.begin().key();
  const Json& arg = value.begin().value();

  if (fn == "Ref") {
    if (!arg.is_string()) return Unknown();
    const std::string name = arg.get<std::string>();
    if (name == "AWS::NoValue") {
      Possible p;
      p.may_be_absent = true;
      return p;
    }
    const Json& parameter = Get(Get(template_, "Parameters"), name);
    if (parameter.is_null()) return Unknown();  // a resource or a pseudo parameter
    if (auto it = parameter_values_.find(name); it != parameter_values_.end()) {
      return Known(it->second);
    }
    if (parameter.contains("Default")) return Known(parameter["Default"]);
    return Unknown();
  }
  if (fn == "Fn::If") {
    if (!arg.is_array() || arg.size() != 3) return Unknown();
    Possible p = ResolveDepth(arg[1], depth + 1);
    Merge(p, ResolveDepth(arg[2], depth + 1));
    return p;
  }
  if (fn == "Fn::Join") {
    if (!arg.is_array() || arg.size() != 2 || !arg[0].is_string()) return Unknown();
    Possible list = ResolveDepth(arg[1], depth + 1);
    if (list.unknown || list.known.size() != 1 || !list.known.front().is_array()) return Unknown();
    std::vector<Possible> parts;
    bool first = true;
    for (const auto& item : list.known.front()) {
      if (!first) parts.push_back(Known(arg[0]));
      first = false;
      parts.push_back(ResolveDepth(item, depth + 1));
    }
    if (parts.empty()) return Known("");
    return Concatenate(parts);
  }
  if (fn == "Fn::Sub") {
    if (arg.is_string()) return ResolveSub(arg.get<std::string>(), Json::object(), depth);
    if (arg.is_array() && arg.size() == 2 && arg[0].is_string() && arg[1].is_object()) {
      return ResolveSub(arg[0].get<std::string>(), arg[1], depth);
    }
    return Unknown();
  }
  if (fn == "Fn::Select") {
    if (!arg.is_array() || arg.size() != 2) return Unknown();
    Possible index = ResolveDepth(arg[0], depth + 1);
    Possible list = ResolveDepth(arg[1], depth + 1);
    if (index.unknown || index.known.size() != 1 || list.unknown || list.known.size() != 1 ||
        !list.known.front().is_array()) {
      return Unknown();
    }
    const Json& i = index.known.front();
    size_t n = 0;
    if (i.is_number_unsigned() || i.is_number_integer()) {
      n = i.get<size_t>();
    } else if (i.is_string()) {
      try {
        n = std::stoul(i.get<std::string>());
      } catch (...) {
        return Unknown();
      }
    } else {
      return Unknown();
    }
    const Json& items = list.known.front();
    if (n >= items.size()) return Unknown();
    return ResolveDepth(items[n], depth + 1);
  }
  if (fn == "Fn::FindInMap") {
    if (!arg.is_array() || arg.size() != 3 || !arg[0].is_string()) return Unknown();
    const Json& map = Get(Get(template_, "Mappings"), arg[0].get<std::string>());
    if (!map.is_object()) return Unknown();
    Possible top = ResolveDepth(arg[1], depth + 1);
    Possible second = ResolveDepth(arg[2], depth + 1);
    std::vector<const Json*> levels;
    if (top.unknown) {
      for (const auto& [k, v] : map.items()) levels.push_back(&v);
    } else {
      for (const auto& k : top.known) {
        if (k.is_string() && map.contains(k.get<std::string>())) {
          levels.push_back(&map[k.get<std::string>()]);
        }
      }
    }
    Possible p;
    for (const Json* level : levels) {
      if (!level->is_object()) continue;
      if (second.unknown) {
        for (const auto& [k, v] : level->items()) Merge(p, Known(v));
      } else {
        for (const auto& k : second.known) {
          if (k.is_string() && level->contains(k.get<std::string>())) {
            Merge(p, Known((*level)[k.get<std::string>()]));
          }
        }
      }
    }
    if (p.known.empty()) p.unknown = true;
    return p;
  }
  return Unknown();
}

Possible Resolver::ResolveSub(const std::string& text, const Json& variables, int depth) const {
  std::vector<Possible> parts;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "${") == 0) {
      const size_t end = text.find('}', i + 2);
      if (end == std::string::npos) {
        literal += text.substr(i);
        break;
      }
      const std::string name = text.substr(i + 2, end - i - 2);
      i = end + 1;
      if (!name.empty() && name[0] == '!') {  // ${!Literal} is the literal ${Literal}
        literal += "${" + name.substr(1) + "}";
        continue;
      }
      parts.push_back(Known(literal));
      literal.clear();
      if (variables.contains(name)) {
        parts.push_back(ResolveDepth(variables[name], depth + 1));
      } else if (name.find('.') != std::string::npos) {
        parts.push_back(Unknown());  // ${Resource.Attribute}
      } else {
        parts.push_back(ResolveDepth(Json{{"Ref", name}}, depth + 1));
      }
      continue;
    }
    literal += text[i++];
  }
  parts.push_back(Known(literal));
  return Concatenate(parts);
}

std::string Flatten(const Json& value) {
  if (value.is_null()) return "";
  if (value.is_string()) {
    std::string out;
    const std::string s = value.get<std::string>();
    for (size_t i = 0; i < s.size(); ++i) {
      if (s.compare(i, 2, "${") == 0) {
        out += '<';
        ++i;
      } else if (s[i] == '}') {
        out += '>';
      } else {
        out += s[i];
      }
    }
    return out;
  }
  if (value.is_object()) {
    if (auto it = value.find("Fn::Join"); it != value.end() && it->is_array() && it->size() == 2 &&
                                          (*it)[0].is_string() && (*it)[1].is_array()) {
      std::string out;
      bool first = true;
      for (const auto& item : (*it)[1]) {
        if (!first) out += (*it)[0].get<std::string>();
        first = false;
        out += Flatten(item);
      }
      return out;
    }
    if (auto it = value.find("Fn::Sub"); it != value.end()) return Flatten(*it);
    if (auto it = value.find("Fn::GetAtt"); it != value.end()) {
      if (it->is_array() && it->size() >= 2) {
        return "<" + Flatten((*it)[0]) + "." + Flatten((*it)[1]) + ">";
      }
      if (it->is_string()) return "<" + it->get<std::string>() + ">";
    }
    if (auto it = value.find("Fn::ImportValue"); it != value.end()) return Flatten(*it);
    if (auto it = value.find("Ref"); it != value.end()) return "<" + Flatten(*it) + ">";
  }
  return value.dump();
}

}  // namespace sr::checks
