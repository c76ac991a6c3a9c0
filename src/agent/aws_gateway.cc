#include "agent/aws_gateway.h"

#include "aws/client.h"
#include "aws/protocol.h"
#include "aws/service.h"

namespace sr::agent {

SessionGateway::SessionGateway(aws::SessionDeps deps, std::string region,
                               std::chrono::milliseconds timeout)
    : deps_(std::move(deps)), region_(std::move(region)), timeout_(timeout) {}

aws::AwsResult<aws::Session*> SessionGateway::GetSession() {
  if (session_) return session_.get();
  auto created = aws::Session::Create(deps_, region_);
  if (!created) return created.error();
  session_ = std::move(*created);
  return session_.get();
}

aws::AwsResult<std::string> SessionGateway::InstanceId() {
  auto session = GetSession();
  if (!session) return session.error();
  if ((*session)->imds() == nullptr) {
    return aws::MakeError(aws::AwsError::Kind::kConfig, "NoInstanceMetadata",
                          "the instance metadata service is disabled; give --instance-id");
  }
  return (*session)->imds()->Get("instance-id");
}

aws::AwsResult<aws::Unit> SessionGateway::Call(const aws::ServiceInfo& service,
                                               std::string_view action,
                                               const aws::NameValueList& params,
                                               std::chrono::milliseconds timeout) {
  auto session = GetSession();
  if (!session) return session.error();
  aws::Session& s = **session;
  const aws::Resolved endpoint = s.EndpointOf(service);
  std::string error;
  auto url = http::ParseUrl(endpoint.value, &error);
  if (!url) {
    return aws::MakeError(aws::AwsError::Kind::kConfig, "InvalidEndpoint",
                          "the " + std::string(service.name) + " endpoint from " + endpoint.source +
                              " is not usable: " + error);
  }
  aws::RetryPolicy once;
  once.max_attempts = 1;
  aws::AwsClient client(service, s.region(), *url,
                        {deps_.http, deps_.clock, &s.credentials(), deps_.random}, once);
  aws::RestOptions options;
  options.transfer.timeout = timeout;
  options.transfer.max_body_size = 1u << 20;
  options.idempotent = true;  // a repeated data point or heartbeat is harmless
  auto response = client.CallRest(action, aws::QueryRequest(service, action, params), options);
  if (!response) return response.error();
  return aws::Unit{};
}

aws::AwsResult<aws::Unit> SessionGateway::PutMetricData(const aws::NameValueList& params,
                                                        std::chrono::milliseconds timeout) {
  return Call(aws::CloudWatch(), "PutMetricData", params, timeout);
}

aws::AwsResult<aws::Unit> SessionGateway::RecordLifecycleActionHeartbeat(
    const std::string& group, const std::string& hook, const std::string& instance) {
  return Call(
      aws::AutoScaling(), "RecordLifecycleActionHeartbeat",
      {{"AutoScalingGroupName", group}, {"LifecycleHookName", hook}, {"InstanceId", instance}},
      timeout_);
}

aws::AwsResult<aws::Unit> SessionGateway::CompleteLifecycleAction(const std::string& group,
                                                                  const std::string& hook,
                                                                  const std::string& instance,
                                                                  bool proceed) {
  return Call(aws::AutoScaling(), "CompleteLifecycleAction",
              {{"AutoScalingGroupName", group},
               {"LifecycleHookName", hook},
               {"InstanceId", instance},
               {"LifecycleActionResult", proceed ? "CONTINUE" : "ABANDON"}},
              timeout_);
}

bool IsLifecycleActionGone(const aws::AwsError& error) {
  return error.kind == aws::AwsError::Kind::kService && error.code == "ValidationError" &&
         error.message.find("No active Lifecycle Action") != std::string::npos;
}

bool IsInvalidMetricData(const aws::AwsError& error) {
  return error.kind == aws::AwsError::Kind::kService && error.http_status == 400 &&
         (error.code.starts_with("InvalidParameter") || error.code == "MissingParameter");
}

}  // namespace sr::agent
