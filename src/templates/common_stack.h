// stacks-common: what every node stack in the account and region shares. The instance role
// (and its profile) the nodes run as, the assets bucket the nodes boot from, and the exports
// the node stacks import.
#ifndef STACKS_RUNNER_TEMPLATES_COMMON_STACK_H_
#define STACKS_RUNNER_TEMPLATES_COMMON_STACK_H_

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

Template BuildCommonStack(const config::Config& config);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_COMMON_STACK_H_
