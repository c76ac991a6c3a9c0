#include "cli/cost_command.h"

#include <algorithm>

#include "cli/exit_codes.h"
#include "cli/load_config.h"
#include "cli/synth_command.h"
#include "cost/prices.h"

namespace sr::cli {
namespace {

constexpr char kDefaultRegion[] = "us-east-1";

std::string RegionOf(const config::Config& config) {
  return config.region.empty() ? kDefaultRegion : config.region;
}

bool Priced(const std::string& region) {
  const auto regions = cost::PricedRegions();
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

}  // namespace

cost::Usage CostUsage(const config::Config& config) {
  cost::Usage usage;
  // The node agent's metrics (templates/names.h, namespace StacksRunner): 10, and the signer's
  // heartbeat on signers. The CloudWatch agent's (node/system_files.cc, namespace CWAgent): 3 cpu,
  // mem, swap, 2 disk measurements for each of 2 file systems, 7 diskio measurements for each of
  // 2 devices = 23, counted once each; the roll-ups its aggregation_dimensions publish besides
  // are billed as further metrics and are not counted.
  const int agent = config.role == config::Role::kSigner ? 11 : 10;
  const int cloudwatch_agent = 23;
  usage.custom_metrics_per_node = agent + cloudwatch_agent;
  usage.custom_metrics_note = std::to_string(agent) + " from the node agent, " +
                              std::to_string(cloudwatch_agent) +
                              " from the CloudWatch agent without its roll-ups";
  usage.alb_lcu = 1.0;
  return usage;
}

cost::Estimate EstimateAssembly(const config::Config& config,
                                const templates::SynthResult& assembly) {
  std::vector<cost::StackTemplate> stacks;
  for (const auto& stack : assembly.stacks) {
    for (const auto& file : assembly.files) {
      if (file.path != stack.identity.template_file) continue;
      stacks.push_back(
          {stack.identity.id, stack.identity.stack_name, cost::Json::parse(file.content)});
    }
  }
  return cost::EstimateCost(stacks, RegionOf(config), CostUsage(config));
}

std::string CostLine(const config::Config& config, const templates::SynthResult& assembly) {
  const std::string region = RegionOf(config);
  if (!Priced(region)) return "not estimated: the price table has no prices for " + region;
  const cost::Estimate e = EstimateAssembly(config, assembly);
  std::string line = (e.unpriced ? "at least US$" : "about US$") + cost::Money(e.total) +
                     " a month on demand in " + region;
  if (config.region.empty()) line += " (AWS_REGION unset)";
  line += e.stacks.size() > 1 ? " for these stacks together" : "";
  return line + "; stacks-runner cost itemizes it";
}

int RunCost(Context& ctx, const CostOptions& options) {
  auto loaded = LoadConfigForCommand(ctx, options.env_file);
  if (!loaded) return kExitInvalidInput;
  const config::Config& config = loaded->config;
  templates::StackSelection selection = templates::SelectStacks(config, options.stacks);
  if (!selection.error.empty()) {
    *ctx.err << "cost: " << selection.error << "\n";
    return kExitInvalidInput;
  }
  const std::string region = RegionOf(config);
  if (!Priced(region)) {
    std::string regions;
    for (const auto& r : cost::PricedRegions()) regions += (regions.empty() ? "" : ", ") + r;
    *ctx.err << "cost: the price table (" << cost::PriceTableDate() << ") has no prices for "
             << region << "; priced regions: " << regions << "\n";
    return kExitInvalidInput;
  }
  const templates::SynthResult assembly =
      templates::Synthesize(config, selection.stacks, FindNodeBinary(ctx, config.arch));
  const cost::Estimate estimate = EstimateAssembly(config, assembly);
  *ctx.out << "stacks-runner cost: " << loaded->source << "\n"
           << "Monthly on-demand estimate in " << region
           << (config.region.empty() ? " (AWS_REGION is not set)" : "") << ", US dollars\n\n"
           << cost::FormatEstimate(estimate);
  if (estimate.unpriced > 0) {
    *ctx.out << "The price table has no price for " << estimate.unpriced
             << " item(s) above (marked ?): the total leaves them out.\n";
  }
  if (selection.stacks.size() > 2) {
    *ctx.out << "The total adds stacks-single-node and stacks-ha-nodes; a deployment usually "
                "runs one of them: add up the stacks you deploy.\n";
  }
  return kExitOk;
}

}  // namespace sr::cli
