// The command line: parses arguments and runs a command.
#ifndef STACKS_RUNNER_CLI_CLI_H_
#define STACKS_RUNNER_CLI_CLI_H_

#include "cli/context.h"

namespace sr::cli {

int Run(Context& ctx, int argc, const char* const* argv);

// Where the node binaries built by `make dist` are: <dir of the executable>/../dist, unless
// STACKS_RUNNER_DIST_DIR says otherwise.
std::string DefaultDistDir(const std::map<std::string, std::string>& environment);

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_CLI_H_
