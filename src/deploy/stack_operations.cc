#include "deploy/stack_operations.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <ctime>
#include <sstream>

#include "deploy/progress.h"
#include "deploy/security_changes.h"

namespace sr::deploy {
namespace {

aws::AwsError Failure(std::string code, std::string message) {
  aws::AwsError e =
      aws::MakeError(aws::AwsError::Kind::kService, std::move(code), std::move(message));
  e.service = "CloudFormation";
  return e;
}

bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

bool IsNoChanges(const aws::ChangeSet& cs) {
  return Contains(cs.status_reason, "didn't contain changes") ||
         Contains(cs.status_reason, "No updates are to be performed");
}

std::string NewestEventId(aws::CloudFormationApi& cfn, const std::string& stack) {
  auto events = cfn.DescribeStackEvents(stack, "", 1);
  if (!events || events->empty()) return "";
  return events->front().event_id;
}

// Why a stack in this state cannot take a change set, and what to do; empty when it can.
std::string Blocked(const aws::Stack& s, const std::string& destroy_hint) {
  if (s.status == "ROLLBACK_COMPLETE" || s.status == "ROLLBACK_FAILED") {
    return "stack " + s.name + " is in " + s.status +
           ": its creation failed and was rolled back, and such a stack cannot be updated. "
           "Delete it with `" +
           destroy_hint + "`, then deploy again";
  }
  if (s.status == "UPDATE_ROLLBACK_FAILED") {
    return "stack " + s.name +
           " is in UPDATE_ROLLBACK_FAILED: continue the rollback in the "
           "CloudFormation console (or `aws cloudformation continue-update-rollback --stack-name " +
           s.name + "`), then deploy again";
  }
  if (s.status == "DELETE_FAILED") {
    return "stack " + s.name + " is in DELETE_FAILED (" + s.status_reason +
           "): deal with the "
           "resource that could not be deleted and run `" +
           destroy_hint + "` again";
  }
  if (s.status.ends_with("_IN_PROGRESS") && s.status != "REVIEW_IN_PROGRESS") {
    return "stack " + s.name + " is busy (" + s.status +
           "); wait until it finishes and deploy "
           "again";
  }
  return "";
}

struct Followed {
  aws::Stack stack;
  std::vector<aws::StackEvent> failures;
  std::vector<aws::StackEvent> kept;
};

// Follows the stack until it reaches a final status, printing its events.
aws::AwsResult<Followed> Follow(aws::CloudFormationApi& cfn, const std::string& stack_id,
                                const std::string& display_name, size_t resources,
                                std::string last_event_id, bool deleting, const Ui& ui,
                                const Timing& timing) {
  Progress progress(*ui.err, ui.terminal, timing.clock, display_name, resources);
  auto poll_events = [&]() -> aws::AwsResult<aws::Unit> {
    auto events = cfn.DescribeStackEvents(stack_id, last_event_id);
    if (!events) return events.error();
    if (!events->empty()) {
      last_event_id = events->front().event_id;
      progress.OnEvents(*events);
    }
    return aws::Unit{};
  };
  while (true) {
    if (auto r = poll_events(); !r) return r.error();
    auto stack = cfn.DescribeStack(stack_id);
    if (!stack) return stack.error();
    aws::Stack current;
    if (!*stack) {
      if (!deleting) return Failure("StackGone", "stack " + display_name + " disappeared");
      current.name = display_name;
      current.id = stack_id;
      current.status = "DELETE_COMPLETE";
    } else {
      current = **stack;
    }
    if (IsTerminalStatus(current.status)) {
      if (auto r = poll_events(); !r) return r.error();  // the events that came with the end
      progress.Finish(current.status);
      return Followed{current, progress.failures(), progress.kept()};
    }
    progress.Tick();
    timing.clock->SleepFor(timing.poll_interval);
  }
}

std::string DescribeFailures(const std::vector<aws::StackEvent>& failures) {
  std::string out;
  size_t shown = 0;
  for (const auto& f : failures) {
    if (shown++ == 5) break;
    out += "\n  " + f.logical_id + " (" + f.resource_type + ") " + f.status + ": " + f.reason;
  }
  return out;
}

size_t ResourceCount(const std::string& template_body) {
  const auto t = nlohmann::json::parse(template_body, nullptr, false);
  return t.is_object() && t.contains("Resources") ? t["Resources"].size() : 0;
}

}  // namespace

std::string ChangeSetName(util::Clock::TimePoint now) {
  static std::atomic<unsigned> sequence{0};
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%S", &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "stacks-runner-%s%03dZ-%d-%u", stamp, static_cast<int>(millis),
                static_cast<int>(::getpid()), sequence.fetch_add(1) % 10000);
  return buf;
}

