#include "deploy/secret_guard.h"

#include "templates/names.h"

namespace sr::deploy {
namespace {

bool HasResource(const nlohmann::json& t, const char* logical_id) {
  return t.is_object() && t.contains("Resources") && t["Resources"].is_object() &&
         t["Resources"].contains(logical_id);
}

}  // namespace

std::optional<std::string> SecretSwitchProblem(
    const nlohmann::json& deployed_template, const std::vector<aws::StackOutput>& deployed_outputs,
    const nlohmann::json& new_template) {
  namespace ids = templates::ids;
  namespace outputs = templates::outputs;
  struct Secret {
    const char* resource;
    const char* output;
    const char* variable;
    const char* kind;
  };
  const Secret secrets[] = {
      {ids::kSignerSecret, outputs::kSignerSecretArn, "STACKS_SIGNER_SECRET_ARN", "signer"},
      {ids::kMinerSecret, outputs::kMinerSecretArn, "STACKS_MINER_SECRET_ARN", "miner"}};
  if (!deployed_template.is_object() || !deployed_template.contains("Resources")) {
    return std::nullopt;  // a new stack
  }
  for (const Secret& s : secrets) {
    if (!HasResource(new_template, s.resource) || HasResource(deployed_template, s.resource)) {
      continue;
    }
    std::string arn;
    for (const auto& o : deployed_outputs) {
      if (o.key == s.output) arn = o.value;
    }
    if (arn.empty()) continue;  // the deployed stack had no such secret: a role change
    return std::string("the deployed stack uses the ") + s.kind + " secret " + arn +
           ", and this configuration (" + s.variable +
           " none) would create a new, empty one, in which the next boot would generate a new " +
           s.kind + " key; set " + s.variable + "=" + arn + " to keep the key";
  }
  return std::nullopt;
}

}  // namespace sr::deploy
