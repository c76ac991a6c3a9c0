#include "templates/dashboard.h"

#include "templates/names.h"
#include "templates/tags.h"

namespace sr::templates {
namespace {

constexpr int kWidth = 6;
constexpr int kHeight = 6;
constexpr int kColumns = 4;

// Lays widgets out left to right, four to a row.
class Layout {
 public:
  void Add(std::string_view title, Json metrics, Json options = Json::object()) {
    Json properties = Json{{"title", title},
                           {"region", "${AWS::Region}"},
                           {"view", "timeSeries"},
                           {"stacked", false},
                           {"stat", "Average"},
                           {"period", 300},
                           {"metrics", std::move(metrics)}};
    for (auto& [key, value] : options.items()) properties[key] = value;
    const int index = static_cast<int>(widgets_.size());
    widgets_.push_back(Json{{"type", "metric"},
                            {"x", (index % kColumns) * kWidth},
                            {"y", (index / kColumns) * kHeight},
                            {"width", kWidth},
                            {"height", kHeight},
                            {"properties", std::move(properties)}});
  }
  // An alarm status widget: each alarm's state at a glance.
  void AddAlarmStatus(std::string_view title, const std::vector<std::string>& alarm_ids) {
    if (alarm_ids.empty()) return;
    Json arns = Json::array();
    for (const auto& id : alarm_ids) arns.push_back("${" + id + ".Arn}");
    const int index = static_cast<int>(widgets_.size());
    widgets_.push_back(Json{{"type", "alarm"},
                            {"x", (index % kColumns) * kWidth},
                            {"y", (index / kColumns) * kHeight},
                            {"width", kWidth},
                            {"height", kHeight},
                            {"properties", Json{{"title", title}, {"alarms", std::move(arns)}}}});
  }
  std::string Body() const { return Json{{"widgets", widgets_}}.dump(); }

