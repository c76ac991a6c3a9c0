#include <iostream>

#include "cli/cli.h"
#include "config/load.h"
#include "util/file_system.h"

int main(int argc, char** argv) {
  sr::util::DiskFileSystem fs;
  sr::cli::Context ctx;
  ctx.fs = &fs;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.environment = sr::config::ProcessEnvironment();
  ctx.dist_dir = sr::cli::DefaultDistDir(ctx.environment);
  return sr::cli::Run(ctx, argc, argv);
}
