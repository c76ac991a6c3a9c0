#include "templates/iam.h"

namespace sr::templates {

Json Statement(std::string_view effect, const std::vector<std::string>& actions, Json resource,
               Json principal) {
  Json s = Json::object();
  s["Effect"] = effect;
  if (!principal.is_null()) s["Principal"] = std::move(principal);
  if (actions.size() == 1) {
    s["Action"] = actions.front();
  } else {
    s["Action"] = actions;
  }
  if (!resource.is_null()) s["Resource"] = std::move(resource);
  return s;
}

Json PolicyDocument(std::vector<Json> statements) {
  return Json{{"Version", "2012-10-17"}, {"Statement", std::move(statements)}};
}

}  // namespace sr::templates
