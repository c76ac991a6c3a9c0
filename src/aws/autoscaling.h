// The Auto Scaling calls a node makes about its own launch: heartbeats while it syncs, and the
// launch lifecycle action's result.
#ifndef STACKS_RUNNER_AWS_AUTOSCALING_H_
#define STACKS_RUNNER_AWS_AUTOSCALING_H_

#include <string>

#include "aws/client.h"

namespace sr::aws {

// CONTINUE (`proceed`) lets the instance into service; ABANDON terminates it.
AwsResult<Unit> CompleteLifecycleAction(AwsClient& autoscaling, const std::string& group,
                                        const std::string& hook, const std::string& instance_id,
                                        bool proceed);
AwsResult<Unit> RecordLifecycleActionHeartbeat(AwsClient& autoscaling, const std::string& group,
                                               const std::string& hook,
                                               const std::string& instance_id);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_AUTOSCALING_H_
