// `stacks-runner synth [--env FILE] [--out DIR] [STACK...]`
#ifndef STACKS_RUNNER_CLI_SYNTH_COMMAND_H_
#define STACKS_RUNNER_CLI_SYNTH_COMMAND_H_

#include <string>
#include <vector>

#include "cli/context.h"
#include "config/config.h"
#include "templates/synth.h"

namespace sr::cli {

struct SynthOptions {
  std::string env_file;
  std::string out_dir = "stacks.out";
  std::vector<std::string> stacks;
  bool allow_nag_errors = false;  // exit 0 despite unsuppressed security errors
};

int RunSynth(Context& ctx, const SynthOptions& options);

// Looks for the node binary of `arch` in ctx.dist_dir and hashes it when present.
templates::NodeBinary FindNodeBinary(Context& ctx, config::CpuArch arch);

// The plan `synth` prints: what the configuration amounts to, and what was written.
std::string FormatPlan(const config::Config& config, const std::string& source,
                       const std::string& out_dir, const templates::SynthResult& result,
                       const templates::NodeBinary& binary, const std::string& cost_line = "");

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_SYNTH_COMMAND_H_
