// `deploy`: from a synthesized assembly to deployed stacks. Checks who the credentials belong
// to, deploys stacks-common first when a node stack needs it, resolves each node stack's
// parameters, uploads its assets (content-addressed, skipped when present), and runs each stack's
// change set; writes the outputs file as `cdk deploy --outputs-file` does.
#ifndef STACKS_RUNNER_DEPLOY_DEPLOYER_H_
#define STACKS_RUNNER_DEPLOY_DEPLOYER_H_

#include <map>
#include <string>
#include <vector>

#include "config/config.h"
#include "deploy/aws_services.h"
#include "deploy/stack_operations.h"
#include "templates/synth.h"
#include "util/file_system.h"

namespace sr::deploy {

// CloudFormation takes template bodies up to this size inline; larger ones go through S3.
inline constexpr size_t kInlineTemplateLimit = 51200;

struct DeployRequest {
  const config::Config* config = nullptr;
  const templates::SynthResult* assembly = nullptr;
  const templates::NodeBinary* node_binary = nullptr;
  std::vector<templates::StackKind> stacks;  // as asked for
  bool exclusively = false;  // do not deploy stacks-common when a node stack needs it
  Approval approval = Approval::kBroadening;
  bool refresh_ami = false;
  std::string outputs_file;  // empty: none
  std::string role_arn;      // CloudFormation's service role (--role-arn); empty: none
  // Template bodies larger than this go through the assets bucket.
  size_t inline_template_limit = kInlineTemplateLimit;
};

// Returns the outputs of the stacks deployed, by CloudFormation stack name; fails on the first
// stack that fails (the outputs of the stacks deployed before it are still written).
aws::AwsResult<std::map<std::string, std::map<std::string, std::string>>> Deploy(
    const DeployRequest& request, AwsServices& aws, util::FileSystem& fs, const Ui& ui,
    const Timing& timing);

// The tags every stack gets; ManagedBy marks stacks this tool may update.
std::map<std::string, std::string> StackTags(const config::Config& config);
inline constexpr char kManagedByTag[] = "ManagedBy";
inline constexpr char kManagedByValue[] = "stacks-runner";

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_DEPLOYER_H_
