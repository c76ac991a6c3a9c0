#include "cli/load_config.h"

#include "config/load.h"

namespace sr::cli {

std::optional<LoadedConfig> LoadConfigForCommand(Context& ctx, const std::string& env_flag) {
  config::LoadInput input;
  input.environment = ctx.environment;
  std::string path = env_flag;
  if (path.empty() && ctx.fs->IsFile(".env")) path = ".env";
  if (!path.empty()) {
    std::string error;
    auto text = ctx.fs->ReadFile(path, &error);
    if (!text) {
      *ctx.err << error << "\n";
      return std::nullopt;
    }
    input.env_path = path;
    input.env_text = std::move(*text);
  }
  config::LoadResult result = config::LoadConfig(input);
  for (const auto& d : result.diagnostics) *ctx.err << config::FormatDiagnostic(d) << "\n";
  if (!result.config) return std::nullopt;
  return LoadedConfig{std::move(*result.config), path.empty() ? "environment" : path};
}

}  // namespace sr::cli
