// A rule of the security checks: an id, a level, a one-line explanation, and a function from one
// resource of a finished template to its violations. docs/security-checks.md lists every rule.
#ifndef STACKS_RUNNER_CHECKS_RULES_H_
#define STACKS_RUNNER_CHECKS_RULES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "checks/values.h"

namespace sr::checks {

enum class Level { kError, kWarning };
std::string_view LevelName(Level level);  // "Error", "Warning", as cdk-nag spells them

// The ports the Stacks rules know about. The defaults are stacks-runner's; the command fills the
// configured P2P and RPC ports in.
struct Ports {
  int p2p = 20444;
  int rpc = 20443;
  // Never to be open to the internet besides RPC, with what listens there.
  std::vector<std::pair<int, std::string>> private_ports = {{30000, "signer event endpoint"},
                                                            {30001, "signer metrics"},
                                                            {9153, "Prometheus metrics"},
                                                            {9180, "agent metrics"}};
};

struct RuleContext {
  const Json& template_json;
  const Resolver& resolver;
  const Ports& ports;
};

// One way a resource breaks a rule. `finding` is the granular finding id cdk-nag reports for the
// rules that have them (IAM4 and IAM5: "Policy::...", "Action::...", "Resource::..."), which
// applies_to in a suppression names; empty for the others.
struct Violation {
  std::string finding;
  std::string detail;  // what exactly is wrong, for the message; may be empty
};

using RuleCheck = std::vector<Violation> (*)(const std::string& logical_id, const Json& resource,
                                             const RuleContext& context);

struct Rule {
  std::string id;
  Level level;
  std::string info;  // one line: what a finding of this rule means
  RuleCheck check;
};

// Every rule, AwsSolutions ones first.
const std::vector<Rule>& AllRules();
const Rule* FindRule(std::string_view id);

// The resources of a template, by logical id, with the given type.
// Helpers for rules: a resource's Type and Properties (null when absent), a string in lower
// case, and the literal objects a list property may hold (each element resolved, Fn::If
// branches included).
const Json& TypeOf(const Json& resource);
const Json& Props(const Json& resource);
std::string Lower(std::string s);
std::vector<Json> Elements(const RuleContext& ctx, const Json& list);

std::vector<std::pair<std::string, const Json*>> ResourcesOfType(const Json& template_json,
                                                                 std::string_view type);

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_RULES_H_
