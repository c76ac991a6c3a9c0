// A monthly on-demand cost estimate computed from the synthesized templates: what each template
// creates (instances and their count, volumes, load balancers, dashboards, alarms, secrets) and
// the secrets the configuration names for the node to read, priced with the price table
// (prices.h). Pure.
//
// Assumptions, printed with every estimate: 730 hours a month; instances run all month at the
// group's desired capacity; an Application Load Balancer uses `Usage::alb_lcu` LCUs on average;
// each node publishes `Usage::custom_metrics_per_node` custom metrics; free tiers are not
// applied. Not included: data transfer, S3 storage and requests (a few MB of assets, the load
// balancer's access logs), CloudWatch Logs, API requests, snapshots, taxes.
#ifndef STACKS_RUNNER_COST_ESTIMATE_H_
#define STACKS_RUNNER_COST_ESTIMATE_H_

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace sr::cost {

using Json = nlohmann::ordered_json;

inline constexpr double kHoursPerMonth = 730;

struct Usage {
  int custom_metrics_per_node = 0;
  std::string custom_metrics_note;  // where the count comes from, for the assumptions
  double alb_lcu = 1.0;
};

struct StackTemplate {
  std::string stack;       // stacks-common, ...
  std::string stack_name;  // its CloudFormation name
  Json template_json;
};

struct LineItem {
  std::string what;
  std::string quantity;           // "2 × 730 h × $0.096"
  std::optional<double> monthly;  // nothing when the price table has no price for it
};

struct StackCost {
  std::string stack;
  std::string stack_name;
  std::vector<LineItem> items;
  double total = 0;     // of the priced items
  size_t unpriced = 0;  // items without a price
};

struct Estimate {
  std::string region;
  std::vector<StackCost> stacks;
  double total = 0;
  size_t unpriced = 0;
  std::vector<std::string> assumptions;
};

Estimate EstimateCost(const std::vector<StackTemplate>& stacks, const std::string& region,
                      const Usage& usage);

// The itemized estimate for the terminal.
std::string FormatEstimate(const Estimate& estimate);

// 1234.5 -> "1,234.50"
std::string Money(double usd);

}  // namespace sr::cost

#endif  // STACKS_RUNNER_COST_ESTIMATE_H_
