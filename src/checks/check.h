// The security checks over finished templates: every rule of rules.h on every resource, with the
// suppressions of suppressions.h applied. Pure: templates in, findings out.
#ifndef STACKS_RUNNER_CHECKS_CHECK_H_
#define STACKS_RUNNER_CHECKS_CHECK_H_

#include <map>
#include <string>
#include <vector>

#include "checks/rules.h"
#include "checks/values.h"

namespace sr::checks {

// A malformed suppression is an error of its own, never suppressible (cdk-nag fails the whole
// synthesis on one).
inline constexpr char kSuppressionFormatRule[] = "StacksRunner-SuppressionFormat";
inline constexpr char kSuppressionFormatInfo[] =
    "A cdk_nag suppression on this resource is malformed (cdk-nag refuses it).";

struct TemplateToCheck {
  std::string stack;       // stack id: stacks-common, stacks-single-node, stacks-ha-nodes
  std::string stack_name;  // its CloudFormation name
  Json template_json;
  std::map<std::string, Json> parameter_values;  // may be empty (values.h)
};

struct Finding {
  std::string rule_id;
  Level level = Level::kError;
  std::string stack;
  std::string stack_name;
  std::string resource;  // logical id
  std::string resource_type;
  std::string finding;  // granular finding id, or ""
  std::string info;     // the rule's one line
  std::string detail;   // what exactly, or ""
  bool suppressed = false;
  std::string suppression_reason;
};

struct CheckResult {
  std::vector<Finding> findings;  // every violation, suppressed or not, in template order
  size_t Errors() const;          // unsuppressed errors: these fail synth and deploy
  size_t Warnings() const;        // unsuppressed warnings
  size_t Suppressed() const;
};

CheckResult RunChecks(const std::vector<TemplateToCheck>& templates, const Ports& ports = {});

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_CHECK_H_
