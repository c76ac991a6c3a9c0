// Security-relevant changes between a deployed template and a local one: IAM statements and
// managed policies, bucket policies and security group rules. A change is *broadening* when it
// grants something new (a statement, a managed policy or a rule that was not there), which is
// what `deploy --require-approval broadening` asks about, as `cdk deploy` does.
#ifndef STACKS_RUNNER_DEPLOY_SECURITY_CHANGES_H_
#define STACKS_RUNNER_DEPLOY_SECURITY_CHANGES_H_

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sr::deploy {

struct SecurityChange {
  std::string logical_id;
  std::string resource_type;
  bool added = true;  // granted (broadening) or withdrawn
  std::string
      description;  // "Allow s3:GetObject on ${AssetsBucket.Arn}/*", "tcp 20444 from 0.0.0.0/0"
};

// `deployed` may be null (a new stack: everything it grants is new).
std::vector<SecurityChange> SecurityChanges(const nlohmann::json& deployed,
                                            const nlohmann::json& local);

bool AnyBroadening(const std::vector<SecurityChange>& changes);

// A table for people: one line per change, `+` for granted and `-` for withdrawn.
std::string FormatSecurityChanges(const std::vector<SecurityChange>& changes);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_SECURITY_CHANGES_H_
