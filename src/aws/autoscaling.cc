#include "aws/autoscaling.h"

namespace sr::aws {

AwsResult<Unit> CompleteLifecycleAction(AwsClient& autoscaling, const std::string& group,
                                        const std::string& hook, const std::string& instance_id,
                                        bool proceed) {
  auto r = autoscaling.CallQuery("CompleteLifecycleAction",
                                 {{"AutoScalingGroupName", group},
                                  {"LifecycleHookName", hook},
                                  {"InstanceId", instance_id},
                                  {"LifecycleActionResult", proceed ? "CONTINUE" : "ABANDON"}});
  if (!r) return r.error();
  return Unit{};
}

AwsResult<Unit> RecordLifecycleActionHeartbeat(AwsClient& autoscaling, const std::string& group,
                                               const std::string& hook,
                                               const std::string& instance_id) {
  auto r = autoscaling.CallQuery(
      "RecordLifecycleActionHeartbeat",
      {{"AutoScalingGroupName", group}, {"LifecycleHookName", hook}, {"InstanceId", instance_id}});
  if (!r) return r.error();
  return Unit{};
}

}  // namespace sr::aws
