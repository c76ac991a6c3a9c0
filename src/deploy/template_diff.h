// What differs between a deployed template and a local one: resource by resource, property by
// property. Used by `diff` and by `deploy`'s change summary.
#ifndef STACKS_RUNNER_DEPLOY_TEMPLATE_DIFF_H_
#define STACKS_RUNNER_DEPLOY_TEMPLATE_DIFF_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sr::deploy {

using nlohmann::json;

struct ValueChange {
  std::string path;            // "Properties.SecurityGroupIngress[2].CidrIp"
  std::optional<json> before;  // none: added
  std::optional<json> after;   // none: removed
};

struct ResourceDiff {
  enum class Kind { kAdded, kRemoved, kModified };
  Kind kind = Kind::kModified;
  std::string logical_id;
  std::string type;
  std::vector<ValueChange> changes;  // kModified only
};

struct SectionDiff {  // Parameters, Outputs, Mappings, Conditions, ...
  std::string section;
  std::string key;
  std::string what;  // "added", "removed", "changed"
};

struct TemplateDiff {
  std::vector<ResourceDiff> resources;
  std::vector<SectionDiff> sections;
  bool empty() const { return resources.empty() && sections.empty(); }
};

// `deployed` may be null (no stack yet): every resource is added.
TemplateDiff DiffTemplates(const json& deployed, const json& local);

// For people: one block per resource, `+`/`-`/`~` markers, long strings (user data) as line
// diffs.
std::string FormatDiff(const TemplateDiff& diff);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_TEMPLATE_DIFF_H_
