// The security checks (src/checks) as synth and deploy run them: over the templates of a
// synthesized assembly, with the configured ports, and their report files.
#ifndef STACKS_RUNNER_CLI_NAG_H_
#define STACKS_RUNNER_CLI_NAG_H_

#include <ostream>
#include <string>
#include <vector>

#include "checks/check.h"
#include "config/config.h"
#include "templates/synth.h"
#include "util/file_system.h"

namespace sr::cli {

// The flag that lets synth succeed and deploy proceed despite unsuppressed error findings.
inline constexpr char kAllowNagErrorsFlag[] = "--allow-nag-errors";

checks::Ports PortsOf(const config::Config& config);

// Every template of `assembly`, checked.
checks::CheckResult CheckAssembly(const config::Config& config,
                                  const templates::SynthResult& assembly);

// nag-report.json and nag-report.csv, to be written beside the templates.
std::vector<util::FileToWrite> NagReportFiles(const checks::CheckResult& result);

// Prints the findings to `out`; when there are unsuppressed errors, says so on `err` (naming
// `command`) and returns false unless `allow_errors`.
bool ReportFindings(const checks::CheckResult& result, const std::string& command,
                    bool allow_errors, std::ostream& out, std::ostream& err);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_NAG_H_
