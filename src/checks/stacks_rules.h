// The rules of our own (ids StacksRunner-*): what a Stacks node deployment must never do, and
// what cdk-nag does not see. docs/security-checks.md explains each.
#ifndef STACKS_RUNNER_CHECKS_STACKS_RULES_H_
#define STACKS_RUNNER_CHECKS_STACKS_RULES_H_

#include <string>
#include <vector>

#include "checks/rules.h"

namespace sr::checks {

std::vector<Rule> StacksRules();

// What in a user data script looks like a secret: one line per kind found, naming the line and
// the variable but never the value. Exposed for the tests.
std::vector<std::string> SecretLookingValues(const std::string& script);

// The user data of a resource as text, with what is known substituted (Fn::Sub variables,
// parameter defaults) and ${...} left for what is not.
std::string RenderUserData(const Json& user_data, const Resolver& resolver);

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_STACKS_RULES_H_
