// The commands that talk to AWS: deploy, diff, destroy, status.
#ifndef STACKS_RUNNER_CLI_AWS_COMMANDS_H_
#define STACKS_RUNNER_CLI_AWS_COMMANDS_H_

#include <string>
#include <vector>

#include "cli/context.h"

namespace sr::cli {

struct DeployOptions {
  std::string env_file;
  std::string out_dir = "stacks.out";
  std::vector<std::string> stacks;
  std::string outputs_file;
  std::string require_approval = "broadening";
  bool exclusively = false;
  bool refresh_ami = false;
  bool allow_nag_errors = false;  // deploy despite unsuppressed security check errors
  std::string role_arn;           // CloudFormation service role
};
int RunDeploy(Context& ctx, const DeployOptions& options);

struct DiffOptions {
  std::string env_file;
  std::string stack;
};
// Exit 0 when the deployed template equals the local one, 1 when they differ.
int RunDiff(Context& ctx, const DiffOptions& options);

struct DestroyOptions {
  std::string env_file;
  std::vector<std::string> stacks;
  bool force = false;
  std::string role_arn;  // CloudFormation service role
};
int RunDestroy(Context& ctx, const DestroyOptions& options);

struct StatusOptions {
  std::string env_file;
  std::vector<std::string> stacks;  // empty: every stack of the role
};
int RunStatus(Context& ctx, const StatusOptions& options);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_AWS_COMMANDS_H_
