#include "templates/nag_suppressions.h"

namespace sr::templates {

Json NagMetadata(const std::vector<NagSuppression>& suppressions) {
  Json rules = Json::array();
  for (const auto& s : suppressions) {
    Json rule{{"id", s.id}, {"reason", s.reason}};
    if (!s.applies_to.empty()) rule["applies_to"] = s.applies_to;
    rules.push_back(std::move(rule));
  }
  return Json{{"cdk_nag", Json{{"rules_to_suppress", std::move(rules)}}}};
}

}  // namespace sr::templates
