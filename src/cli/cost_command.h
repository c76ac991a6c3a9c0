// `stacks-runner cost [--env FILE] [STACK...]`: the monthly on-demand estimate of the stacks
// synth would write (src/cost), itemized per stack, with its assumptions.
#ifndef STACKS_RUNNER_CLI_COST_COMMAND_H_
#define STACKS_RUNNER_CLI_COST_COMMAND_H_

#include <string>
#include <vector>

#include "cli/context.h"
#include "config/config.h"
#include "cost/estimate.h"
#include "templates/synth.h"

namespace sr::cli {

struct CostOptions {
  std::string env_file;
  std::vector<std::string> stacks;
};

int RunCost(Context& ctx, const CostOptions& options);

// What each node publishes to CloudWatch as custom metrics, for the estimate.
cost::Usage CostUsage(const config::Config& config);

// The estimate for the templates of `assembly`, in the configured region (us-east-1 when none).
cost::Estimate EstimateAssembly(const config::Config& config,
                                const templates::SynthResult& assembly);

// The line synth's plan shows.
std::string CostLine(const config::Config& config, const templates::SynthResult& assembly);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_COST_COMMAND_H_
