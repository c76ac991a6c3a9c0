#include "cost/estimate.h"

#include <cmath>
#include <iomanip>
#include <set>
#include <sstream>

#include "cost/prices.h"

namespace sr::cost {
namespace {

const Json& Get(const Json& v, const std::string& key) {
  static const Json kNull;
  if (!v.is_object()) return kNull;
  auto it = v.find(key);
  return it == v.end() ? kNull : *it;
}

std::optional<double> Number(const Json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      return std::stod(v.get<std::string>());
    } catch (...) {
    }
  }
  return std::nullopt;
}

bool IsTrue(const Json& v) { return v == true || v == "true"; }

std::string Num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string Usd(double v) {
  std::ostringstream s;
  s << "$" << v;
  return s.str();
}

std::string Plural(double n, const std::string& one, const std::string& many) {
  return Num(n) + " " + (n == 1 ? one : many);
}

// The secrets an IAM policy lets the node read that the template does not create (ARNs the
// configuration names): written as strings, where a created one is a Ref. An ARN granted both
// as given and with "-??????" appended counts once.
void AddNamedSecrets(const Json& policy_document, std::set<std::string>& arns) {
  const Json& statements = Get(policy_document, "Statement");
  if (!statements.is_array()) return;
  for (const auto& st : statements) {
    const Json& action = Get(st, "Action");
    bool reads = action == "secretsmanager:GetSecretValue";
    if (action.is_array()) {
      for (const auto& a : action) reads |= a == "secretsmanager:GetSecretValue";
    }
    if (!reads) continue;
    const Json& resource = Get(st, "Resource");
    const Json list = resource.is_array() ? resource : Json::array({resource});
    for (const auto& r : list) {
      if (!r.is_string()) continue;
      std::string arn = r.get<std::string>();
      if (arn.ends_with("-??????")) arn.resize(arn.size() - 7);
      if (arn.find('*') == std::string::npos) arns.insert(arn);
    }
  }
}

class StackPricer {
 public:
  StackPricer(const std::string& region, const Usage& usage, StackCost& out)
      : region_(region), usage_(usage), out_(out) {}

  void Add(const std::string& what, const std::string& item, double quantity,
           const std::string& quantity_text) {
    LineItem line;
    line.what = what;
    if (auto price = Price(region_, item)) {
      line.quantity = quantity_text + " × " + Usd(*price);
      line.monthly = quantity * *price;
      out_.total += *line.monthly;
    } else {
      line.quantity = quantity_text + " (no " + item + " price for " + region_ + ")";
      ++out_.unpriced;
    }
    out_.items.push_back(std::move(line));
  }

  // `count` instances of one launch configuration.
  void Instances(double count, const Json& instance_type, bool detailed_monitoring,
                 const Json& block_devices, const std::string& label) {
    if (count <= 0) return;
    const std::string nodes = Plural(count, "instance", "instances");
    if (instance_type.is_string()) {
      const std::string type = instance_type.get<std::string>();
      Add("EC2 " + type + " (" + label + ")", "ec2:" + type, count * kHoursPerMonth,
          nodes + " × " + Num(kHoursPerMonth) + " h");
    } else {
      out_.items.push_back({"EC2 (" + label + ")", "instance type known at deploy time", {}});
      ++out_.unpriced;
    }
    for (const auto& m : block_devices.is_array() ? block_devices : Json::array()) {
      if (!m.contains("Ebs")) continue;
      const Json& device = Get(m, "DeviceName");
      Volume(Get(m, "Ebs"), "VolumeSize", count,
             label + " " + (device.is_string() ? device.get<std::string>() : "volume"));
    }
    if (detailed_monitoring) {
      Add("CloudWatch detailed monitoring (" + label + ")", "cloudwatch:detailed-monitoring", count,
          nodes);
    }
    if (usage_.custom_metrics_per_node > 0) {
      const double metrics = count * usage_.custom_metrics_per_node;
      Add("CloudWatch custom metrics (" + label + ")", "cloudwatch:metric", metrics,
          nodes + " × " + std::to_string(usage_.custom_metrics_per_node) + " metrics");
    }
  }

