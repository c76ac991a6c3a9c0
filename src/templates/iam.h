// IAM policy documents.
#ifndef STACKS_RUNNER_TEMPLATES_IAM_H_
#define STACKS_RUNNER_TEMPLATES_IAM_H_

#include <string>
#include <vector>

#include "templates/cfn.h"

namespace sr::templates {

// {"Effect", "Action", "Resource"[, "Principal"]}: `resource` may be a string, an intrinsic or a
// list; a null resource is left out (trust policies have none).
Json Statement(std::string_view effect, const std::vector<std::string>& actions, Json resource,
               Json principal = Json());

Json PolicyDocument(std::vector<Json> statements);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_IAM_H_
