// Runs stacks-runner's security checks (src/checks) over template files, as synth runs them over
// the templates it writes, and prints nag-report.json on stdout; for tests/cdk-nag, which checks
// templates that synth cannot produce (patched on purpose to be insecure).
//
//   nag_check [--p2p PORT] [--rpc PORT] TEMPLATE.json...
//
// The stack of each finding is the template's path as given.
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "checks/check.h"
#include "checks/report.h"

int main(int argc, char** argv) {
  sr::checks::Ports ports;
  std::vector<sr::checks::TemplateToCheck> templates;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--p2p" || arg == "--rpc") && i + 1 < argc) {
      (arg == "--p2p" ? ports.p2p : ports.rpc) = std::stoi(argv[++i]);
      continue;
    }
    std::ifstream in(arg);
    if (!in) {
      std::cerr << "nag_check: cannot read " << arg << "\n";
      return 2;
    }
    std::stringstream body;
    body << in.rdbuf();
    sr::checks::TemplateToCheck t;
    t.stack = arg;
    t.stack_name = arg;
    try {
      t.template_json = sr::checks::Json::parse(body.str());
    } catch (const std::exception& e) {
      std::cerr << "nag_check: " << arg << ": " << e.what() << "\n";
      return 2;
    }
    templates.push_back(std::move(t));
  }
  if (templates.empty()) {
    std::cerr << "usage: nag_check [--p2p PORT] [--rpc PORT] TEMPLATE.json...\n";
    return 2;
  }
  std::cout << sr::checks::ReportJson(sr::checks::RunChecks(templates, ports), "nag_check");
  return 0;
}
