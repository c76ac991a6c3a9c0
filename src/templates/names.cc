#include "templates/names.h"

namespace sr::templates {

StackIdentity IdentityOf(StackKind kind, config::Role role) {
  const std::string suffix(config::RoleName(role));
  switch (kind) {
    case StackKind::kCommon:
      return {kind, "stacks-common", "stacks-nodes-common", "stacks-common.template.json"};
    case StackKind::kSingleNode:
      return {kind, "stacks-single-node", "stacks-single-node-" + suffix,
              "stacks-single-node.template.json"};
    case StackKind::kHaNodes:
      break;
  }
  return {StackKind::kHaNodes, "stacks-ha-nodes", "stacks-ha-nodes-" + suffix,
          "stacks-ha-nodes.template.json"};
}

std::vector<StackKind> AllStackKinds() {
  return {StackKind::kCommon, StackKind::kSingleNode, StackKind::kHaNodes};
}

std::optional<StackKind> ParseStackKind(std::string_view name, config::Role role) {
  for (StackKind kind : AllStackKinds()) {
    const StackIdentity identity = IdentityOf(kind, role);
    if (name == identity.id || name == identity.stack_name) return kind;
  }
  return std::nullopt;
}

}  // namespace sr::templates
