#include "aws/cloudformation.h"

namespace sr::aws {
namespace {

util::Clock::TimePoint Time(pugi::xml_node node, std::string_view path) {
  util::Clock::TimePoint t{};
  util::ParseIso8601(Text(node, path), &t);
  return t;
}

Stack ReadStack(pugi::xml_node s) {
  Stack stack;
  stack.id = Text(s, "StackId");
  stack.name = Text(s, "StackName");
  stack.status = Text(s, "StackStatus");
  stack.status_reason = Text(s, "StackStatusReason");
  stack.creation_time = Time(s, "CreationTime");
  if (!Text(s, "LastUpdatedTime").empty()) stack.last_updated_time = Time(s, "LastUpdatedTime");
  for (auto p : ListItems(s, "Parameters")) {
    stack.parameters.push_back({Text(p, "ParameterKey"), Text(p, "ParameterValue"), false});
  }
  for (auto o : ListItems(s, "Outputs")) {
    stack.outputs.push_back({Text(o, "OutputKey"), Text(o, "OutputValue"), Text(o, "Description"),
                             Text(o, "ExportName")});
  }
  for (auto t : ListItems(s, "Tags")) stack.tags[Text(t, "Key")] = Text(t, "Value");
  return stack;
}

bool IsMissingStack(const AwsError& e) {
  return e.code == "ValidationError" && e.message.find("does not exist") != std::string::npos;
}

void AddParameters(NameValueList* params, const std::vector<StackParameter>& parameters) {
  int i = 1;
  for (const auto& p : parameters) {
    const std::string prefix = "Parameters.member." + std::to_string(i++) + ".";
    params->emplace_back(prefix + "ParameterKey", p.key);
    if (p.use_previous_value) {
      params->emplace_back(prefix + "UsePreviousValue", "true");
    } else {
      params->emplace_back(prefix + "ParameterValue", p.value);
    }
  }
}

}  // namespace

AwsResult<std::optional<Stack>> CloudFormationApi::DescribeStack(const std::string& name) {
  auto r = client_.CallQuery("DescribeStacks", {{"StackName", name}});
  if (!r) {
    if (IsMissingStack(r.error())) return std::optional<Stack>();
    return r.error();
  }
  const auto stacks = ListItems(r->root(), "DescribeStacksResult/Stacks");
  if (stacks.empty()) return std::optional<Stack>();
  Stack stack = ReadStack(stacks.front());
  // Deleted stacks are only found by id; by name they no longer exist.
  if (stack.status == "DELETE_COMPLETE") return std::optional<Stack>();
  return std::optional<Stack>(std::move(stack));
}

AwsResult<std::vector<StackEvent>> CloudFormationApi::DescribeStackEvents(
    const std::string& stack, const std::string& stop_at_event_id, int max_pages) {
  std::vector<StackEvent> events;
  std::string token;
  for (int page = 0; page < max_pages; ++page) {
    NameValueList params{{"StackName", stack}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto r = client_.CallQuery("DescribeStackEvents", params);
    if (!r) return r.error();
    const auto result = Find(r->root(), "DescribeStackEventsResult");
    for (auto e : ListItems(result, "StackEvents")) {
      StackEvent ev;
      ev.event_id = Text(e, "EventId");
      if (!stop_at_event_id.empty() && ev.event_id == stop_at_event_id) return events;
      ev.timestamp = Time(e, "Timestamp");
      ev.stack_name = Text(e, "StackName");
      ev.logical_id = Text(e, "LogicalResourceId");
      ev.physical_id = Text(e, "PhysicalResourceId");
      ev.resource_type = Text(e, "ResourceType");
      ev.status = Text(e, "ResourceStatus");
      ev.reason = Text(e, "ResourceStatusReason");
      events.push_back(std::move(ev));
    }
    token = Text(result, "NextToken");
    if (token.empty()) break;
  }
  return events;
}

AwsResult<std::vector<StackResource>> CloudFormationApi::DescribeStackResources(
    const std::string& stack) {
  auto r = client_.CallQuery("DescribeStackResources", {{"StackName", stack}});
  if (!r) return r.error();
  std::vector<StackResource> resources;
  for (auto s : ListItems(r->root(), "DescribeStackResourcesResult/StackResources")) {
    resources.push_back({Text(s, "LogicalResourceId"), Text(s, "PhysicalResourceId"),
                         Text(s, "ResourceType"), Text(s, "ResourceStatus"),
                         Text(s, "ResourceStatusReason")});
  }
  return resources;
}

AwsResult<std::string> CloudFormationApi::CreateChangeSet(const CreateChangeSetRequest& req) {
  NameValueList params{{"StackName", req.stack_name},
                       {"ChangeSetName", req.change_set_name},
                       {"ChangeSetType", req.change_set_type}};
  if (!req.template_url.empty()) {
    params.emplace_back("TemplateURL", req.template_url);
  } else {
    params.emplace_back("TemplateBody", req.template_body);
  }
  AddParameters(&params, req.parameters);
  if (!req.role_arn.empty()) params.emplace_back("RoleARN", req.role_arn);
  int i = 1;
  for (const auto& c : req.capabilities) {
    params.emplace_back("Capabilities.member." + std::to_string(i++), c);
  }
  i = 1;
  for (const auto& [key, value] : req.tags) {
    const std::string prefix = "Tags.member." + std::to_string(i++) + ".";
    params.emplace_back(prefix + "Key", key);
    params.emplace_back(prefix + "Value", value);
  }
  if (!req.description.empty()) params.emplace_back("Description", req.description);
  if (!req.client_token.empty()) params.emplace_back("ClientToken", req.client_token);
  auto r = client_.CallQuery("CreateChangeSet", params);
  if (!r) return r.error();
  return Text(r->root(), "CreateChangeSetResult/Id");
}

AwsResult<ChangeSet> CloudFormationApi::DescribeChangeSet(const std::string& id) {
  ChangeSet cs;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    NameValueList params{{"ChangeSetName", id}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto r = client_.CallQuery("DescribeChangeSet", params);
    if (!r) return r.error();
    const auto result = Find(r->root(), "DescribeChangeSetResult");
    cs.id = Text(result, "ChangeSetId");
    cs.stack_id = Text(result, "StackId");
    cs.status = Text(result, "Status");
    cs.status_reason = Text(result, "StatusReason");
    cs.execution_status = Text(result, "ExecutionStatus");
    for (auto c : ListItems(result, "Changes")) {
      const auto rc = Find(c, "ResourceChange");
      ResourceChange change;
      change.action = Text(rc, "Action");
      change.logical_id = Text(rc, "LogicalResourceId");
      change.physical_id = Text(rc, "PhysicalResourceId");
      change.resource_type = Text(rc, "ResourceType");
      change.replacement = Text(rc, "Replacement");
      for (auto s : ListItems(rc, "Scope")) change.scope.push_back(s.child_value());
      for (auto d : ListItems(rc, "Details")) {
        change.details.push_back({Text(d, "Target/Attribute"), Text(d, "Target/Name"),
                                  Text(d, "Target/RequiresRecreation"), Text(d, "ChangeSource"),
                                  Text(d, "CausingEntity")});
      }
      cs.changes.push_back(std::move(change));
    }
    token = Text(result, "NextToken");
    if (token.empty()) break;
  }
  return cs;
}

AwsResult<Unit> CloudFormationApi::ExecuteChangeSet(const std::string& id,
                                                    const std::string& client_token) {
  NameValueList params{{"ChangeSetName", id}};
  if (!client_token.empty()) params.emplace_back("ClientRequestToken", client_token);
  auto r = client_.CallQuery("ExecuteChangeSet", params);
  if (!r) return r.error();
  return Unit{};
}

AwsResult<Unit> CloudFormationApi::DeleteChangeSet(const std::string& id) {
  auto r = client_.CallQuery("DeleteChangeSet", {{"ChangeSetName", id}});
  if (!r) return r.error();
  return Unit{};
}

AwsResult<std::string> CloudFormationApi::GetTemplate(const std::string& stack) {
  auto r = client_.CallQuery("GetTemplate", {{"StackName", stack}, {"TemplateStage", "Original"}});
  if (!r) return r.error();
  return Text(r->root(), "GetTemplateResult/TemplateBody");
}

AwsResult<Unit> CloudFormationApi::DeleteStack(const std::string& stack,
                                               const std::string& client_token,
                                               const std::string& role_arn) {
  NameValueList params{{"StackName", stack}};
  if (!client_token.empty()) params.emplace_back("ClientRequestToken", client_token);
  if (!role_arn.empty()) params.emplace_back("RoleARN", role_arn);
  auto r = client_.CallQuery("DeleteStack", params);
  if (!r) return r.error();
  return Unit{};
}

AwsResult<Unit> CloudFormationApi::SignalResource(const std::string& stack,
                                                  const std::string& logical_id,
                                                  const std::string& unique_id, bool success) {
  auto r = client_.CallQuery("SignalResource", {{"StackName", stack},
                                                {"LogicalResourceId", logical_id},
                                                {"UniqueId", unique_id},
                                                {"Status", success ? "SUCCESS" : "FAILURE"}});
  if (!r) return r.error();
  return Unit{};
}

AwsResult<std::vector<StackExport>> CloudFormationApi::ListExports() {
  std::vector<StackExport> exports;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    NameValueList params;
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto r = client_.CallQuery("ListExports", params);
    if (!r) return r.error();
    const auto result = Find(r->root(), "ListExportsResult");
    for (auto e : ListItems(result, "Exports")) {
      exports.push_back({Text(e, "Name"), Text(e, "Value"), Text(e, "ExportingStackId")});
    }
    token = Text(result, "NextToken");
    if (token.empty()) break;
  }
  return exports;
}

AwsResult<std::vector<std::string>> CloudFormationApi::ListImports(const std::string& name) {
  std::vector<std::string> stacks;
  std::string token;
  for (int page = 0; page < 100; ++page) {
    NameValueList params{{"ExportName", name}};
    if (!token.empty()) params.emplace_back("NextToken", token);
    auto r = client_.CallQuery("ListImports", params);
    if (!r) {
      // CloudFormation answers an export nobody imports with this error, not an empty list.
      if (r.error().code == "ValidationError" &&
          r.error().message.find("is not imported by any stack") != std::string::npos) {
        return stacks;
      }
      return r.error();
    }
    const auto result = Find(r->root(), "ListImportsResult");
    for (auto s : ListItems(result, "Imports")) stacks.push_back(s.child_value());
    token = Text(result, "NextToken");
    if (token.empty()) break;
  }
  return stacks;
}

}  // namespace sr::aws
