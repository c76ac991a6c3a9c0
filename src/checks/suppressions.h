// Suppressions, read where cdk-nag 2.x reads them, so that one suppression serves both:
//
//   "Metadata": {"cdk_nag": {"rules_to_suppress": [
//     {"id": "AwsSolutions-IAM5", "reason": "at least ten characters of why",
//      "applies_to": ["Resource::*", {"regex": "/^Resource::arn:.*$/"}]}]}}
//
// on the resource the finding is about. As in cdk-nag: a suppression without applies_to
// suppresses every finding of its rule on the resource; with applies_to, only the granular
// findings it names (IAM4 and IAM5 have them), by string or by JavaScript-style /regex/flags; its
// reason must be 10 characters or more, its id may not name a finding ("X[Resource::*]"), and a
// reason with characters beyond Latin-1 is stored base64 with "is_reason_encoded": true.
// cdk-nag also reads a stack-wide list from the template's own Metadata when the stack is built
// with CDK, but not from a template loaded with CfnInclude, so a template-level list is not read
// here either: suppress on the resource.
#ifndef STACKS_RUNNER_CHECKS_SUPPRESSIONS_H_
#define STACKS_RUNNER_CHECKS_SUPPRESSIONS_H_

#include <optional>
#include <string>
#include <vector>

#include "checks/values.h"

namespace sr::checks {

struct Suppression {
  std::string id;
  std::string reason;
  std::vector<std::string> applies_to;        // finding ids, exactly
  std::vector<std::string> applies_to_regex;  // "/pattern/flags"
  bool granular() const { return !applies_to.empty() || !applies_to_regex.empty(); }
};

struct Suppressions {
  std::vector<Suppression> items;
  // What cdk-nag would refuse (it fails the whole synthesis): one line per malformed entry.
  std::vector<std::string> errors;
};

Suppressions ReadSuppressions(const Json& resource);

// The reason `finding` (empty for a rule without granular findings) of `rule_id` is suppressed
// for, as cdk-nag reports it ("[finding] reason" for a granular suppression), or nothing.
std::optional<std::string> SuppressionReason(const Suppressions& suppressions,
                                             const std::string& rule_id,
                                             const std::string& finding);

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_SUPPRESSIONS_H_
