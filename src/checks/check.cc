#include "checks/check.h"

#include <algorithm>

#include "checks/suppressions.h"

namespace sr::checks {

size_t CheckResult::Errors() const {
  return std::count_if(findings.begin(), findings.end(),
                       [](const Finding& f) { return !f.suppressed && f.level == Level::kError; });
}

size_t CheckResult::Warnings() const {
  return std::count_if(findings.begin(), findings.end(), [](const Finding& f) {
    return !f.suppressed && f.level == Level::kWarning;
  });
}

size_t CheckResult::Suppressed() const {
  return std::count_if(findings.begin(), findings.end(),
                       [](const Finding& f) { return f.suppressed; });
}

CheckResult RunChecks(const std::vector<TemplateToCheck>& templates, const Ports& ports) {
  CheckResult result;
  for (const auto& t : templates) {
    const Resolver resolver(t.template_json, t.parameter_values);
    const RuleContext context{t.template_json, resolver, ports};
    const Json& resources = Get(t.template_json, "Resources");
    if (!resources.is_object()) continue;
    for (const auto& [logical_id, resource] : resources.items()) {
      Finding base;
      base.stack = t.stack;
      base.stack_name = t.stack_name;
      base.resource = logical_id;
      const Json& type = Get(resource, "Type");
      base.resource_type = type.is_string() ? type.get<std::string>() : "";

      const Suppressions suppressions = ReadSuppressions(resource);
      for (const auto& problem : suppressions.errors) {
        Finding f = base;
        f.rule_id = kSuppressionFormatRule;
        f.level = Level::kError;
        f.info = kSuppressionFormatInfo;
        f.detail = problem;
        result.findings.push_back(std::move(f));
      }
      for (const auto& rule : AllRules()) {
        std::vector<Violation> violations = rule.check(logical_id, resource, context);
        for (const auto& v : violations) {
          Finding f = base;
          f.rule_id = rule.id;
          f.level = rule.level;
          f.finding = v.finding;
          f.info = rule.info;
          f.detail = v.detail;
          if (auto reason = SuppressionReason(suppressions, rule.id, v.finding)) {
            f.suppressed = true;
            f.suppression_reason = *reason;
          }
          result.findings.push_back(std::move(f));
        }
      }
    }
  }
  return result;
}

}  // namespace sr::checks
