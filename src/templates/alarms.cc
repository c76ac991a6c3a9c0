#include "templates/alarms.h"

#include "templates/iam.h"
#include "templates/names.h"
#include "templates/tags.h"

namespace sr::templates {
namespace {

struct AlarmSpec {
  const char* id;
  const char* name_suffix;
  std::string description;
  std::string metric_namespace;
  std::string metric;
  Json dimensions;
  const char* statistic;
  int period;
  int evaluation_periods;
  double threshold;
  const char* comparison;
  // Chosen per alarm: what a silent metric means for it.
  const char* treat_missing_data;
};

void AddTopic(Template& t, const config::Config& config, AlarmScope scope) {
  Json admin =
      Statement("Allow", {"kms:*"}, "*",
                Json{{"AWS", cfn::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root")}});
  admin["Sid"] = "AccountAdministersTheKey";
  Json cloudwatch = Statement("Allow", {"kms:Decrypt", "kms:GenerateDataKey*"}, "*",
                              Json{{"Service", "cloudwatch.amazonaws.com"}});
  cloudwatch["Sid"] = "CloudWatchAlarmsPublishToTheTopic";
  cloudwatch["Condition"] =
      Json{{"StringEquals", Json{{"aws:SourceAccount", cfn::Ref("AWS::AccountId")}}}};
  Resource key{"AWS::KMS::Key"};
  key.properties["Description"] = cfn::Sub("${AWS::StackName}: encrypts the alarm topic");
  key.properties["EnableKeyRotation"] = true;
  key.properties["PendingWindowInDays"] = 7;
  std::vector<Json> statements = {admin, cloudwatch};
  // Auto Scaling notifications (HA) are published by its service-linked role. Named in a
  // condition, not as the principal: the role may not exist yet when the key is created.
  Json autoscaling =
      Statement("Allow", {"kms:Decrypt", "kms:GenerateDataKey*"}, "*", Json{{"AWS", "*"}});
  autoscaling["Sid"] = "AutoScalingNotificationsToTheTopic";
  autoscaling["Condition"] =
      Json{{"StringEquals", Json{{"kms:CallerAccount", cfn::Ref("AWS::AccountId")}}},
           {"ArnEquals",
            Json{{"aws:PrincipalArn",
                  cfn::Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/"
                           "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")}}}};
  if (scope == AlarmScope::kGroup) statements.push_back(std::move(autoscaling));
  key.properties["KeyPolicy"] = PolicyDocument(statements);
  key.properties["Tags"] = StandardTags(config);
  t.AddResource(ids::kAlarmTopicKey, std::move(key));

  Resource topic{"AWS::SNS::Topic"};
  topic.properties["DisplayName"] = "Stacks node alarms";
  topic.properties["KmsMasterKeyId"] = cfn::GetAtt(ids::kAlarmTopicKey, "Arn");
  topic.properties["Tags"] = StandardTags(config);
  t.AddResource(ids::kAlarmTopic, std::move(topic));

  Json publish = Statement("Allow", {"sns:Publish"}, cfn::Ref(ids::kAlarmTopic),
                           Json{{"Service", "cloudwatch.amazonaws.com"}});
  publish["Sid"] = "AlarmsOfThisAccountPublish";
  publish["Condition"] =
      Json{{"StringEquals", Json{{"aws:SourceAccount", cfn::Ref("AWS::AccountId")}}},
           {"ArnLike", Json{{"aws:SourceArn", cfn::Arn("cloudwatch", "alarm:*")}}}};
  Json tls = Statement("Deny", {"sns:Publish"}, cfn::Ref(ids::kAlarmTopic), "*");
  tls["Sid"] = "TlsOnly";
  tls["Condition"] = Json{{"Bool", Json{{"aws:SecureTransport", "false"}}}};
  Resource policy{"AWS::SNS::TopicPolicy"};
  policy.properties["Topics"] = Json::array({cfn::Ref(ids::kAlarmTopic)});
  policy.properties["PolicyDocument"] = PolicyDocument({publish, tls});
  t.AddResource(ids::kAlarmTopicPolicy, std::move(policy));

  if (!config.monitoring.alarm_email.empty()) {
    // SNS mails a confirmation link first: nothing is delivered until it is followed.
    Resource subscription{"AWS::SNS::Subscription"};
    subscription.properties["TopicArn"] = cfn::Ref(ids::kAlarmTopic);
    subscription.properties["Protocol"] = "email";
    subscription.properties["Endpoint"] = config.monitoring.alarm_email;
    t.AddResource(ids::kAlarmEmailSubscription, std::move(subscription));
  }
}

void AddAlarm(Template& t, const config::Config& config, const AlarmSpec& a) {
  Resource alarm{"AWS::CloudWatch::Alarm"};
  Json& p = alarm.properties;
  p["AlarmName"] = cfn::Sub(std::string("${AWS::StackName}-") + a.name_suffix);
  p["AlarmDescription"] = a.description;
  p["Namespace"] = a.metric_namespace;
  p["MetricName"] = a.metric;
  p["Dimensions"] = a.dimensions;
  p["Statistic"] = a.statistic;
  p["Period"] = a.period;
  p["EvaluationPeriods"] = a.evaluation_periods;
  p["DatapointsToAlarm"] = a.evaluation_periods;
  p["Threshold"] = a.threshold;
  p["ComparisonOperator"] = a.comparison;
  p["TreatMissingData"] = a.treat_missing_data;
  p["ActionsEnabled"] = true;
  p["AlarmActions"] = Json::array({cfn::Ref(ids::kAlarmTopic)});
  p["OKActions"] = Json::array({cfn::Ref(ids::kAlarmTopic)});
  p["Tags"] = StandardTags(config);
  t.AddResource(a.id, std::move(alarm));
}

Json Dimension(std::string_view name, Json value) {
  return Json{{"Name", name}, {"Value", std::move(value)}};
}

}  // namespace

std::vector<std::string> AddAlarms(Template& t, const config::Config& config, AlarmScope scope) {
  AddTopic(t, config, scope);
  const bool group = scope == AlarmScope::kGroup;
  const std::string ns(kMetricNamespace);
  const Json who =
      group ? Json::array({Dimension("AutoScalingGroupName", cfn::Ref(ids::kAutoScalingGroup))})
            : Json::array({Dimension("InstanceId", cfn::Ref(ids::kNodeInstance))});
  const int behind_min = config.monitoring.alarm_behind_min;
  const std::string tolerance = std::to_string(config.monitoring.sync_tolerance_blocks);
  const std::string stall = std::to_string(config.monitoring.stall_min);

  std::vector<AlarmSpec> alarms;
  // Missing data here means the agent is silent, which the heartbeat alarm reports: not twice.
  alarms.push_back({ids::kNodeBehindAlarm, "node-behind",
                    std::string(group ? "No node of the group has been" : "The node has not been") +
                        " synced (within " + tolerance +
                        " blocks of the reference and 1 of the Bitcoin " + "tip) for " +
                        std::to_string(behind_min) + " minutes: behind, stalled or down",
                    ns, metrics::kSynced, who, "Maximum", 60, behind_min, 1, "LessThanThreshold",
                    "notBreaching"});
  alarms.push_back({ids::kNodeStalledAlarm, "node-stalled",
                    std::string(group ? "A node of the group" : "The node") +
                        " is behind and its tip has not moved for " + stall +
                        " minutes (a restart often clears it)",
                    ns, metrics::kStalled, who, "Maximum", 60, 2, 1,
                    "GreaterThanOrEqualToThreshold", "notBreaching"});
  // Missing data is the failure itself.
  alarms.push_back({ids::kAgentHeartbeatAlarm, "agent-heartbeat",
                    group ? "No stacks-runner agent of the group has reported for 5 minutes"
                          : "The stacks-runner agent has not reported for 5 minutes: it, the "
                            "instance or its way to CloudWatch is down",
                    ns, metrics::kAgentHeartbeat, who, "SampleCount", 60, 5, 1, "LessThanThreshold",
                    "breaching"});
  // Missing disk data (the CloudWatch agent or the node agent silent) leaves the alarm
  // INSUFFICIENT_DATA: visible in the console, not a page; the heartbeat alarm pages.
  if (group) {
    alarms.push_back({ids::kDataDiskAlarm, "data-disk",
                      "A node's data volume is more than 80 % full", ns,
                      metrics::kDataDiskUsedPercent, who, "Maximum", 300, 2, 80,
                      "GreaterThanThreshold", "missing"});
  } else {
    alarms.push_back(
        {ids::kDataDiskAlarm, "data-disk",
         "The data volume (" + std::string(kDataMountPath) + ") is more than 80 % full",
         std::string(kCloudWatchAgentNamespace), "disk_used_percent",
         Json::array({Dimension("InstanceId", cfn::Ref(ids::kNodeInstance)),
                      Dimension("path", std::string(kDataMountPath))}),
         "Maximum", 300, 2, 80, "GreaterThanThreshold", "missing"});
  }
  // Signers and miners run a signer beside the node (node/stacks_configs.h HasSigner).
  if (config.role != config::Role::kFollower && !group) {
    alarms.push_back({ids::kSignerHeartbeatAlarm, "signer-heartbeat",
                      "The signer's /heartbeat has failed for 3 minutes (the signer is down, "
                      "hung, or cannot reach its node)",
                      ns, metrics::kSignerHeartbeat, who, "Minimum", 60, 3, 1, "LessThanThreshold",
                      "notBreaching"});
  }
  std::vector<std::string> added;
  for (const AlarmSpec& a : alarms) {
    AddAlarm(t, config, a);
    added.emplace_back(a.id);
  }
  return added;
}

}  // namespace sr::templates
