// From a .env file and the process environment to a validated Config.
#ifndef STACKS_RUNNER_CONFIG_LOAD_H_
#define STACKS_RUNNER_CONFIG_LOAD_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "config/diagnostic.h"

namespace sr::config {

struct LoadInput {
  std::string env_path;  // shown in messages; empty when there is no file
  std::string env_text;  // the file's contents
  // The process environment. As with dotenv, a variable set here wins over the file.
  std::map<std::string, std::string> environment;
};

struct LoadResult {
  std::optional<Config> config;  // set when there are no errors
  std::vector<Diagnostic> diagnostics;
};

LoadResult LoadConfig(const LoadInput& input);

// The environment of this process, as LoadInput wants it.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_LOAD_H_