std::string FormatChangeSet(const aws::ChangeSet& cs) {
  std::ostringstream out;
  for (const auto& c : cs.changes) {
    const char* mark = c.action == "Add" ? "+" : c.action == "Remove" ? "-" : "~";
    out << "  " << mark << " " << c.action << "  " << c.logical_id << "  " << c.resource_type;
    if (c.action == "Modify") {
      std::string causes;
      for (const auto& d : c.details) {
        if (d.name.empty()) continue;
        if (causes.find(d.name) != std::string::npos) continue;
        causes += (causes.empty() ? "" : ", ") + d.name;
      }
      if (c.replacement == "True") {
        out << "  !! REPLACEMENT";
      } else if (c.replacement == "Conditional") {
        out << "  ! may be replaced";
      }
      if (!causes.empty()) out << "  (" << causes << ")";
    }
    if (c.action == "Remove" &&
        (c.resource_type == "AWS::EC2::Volume" || c.resource_type == "AWS::S3::Bucket")) {
      out << "  !! DATA";
    }
    if (c.resource_type.rfind("AWS::IAM::", 0) == 0 ||
        c.resource_type.rfind("AWS::EC2::SecurityGroup", 0) == 0 ||
        c.resource_type == "AWS::S3::BucketPolicy") {
      out << "  [security]";
    }
    out << "\n";
  }
  return out.str();
}