  // An EBS volume (`size_key`: "Size" for AWS::EC2::Volume, "VolumeSize" in a mapping).
  void Volume(const Json& ebs, const std::string& size_key, double count,
              const std::string& label) {
    const Json& type_json = Get(ebs, "VolumeType");
    const std::string type = type_json.is_string() ? type_json.get<std::string>() : "gp2";
    const auto size = Number(Get(ebs, size_key));
    const std::string times = count == 1 ? "" : Num(count) + " × ";
    if (!size) {
      out_.items.push_back({"EBS " + type + " " + label, "size known at deploy time", {}});
      ++out_.unpriced;
      return;
    }
    Add("EBS " + type + " " + label + ", storage", "ebs:" + type + ":gb", count * *size,
        times + Num(*size) + " GB");
    const auto iops = Number(Get(ebs, "Iops"));
    if (type == "gp3") {
      const double extra_iops = std::max(0.0, iops.value_or(3000) - 3000);
      if (extra_iops > 0) {
        Add("EBS gp3 " + label + ", IOPS above 3,000", "ebs:gp3:iops", count * extra_iops,
            times + Num(extra_iops) + " IOPS");
      }
      const double extra_mbps = std::max(0.0, Number(Get(ebs, "Throughput")).value_or(125) - 125);
      if (extra_mbps > 0) {
        Add("EBS gp3 " + label + ", throughput above 125 MB/s", "ebs:gp3:throughput",
            count * extra_mbps, times + Num(extra_mbps) + " MB/s");
      }
    } else if (type == "io1" && iops) {
      Add("EBS io1 " + label + ", IOPS", "ebs:io1:iops", count * *iops,
          times + Num(*iops) + " IOPS");
    } else if (type == "io2" && iops) {
      const double tiers[3] = {std::min(*iops, 32000.0), std::clamp(*iops - 32000.0, 0.0, 32000.0),
                               std::max(*iops - 64000.0, 0.0)};
      const char* names[3] = {"IOPS up to 32,000", "IOPS 32,001-64,000", "IOPS above 64,000"};
      for (int t = 0; t < 3; ++t) {
        if (tiers[t] <= 0) continue;
        Add("EBS io2 " + label + ", " + names[t], "ebs:io2:iops:" + std::to_string(t + 1),
            count * tiers[t], times + Num(tiers[t]) + " IOPS");
      }
    }
  }

 private:
  const std::string& region_;
  const Usage& usage_;
  StackCost& out_;
};

void PriceStack(const StackTemplate& st, const std::string& region, const Usage& usage,
                StackCost& out) {
  StackPricer pricer(region, usage, out);
  const Json& resources = Get(st.template_json, "Resources");
  if (!resources.is_object()) return;
  size_t dashboards = 0, secrets = 0, keys = 0;
  std::set<std::string> named_secrets;
  double alarm_metrics = 0, high_resolution_alarm_metrics = 0;
  for (const auto& [id, r] : resources.items()) {
    const Json& type = Get(r, "Type");
    const Json& p = Get(r, "Properties");
    if (type == "AWS::EC2::Instance") {
      pricer.Instances(1, Get(p, "InstanceType"), IsTrue(Get(p, "Monitoring")),
                       Get(p, "BlockDeviceMappings"), id);
    } else if (type == "AWS::AutoScaling::AutoScalingGroup") {
      const double count =
          Number(Get(p, "DesiredCapacity")).value_or(Number(Get(p, "MinSize")).value_or(0));
      const Json& lt_ref = Get(Get(p, "LaunchTemplate"), "LaunchTemplateId");
      const Json& lt =
          Get(resources, Get(lt_ref, "Ref").is_string() ? Get(lt_ref, "Ref").get<std::string>()
                                                        : std::string());
      const Json& data = Get(Get(lt, "Properties"), "LaunchTemplateData");
      pricer.Instances(count, Get(data, "InstanceType"),
                       IsTrue(Get(Get(data, "Monitoring"), "Enabled")),
                       Get(data, "BlockDeviceMappings"), id);
    } else if (type == "AWS::EC2::Volume") {
      pricer.Volume(p, "Size", 1, id);
    } else if (type == "AWS::ElasticLoadBalancingV2::LoadBalancer") {
      const Json& lb_type = Get(p, "Type");
      if (lb_type.is_null() || lb_type == "application") {
        pricer.Add("Application Load Balancer " + id + ", hours", "elb:alb:hour", kHoursPerMonth,
                   Num(kHoursPerMonth) + " h");
        pricer.Add("Application Load Balancer " + id + ", LCUs", "elb:alb:lcu",
                   usage.alb_lcu * kHoursPerMonth,
                   Num(usage.alb_lcu) + " LCU × " + Num(kHoursPerMonth) + " h");
      } else {
        out.items.push_back({"Load balancer " + id, "type " + lb_type.dump() + " not priced", {}});
        ++out.unpriced;
      }
    } else if (type == "AWS::CloudWatch::Dashboard") {
      ++dashboards;
    } else if (type == "AWS::CloudWatch::Alarm") {
      double metrics = 1;
      if (Get(p, "Metrics").is_array()) {
        metrics = 0;
        for (const auto& m : p["Metrics"]) metrics += m.contains("MetricStat") ? 1 : 0;
        metrics = std::max(metrics, 1.0);
      }
      const auto period = Number(Get(p, "Period"));
      (period && *period < 60 ? high_resolution_alarm_metrics : alarm_metrics) += metrics;
    } else if (type == "AWS::SecretsManager::Secret") {
      ++secrets;
    } else if (type == "AWS::IAM::Policy") {
      AddNamedSecrets(Get(p, "PolicyDocument"), named_secrets);
    } else if (type == "AWS::KMS::Key") {
      ++keys;
    }
  }
  if (dashboards > 0) {
    pricer.Add("CloudWatch dashboards", "cloudwatch:dashboard", dashboards,
               Plural(dashboards, "dashboard", "dashboards"));
  }
  if (alarm_metrics > 0) {
    pricer.Add("CloudWatch alarms", "cloudwatch:alarm", alarm_metrics,
               Plural(alarm_metrics, "alarm metric", "alarm metrics"));
  }
  if (high_resolution_alarm_metrics > 0) {
    pricer.Add("CloudWatch high-resolution alarms", "cloudwatch:alarm-high-resolution",
               high_resolution_alarm_metrics,
               Plural(high_resolution_alarm_metrics, "alarm metric", "alarm metrics"));
  }
  if (keys > 0) {
    pricer.Add("KMS customer managed keys", "kms:key", keys, Plural(keys, "key", "keys"));
  }
  if (secrets > 0) {
    pricer.Add("Secrets Manager secrets", "secretsmanager:secret", secrets,
               Plural(secrets, "secret", "secrets"));
  }
  if (!named_secrets.empty()) {
    const double n = static_cast<double>(named_secrets.size());
    pricer.Add("Secrets Manager secrets the configuration names", "secretsmanager:secret", n,
               Plural(n, "secret", "secrets"));
  }
}

}  // namespace

