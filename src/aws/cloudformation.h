// The CloudFormation calls deploy, diff, destroy and status make, with the responses as structs.
#ifndef STACKS_RUNNER_AWS_CLOUDFORMATION_H_
#define STACKS_RUNNER_AWS_CLOUDFORMATION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"
#include "util/clock.h"

namespace sr::aws {

struct StackParameter {
  std::string key;
  std::string value;
  bool use_previous_value = false;
};

struct StackOutput {
  std::string key;
  std::string value;
  std::string description;
  std::string export_name;
};

struct Stack {
  std::string id;
  std::string name;
  std::string status;
  std::string status_reason;
  std::vector<StackParameter> parameters;
  std::vector<StackOutput> outputs;
  std::map<std::string, std::string> tags;
  util::Clock::TimePoint creation_time{};
  std::optional<util::Clock::TimePoint> last_updated_time;
};

struct StackEvent {
  std::string event_id;
  std::string stack_name;
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;
  std::string reason;
  util::Clock::TimePoint timestamp{};
};

struct StackResource {
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string status;
  std::string reason;
};

struct ResourceChangeDetail {
  std::string attribute;            // "Properties", "Metadata", ...
  std::string name;                 // the property, e.g. "ImageId"
  std::string requires_recreation;  // "Never", "Conditionally", "Always"
  std::string change_source;
  std::string causing_entity;
};

struct ResourceChange {
  std::string action;  // Add, Modify, Remove, Import, Dynamic
  std::string logical_id;
  std::string physical_id;
  std::string resource_type;
  std::string replacement;  // True, False, Conditional (Modify only)
  std::vector<std::string> scope;
  std::vector<ResourceChangeDetail> details;
};

struct ChangeSet {
  std::string id;
  std::string stack_id;
  std::string status;  // CREATE_PENDING, CREATE_IN_PROGRESS, CREATE_COMPLETE, FAILED, ...
  std::string status_reason;
  std::string execution_status;  // AVAILABLE, UNAVAILABLE, EXECUTE_IN_PROGRESS, ...
  std::vector<ResourceChange> changes;
};

struct CreateChangeSetRequest {
  std::string stack_name;
  std::string change_set_name;
  std::string change_set_type;  // CREATE or UPDATE
  std::string template_body;    // either this
  std::string template_url;     // or this (templates over 51,200 bytes)
  std::vector<StackParameter> parameters;
  std::vector<std::string> capabilities;
  std::map<std::string, std::string> tags;
  std::string description;
  std::string client_token;  // makes a repeated request harmless
  std::string role_arn;      // the service role CloudFormation acts with (empty: the caller)
};

struct StackExport {
  std::string name;
  std::string value;
  std::string exporting_stack_id;
};

class CloudFormationApi {
 public:
  explicit CloudFormationApi(AwsClient client) : client_(std::move(client)) {}

  // Nothing when the stack does not exist (or was deleted).
  AwsResult<std::optional<Stack>> DescribeStack(const std::string& name);
  // Events newest first, following NextToken (at most `max_pages` pages) until the event with id
  // `stop_at_event_id` (optional) is reached.
  AwsResult<std::vector<StackEvent>> DescribeStackEvents(const std::string& stack,
                                                         const std::string& stop_at_event_id,
                                                         int max_pages = 100);
  AwsResult<std::vector<StackResource>> DescribeStackResources(const std::string& stack);
  AwsResult<std::string> CreateChangeSet(const CreateChangeSetRequest& request);  // the id
  AwsResult<ChangeSet> DescribeChangeSet(const std::string& change_set_id);
  AwsResult<Unit> ExecuteChangeSet(const std::string& change_set_id,
                                   const std::string& client_token);
  AwsResult<Unit> DeleteChangeSet(const std::string& change_set_id);
  // The template as submitted.
  AwsResult<std::string> GetTemplate(const std::string& stack);
  AwsResult<Unit> DeleteStack(const std::string& stack, const std::string& client_token,
                              const std::string& role_arn = "");
  // A node's signal to its resource's creation policy.
  AwsResult<Unit> SignalResource(const std::string& stack, const std::string& logical_id,
                                 const std::string& unique_id, bool success);
  AwsResult<std::vector<StackExport>> ListExports();
  // Names of the stacks that import the export; empty when none does.
  AwsResult<std::vector<std::string>> ListImports(const std::string& export_name);

  AwsClient& client() { return client_; }

 private:
  AwsClient client_;
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_CLOUDFORMATION_H_
