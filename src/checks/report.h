// The findings as files and as text.
//
// nag-report.json:
//   {"version": 1, "generator": "stacks-runner X.Y.Z",
//    "summary": {"errors": N, "warnings": N, "suppressed": N},
//    "findings": [{"ruleId", "ruleLevel" ("Error"/"Warning"), "stack", "stackName", "resourceId"
//                  (logical id), "resourceType", "findingId" ("" unless granular),
//                  "compliance" ("Non-Compliant"/"Suppressed"), "exceptionReason" ("N/A" unless
//                  suppressed), "ruleInfo", "detail"}, ...]}
//   The keys cdk-nag's own JSON report uses (ruleId, resourceId, compliance, exceptionReason,
//   ruleLevel, ruleInfo) mean the same here.
// nag-report.csv: cdk-nag's columns first, then ours; every field quoted, quotes doubled:
//   Rule ID,Resource ID,Compliance,Exception Reason,Rule Level,Rule Info,Stack,Finding ID,Detail
// Both list violations only (suppressed or not), never the rules a resource complies with.
#ifndef STACKS_RUNNER_CHECKS_REPORT_H_
#define STACKS_RUNNER_CHECKS_REPORT_H_

#include <string>

#include "checks/check.h"

namespace sr::checks {

inline constexpr char kJsonReportFile[] = "nag-report.json";
inline constexpr char kCsvReportFile[] = "nag-report.csv";

std::string ReportJson(const CheckResult& result, const std::string& generator);
std::string ReportCsv(const CheckResult& result);

// For the terminal: a summary line, then one line per unsuppressed finding.
std::string FormatFindings(const CheckResult& result);

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_REPORT_H_
