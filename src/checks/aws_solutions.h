// The rules of cdk-nag's AwsSolutions pack (cdk-nag 2.x) that apply to the resource types a
// template of ours may hold, under cdk-nag's ids and levels, checking what cdk-nag checks, quirks
// included, so that the two agree finding for finding (tests/cdk-nag proves it). Where cdk-nag
// cannot decide (a value known only at deploy time) it reports a validation failure; these rules
// then follow values.h instead. Rules cdk-nag has for types we never emit (Classic Load Balancers:
// ELB1, ELB3, ELB4, ELB5; VPCs and NACLs: VPC3, VPC7; Lambda, RDS, ...) are left out:
// StacksRunner-UncheckedType reports a resource type no rule here looks at.
#ifndef STACKS_RUNNER_CHECKS_AWS_SOLUTIONS_H_
#define STACKS_RUNNER_CHECKS_AWS_SOLUTIONS_H_

#include <vector>

#include "checks/rules.h"

namespace sr::checks {

std::vector<Rule> AwsSolutionsRules();

}  // namespace sr::checks

#endif  // STACKS_RUNNER_CHECKS_AWS_SOLUTIONS_H_
