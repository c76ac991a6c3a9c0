#include "cli/aws_commands.h"

#include <algorithm>
#include <iomanip>

#include "cli/exit_codes.h"
#include "cli/load_config.h"
#include "cli/nag.h"
#include "cli/synth_command.h"
#include "deploy/aws_services.h"
#include "deploy/deployer.h"
#include "deploy/template_diff.h"
#include "templates/synth.h"

namespace sr::cli {
namespace {

using templates::StackKind;

struct Prepared {
  LoadedConfig loaded;
  std::vector<StackKind> stacks;
};

// Loads the configuration and selects the stacks; prints the problems (exit 2) when it cannot.
std::optional<Prepared> Prepare(Context& ctx, const std::string& env_file,
                                const std::vector<std::string>& names, const char* command) {
  auto loaded = LoadConfigForCommand(ctx, env_file);
  if (!loaded) return std::nullopt;
  templates::StackSelection selection = templates::SelectStacks(loaded->config, names);
  if (!selection.error.empty()) {
    *ctx.err << command << ": " << selection.error << "\n";
    return std::nullopt;
  }
  return Prepared{std::move(*loaded), std::move(selection.stacks)};
}

// What to tell a user about an AWS error, with what to do where we know it.
std::string Explain(const aws::AwsError& e) {
  std::string out = e.kind == aws::AwsError::Kind::kService ? e.Describe() : e.message;
  if (e.IsAccessDenied()) {
    out += "\n  The credentials lack the permission for " + e.service + " " + e.operation +
           "; docs/operations.md lists what deploy needs.";
  } else if (e.code == "ExpiredToken" || e.code == "ExpiredTokenException" ||
             e.code == "RequestExpired") {
    out +=
        "\n  The credentials have expired: get new ones (for example `aws sso login`, or new "
        "keys) and run again.";
  } else if (e.code == "InvalidClientTokenId" || e.code == "UnrecognizedClientException" ||
             e.code == "SignatureDoesNotMatch" || e.code == "InvalidAccessKeyId") {
    out +=
        "\n  AWS does not accept these credentials: check the access key and secret (and "
        "AWS_SESSION_TOKEN for temporary ones).";
  }
  return out;
}

int Fail(Context& ctx, const aws::AwsError& e) {
  *ctx.err << "error: " << Explain(e) << "\n";
  return kExitFailure;
}

aws::AwsResult<deploy::AwsServices> ConnectAws(Context& ctx, const config::Config& config) {
  auto http = ctx.http();
  if (!http) return http.error();
  return deploy::AwsServices::Create(SessionDepsOf(ctx, *http, ctx.aws_profile), config.region);
}

deploy::Ui UiOf(Context& ctx) {
  deploy::Ui ui;
  ui.out = ctx.out;
  ui.err = ctx.err;
  ui.terminal = ctx.terminal;
  ui.confirm = ctx.confirm;
  return ui;
}

deploy::Timing TimingOf(Context& ctx) {
  deploy::Timing timing;
  timing.clock = ctx.clock;
  if (auto it = ctx.environment.find("STACKS_RUNNER_POLL_INTERVAL_MS");
      it != ctx.environment.end()) {
    const int ms = std::atoi(it->second.c_str());
    if (ms > 0) timing.poll_interval = std::chrono::milliseconds(ms);
  }
  return timing;
}

std::string StackName(const config::Config& c, StackKind kind) {
  return templates::IdentityOf(kind, c.role).stack_name;
}

}  // namespace

int RunDeploy(Context& ctx, const DeployOptions& options) {
  if (options.stacks.empty()) {
    *ctx.err << "deploy: name the stacks to deploy: stacks-common, stacks-single-node, "
                "stacks-ha-nodes\n";
    return kExitInvalidInput;
  }
  deploy::Approval approval;
  if (options.require_approval == "never") {
    approval = deploy::Approval::kNever;
  } else if (options.require_approval == "broadening") {
    approval = deploy::Approval::kBroadening;
  } else {
    *ctx.err << "deploy: --require-approval \"" << options.require_approval
             << "\": accepted: never, broadening\n";
    return kExitInvalidInput;
  }
  auto prepared = Prepare(ctx, options.env_file, options.stacks, "deploy");
  if (!prepared) return kExitInvalidInput;
  const config::Config& config = prepared->loaded.config;

  // Deploy synthesizes what it deploys, and leaves it in the output directory for review.
  const templates::NodeBinary binary = FindNodeBinary(ctx, config.arch);
  std::vector<StackKind> all = prepared->stacks;
  if (std::find(all.begin(), all.end(), StackKind::kCommon) == all.end()) {
    all.insert(all.begin(), StackKind::kCommon);  // deploy may need to create it first
  }
  const templates::SynthResult assembly = templates::Synthesize(config, all, binary);
  // The security checks again, on exactly the templates about to be deployed.
  const checks::CheckResult findings = CheckAssembly(config, assembly);
  std::vector<util::FileToWrite> files;
  for (const auto& f : assembly.files) files.push_back({f.path, f.content});
  for (auto& f : NagReportFiles(findings)) files.push_back(std::move(f));
  std::string error;
  if (!ctx.fs->WriteFiles(options.out_dir, files, &error)) {
    *ctx.err << "deploy: " << error << "\n";
    return kExitFailure;
  }
  if (!ReportFindings(findings, "deploy", options.allow_nag_errors, *ctx.out, *ctx.err)) {
    *ctx.err << "deploy: nothing was deployed\n";
    return kExitChecksFailed;
  }

  auto aws = ConnectAws(ctx, config);
  if (!aws) return Fail(ctx, aws.error());
  deploy::DeployRequest request;
  request.config = &config;
  request.assembly = &assembly;
  request.node_binary = &binary;
  request.stacks = prepared->stacks;
  request.exclusively = options.exclusively;
  request.approval = approval;
  request.refresh_ami = options.refresh_ami;
  request.outputs_file = options.outputs_file;
  request.role_arn = options.role_arn;
  auto outputs = deploy::Deploy(request, *aws, *ctx.fs, UiOf(ctx), TimingOf(ctx));
  if (!outputs) return Fail(ctx, outputs.error());
  for (const auto& [stack, values] : *outputs) {
    *ctx.out << "Outputs of " << stack << ":\n";
    for (const auto& [key, value] : values) *ctx.out << "  " << key << " = " << value << "\n";
  }
  if (!options.outputs_file.empty())
    *ctx.out << "Outputs written to " << options.outputs_file << "\n";
  return kExitOk;
}

int RunDiff(Context& ctx, const DiffOptions& options) {
  auto prepared = Prepare(ctx, options.env_file, {options.stack}, "diff");
  if (!prepared) return kExitInvalidInput;
  const config::Config& config = prepared->loaded.config;
  const StackKind kind = prepared->stacks.front();
  const templates::SynthResult assembly =
      templates::Synthesize(config, {kind}, FindNodeBinary(ctx, config.arch));
  const auto local = nlohmann::json::parse(assembly.files.front().content);

  auto aws = ConnectAws(ctx, config);
  if (!aws) return Fail(ctx, aws.error());
  const std::string name = StackName(config, kind);
  auto existing = aws->cloudformation->DescribeStack(name);
  if (!existing) return Fail(ctx, existing.error());
  nlohmann::json deployed;
  if (*existing) {
    auto body = aws->cloudformation->GetTemplate(name);
    if (!body) return Fail(ctx, body.error());
    deployed = nlohmann::json::parse(*body, nullptr, false);
  }
  const deploy::TemplateDiff diff = deploy::DiffTemplates(deployed, local);
  if (!*existing) *ctx.out << name << " is not deployed; deploying it would add:\n";
  if (diff.empty()) {
    *ctx.out << name << ": no differences\n";
    return kExitOk;
  }
  *ctx.out << "Stack " << name << "\n" << deploy::FormatDiff(diff);
  return kExitFailure;
}

int RunDestroy(Context& ctx, const DestroyOptions& options) {
  if (options.stacks.empty()) {
    *ctx.err << "destroy: name the stacks to delete: stacks-common, stacks-single-node, "
                "stacks-ha-nodes\n";
    return kExitInvalidInput;
  }
  auto prepared = Prepare(ctx, options.env_file, options.stacks, "destroy");
  if (!prepared) return kExitInvalidInput;
  const config::Config& config = prepared->loaded.config;
  std::vector<StackKind> order = prepared->stacks;
  // Node stacks first: they import from the common stack.
  std::stable_sort(order.begin(), order.end(), [](StackKind a, StackKind b) {
    return a != StackKind::kCommon && b == StackKind::kCommon;
  });

  auto aws = ConnectAws(ctx, config);
  if (!aws) return Fail(ctx, aws.error());
  auto& cfn = *aws->cloudformation;
  const deploy::Ui ui = UiOf(ctx);
  const deploy::Timing timing = TimingOf(ctx);
  for (StackKind kind : order) {
    const std::string name = StackName(config, kind);
    auto existing = cfn.DescribeStack(name);
    if (!existing) return Fail(ctx, existing.error());
    if (!*existing) {
      *ctx.out << name << ": not deployed in " << aws->session->region() << "\n";
      continue;
    }
    const aws::Stack& stack = **existing;
    if (stack.tags.count(deploy::kManagedByTag) == 0 && !options.force) {
      *ctx.err << "destroy: " << name
               << " was not deployed by stacks-runner; pass --force to delete it anyway\n";
      return kExitFailure;
    }
    if (kind == StackKind::kCommon) {
      auto exports = cfn.ListExports();
      if (!exports) return Fail(ctx, exports.error());
      std::vector<std::string> importers, names;
      for (const auto& e : *exports) {
        if (e.exporting_stack_id != stack.id) continue;
        auto imports = cfn.ListImports(e.name);
        if (!imports) return Fail(ctx, imports.error());
        if (imports->empty()) continue;
        names.push_back(e.name);
        for (const auto& i : *imports) {
          if (std::find(importers.begin(), importers.end(), i) == importers.end()) {
            importers.push_back(i);
          }
        }
      }
      if (!importers.empty()) {
        std::string list, exported;
        for (const auto& i : importers) list += (list.empty() ? "" : ", ") + i;
        for (const auto& n : names) exported += (exported.empty() ? "" : ", ") + n;
        *ctx.err << "destroy: " << name << " cannot be deleted while " << list
                 << " import its exports (" << exported << "); destroy "
                 << (importers.size() == 1 ? "that stack" : "those stacks") << " first\n";
        return kExitFailure;
      }
    }
    if (!options.force) {
      const bool yes = ctx.confirm && ctx.confirm("Delete stack " + name + " (" + stack.status +
                                                  ") in " + aws->session->region() + "?");
      if (!yes) {
        *ctx.err << "destroy: " << name
                 << " was not deleted (not confirmed; pass --force when there is no terminal)\n";
        return kExitFailure;
      }
    }
    auto deleted = deploy::DeleteStack(cfn, stack, ui, timing, options.role_arn);
    if (!deleted) return Fail(ctx, deleted.error());
  }
  return kExitOk;
}

int RunStatus(Context& ctx, const StatusOptions& options) {
  auto prepared = Prepare(ctx, options.env_file, options.stacks, "status");
  if (!prepared) return kExitInvalidInput;
  const config::Config& config = prepared->loaded.config;
  auto aws = ConnectAws(ctx, config);
  if (!aws) return Fail(ctx, aws.error());
  *ctx.out << "Region " << aws->session->region() << "\n";
  for (StackKind kind : prepared->stacks) {
    const std::string name = StackName(config, kind);
    auto existing = aws->cloudformation->DescribeStack(name);
    if (!existing) return Fail(ctx, existing.error());
    if (!*existing) {
      *ctx.out << name << "  not deployed\n";
      continue;
    }
    const aws::Stack& stack = **existing;
    *ctx.out << name << "  " << stack.status;
    if (!stack.status_reason.empty()) *ctx.out << " (" << stack.status_reason << ")";
    *ctx.out << "  " << (stack.last_updated_time ? "updated " : "created ")
             << util::FormatIso8601(stack.last_updated_time.value_or(stack.creation_time)) << "\n";
    for (const auto& o : stack.outputs) *ctx.out << "  " << o.key << " = " << o.value << "\n";
    if (kind == StackKind::kCommon) continue;
    auto instances = aws->ec2->InstancesOfStack(name);
    if (!instances) return Fail(ctx, instances.error());
    if (instances->empty()) *ctx.out << "  no instances\n";
    for (const auto& i : *instances) {
      *ctx.out << "  instance " << i.id << "  " << i.state << "  " << i.instance_type << "  "
               << i.availability_zone << "  " << i.private_ip << "\n";
    }
  }
  return kExitOk;
}

}  // namespace sr::cli
