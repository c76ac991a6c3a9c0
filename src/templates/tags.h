// The tags every taggable resource carries.
#ifndef STACKS_RUNNER_TEMPLATES_TAGS_H_
#define STACKS_RUNNER_TEMPLATES_TAGS_H_

#include <string_view>

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

// Project=AWSStacks (as the blueprint), StacksNetwork, StacksRole; with `name`, a Name tag first.
Json StandardTags(const config::Config& config, std::string_view name = "");

// The same tags in the Auto Scaling form, propagated to the instances it launches.
Json AutoScalingTags(const config::Config& config, std::string_view name);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_TAGS_H_
