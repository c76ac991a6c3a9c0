#include "cli/nag.h"

#include "checks/report.h"
#include "config/ports.h"

namespace sr::cli {

checks::Ports PortsOf(const config::Config& config) {
  checks::Ports ports;
  ports.p2p = config.p2p_port;
  ports.rpc = config.rpc_port;
  ports.private_ports = {{config::kSignerEventPort, "signer event endpoint"},
                         {config::kSignerMetricsPort, "signer metrics"},
                         {config::kPrometheusPort, "Prometheus metrics"},
                         {config::kAgentPort, "agent metrics"}};
  return ports;
}

checks::CheckResult CheckAssembly(const config::Config& config,
                                  const templates::SynthResult& assembly) {
  std::vector<checks::TemplateToCheck> templates;
  for (const auto& stack : assembly.stacks) {
    for (const auto& file : assembly.files) {
      if (file.path != stack.identity.template_file) continue;
      checks::TemplateToCheck t;
      t.stack = stack.identity.id;
      t.stack_name = stack.identity.stack_name;
      t.template_json = checks::Json::parse(file.content);
      templates.push_back(std::move(t));
    }
  }
  return checks::RunChecks(templates, PortsOf(config));
}

std::vector<util::FileToWrite> NagReportFiles(const checks::CheckResult& result) {
  return {{checks::kJsonReportFile,
           checks::ReportJson(result, std::string("stacks-runner ") + STACKS_RUNNER_VERSION)},
          {checks::kCsvReportFile, checks::ReportCsv(result)}};
}

bool ReportFindings(const checks::CheckResult& result, const std::string& command,
                    bool allow_errors, std::ostream& out, std::ostream& err) {
  out << "\n" << checks::FormatFindings(result);
  const size_t errors = result.Errors();
  if (errors == 0) return true;
  if (allow_errors) {
    err << command << ": " << errors << " unsuppressed security error(s), allowed by "
        << kAllowNagErrorsFlag << "\n";
    return true;
  }
  err << command << ": " << errors
      << " unsuppressed security error(s): fix the configuration, suppress each finding with its "
         "reason (docs/security-checks.md), or pass "
      << kAllowNagErrorsFlag << "\n";
  return false;
}

}  // namespace sr::cli
