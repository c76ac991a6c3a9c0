#include "checks/rules.h"

#include <algorithm>
#include <cctype>

#include "checks/aws_solutions.h"
#include "checks/stacks_rules.h"

namespace sr::checks {

std::string_view LevelName(Level level) { return level == Level::kError ? "Error" : "Warning"; }

const std::vector<Rule>& AllRules() {
  static const std::vector<Rule> rules = [] {
    std::vector<Rule> all = AwsSolutionsRules();
    for (auto& r : StacksRules()) all.push_back(std::move(r));
    return all;
  }();
  return rules;
}

const Rule* FindRule(std::string_view id) {
  for (const auto& r : AllRules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const Json& TypeOf(const Json& resource) { return Get(resource, "Type"); }
const Json& Props(const Json& resource) { return Get(resource, "Properties"); }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<Json> Elements(const RuleContext& ctx, const Json& list) {
  std::vector<Json> out;
  for (const auto& l : ctx.resolver.Resolve(list).known) {
    for (const auto& item : AsList(l)) {
      for (auto& v : ctx.resolver.Resolve(item).known) out.push_back(std::move(v));
    }
  }
  return out;
}

std::vector<std::pair<std::string, const Json*>> ResourcesOfType(const Json& template_json,
                                                                 std::string_view type) {
  std::vector<std::pair<std::string, const Json*>> out;
  const Json& resources = Get(template_json, "Resources");
  if (!resources.is_object()) return out;
  for (const auto& [id, r] : resources.items()) {
    if (Get(r, "Type") == type) out.emplace_back(id, &r);
  }
  return out;
}

}  // namespace sr::checks
