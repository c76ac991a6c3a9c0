#include "checks/report.h"

#include <sstream>

namespace sr::checks {
namespace {

std::string Csv(const std::string& field) {
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string Plural(size_t n, const std::string& one, const std::string& many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

std::string ReportJson(const CheckResult& result, const std::string& generator) {
  Json findings = Json::array();
  for (const auto& f : result.findings) {
    findings.push_back(Json{{"ruleId", f.rule_id},
                            {"ruleLevel", LevelName(f.level)},
                            {"stack", f.stack},
                            {"stackName", f.stack_name},
                            {"resourceId", f.resource},
                            {"resourceType", f.resource_type},
                            {"findingId", f.finding},
                            {"compliance", f.suppressed ? "Suppressed" : "Non-Compliant"},
                            {"exceptionReason", f.suppressed ? f.suppression_reason : "N/A"},
                            {"ruleInfo", f.info},
                            {"detail", f.detail}});
  }
  Json report = Json::object();
  report["version"] = 1;
  report["generator"] = generator;
  report["summary"] = Json{{"errors", result.Errors()},
                           {"warnings", result.Warnings()},
                           {"suppressed", result.Suppressed()}};
  report["findings"] = std::move(findings);
  return report.dump(1) + "\n";
}

std::string ReportCsv(const CheckResult& result) {
  std::ostringstream s;
  s << "Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info,Stack,Finding ID,"
       "Detail\n";
  for (const auto& f : result.findings) {
    s << Csv(f.rule_id) << ',' << Csv(f.resource) << ','
      << Csv(f.suppressed ? "Suppressed" : "Non-Compliant") << ','
      << Csv(f.suppressed ? f.suppression_reason : "N/A") << ','
      << Csv(std::string(LevelName(f.level))) << ',' << Csv(f.info) << ',' << Csv(f.stack) << ','
      << Csv(f.finding) << ',' << Csv(f.detail) << '\n';
  }
  return s.str();
}

std::string FormatFindings(const CheckResult& result) {
  std::ostringstream s;
  s << "Security checks: " << Plural(result.Errors(), "error", "errors") << ", "
    << Plural(result.Warnings(), "warning", "warnings") << ", "
    << Plural(result.Suppressed(), "suppressed finding", "suppressed findings") << "\n";
  for (const auto& f : result.findings) {
    if (f.suppressed) continue;
    s << "  " << LevelName(f.level) << "  " << f.rule_id << "  " << f.stack << "/" << f.resource;
    if (!f.finding.empty()) s << "[" << f.finding << "]";
    s << ": " << f.info;
    if (!f.detail.empty()) s << " (" << f.detail << ")";
    s << "\n";
  }
  return s.str();
}

}  // namespace sr::checks