 private:
  Json widgets_ = Json::array();
};

Json SingleValue() {
  return Json{{"view", "singleValue"},
              {"stat", "Maximum"},
              {"period", 60},
              {"singleValueFullPrecision", true},
              {"setPeriodToTimeRange", false}};
}

Json Expression(std::string_view id, std::string_view expression, std::string_view label) {
  return Json::array({Json{{"id", id}, {"expression", expression}, {"label", label}}});
}

Json Hidden(std::string_view id, std::string_view stat = "Sum", int period = 60) {
  return Json{{"id", id}, {"visible", false}, {"stat", stat}, {"period", period}};
}

}  // namespace

std::string SingleNodeDashboardBody(const config::Config& config,
                                    const std::vector<std::string>& alarms) {
  const std::string ns(kMetricNamespace);
  const std::string cw(kCloudWatchAgentNamespace);
  const std::string instance = "${" + std::string(ids::kNodeInstance) + "}";
  const std::string volume = "${" + std::string(ids::kDataVolume) + "}";
  const bool ebs = config.data_volume.type != config::VolumeType::kInstanceStore;
  Layout l;
  l.Add("Stacks tip height",
        Json::array({Json::array({ns, metrics::kStacksTipHeight, "InstanceId", instance})}),
        SingleValue());
  l.Add("Burn block height",
        Json::array({Json::array({ns, metrics::kBurnBlockHeight, "InstanceId", instance})}),
        SingleValue());
  l.Add("Blocks behind (Stacks, Bitcoin)",
        Json::array({Json::array({ns, metrics::kStacksBlocksBehind, "InstanceId", instance}),
                     Json::array({ns, metrics::kBurnBlocksBehind, "InstanceId", instance})}),
        Json{{"stat", "Maximum"}, {"period", 60}});
  l.Add("Synced (1) and agent heartbeat",
        Json::array({Json::array({ns, metrics::kSynced, "InstanceId", instance}),
                     Json::array({ns, metrics::kAgentHeartbeat, "InstanceId", instance,
                                  Json{{"stat", "SampleCount"}}})}),
        Json{{"stat", "Minimum"}, {"period", 60}});
  l.Add("Sync state (synced, stalled, node up)",
        Json::array({Json::array({ns, metrics::kSynced, "InstanceId", instance}),
                     Json::array({ns, metrics::kStalled, "InstanceId", instance,
                                  Json{{"stat", "Maximum"}}}),
                     Json::array({ns, metrics::kNodeUp, "InstanceId", instance})}),
        Json{{"stat", "Minimum"},
             {"period", 60},
             {"yAxis", Json{{"left", Json{{"min", 0}, {"max", 1}}}}}});
  l.AddAlarmStatus("Alarms", alarms);
  l.Add("CPU utilization (%)",
        Json::array({Json::array({"AWS/EC2", "CPUUtilization", "InstanceId", instance})}),
        Json{{"yAxis", Json{{"left", Json{{"min", 0}}}}}});
  l.Add("Memory used (%)",
        Json::array({Json::array({cw, "mem_used_percent", "InstanceId", instance})}));
  l.Add("CPU I/O wait (%)",
        Json::array({Json::array({cw, "cpu_usage_iowait", "InstanceId", instance})}));
  l.Add("Network in and out (bytes)",
        Json::array({Json::array({"AWS/EC2", "NetworkIn", "InstanceId", instance}),
                     Json::array({"AWS/EC2", "NetworkOut", "InstanceId", instance})}));
  l.Add("Peers", Json::array({Json::array({ns, metrics::kPeers, "InstanceId", instance})}));
  l.Add("Data disk used (%)",
        Json::array({Json::array({cw, "disk_used_percent", "InstanceId", instance, "path",
                                  std::string(kDataMountPath)})}),
        Json{{"stat", "Maximum"}, {"yAxis", Json{{"left", Json{{"min", 0}, {"max", 100}}}}}});
  if (ebs) {
    l.Add("Data volume IOPS (read, write)",
          Json::array(
              {Expression("r", "rops/PERIOD(rops)", "Read"),
               Json::array({"AWS/EBS", "VolumeReadOps", "VolumeId", volume, Hidden("rops")}),
               Expression("w", "wops/PERIOD(wops)", "Write"),
               Json::array({"AWS/EBS", "VolumeWriteOps", "VolumeId", volume, Hidden("wops")})}),
          Json{{"period", 60}});
    l.Add("Data volume throughput (bytes/s)",
          Json::array(
              {Expression("r", "rb/PERIOD(rb)", "Read"),
               Json::array({"AWS/EBS", "VolumeReadBytes", "VolumeId", volume, Hidden("rb")}),
               Expression("w", "wb/PERIOD(wb)", "Write"),
               Json::array({"AWS/EBS", "VolumeWriteBytes", "VolumeId", volume, Hidden("wb")})}),
          Json{{"period", 60}});
    l.Add("Data volume latency (ms/op)",
          Json::array(
              {Expression("r", "IF(rops != 0, rt / rops * 1000, 0)", "Read"),
               Json::array({"AWS/EBS", "VolumeTotalReadTime", "VolumeId", volume, Hidden("rt")}),
               Json::array({"AWS/EBS", "VolumeReadOps", "VolumeId", volume, Hidden("rops")}),
               Expression("w", "IF(wops != 0, wt / wops * 1000, 0)", "Write"),
               Json::array({"AWS/EBS", "VolumeTotalWriteTime", "VolumeId", volume, Hidden("wt")}),
               Json::array({"AWS/EBS", "VolumeWriteOps", "VolumeId", volume, Hidden("wops")})}),
          Json{{"period", 60}});
  } else {
    l.Add("Data disk I/O (ops)",
          Json::array({Json::array({cw, "diskio_reads", "InstanceId", instance, "name", "nvme1n1",
                                    Json{{"stat", "Sum"}}}),
                       Json::array({cw, "diskio_writes", "InstanceId", instance, "name", "nvme1n1",
                                    Json{{"stat", "Sum"}}})}),
          Json{{"period", 60}});
  }
  return l.Body();
}

std::string HaDashboardBody(const config::Config& config, const std::vector<std::string>& alarms) {
  (void)config;
  const std::string ns(kMetricNamespace);
  const std::string cw(kCloudWatchAgentNamespace);
  const std::string asg = "${" + std::string(ids::kAutoScalingGroup) + "}";
  const std::string lb = "${" + std::string(ids::kLoadBalancer) + ".LoadBalancerFullName}";
  const std::string tg = "${" + std::string(ids::kTargetGroup) + ".TargetGroupFullName}";
  Layout l;
  l.Add("Healthy and unhealthy nodes",
        Json::array({Json::array({"AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", tg,
                                  "LoadBalancer", lb}),
                     Json::array({"AWS/ApplicationELB", "UnHealthyHostCount", "TargetGroup", tg,
                                  "LoadBalancer", lb})}),
        Json{{"stat", "Minimum"}, {"period", 60}});
  l.Add("Stacks tip height (highest, lowest node)",
        Json::array({Json::array({ns, metrics::kStacksTipHeight, "AutoScalingGroupName", asg,
                                  Json{{"stat", "Maximum"}}}),
                     Json::array({ns, metrics::kStacksTipHeight, "AutoScalingGroupName", asg,
                                  Json{{"stat", "Minimum"}}})}),
        Json{{"period", 60}});
  l.Add("Blocks behind (worst node)",
        Json::array({Json::array({ns, metrics::kStacksBlocksBehind, "AutoScalingGroupName", asg}),
                     Json::array({ns, metrics::kBurnBlocksBehind, "AutoScalingGroupName", asg})}),
        Json{{"stat", "Maximum"}, {"period", 60}});
  l.Add("Sync state (best and worst node, any stalled)",
        Json::array({Json::array({ns, metrics::kSynced, "AutoScalingGroupName", asg,
                                  Json{{"stat", "Maximum"}, {"label", "Synced (best node)"}}}),
                     Json::array({ns, metrics::kSynced, "AutoScalingGroupName", asg,
                                  Json{{"stat", "Minimum"}, {"label", "Synced (worst node)"}}}),
                     Json::array({ns, metrics::kStalled, "AutoScalingGroupName", asg,
                                  Json{{"stat", "Maximum"}, {"label", "Stalled (any node)"}}})}),
        Json{{"period", 60}, {"yAxis", Json{{"left", Json{{"min", 0}, {"max", 1}}}}}});
  l.AddAlarmStatus("Alarms", alarms);
  l.Add(
      "Nodes in service and pending",
      Json::array(
          {Json::array({"AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", asg}),
           Json::array({"AWS/AutoScaling", "GroupPendingInstances", "AutoScalingGroupName", asg})}),
      Json{{"stat", "Maximum"}, {"period", 60}});
  l.Add("RPC requests",
        Json::array({Json::array({"AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb})}),
        Json{{"stat", "Sum"}, {"period", 60}});
  l.Add("RPC errors (target 5xx, ELB 5xx)",
        Json::array(
            {Json::array({"AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", "LoadBalancer", lb}),
             Json::array({"AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb})}),
        Json{{"stat", "Sum"}, {"period", 60}});
  l.Add("RPC response time (s, p50 and p99)",
        Json::array({Json::array({"AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb,
                                  Json{{"stat", "p50"}}}),
                     Json::array({"AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb,
                                  Json{{"stat", "p99"}}})}),
        Json{{"period", 60}});
  l.Add("CPU utilization (%)",
        Json::array({Json::array({"AWS/EC2", "CPUUtilization", "AutoScalingGroupName", asg})}),
        Json{{"yAxis", Json{{"left", Json{{"min", 0}}}}}});
  l.Add("Network in and out (bytes)",
        Json::array({Json::array({"AWS/EC2", "NetworkIn", "AutoScalingGroupName", asg}),
                     Json::array({"AWS/EC2", "NetworkOut", "AutoScalingGroupName", asg})}));
  l.Add("Peers (fewest on a node)",
        Json::array({Json::array({ns, metrics::kPeers, "AutoScalingGroupName", asg})}),
        Json{{"stat", "Minimum"}});
  l.Add(
      "Data disk used (%, fullest node)",
      Json::array({Json::array({ns, metrics::kDataDiskUsedPercent, "AutoScalingGroupName", asg})}),
      Json{{"stat", "Maximum"}, {"yAxis", Json{{"left", Json{{"min", 0}, {"max", 100}}}}}});
  return l.Body();
}

void AddDashboard(Template& t, const config::Config& config, std::string body) {
  Resource dashboard{"AWS::CloudWatch::Dashboard"};
  dashboard.properties["DashboardName"] = cfn::Sub("${AWS::StackName}-${AWS::Region}");
  dashboard.properties["DashboardBody"] = cfn::Sub(body);
  dashboard.properties["Tags"] = StandardTags(config);
  t.AddResource(ids::kDashboard, std::move(dashboard));
}

}  // namespace sr::templates
