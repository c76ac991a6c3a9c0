// What a command needs from the outside world, passed in so tests can supply fakes.
#ifndef STACKS_RUNNER_CLI_CONTEXT_H_
#define STACKS_RUNNER_CLI_CONTEXT_H_

#include <map>
#include <ostream>
#include <string>

#include "util/file_system.h"

namespace sr::cli {

struct Context {
  util::FileSystem* fs = nullptr;
  std::ostream* out = nullptr;  // results: plans, tables, JSON
  std::ostream* err = nullptr;  // diagnostics and progress
  std::map<std::string, std::string> environment;
  std::string dist_dir;  // where `make dist` puts the node binaries
};

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_CONTEXT_H_
