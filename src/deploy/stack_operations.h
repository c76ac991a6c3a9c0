// Stack operations as users see them: create or update a stack through a change set (summary,
// approval, execution, live progress), and delete a stack. Shared by deploy and destroy.
#ifndef STACKS_RUNNER_DEPLOY_STACK_OPERATIONS_H_
#define STACKS_RUNNER_DEPLOY_STACK_OPERATIONS_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "aws/cloudformation.h"
#include "util/clock.h"

namespace sr::deploy {

struct Ui {
  std::ostream* out = nullptr;  // results: summaries, outputs
  std::ostream* err = nullptr;  // progress and problems
  bool terminal = false;        // redraw progress on one line
  // Asks a yes/no question; returns false when nobody can answer (not a terminal).
  std::function<bool(const std::string& question)> confirm;
};

struct Timing {
  util::Clock* clock = nullptr;
  std::chrono::milliseconds poll_interval{5000};
};

enum class Approval { kNever, kBroadening };

struct StackDeployment {
  std::string stack_name;
  std::string template_body;
  std::string template_url;  // set instead of passing the body inline when it is too large
  std::vector<aws::StackParameter> parameters;
  std::map<std::string, std::string> tags;
  const aws::Stack* existing = nullptr;  // the stack as deployed, if it exists
  std::string role_arn;  // CloudFormation's service role (--role-arn); empty: the caller's rights
  Approval approval = Approval::kBroadening;
};

struct DeployOutcome {
  bool changed = false;  // false: "no changes"
  aws::Stack stack;      // as it ended
};

// Creates and describes a change set, prints its summary (replacements and security-relevant
// changes marked; IAM and security group widening listed), asks when approval is required,
// executes it and follows the events to the end. Fails with the first failing resources and their
// reasons when the stack ends in anything but CREATE_COMPLETE or UPDATE_COMPLETE.
aws::AwsResult<DeployOutcome> DeployStack(aws::CloudFormationApi& cfn,
                                          const StackDeployment& deployment,
                                          const nlohmann::json& deployed_template, const Ui& ui,
                                          const Timing& timing);

// The name of a new change set (also its client token): the time to the millisecond, the process
// and a counter, so that two deploys of one stack in the same second never collide with
// CreateChangeSet's AlreadyExists. Matches [a-zA-Z][-a-zA-Z0-9]* within 128 characters.
std::string ChangeSetName(util::Clock::TimePoint now);

// Deletes the stack and follows its events; resources kept by their DeletionPolicy are listed.
aws::AwsResult<aws::Stack> DeleteStack(aws::CloudFormationApi& cfn, const aws::Stack& stack,
                                       const Ui& ui, const Timing& timing,
                                       const std::string& role_arn = "");

// What deploy prints for a change set: one line per resource change.
std::string FormatChangeSet(const aws::ChangeSet& change_set);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_STACK_OPERATIONS_H_
