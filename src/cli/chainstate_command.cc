#include "cli/chainstate_command.h"

#include "chainstate/archive_source.h"
#include "chainstate/bootstrap_hook.h"
#include "cli/exit_codes.h"
#include "config/diagnostic.h"
#include "config/load.h"
#include "node/layout.h"

namespace sr::cli {

int RunNodeFetchChainstate(Context& ctx, const NodeFetchChainstateOptions& options) {
  auto log = [&](const std::string& line) {
    if (ctx.terminal) *ctx.err << "\r\033[K";  // over a progress bar being drawn
    *ctx.err << line << "\n";
    ctx.err->flush();
  };
  if (!options.url.empty()) {
    std::string error;
    if (!chainstate::ParseResource(options.url, &error)) {
      *ctx.err << "node fetch-chainstate: --url: " << error << "\n";
      return kExitInvalidInput;
    }
  }
  const std::string settings = chainstate::UnderRoot(options.root, options.settings);
  std::string error;
  auto text = ctx.fs->ReadFile(settings, &error);
  if (!text) {
    *ctx.err << "node fetch-chainstate: " << error << "\n";
    return kExitInvalidInput;
  }
  config::LoadResult loaded = config::LoadConfig({settings, *text, {}});
  for (const auto& d : loaded.diagnostics) *ctx.err << config::FormatDiagnostic(d) << "\n";
  if (!loaded.config) return kExitInvalidInput;
  if (!loaded.config->download_chainstate) {
    log("node fetch-chainstate: STACKS_DOWNLOAD_CHAINSTATE is false; restoring as asked");
  }
  std::string version_error;
  std::string version =
      ctx.fs
          ->ReadFile(chainstate::UnderRoot(options.root, node::paths::kInstalledVersion),
                     &version_error)
          .value_or("");
  while (!version.empty() && (version.back() == '\n' || version.back() == ' ')) version.pop_back();

  chainstate::NodeFetchOptions fetch;
  fetch.root = options.root;
  fetch.environment = ctx.environment;
  fetch.url = options.url;
  fetch.connections = options.connections;
  fetch.sync = !options.no_sync;
  if (ctx.terminal) fetch.terminal = ctx.err;
  chainstate::FetchStats stats;
  if (!chainstate::FetchForNode(*loaded.config, version, fetch, &error, log, &stats)) {
    *ctx.err << "node fetch-chainstate: " << error << "\n";
    return kExitFailure;
  }
  if (stats.already_done) {
    *ctx.out << "chainstate: already restored and verified\n";
  } else {
    *ctx.out << "chainstate: restored and verified " << stats.sha256 << " (" << stats.url << ")\n";
  }
  return kExitOk;
}

}  // namespace sr::cli
