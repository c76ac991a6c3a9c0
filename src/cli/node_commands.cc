#include "cli/node_commands.h"

#include "aws/session.h"
#include "chainstate/bootstrap_hook.h"
#include "cli/exit_codes.h"
#include "cli/load_config.h"
#include "config/validators.h"
#include "node/bootstrap.h"
#include "node/linux_host.h"
#include "node/node_secrets.h"
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

int RunNodeBootstrap(Context& ctx, const NodeBootstrapOptions& options) {
  const bool single = !options.cfn_stack.empty();
  if (single == !options.asg.empty()) {
    *ctx.err << "node bootstrap: give either --cfn-stack and --cfn-resource (a single node) or "
                "--asg and --lifecycle-hook (an HA group)\n";
    return kExitInvalidInput;
  }
  if (options.data_volume.empty() == options.data_device.empty()) {
    *ctx.err << "node bootstrap: give either --data-volume (vol-... or instance-store) or "
                "--data-device\n";
    return kExitInvalidInput;
  }

  const std::pair<const char*, const std::string*> secret_flags[] = {
      {"--signer-secret", &options.signer_secret},
      {"--miner-secret", &options.miner_secret},
      {"--bitcoind-secret", &options.bitcoind_secret}};
  for (const auto& [flag, arn] : secret_flags) {
    if (!arn->empty() && !config::IsSecretArn(*arn)) {
      // Someone may paste the secret itself here: only what looks like an ARN is repeated.
      *ctx.err << "node bootstrap: " << flag << " "
               << (arn->starts_with("arn:") ? *arn : "(value not shown: it may be a secret)")
               << " is not a Secrets Manager secret ARN; accepted: "
                  "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME\n";
      return kExitInvalidInput;
    }
  }
  // The URL is presigned, a credential while valid: it is never shown.
  if (!options.identity_url.empty() && !options.identity_url.starts_with("https://") &&
      !options.identity_url.starts_with("http://")) {
    *ctx.err << "node bootstrap: --identity-url is not an http(s) URL (a CloudFormation wait "
                "condition handle)\n";
    return kExitInvalidInput;
  }

  // Every line goes to stderr (the console, for cloud-init's log) and to the bootstrap log, which
  // the CloudWatch agent ships once it runs.
  std::unique_ptr<node::LinuxHost> host;
  const std::string log_file = "/var/log/stacks-runner/bootstrap.log";
  bool log_ready = false;
  auto log = [&](const std::string& line) {
    *ctx.err << line << "\n";
    ctx.err->flush();
    if (!host) return;
    if (!log_ready) {
      log_ready =
          host->MakeDirectory("/var/log/stacks-runner", 0755, "root", "root").ok &&
          (host->Exists(log_file) || host->WriteFile(log_file, "", 0640, "root", "root").ok);
    }
    if (log_ready)
      (void)host->AppendToFile(log_file, util::FormatIso8601(ctx.clock->Now()) + " " + line + "\n");
  };

  std::unique_ptr<aws::Session> session;
  node::LinuxHostOptions host_options;
  host_options.root = options.root;
  host_options.dry_run = options.dry_run;
  host_options.processes = ctx.processes;
  host_options.log = log;
  auto http = ctx.http();
  if (!http) {
    *ctx.err << "node bootstrap: " << http.error().message << "\n";
    return kExitFailure;
  }
  host_options.http = *http;
  host_options.aws = [&]() -> aws::AwsResult<aws::Session*> {
    if (session) return session.get();
    auto created = aws::Session::Create(SessionDepsOf(ctx, *http), "");
    if (!created) return created.error();
    session = std::move(*created);
    return session.get();
  };
  const auto host_options_aws = host_options.aws;
  host = std::make_unique<node::LinuxHost>(std::move(host_options));

  node::BootstrapOptions bootstrap;
  bootstrap.settings_path = options.settings;
  bootstrap.cfn_stack = options.cfn_stack;
  bootstrap.cfn_resource = options.cfn_resource;
  bootstrap.asg = options.asg;
  bootstrap.lifecycle_hook = options.lifecycle_hook;
  bootstrap.data_volume = options.data_volume;
  bootstrap.data_device = options.data_device;
  if (!options.release_url.empty()) bootstrap.release_base_url = options.release_url;
  bootstrap.identity_url = options.identity_url;
  node::BootstrapHooks hooks;
  if (options.dry_run) {
    // Nothing is read or stored: the files show where the secrets go.
    hooks.secrets = [&log](const config::Config&, node::NodeSecrets* secrets,
                           node::PublicIdentity* identity, std::string*) {
      log("dry run: the secrets would be read from AWS Secrets Manager");
      *secrets = node::PlaceholderSecrets();
      *identity = {"<signer public key>", "<signer address>", "<miner address>"};
      return true;
    };
  } else {
    node::LinuxHost* linux_host = host.get();
    hooks.secrets = node::SecretsManagerHook(
        host_options_aws, {options.signer_secret, options.miner_secret, options.bitcoind_secret},
        [linux_host] { return linux_host->InstanceId(); }, log);
  }
  chainstate::NodeFetchOptions fetch;
  fetch.root = options.root;
  fetch.environment = ctx.environment;
  fetch.dry_run = options.dry_run;
  hooks.fetch_chainstate = chainstate::MakeBootstrapHook(std::move(fetch));
  const node::BootstrapResult result = node::RunBootstrap(*host, bootstrap, hooks, log);
  if (!result.ok) {
    *ctx.err << "node bootstrap failed at step " << result.failed_step << ": " << result.error
             << "\n";
    return kExitFailure;
  }
  log("node bootstrap: done");
  return kExitOk;
}

}  // namespace sr::cli
