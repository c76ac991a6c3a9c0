#include "node/bootstrap.h"

#include "config/load.h"
#include "node/data_volume.h"
#include "node/layout.h"
#include "node/render.h"
#include "node/system_files.h"

namespace sr::node {
namespace {

constexpr char kCloudWatchAgentCtl[] =
    "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl";

// One step's work: returns false with `error` set; sets `changed` when it altered the machine.
struct StepContext {
  NodeHost& host;
  const BootstrapOptions& options;
  const BootstrapHooks& hooks;
  const Log& log;
  std::optional<config::Config> config;
  bool configs_changed = false;
  PublicIdentity identity;  // from the secrets, for the identity signals
};

using StepFunction =
    std::function<bool(StepContext&, bool* changed, std::string* detail, std::string* error)>;

bool RunCommand(NodeHost& host, const std::vector<std::string>& argv, std::chrono::seconds timeout,
                std::string* error) {
  const CommandResult r = host.Run(argv, timeout);
  if (r.exit_code == 0) return true;
  std::string command;
  for (const auto& a : argv) command += (command.empty() ? "" : " ") + a;
  std::string output =
      r.output.size() > 2000 ? "..." + r.output.substr(r.output.size() - 2000) : r.output;
  while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
  *error = command + " exited with status " + std::to_string(r.exit_code) +
           (output.empty() ? "" : ": " + output);
  return false;
}

bool StepSettings(StepContext& s, bool*, std::string* detail, std::string* error) {
  auto text = s.host.ReadFile(s.options.settings_path);
  if (!text) {
    *error = "cannot read the node settings " + s.options.settings_path;
    return false;
  }
  config::LoadResult loaded = config::LoadConfig({s.options.settings_path, *text, {}});
  for (const auto& d : loaded.diagnostics) s.log(config::FormatDiagnostic(d));
  if (!loaded.config) {
    *error = "the node settings are invalid (see the lines above)";
    return false;
  }
  s.config = std::move(loaded.config);
  *detail = std::string(s.config->network->name) + " " +
            std::string(config::RoleName(s.config->role)) + ", stacks-core " +
            s.config->stacks_version;
  return true;
}

bool StepUsers(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  std::vector<std::string> users = {paths::kNodeUser, paths::kAgentUser};
  if (HasSigner(*s.config)) users.emplace_back(paths::kSignerUser);
  for (const auto& user : users) {
    if (s.host.UserExists(user)) continue;
    if (auto r = s.host.CreateSystemUser(user); !r) {
      *error = r.error;
      return false;
    }
    *changed = true;
    *detail += (detail->empty() ? "created " : ", ") + user;
  }
  return true;
}

bool StepDataVolume(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  DataVolumeRequest request;
  if (!ParseDataVolume(s.options.data_volume, s.options.data_device, &request, error)) return false;
  request.wait = s.options.device_wait;
  if (!PrepareDataVolume(s.host, request, changed, error, s.log)) return false;
  // Directories on the data volume, owned by the service that writes them.
  struct Dir {
    const char* path;
    int mode;
    const char* owner;
  };
  std::vector<Dir> dirs = {{paths::kNodeWorkingDir, 0750, paths::kNodeUser}};
  if (HasSigner(*s.config)) dirs.push_back({paths::kSignerDir, 0700, paths::kSignerUser});
  for (const auto& d : dirs) {
    if (auto r = s.host.MakeDirectory(d.path, d.mode, d.owner, d.owner); !r) {
      *error = r.error;
      return false;
    }
  }
  for (const char* dir : {paths::kLogDir, paths::kRunnerLogDir}) {
    if (auto r = s.host.MakeDirectory(dir, 0755, "root", "root"); !r) {
      *error = r.error;
      return false;
    }
  }
  *detail = "mounted at " + std::string(paths::kDataMount);
  return true;
}

bool StepRelease(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  ReleaseRequest request;
  request.version = s.config->stacks_version;
  request.base_url = s.options.release_base_url;
  request.with_signer = HasSigner(*s.config);
  InstalledRelease installed;
  if (!InstallRelease(s.host, request, &installed, error, s.log)) return false;
  *changed = installed.changed;
  *detail = "stacks-core " + installed.version + " in " + installed.directory;
  // A new release needs its services restarted, as new configurations do.
  s.configs_changed |= installed.changed;
  return true;
}

bool StepConfigs(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  RenderOptions options;
  options.deployment = !s.options.cfn_stack.empty() ? s.options.cfn_stack
                       : !s.options.asg.empty()     ? s.options.asg
                                                    : "stacks-node";
  options.asg = s.options.asg;
  options.lifecycle_hook = s.options.lifecycle_hook;
  options.secrets = NodeSecrets{};
  if (HasSigner(*s.config) || s.config->role == config::Role::kMiner) {
    if (!s.hooks.secrets || !s.hooks.secrets(*s.config, &options.secrets, &s.identity, error)) {
      if (error->empty()) *error = "the node's secrets are not available";
      return false;
    }
  }
  const Rendered rendered = RenderNodeFiles(*s.config, options);
  if (!rendered.problems.empty()) {
    *error = rendered.problems.front();
    return false;
  }
  int written = 0;
  for (const auto& f : rendered.files) {
    if (s.host.ReadFile(f.path) == f.content) continue;
    if (auto r = s.host.WriteFile(f.path, f.content, f.mode, f.owner, f.group); !r) {
      *error = r.error;
      return false;
    }
    ++written;
  }
  *changed = written > 0;
  s.configs_changed |= *changed;
  *detail =
      std::to_string(rendered.files.size()) + " files, " + std::to_string(written) + " written";
  return true;
}

// Publishes the signer's (and a miner's) address and public key to the stack, through the wait
// condition handle the user data names, so that the operator reads them in the stack outputs.
// A wait condition keeps the last signal of each id, so resending is harmless; it is skipped when
// the same values were sent before (the presigned URL expires, and reboots come later).
bool StepIdentity(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  if (s.options.identity_url.empty()) {
    *detail = "no wait condition to publish the identity to";
    return true;
  }
  const auto signals = IdentitySignals(*s.config, s.identity);
  if (signals.empty()) {
    *detail = "a " + std::string(config::RoleName(s.config->role)) + " has no identity to publish";
    return true;
  }
  const bool missing = s.identity.signer_address.empty() || s.identity.signer_public_key.empty() ||
                       (s.config->role == config::Role::kMiner && s.identity.miner_address.empty());
  if (missing) {
    *error = "the secrets step gave no public identity to publish";
    return false;
  }
  std::string record;
  for (const auto& [id, body] : signals) record += body + "\n";
  if (s.host.ReadFile(paths::kIdentitySignalled) == record) {
    *detail = "published earlier";
    return true;
  }
  // A failed signal never fails the boot: the node must run whatever happens to the stack's
  // output. The handle's URL expires (about a day after the stack was created), so a replaced
  // instance, or a new key, is refused; the output then keeps the identity published first. On
  // the stack's creation a signal that never arrives times the wait condition out, with the
  // reason in this log.
  std::string names;
  for (const auto& [id, body] : signals) {
    std::string problem;
    for (int attempt = 1; attempt <= 3; ++attempt) {
      const auto r = s.host.HttpPut(s.options.identity_url, body);
      // The URL is a credential while it is valid: messages never show it.
      if (!r.error.empty()) {
        problem = "cannot signal " + id + " to the stack's wait condition: " + r.error;
      } else if (r.status < 200 || r.status > 299) {
        problem = "the stack's wait condition refused the " + id + " signal: HTTP " +
                  std::to_string(r.status) +
                  (r.status == 403 ? " (the handle's URL expired?)" : "");
      } else {
        problem.clear();
        break;
      }
      const bool transient = !r.error.empty() || r.status >= 500;
      if (!transient || attempt == 3) break;
      s.host.Sleep(std::chrono::seconds(2 * attempt));
    }
    if (!problem.empty()) {
      s.log("identity: warning: " + problem);
      *detail = problem + "; the node starts anyway, and the stack output keeps what it had";
      return true;
    }
    names += (names.empty() ? "" : ", ") + id;
  }
  if (auto w = s.host.WriteFile(paths::kIdentitySignalled, record, 0644, "root", "root"); !w) {
    *error = w.error;
    return false;
  }
  *changed = true;
  *detail = names + " sent to the stack";
  return true;
}

bool StepCheckConfig(StepContext& s, bool*, std::string* detail, std::string* error) {
  if (!RunCommand(s.host, {paths::kNodeBinary, "check-config", "--config", paths::kNodeConfig},
                  std::chrono::seconds(180), error)) {
    return false;
  }
  if (HasSigner(*s.config) &&
      !RunCommand(s.host, {paths::kSignerBinary, "check-config", "-c", paths::kSignerConfig},
                  std::chrono::seconds(60), error)) {
    return false;
  }
  *detail = HasSigner(*s.config) ? "stacks-node and stacks-signer accept their configurations"
                                 : "stacks-node accepts its configuration";
  return true;
}

bool StepCloudWatchAgent(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  if (!s.host.Exists(kCloudWatchAgentCtl)) {
    if (!RunCommand(s.host, {"dnf", "install", "-y", "-q", "amazon-cloudwatch-agent"},
                    std::chrono::seconds(600), error)) {
      return false;
    }
    *changed = true;
  }
  if (!RunCommand(s.host,
                  {kCloudWatchAgentCtl, "-a", "fetch-config", "-m", "ec2", "-s", "-c",
                   std::string("file:") + paths::kCloudWatchAgentConfig},
                  std::chrono::seconds(120), error)) {
    return false;
  }
  *detail = "metrics to CWAgent, logs to /stacks-runner/";
  return true;
}

bool StepChainstate(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  if (!s.config->download_chainstate) {
    *detail = "not restored: the node syncs from genesis (STACKS_DOWNLOAD_CHAINSTATE=false)";
    return true;
  }
  if (s.host.Exists(paths::kChainstateReady)) {
    *detail = "restored and verified earlier";
    return true;
  }
  if (!s.hooks.fetch_chainstate) {
    *error = "no chainstate restore is available in this build";
    return false;
  }
  if (!s.hooks.fetch_chainstate(s.host, *s.config, error, s.log)) return false;
  *changed = true;
  *detail = "restored and verified";
  return true;
}

// The node agent starts before the chainstate restore, which can take hours: it reports the boot
// from its first moments and, in HA, keeps the launch lifecycle action open with heartbeats until
// the node is synced (or abandons it after STACKS_HA_MAX_SYNC_MIN).
bool StepAgent(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  const std::string unit = "stacks-runner-agent.service";
  if (!RunCommand(s.host, {"systemctl", "daemon-reload"}, std::chrono::seconds(60), error) ||
      !RunCommand(s.host, {"systemctl", "enable", unit}, std::chrono::seconds(60), error)) {
    return false;
  }
  const bool active =
      s.host.Run({"systemctl", "is-active", "--quiet", unit}, std::chrono::seconds(30)).exit_code ==
      0;
  if (!active || s.configs_changed) {
    if (!RunCommand(s.host, {"systemctl", active ? "restart" : "start", unit},
                    std::chrono::seconds(60), error)) {
      return false;
    }
    *changed = true;
  }
  *detail =
      s.options.asg.empty() ? "running" : "running: it heartbeats the launch hook until synced";
  return true;
}

bool StepServices(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  std::vector<std::string> units;
  if (HasSigner(*s.config)) units.emplace_back("stacks-signer.service");
  units.emplace_back("stacks-node.service");
  if (!RunCommand(s.host, {"systemctl", "daemon-reload"}, std::chrono::seconds(60), error)) {
    return false;
  }
  std::vector<std::string> enable = {"systemctl", "enable"};
  enable.insert(enable.end(), units.begin(), units.end());
  if (!RunCommand(s.host, enable, std::chrono::seconds(60), error)) return false;
  for (const auto& unit : units) {  // the signer first
    const bool active =
        s.host.Run({"systemctl", "is-active", "--quiet", unit}, std::chrono::seconds(30))
            .exit_code == 0;
    if (active && !s.configs_changed) continue;
    // A restart stops stacks-node cleanly first (SIGINT, up to 20 minutes).
    if (!RunCommand(s.host, {"systemctl", active ? "restart" : "start", unit},
                    std::chrono::seconds(1500), error)) {
      return false;
    }
    *changed = true;
  }
  // Up means still running a little later: a bad start exits within seconds.
  s.host.Sleep(std::chrono::seconds(10));
  units.emplace_back("stacks-runner-agent.service");  // started by the agent step
  for (const auto& unit : units) {
    if (s.host.Run({"systemctl", "is-active", "--quiet", unit}, std::chrono::seconds(30))
            .exit_code != 0) {
      const CommandResult status = s.host.Run(
          {"systemctl", "status", "--no-pager", "--lines", "20", unit}, std::chrono::seconds(30));
      *error = unit + " is not running: " + status.output;
      return false;
    }
  }
  *detail = "running: stacks-node" + std::string(HasSigner(*s.config) ? ", stacks-signer" : "") +
            ", stacks-runner-agent";
  return true;
}

bool StepSignal(StepContext& s, bool* changed, std::string* detail, std::string* error) {
  if (s.options.cfn_stack.empty()) {
    *detail = s.options.asg.empty() ? "no stack to signal"
                                    : "the agent completes the launch hook once the node is synced";
    return true;
  }
  const auto instance = s.host.InstanceId();
  if (!instance) {
    *error = "cannot read the instance id from instance metadata";
    return false;
  }
  if (auto r = s.host.SignalResource(s.options.cfn_stack, s.options.cfn_resource, *instance, true);
      !r) {
    *error = r.error;
    return false;
  }
  *changed = true;
  *detail = "SUCCESS sent to " + s.options.cfn_stack + "/" + s.options.cfn_resource;
  return true;
}

struct Step {
  const char* name;
  StepFunction run;
};

const std::vector<Step>& Steps() {
  static const std::vector<Step> steps = {
      {"settings", StepSettings},
      {"users", StepUsers},
      {"data-volume", StepDataVolume},
      {"stacks-release", StepRelease},
      {"configs", StepConfigs},
      {"identity", StepIdentity},
      {"check-config", StepCheckConfig},
      {"cloudwatch-agent", StepCloudWatchAgent},
      {"agent", StepAgent},
      {"chainstate", StepChainstate},
      {"services", StepServices},
      {"signal", StepSignal},
  };
  return steps;
}

// Tells whoever waits for this boot that it failed, and why (as far as the signal allows).
void ReportFailure(NodeHost& host, const BootstrapOptions& options, const std::string& step,
                   const Log& log) {
  const auto instance = host.InstanceId();
  if (!instance) {
    log("bootstrap: cannot report the failure: no instance id from instance metadata");
    return;
  }
  if (!options.cfn_stack.empty()) {
    // The unique id shows in the stack's events: the instance and the failing step.
    std::string unique_id = *instance + " failed at " + step;
    if (unique_id.size() > 64) unique_id.resize(64);
    auto r = host.SignalResource(options.cfn_stack, options.cfn_resource, unique_id, false);
    log(r ? "bootstrap: FAILURE signalled to " + options.cfn_stack
          : "bootstrap: could not signal FAILURE: " + r.error);
  } else if (!options.asg.empty()) {
    auto r = host.CompleteLifecycleAction(options.asg, options.lifecycle_hook, *instance, false);
    log(r ? "bootstrap: launch of " + *instance + " ABANDONed in " + options.asg
          : "bootstrap: could not abandon the launch: " + r.error);
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> IdentitySignals(const config::Config& config,
                                                                 const PublicIdentity& identity) {
  std::vector<std::pair<std::string, std::string>> items;
  if (HasSigner(config)) {
    items.emplace_back("signer-address", identity.signer_address);
    items.emplace_back("signer-public-key", identity.signer_public_key);
  }
  if (config.role == config::Role::kMiner) {
    items.emplace_back("miner-address", identity.miner_address);
  }
  std::vector<std::pair<std::string, std::string>> signals;
  for (const auto& [id, value] : items) {
    const nlohmann::ordered_json body = {
        {"Status", "SUCCESS"}, {"Reason", "public identity"}, {"UniqueId", id}, {"Data", value}};
    signals.emplace_back(id, body.dump());
  }
  return signals;
}

std::vector<std::string> BootstrapSteps() {
  std::vector<std::string> names;
  for (const auto& s : Steps()) names.emplace_back(s.name);
  return names;
}

BootstrapResult RunBootstrap(NodeHost& host, const BootstrapOptions& options,
                             const BootstrapHooks& hooks, const Log& log) {
  BootstrapResult result;
  StepContext ctx{host, options, hooks, log, std::nullopt, false, PublicIdentity{}};
  for (const auto& step : Steps()) {
    StepOutcome outcome;
    outcome.step = step.name;
    std::string error;
    outcome.ok = step.run(ctx, &outcome.changed, &outcome.detail, &error);
    if (!outcome.ok) {
      outcome.detail = error;
      log("bootstrap: step " + outcome.step + ": FAILED: " + error);
      result.steps.push_back(outcome);
      result.ok = false;
      result.failed_step = outcome.step;
      result.error = error;
      ReportFailure(host, options, outcome.step, log);
      return result;
    }
    log("bootstrap: step " + outcome.step + ": " + (outcome.changed ? "changed" : "ok") +
        (outcome.detail.empty() ? "" : " (" + outcome.detail + ")"));
    result.steps.push_back(outcome);
  }
  return result;
}

}  // namespace sr::node
