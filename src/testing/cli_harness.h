// A command line run in memory: `stacks-runner ARGS...` against an in-memory file system, with
// stdout and stderr captured.
#ifndef STACKS_RUNNER_TESTING_CLI_HARNESS_H_
#define STACKS_RUNNER_TESTING_CLI_HARNESS_H_

#include <sstream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/context.h"
#include "testing/test_support.h"

namespace sr::testing {

struct CliHarness {
  FakeFileSystem fs;
  std::ostringstream out, err;
  cli::Context ctx;

  CliHarness() {
    ctx.fs = &fs;
    ctx.out = &out;
    ctx.err = &err;
    ctx.dist_dir = "dist";
  }
  int Run(std::vector<const char*> args) {
    args.insert(args.begin(), "stacks-runner");
    return cli::Run(ctx, static_cast<int>(args.size()), args.data());
  }
  // How many files were written under `dir`.
  size_t WrittenUnder(const std::string& dir) const {
    size_t n = 0;
    for (const auto& [path, content] : fs.files) n += path.starts_with(dir + "/");
    return n;
  }
};

}  // namespace sr::testing

#endif  // STACKS_RUNNER_TESTING_CLI_HARNESS_H_
