#include "deploy/template_diff.h"

#include <set>
#include <sstream>

namespace sr::deploy {
namespace {

void Compare(const json& before, const json& after, const std::string& path,
             std::vector<ValueChange>* out) {
  if (before == after) return;
  if (before.is_object() && after.is_object()) {
    std::set<std::string> keys;
    for (const auto& [k, v] : before.items()) keys.insert(k);
    for (const auto& [k, v] : after.items()) keys.insert(k);
    for (const std::string& k : keys) {
      const std::string child = path.empty() ? k : path + "." + k;
      if (!after.contains(k)) {
        out->push_back({child, before[k], std::nullopt});
      } else if (!before.contains(k)) {
        out->push_back({child, std::nullopt, after[k]});
      } else {
        Compare(before[k], after[k], child, out);
      }
    }
    return;
  }
  if (before.is_array() && after.is_array()) {
    const size_t n = std::max(before.size(), after.size());
    for (size_t i = 0; i < n; ++i) {
      const std::string child = path + "[" + std::to_string(i) + "]";
      if (i >= after.size()) {
        out->push_back({child, before[i], std::nullopt});
      } else if (i >= before.size()) {
        out->push_back({child, std::nullopt, after[i]});
      } else {
        Compare(before[i], after[i], child, out);
      }
    }
    return;
  }
  out->push_back({path, before, after});
}

void DiffSection(const json& deployed, const json& local, const std::string& section,
                 std::vector<SectionDiff>* out) {
  const json empty = json::object();
  const json& a = deployed.is_object() && deployed.contains(section) ? deployed[section] : empty;
  const json& b = local.is_object() && local.contains(section) ? local[section] : empty;
  std::set<std::string> keys;
  if (a.is_object()) {
    for (const auto& [k, v] : a.items()) keys.insert(k);
  }
  if (b.is_object()) {
    for (const auto& [k, v] : b.items()) keys.insert(k);
  }
  for (const std::string& k : keys) {
    const bool in_a = a.is_object() && a.contains(k);
    const bool in_b = b.is_object() && b.contains(k);
    if (in_a && !in_b) out->push_back({section, k, "removed"});
    if (!in_a && in_b) out->push_back({section, k, "added"});
    if (in_a && in_b && a[k] != b[k]) out->push_back({section, k, "changed"});
  }
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> lines;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Lines only in `a` ('-') and only in `b` ('+'), in order, from a longest common subsequence.
std::vector<std::string> LineDiff(const std::string& a, const std::string& b) {
  const auto x = Lines(a), y = Lines(b);
  std::vector<std::vector<int>> lcs(x.size() + 1, std::vector<int>(y.size() + 1, 0));
  for (size_t i = x.size(); i-- > 0;) {
    for (size_t j = y.size(); j-- > 0;) {
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  std::vector<std::string> out;
  size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    if (i < x.size() && j < y.size() && x[i] == y[j]) {
      ++i;
      ++j;
    } else if (j < y.size() && (i == x.size() || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push_back("+ " + y[j++]);
    } else {
      out.push_back("- " + x[i++]);
    }
  }
  return out;
}

std::string Short(const json& v) {
  std::string s = v.is_string() ? "\"" + v.get<std::string>() + "\"" : v.dump();
  if (s.size() > 120) s = s.substr(0, 117) + "...";
  return s;
}

bool Multiline(const std::optional<json>& v) {
  return v && v->is_string() && v->get<std::string>().find('\n') != std::string::npos;
}

}  // namespace

TemplateDiff DiffTemplates(const json& deployed, const json& local) {
  TemplateDiff diff;
  const json empty = json::object();
  const json& before =
      deployed.is_object() && deployed.contains("Resources") ? deployed["Resources"] : empty;
  const json& after = local.contains("Resources") ? local["Resources"] : empty;
  std::set<std::string> ids;
  for (const auto& [k, v] : before.items()) ids.insert(k);
  for (const auto& [k, v] : after.items()) ids.insert(k);
  for (const std::string& id : ids) {
    ResourceDiff r;
    r.logical_id = id;
    if (!after.contains(id)) {
      r.kind = ResourceDiff::Kind::kRemoved;
      r.type = before[id].value("Type", "");
    } else if (!before.contains(id)) {
      r.kind = ResourceDiff::Kind::kAdded;
      r.type = after[id].value("Type", "");
    } else {
      r.type = after[id].value("Type", "");
      Compare(before[id], after[id], "", &r.changes);
      if (r.changes.empty()) continue;
    }
    diff.resources.push_back(std::move(r));
  }
  for (const char* section : {"Parameters", "Outputs", "Mappings", "Conditions"}) {
    DiffSection(deployed, local, section, &diff.sections);
  }
  return diff;
}

std::string FormatDiff(const TemplateDiff& diff) {
  std::ostringstream out;
  for (const auto& r : diff.resources) {
    const char* mark = r.kind == ResourceDiff::Kind::kAdded     ? "[+]"
                       : r.kind == ResourceDiff::Kind::kRemoved ? "[-]"
                                                                : "[~]";
    out << mark << " " << r.type << " " << r.logical_id << "\n";
    for (const auto& c : r.changes) {
      if (Multiline(c.before) || Multiline(c.after)) {
        out << "    ~ " << c.path << ":\n";
        for (const auto& line : LineDiff(c.before ? c.before->get<std::string>() : "",
                                         c.after ? c.after->get<std::string>() : "")) {
          out << "        " << line << "\n";
        }
      } else if (!c.before) {
        out << "    + " << c.path << ": " << Short(*c.after) << "\n";
      } else if (!c.after) {
        out << "    - " << c.path << ": " << Short(*c.before) << "\n";
      } else {
        out << "    ~ " << c.path << ": " << Short(*c.before) << " -> " << Short(*c.after) << "\n";
      }
    }
  }
  for (const auto& s : diff.sections) {
    out << "["
        << (s.what == "added"     ? "+"
            : s.what == "removed" ? "-"
                                  : "~")
        << "] " << s.section << " " << s.key << " " << s.what << "\n";
  }
  return out.str();
}

}  // namespace sr::deploy