std::string Money(double usd) {
  const long cents = std::lround(usd * 100);
  std::string whole = std::to_string(cents / 100);
  for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(i, ",");
  const long c = cents % 100;
  return whole + "." + (c < 10 ? "0" : "") + std::to_string(c);
}

Estimate EstimateCost(const std::vector<StackTemplate>& stacks, const std::string& region,
                      const Usage& usage) {
  Estimate e;
  e.region = region;
  for (const auto& st : stacks) {
    StackCost sc;
    sc.stack = st.stack;
    sc.stack_name = st.stack_name;
    PriceStack(st, region, usage, sc);
    e.total += sc.total;
    e.unpriced += sc.unpriced;
    e.stacks.push_back(std::move(sc));
  }
  e.assumptions = {
      "on-demand Linux list prices of " + std::string(PriceTableDate()) +
          " (src/cost/price_table.cc)",
      Num(kHoursPerMonth) +
          " hours a month; every instance runs all month, HA groups at their "
          "desired capacity",
      "an Application Load Balancer averages " + Num(usage.alb_lcu) +
          " LCU (25 new connections/s, 3,000 active connections, 1 GB/h, whichever is highest)",
      std::to_string(usage.custom_metrics_per_node) + " custom metrics per node" +
          (usage.custom_metrics_note.empty() ? "" : " (" + usage.custom_metrics_note + ")"),
      "no free tier applied (the first 10 custom metrics, 10 alarms and 3 dashboards of an "
      "account are free)",
      "not included: data transfer, S3 storage and requests, CloudWatch Logs, API requests, "
      "snapshots, taxes"};
  return e;
}

std::string FormatEstimate(const Estimate& e) {
  std::ostringstream s;
  auto row = [&](const std::string& left, const std::string& right) {
    const size_t width = 78;
    s << left;
    const size_t used = left.size() + right.size();
    s << std::string(used < width ? width - used : 1, ' ') << right << "\n";
  };
  for (const auto& st : e.stacks) {
    row(st.stack + " (" + st.stack_name + ")", "US$ " + Money(st.total));
    if (st.items.empty()) s << "  nothing billed by the hour or month\n";
    for (const auto& item : st.items) {
      row("  " + item.what + ": " + item.quantity, item.monthly ? Money(*item.monthly) : "?");
    }
  }
  row("Total, " + e.region + (e.unpriced ? " (without the items marked ?)" : ""),
      "US$ " + Money(e.total) + " a month");
  s << "Assumptions:\n";
  for (const auto& a : e.assumptions) s << "  - " << a << "\n";
  return s.str();
}

}  // namespace sr::cost
