// Reading the configuration for a command: the --env file (or ./.env when present) and the
// environment, with every problem printed as one line.
#ifndef STACKS_RUNNER_CLI_LOAD_CONFIG_H_
#define STACKS_RUNNER_CLI_LOAD_CONFIG_H_

#include <optional>
#include <string>

#include "cli/context.h"
#include "config/config.h"

namespace sr::cli {

struct LoadedConfig {
  config::Config config;
  std::string source;  // the file read, or "environment"
};

// Prints warnings and errors to ctx.err; returns nothing when there are errors (exit 2).
std::optional<LoadedConfig> LoadConfigForCommand(Context& ctx, const std::string& env_flag);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_LOAD_CONFIG_H_