aws::AwsResult<DeployOutcome> DeployStack(aws::CloudFormationApi& cfn, const StackDeployment& d,
                                          const nlohmann::json& deployed_template, const Ui& ui,
                                          const Timing& timing) {
  const std::string destroy_hint = "stacks-runner destroy " + d.stack_name;
  if (d.existing != nullptr) {
    if (std::string blocked = Blocked(*d.existing, destroy_hint); !blocked.empty()) {
      return Failure("StackNotUpdatable", blocked);
    }
  }
  const bool create = d.existing == nullptr || d.existing->status == "REVIEW_IN_PROGRESS";
  aws::CreateChangeSetRequest request;
  request.stack_name = d.stack_name;
  request.change_set_name = ChangeSetName(timing.clock->Now());
  request.change_set_type = create ? "CREATE" : "UPDATE";
  request.template_body = d.template_url.empty() ? d.template_body : "";
  request.template_url = d.template_url;
  request.parameters = d.parameters;
  request.capabilities = {"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM"};
  request.tags = d.tags;
  request.description = "stacks-runner deploy";
  request.client_token = request.change_set_name;
  request.role_arn = d.role_arn;
  auto id = cfn.CreateChangeSet(request);
  if (!id) return id.error();

  // Removes the change set and, for a stack the change set created, the empty stack too.
  auto discard = [&] {
    (void)cfn.DeleteChangeSet(*id);
    if (create) {
      (void)cfn.DeleteStack(d.stack_name, request.change_set_name + "-discard", d.role_arn);
    }
  };

  aws::ChangeSet cs;
  for (int polls = 0;; ++polls) {
    auto described = cfn.DescribeChangeSet(*id);
    if (!described) return described.error();
    cs = *described;
    if (cs.status == "CREATE_COMPLETE" || cs.status == "FAILED") break;
    timing.clock->SleepFor(std::min(timing.poll_interval, std::chrono::milliseconds(2000)));
  }
  if (cs.status == "FAILED") {
    if (IsNoChanges(cs)) {
      (void)cfn.DeleteChangeSet(*id);
      *ui.err << d.stack_name << ": no changes\n";
      DeployOutcome outcome;
      outcome.stack = *d.existing;
      return outcome;
    }
    discard();
    return Failure("ChangeSetFailed",
                   "the change set for " + d.stack_name + " failed: " + cs.status_reason);
  }

  *ui.out << (create ? "Creating " : "Updating ") << d.stack_name << ":\n" << FormatChangeSet(cs);
  const auto local_template = nlohmann::json::parse(d.template_body, nullptr, false);
  const auto security = SecurityChanges(deployed_template, local_template);
  if (!security.empty()) {
    *ui.out << "Security-relevant changes (+ granted, - withdrawn):\n"
            << FormatSecurityChanges(security);
  }
  ui.out->flush();
  if (d.approval == Approval::kBroadening && AnyBroadening(security)) {
    const bool approved = ui.confirm && ui.confirm("Deploy " + d.stack_name +
                                                   ", which widens IAM permissions or "
                                                   "network access as listed above?");
    if (!approved) {
      discard();
      return Failure(
          "NotApproved",
          d.stack_name +
              " was not deployed: it widens IAM permissions or network "
              "access and this was not approved; review the changes above, then run in a "
              "terminal to answer, or pass --require-approval never");
    }
  }

  const std::string last_event = create ? "" : NewestEventId(cfn, d.stack_name);
  if (auto executed = cfn.ExecuteChangeSet(*id, request.change_set_name); !executed) {
    return executed.error();
  }
  const std::string stack_id = cs.stack_id.empty() ? d.stack_name : cs.stack_id;
  auto followed = Follow(cfn, stack_id, d.stack_name, ResourceCount(d.template_body), last_event,
                         false, ui, timing);
  if (!followed) return followed.error();
  const aws::Stack* final_stack = &followed->stack;
  const auto& failures = followed->failures;
  if (!IsSuccessStatus(final_stack->status)) {
    std::string message = d.stack_name + " ended in " + final_stack->status;
    if (!final_stack->status_reason.empty()) message += " (" + final_stack->status_reason + ")";
    message += "; the first failures:" + DescribeFailures(failures);
    if (final_stack->status == "ROLLBACK_COMPLETE") {
      message += "\nThe stack was rolled back and cannot be updated: delete it with `" +
                 destroy_hint + "`, fix the cause, and deploy again.";
    }
    return Failure("StackFailed", message);
  }
  DeployOutcome outcome;
  outcome.changed = true;
  outcome.stack = *final_stack;
  return outcome;
}

aws::AwsResult<aws::Stack> DeleteStack(aws::CloudFormationApi& cfn, const aws::Stack& stack,
                                       const Ui& ui, const Timing& timing,
                                       const std::string& role_arn) {
  const std::string last_event = NewestEventId(cfn, stack.id);
  auto resources = cfn.DescribeStackResources(stack.id);
  const size_t total = resources ? resources->size() : 0;
  if (auto deleted =
          cfn.DeleteStack(stack.id, ChangeSetName(timing.clock->Now()) + "-delete", role_arn);
      !deleted) {
    return deleted.error();
  }
  auto followed = Follow(cfn, stack.id, stack.name, total, last_event, true, ui, timing);
  if (!followed) return followed.error();
  if (followed->stack.status != "DELETE_COMPLETE") {
    return Failure("StackFailed", stack.name + " ended in " + followed->stack.status + " (" +
                                      followed->stack.status_reason + "); the first failures:" +
                                      DescribeFailures(followed->failures));
  }
  for (const auto& k : followed->kept) {
    *ui.out << "  kept by its DeletionPolicy: " << k.logical_id << " (" << k.resource_type << ") "
            << k.physical_id << "\n";
  }
  return followed->stack;
}

}  // namespace sr::deploy
