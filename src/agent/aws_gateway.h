// The AWS calls the agent makes, behind an interface so the publishing and lifecycle logic is
// tested without a network: the instance id, PutMetricData, and the launch lifecycle action's
// heartbeat and completion.
//
// SessionGateway is the real one: an aws::Session made on first use and again after a failure
// to make one (on EC2 the region and the credentials come from IMDSv2; the credentials are
// refreshed before they expire), one attempt per call (the agent has its own backoff and must
// not sit in the SDK-style retry loop), and a timeout per call. Not thread-safe: one thread (the
// agent's AWS thread) makes every call.
#ifndef STACKS_RUNNER_AGENT_AWS_GATEWAY_H_
#define STACKS_RUNNER_AGENT_AWS_GATEWAY_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "aws/error.h"
#include "aws/http_message.h"
#include "aws/session.h"

namespace sr::agent {

class AwsGateway {
 public:
  virtual ~AwsGateway() = default;
  virtual aws::AwsResult<std::string> InstanceId() = 0;
  virtual aws::AwsResult<aws::Unit> PutMetricData(const aws::NameValueList& params,
                                                  std::chrono::milliseconds timeout) = 0;
  virtual aws::AwsResult<aws::Unit> RecordLifecycleActionHeartbeat(const std::string& group,
                                                                   const std::string& hook,
                                                                   const std::string& instance) = 0;
  virtual aws::AwsResult<aws::Unit> CompleteLifecycleAction(const std::string& group,
                                                            const std::string& hook,
                                                            const std::string& instance,
                                                            bool proceed) = 0;
};

class SessionGateway final : public AwsGateway {
 public:
  // `deps` as for aws::Session::Create; `region` may be empty (then the environment, else IMDS).
  SessionGateway(aws::SessionDeps deps, std::string region, std::chrono::milliseconds timeout);

  aws::AwsResult<std::string> InstanceId() override;
  aws::AwsResult<aws::Unit> PutMetricData(const aws::NameValueList& params,
                                          std::chrono::milliseconds timeout) override;
  aws::AwsResult<aws::Unit> RecordLifecycleActionHeartbeat(const std::string& group,
                                                           const std::string& hook,
                                                           const std::string& instance) override;
  aws::AwsResult<aws::Unit> CompleteLifecycleAction(const std::string& group,
                                                    const std::string& hook,
                                                    const std::string& instance,
                                                    bool proceed) override;

 private:
  aws::AwsResult<aws::Session*> GetSession();
  aws::AwsResult<aws::Unit> Call(const aws::ServiceInfo& service, std::string_view action,
                                 const aws::NameValueList& params,
                                 std::chrono::milliseconds timeout);

  aws::SessionDeps deps_;
  std::string region_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<aws::Session> session_;
};

// Whether an AWS error means the lifecycle action is no longer pending for this instance.
bool IsLifecycleActionGone(const aws::AwsError& error);
// Whether CloudWatch refused the data itself (resending the same datums cannot succeed).
bool IsInvalidMetricData(const aws::AwsError& error);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_AWS_GATEWAY_H_
