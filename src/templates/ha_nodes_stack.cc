#include "config/ports.h"
#include "templates/alarms.h"
#include "templates/dashboard.h"
#include "templates/iam.h"
#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/node_parts.h"
#include "templates/node_stacks.h"
#include "templates/s3.h"
#include "templates/security_groups.h"
#include "templates/tags.h"
#include "templates/user_data.h"

namespace sr::templates {
namespace {

constexpr char kElbAccountsMapping[] = "ElbLogDeliveryAccounts";
constexpr char kLegacyElbRegion[] = "RegionUsesElbAccount";

// Regions opened before August 2022 deliver load balancer logs from a regional ELB account;
// newer ones from the logdelivery.elasticloadbalancing.amazonaws.com service principal.
const std::vector<std::pair<std::string, std::string>>& ElbAccounts() {
  static const std::vector<std::pair<std::string, std::string>> accounts = {
      {"us-east-1", "127311923021"},      {"us-east-2", "033677994240"},
      {"us-west-1", "027434742980"},      {"us-west-2", "797873946194"},
      {"af-south-1", "098369216593"},     {"ap-east-1", "754344448648"},
      {"ap-southeast-3", "589379963580"}, {"ap-south-1", "718504428378"},
      {"ap-northeast-3", "383597477331"}, {"ap-northeast-2", "600734575887"},
      {"ap-southeast-1", "114774131450"}, {"ap-southeast-2", "783225319266"},
      {"ap-northeast-1", "582318560864"}, {"ca-central-1", "985666609251"},
      {"eu-central-1", "054676820928"},   {"eu-west-1", "156460612806"},
      {"eu-west-2", "652711504416"},      {"eu-south-1", "635631232127"},
      {"eu-west-3", "009996457667"},      {"eu-north-1", "897822967062"},
      {"me-south-1", "076674570225"},     {"sa-east-1", "507241528517"},
      {"us-gov-west-1", "048591011584"},  {"us-gov-east-1", "190560391635"},
      {"cn-north-1", "638102146993"},     {"cn-northwest-1", "037604701340"},
  };
  return accounts;
}

void AddElbLogDeliveryLookup(Template& t) {
  Json mapping = Json::object();
  Json equals = Json::array();
  for (const auto& [region, account] : ElbAccounts()) {
    mapping[region] = Json{{"AccountId", account}};
    equals.push_back(cfn::Equals(cfn::Ref("AWS::Region"), region));
  }
  t.AddMapping(kElbAccountsMapping, std::move(mapping));
  // Fn::Or takes 2 to 10 conditions: group the comparisons by tens.
  Json groups = Json::array();
  for (size_t i = 0; i < equals.size(); i += 10) {
    Json group = Json::array();
    for (size_t j = i; j < std::min(i + 10, equals.size()); ++j) group.push_back(equals[j]);
    groups.push_back(group.size() == 1 ? group[0] : cfn::Or(group));
  }
  t.AddCondition(kLegacyElbRegion, cfn::Or(groups));
}

void AddAlbLogBucket(Template& t, const config::Config& config) {
  AddElbLogDeliveryLookup(t);
  const Json log_objects = cfn::Sub("${" + std::string(ids::kAlbLogBucket) +
                                    ".Arn}/${AWS::StackName}/AWSLogs/${AWS::AccountId}/*");
  const Json principal = cfn::If(
      kLegacyElbRegion,
      Json{{"AWS",
            cfn::Sub("arn:${AWS::Partition}:iam::${Account}:root",
                     Json{{"Account", cfn::FindInMap(kElbAccountsMapping, cfn::Ref("AWS::Region"),
                                                     "AccountId")}})}},
      Json{{"Service", "logdelivery.elasticloadbalancing.amazonaws.com"}});
  Json deliver = Statement("Allow", {"s3:PutObject"}, log_objects, principal);
  deliver["Sid"] = "LoadBalancerLogDelivery";

  PrivateBucketOptions options;
  options.tags = StandardTags(config);
  options.retain = true;  // access logs are evidence; deleting the stack keeps them
  options.expire_after_days = 90;
  options.extra_policy_statements = {deliver};
  options.metadata = NagMetadata(
      {{"AwsSolutions-S1",
        "This bucket receives the load balancer's access logs; logging the log bucket's own "
        "access would need yet another bucket"}});
  AddPrivateBucket(t, ids::kAlbLogBucket, ids::kAlbLogBucketPolicy, options);
}

Json Attribute(std::string_view key, Json value) {
  return Json{{"Key", key}, {"Value", std::move(value)}};
}

}  // namespace

Template BuildHaNodesStack(const config::Config& config, const NodeSettingsAsset& settings) {
  const StackIdentity identity = IdentityOf(StackKind::kHaNodes, config.role);
  const bool ebs = config.data_volume.type != config::VolumeType::kInstanceStore;
  const int nodes = config.ha.nodes;
  Template t("stacks-runner: " + std::to_string(nodes) + " Stacks " +
             std::string(config::RoleName(config.role)) + " nodes on " +
             std::string(config.network->name) + " behind an internal load balancer");
  AddNodeParameters(t, config, SubnetShape::kSubnetList);
  AddNodeSecurityGroup(t, config);
  AddLoadBalancerSecurityGroups(t, config);

  // This stack's own grant on the shared role: lifecycle actions on this group only. The group's
  // id is part of its ARN and unknown until it exists, hence the one wildcard; the policy must
  // exist before the first node boots, so it cannot wait for the group's ARN.
  Resource policy{"AWS::IAM::Policy"};
  policy.properties["PolicyName"] = cfn::Sub("${AWS::StackName}-nodes");
  policy.properties["Roles"] = Json::array({cfn::ImportValue(kExportRoleName)});
  Json lifecycle = Statement(
      "Allow",
      {"autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat"},
      cfn::Arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/${AWS::StackName}"));
  lifecycle["Sid"] = "LifecycleOfThisGroup";
  policy.properties["PolicyDocument"] = PolicyDocument({lifecycle});
  policy.metadata = NagMetadata(
      {{"AwsSolutions-IAM5",
        "A group's ARN holds an id assigned when it is created, after this policy must exist; "
        "the wildcard stands for that id only, the name pins the stack's own group",
        {"Resource::arn:<AWS::Partition>:autoscaling:<AWS::Region>:<AWS::AccountId>:"
         "autoScalingGroup:*:autoScalingGroupName/<AWS::StackName>"}}});
  t.AddResource(ids::kNodeStackPolicy, std::move(policy));

  Json devices = Json::array({Json{{"DeviceName", "/dev/xvda"},
                                   {"Ebs", RootVolumeEbs(config, MappingOf::kLaunchTemplate)}}});
  if (ebs) devices.push_back(Json{{"DeviceName", "/dev/sdf"}, {"Ebs", DataVolumeEbs(config)}});
  UserDataInputs user_data{NodePlacement::kHaGroup, &settings, !ebs};
  Json data = Json::object();
  data["ImageId"] = cfn::Ref(params::kImageId);
  data["InstanceType"] = config.instance_type;
  data["IamInstanceProfile"] = Json{{"Name", cfn::ImportValue(kExportInstanceProfileName)}};
  data["SecurityGroupIds"] = Json::array({cfn::GetAtt(ids::kNodeSecurityGroup, "GroupId")});
  data["BlockDeviceMappings"] = std::move(devices);
  data["MetadataOptions"] = RequireImdsV2();
  data["Monitoring"] = Json{{"Enabled", true}};
  data["EbsOptimized"] = true;
  data["UserData"] = UserData(user_data);
  data["TagSpecifications"] = Json::array(
      {Json{{"ResourceType", "instance"}, {"Tags", StandardTags(config, identity.stack_name)}},
       Json{{"ResourceType", "volume"}, {"Tags", StandardTags(config, identity.stack_name)}}});
  Resource launch_template{"AWS::EC2::LaunchTemplate"};
  launch_template.properties["LaunchTemplateName"] = cfn::Sub("${AWS::StackName}");
  launch_template.properties["LaunchTemplateData"] = std::move(data);
  launch_template.properties["TagSpecifications"] =
      Json::array({Json{{"ResourceType", "launch-template"}, {"Tags", StandardTags(config)}}});
  t.AddResource(ids::kLaunchTemplate, std::move(launch_template));

  AddAlbLogBucket(t, config);

  Resource lb{"AWS::ElasticLoadBalancingV2::LoadBalancer"};
  lb.properties["Type"] = "application";
  lb.properties["Scheme"] = "internal";
  lb.properties["Subnets"] = cfn::Ref(params::kSubnetIds);
  lb.properties["SecurityGroups"] = Json::array({cfn::GetAtt(ids::kAlbSecurityGroup, "GroupId")});
  lb.properties["LoadBalancerAttributes"] =
      Json::array({Attribute("deletion_protection.enabled", "false"),
                   Attribute("access_logs.s3.enabled", "true"),
                   Attribute("access_logs.s3.bucket", cfn::Ref(ids::kAlbLogBucket)),
                   Attribute("access_logs.s3.prefix", cfn::Sub("${AWS::StackName}")),
                   Attribute("routing.http.drop_invalid_header_fields.enabled", "true")});
  lb.properties["Tags"] = StandardTags(config);
  lb.depends_on = {ids::kAlbLogBucketPolicy};
  t.AddResource(ids::kLoadBalancer, std::move(lb));

  Resource tg{"AWS::ElasticLoadBalancingV2::TargetGroup"};
  Json& g = tg.properties;
  g["Port"] = config.rpc_port;
  g["Protocol"] = "HTTP";
  g["TargetType"] = "instance";
  g["VpcId"] = cfn::Ref(params::kVpcId);
  // The node agent's /health: 200 only while the node is synced (/v2/info answers 200 hours
  // before that). Checked every 15 s, so a node that falls behind leaves rotation within about
  // 45 s of the agent noticing (it observes every STACKS_AGENT_INTERVAL_SEC), and one that caught
  // up is back within 30 s.
  g["HealthCheckEnabled"] = true;
  g["HealthCheckProtocol"] = "HTTP";
  g["HealthCheckPath"] = "/health";
  g["HealthCheckPort"] = std::to_string(config::kAgentPort);
  g["HealthCheckIntervalSeconds"] = 15;
  g["HealthCheckTimeoutSeconds"] = 5;
  g["HealthyThresholdCount"] = 2;
  g["UnhealthyThresholdCount"] = 3;
  g["Matcher"] = Json{{"HttpCode", "200"}};
  g["TargetGroupAttributes"] = Json::array({Attribute("deregistration_delay.timeout_seconds", "30"),
                                            Attribute("stickiness.enabled", "false")});
  g["Tags"] = StandardTags(config);
  t.AddResource(ids::kTargetGroup, std::move(tg));

  Resource listener{"AWS::ElasticLoadBalancingV2::Listener"};
  listener.properties["LoadBalancerArn"] = cfn::Ref(ids::kLoadBalancer);
  listener.properties["Port"] = config.rpc_port;
  listener.properties["Protocol"] = "HTTP";
  listener.properties["DefaultActions"] =
      Json::array({Json{{"Type", "forward"}, {"TargetGroupArn", cfn::Ref(ids::kTargetGroup)}}});
  listener.properties["Tags"] = StandardTags(config);
  t.AddResource(ids::kListener, std::move(listener));

  Resource asg{"AWS::AutoScaling::AutoScalingGroup"};
  Json& a = asg.properties;
  a["AutoScalingGroupName"] = cfn::Sub("${AWS::StackName}");
  a["MinSize"] = std::to_string(nodes);
  a["MaxSize"] = std::to_string(2 * nodes);  // room for a rolling update's extra node
  a["DesiredCapacity"] = std::to_string(nodes);
  a["LaunchTemplate"] = Json{{"LaunchTemplateId", cfn::Ref(ids::kLaunchTemplate)},
                             {"Version", cfn::GetAtt(ids::kLaunchTemplate, "LatestVersionNumber")}};
  a["VPCZoneIdentifier"] = cfn::Ref(params::kSubnetIds);
  a["TargetGroupARNs"] = Json::array({cfn::Ref(ids::kTargetGroup)});
  // EC2, not ELB: the load balancer's check now means "synced", which a healthy node loses for
  // minutes when it lags; the group would replace it, and its successor would take hours to
  // restore and sync. The load balancer routes around a node that is behind; the alarms tell.
  a["HealthCheckType"] = "EC2";
  a["HealthCheckGracePeriod"] = config.ha.health_check_grace_min * 60;
  a["DefaultInstanceWarmup"] = 60;
  // Declared with the group so that the very first nodes wait in it too (a separate
  // AWS::AutoScaling::LifecycleHook is only created after the first launches).
  a["LifecycleHookSpecificationList"] =
      Json::array({Json{{"LifecycleHookName", cfn::Sub("${AWS::StackName}")},
                        {"LifecycleTransition", "autoscaling:EC2_INSTANCE_LAUNCHING"},
                        {"HeartbeatTimeout", config.ha.lifecycle_heartbeat_min * 60},
                        {"DefaultResult", "ABANDON"}}});
  a["MetricsCollection"] = Json::array(
      {Json{{"Granularity", "1Minute"},
            {"Metrics", Json::array({"GroupDesiredCapacity", "GroupInServiceInstances",
                                     "GroupPendingInstances", "GroupTerminatingInstances"})}}});
  // Launches, terminations and their failures go to the alarm topic.
  a["NotificationConfigurations"] = Json::array({Json{
      {"TopicARN", cfn::Ref(ids::kAlarmTopic)},
      {"NotificationTypes",
       Json::array({"autoscaling:EC2_INSTANCE_LAUNCH", "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
                    "autoscaling:EC2_INSTANCE_TERMINATE",
                    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR"})}}});
  a["Tags"] = AutoScalingTags(config, identity.stack_name);
  asg.depends_on = {ids::kNodeStackPolicy};
  // One node at a time, never fewer than the configured count in service: a new node enters
  // service only once its launch hook completes.
  asg.update_policy =
      Json{{"AutoScalingRollingUpdate",
            Json{{"MinInstancesInService", nodes},
                 {"MaxBatchSize", 1},
                 {"PauseTime", "PT0S"},
                 {"SuspendProcesses", Json::array({"HealthCheck", "ReplaceUnhealthy", "AZRebalance",
                                                   "AlarmNotification", "ScheduledActions"})}}},
           {"AutoScalingScheduledAction", Json{{"IgnoreUnmodifiedGroupSizeProperties", true}}}};
  t.AddResource(ids::kAutoScalingGroup, std::move(asg));

  const std::vector<std::string> alarms = AddAlarms(t, config, AlarmScope::kGroup);
  AddDashboard(t, config, HaDashboardBody(config, alarms));

  t.AddOutput("alburl", Json{{"Description", "DNS name of the internal RPC load balancer"},
                             {"Value", cfn::GetAtt(ids::kLoadBalancer, "DNSName")}});
  t.AddOutput("autoscalinggroupname", Json{{"Value", cfn::Ref(ids::kAutoScalingGroup)}});
  t.AddOutput("alarmtopicarn", Json{{"Description", "SNS topic the group's alarms notify"},
                                    {"Value", cfn::Ref(ids::kAlarmTopic)}});
  t.AddOutput("region", Json{{"Value", cfn::Ref("AWS::Region")}});
  t.AddOutput("rpcurl",
              Json{{"Description", "Stacks RPC through the load balancer, from inside the VPC"},
                   {"Value", cfn::Sub("http://${" + std::string(ids::kLoadBalancer) +
                                      ".DNSName}:" + std::to_string(config.rpc_port))}});
  return t;
}

}  // namespace sr::templates
