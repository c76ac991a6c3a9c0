// The price table the cost estimate reads: on-demand US-dollar prices per region, dated, with
// where each figure comes from. The figures themselves are data, in price_table.cc.
#ifndef STACKS_RUNNER_COST_PRICES_H_
#define STACKS_RUNNER_COST_PRICES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sr::cost {

// Price items (the `item` of a row):
//   ec2:<type>                  Linux on-demand, per instance-hour
//   ebs:<gp3|gp2|io1|io2>:gb    per GB-month of provisioned storage
//   ebs:gp3:iops                per provisioned IOPS-month above the free 3,000
//   ebs:gp3:throughput          per provisioned MB/s-month above the free 125
//   ebs:io1:iops                per provisioned IOPS-month
//   ebs:io2:iops:1, :2, :3      per provisioned IOPS-month, for IOPS 1-32,000, 32,001-64,000, above
//   elb:alb:hour, elb:alb:lcu   per Application Load Balancer hour, per LCU-hour
//   cloudwatch:metric           per custom metric-month (first 10,000 metrics tier)
//   cloudwatch:detailed-monitoring  per instance-month of EC2 detailed monitoring (7 metrics)
//   cloudwatch:dashboard        per dashboard-month
//   cloudwatch:alarm            per standard-resolution alarm metric-month
//   cloudwatch:alarm-high-resolution  per high-resolution alarm metric-month
//   secretsmanager:secret       per secret-month
//   kms:key                     per customer managed key-month
struct PriceRow {
  std::string_view region;
  std::string_view item;
  double usd;
  // Where the figure comes from: a key of Sources().
  std::string_view source;
};

struct PriceSource {
  std::string_view key;
  std::string_view description;
};

// The date the table was last brought up to date.
std::string_view PriceTableDate();

const std::vector<PriceRow>& PriceTable();
const std::vector<PriceSource>& PriceSources();

// Regions with at least one price.
std::vector<std::string> PricedRegions();

std::optional<double> Price(std::string_view region, std::string_view item);

}  // namespace sr::cost

#endif  // STACKS_RUNNER_COST_PRICES_H_
