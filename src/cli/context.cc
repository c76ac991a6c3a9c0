#include "cli/context.h"

namespace sr::cli {

aws::SessionDeps SessionDepsOf(Context& ctx, http::HttpClient* http, std::string profile) {
  aws::SessionDeps deps;
  deps.env = ctx.environment;
  deps.fs = ctx.fs;
  deps.processes = ctx.processes;
  deps.clock = ctx.clock;
  deps.http = http;
  deps.imds_http = ctx.imds_http ? ctx.imds_http() : nullptr;
  deps.random = ctx.random;
  deps.profile = std::move(profile);
  return deps;
}

}  // namespace sr::cli
