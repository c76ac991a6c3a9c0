// Suppressions of security check findings, in the resource metadata cdk-nag 2.x
// reads and stacks-runner's checks read alike (src/checks/suppressions.h):
// every one names the rule, the finding where the rule has granular ones, and a
// true reason. docs/security-checks.md lists them.
#ifndef STACKS_RUNNER_TEMPLATES_NAG_SUPPRESSIONS_H_
#define STACKS_RUNNER_TEMPLATES_NAG_SUPPRESSIONS_H_

#include <string>
#include <utility>
#include <vector>

#include "templates/cfn.h"

namespace sr::templates {

struct NagSuppression {
  NagSuppression(std::string rule, std::string why, std::vector<std::string> findings = {})
      : id(std::move(rule)), reason(std::move(why)), applies_to(std::move(findings)) {}
  std::string id;                       // "AwsSolutions-EC23"
  std::string reason;                   // 10 characters or more
  std::vector<std::string> applies_to;  // granular findings ("Resource::*"); empty: all
};

// {"cdk_nag": {"rules_to_suppress": [...]}}, for Resource::metadata.
Json NagMetadata(const std::vector<NagSuppression>& suppressions);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NAG_SUPPRESSIONS_H_
