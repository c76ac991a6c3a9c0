#include "cli/node_commands.h"

#include "cli/exit_codes.h"
#include "cli/load_config.h"
#include "node/render.h"

namespace sr::cli {

int RunNodeRender(Context& ctx, const NodeRenderOptions& options) {
  auto loaded = LoadConfigForCommand(ctx, options.env_file);
  if (!loaded) return kExitInvalidInput;
  node::RenderOptions render;
  render.deployment = options.deployment;
  const node::Rendered rendered = node::RenderNodeFiles(loaded->config, render);
  for (const auto& p : rendered.problems) *ctx.err << "node render: " << p << "\n";
  if (!rendered.problems.empty()) return kExitFailure;
  std::vector<util::FileToWrite> files;
  for (const auto& f : rendered.files) files.push_back({f.path.substr(1), f.content});
  std::string error;
  if (!ctx.fs->WriteFiles(options.out_dir, files, &error)) {
    *ctx.err << "node render: " << error << "\n";
    return kExitFailure;
  }
  for (const auto& f : rendered.files) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", f.mode);
    *ctx.out << mode << " " << f.owner << ":" << f.group << "  " << f.path << "\n";
  }
  return kExitOk;
}

}  // namespace sr::cli
