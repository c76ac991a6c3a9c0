// A signer's or miner's key must never change by accident. A single-node stack deployed with
// a secret the operator named (STACKS_SIGNER_SECRET_ARN, STACKS_MINER_SECRET_ARN) and then
// deployed again with "none" would get a new, empty secret, and its next boot would generate a
// new key: a signer that silently stops being the registered one. Deploy refuses that update.
#ifndef STACKS_RUNNER_DEPLOY_SECRET_GUARD_H_
#define STACKS_RUNNER_DEPLOY_SECRET_GUARD_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "aws/cloudformation.h"

namespace sr::deploy {

// Why updating the stack from `deployed_template` (with its `deployed_outputs`) to
// `new_template` would replace the node's key secret, naming the variable to set; nullopt when
// it would not (a new stack, the same secrets, or a switch to a named secret).
std::optional<std::string> SecretSwitchProblem(
    const nlohmann::json& deployed_template, const std::vector<aws::StackOutput>& deployed_outputs,
    const nlohmann::json& new_template);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_SECRET_GUARD_H_
