#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>

#include "cli/exit_codes.h"
#include "cli/synth_command.h"

namespace sr::cli {

std::string DefaultDistDir(const std::map<std::string, std::string>& environment) {
  if (auto it = environment.find("STACKS_RUNNER_DIST_DIR"); it != environment.end()) {
    return it->second;
  }
  std::error_code ec;
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "dist";
  return (exe.parent_path().parent_path() / "dist").lexically_normal().string();
}

int Run(Context& ctx, int argc, const char* const* argv) {
  CLI::App app{"stacks-runner: synthesize, deploy and operate Stacks nodes on AWS",
               "stacks-runner"};
  app.set_version_flag("--version", std::string("stacks-runner ") + STACKS_RUNNER_VERSION);
  app.require_subcommand(1);

  SynthOptions synth;
  CLI::App* synth_cmd = app.add_subcommand(
      "synth", "Write the CloudFormation templates, manifest and node assets (no AWS account)");
  synth_cmd->add_option("--env", synth.env_file,
                        "Configuration file (dotenv); default ./.env when present");
  synth_cmd->add_option("--out", synth.out_dir, "Output directory")->capture_default_str();
  synth_cmd->add_option("stacks", synth.stacks,
                        "Stacks to synthesize: stacks-common, stacks-single-node, "
                        "stacks-ha-nodes (default: all that apply to the role)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    *ctx.out << app.help(e.get_name() == "--help" ? "" : e.get_name());
    return kExitOk;
  } catch (const CLI::CallForAllHelp&) {
    *ctx.out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    *ctx.out << app.version() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    *ctx.err << "stacks-runner: " << e.what() << "\n"
             << "Run 'stacks-runner --help' for the commands and their options.\n";
    return kExitInvalidInput;
  }

  if (synth_cmd->parsed()) return RunSynth(ctx, synth);
  return kExitInvalidInput;
}

}  // namespace sr::cli
