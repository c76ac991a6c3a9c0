#include "cli/cli.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <regex>

#include "cli/agent_command.h"
#include "cli/aws_commands.h"
#include "cli/chainstate_command.h"
#include "cli/cost_command.h"
#include "cli/exit_codes.h"
#include "cli/keys_commands.h"
#include "cli/nag.h"
#include "cli/node_commands.h"
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

constexpr char kRoleArnHelp[] =
    "IAM role CloudFormation assumes to create, update and delete the resources (as cdk deploy "
    "--role-arn); the caller then needs only the deploy permissions of docs/aws.md";

// CLI11 validators return an empty string when the value is accepted.
std::string ValidateRoleArn(std::string& value) {
  static const std::regex arn(R"(arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512})");
  if (std::regex_match(value, arn)) return "";
  return "\"" + value + "\" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)";
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
  synth_cmd->add_flag(kAllowNagErrorsFlag, synth.allow_nag_errors,
                      "Exit 0 despite unsuppressed security check errors "
                      "(docs/security-checks.md)");

  CostOptions cost_options;
  CLI::App* cost_cmd = app.add_subcommand(
      "cost", "Estimate what the stacks cost a month, on demand, itemized (no AWS account)");
  cost_cmd->add_option("--env", cost_options.env_file,
                       "Configuration file (dotenv); default ./.env when present");
  cost_cmd->add_option("stacks", cost_options.stacks,
                       "Stacks to estimate (default: all that apply to the role)");

  DeployOptions deploy;
  CLI::App* deploy_cmd = app.add_subcommand(
      "deploy", "Synthesize and deploy stacks through CloudFormation change sets");
  deploy_cmd->add_option("stacks", deploy.stacks,
                         "Stacks to deploy: stacks-common, stacks-single-node, stacks-ha-nodes");
  deploy_cmd->add_option("--env", deploy.env_file, "Configuration file (dotenv)");
  deploy_cmd->add_option("--out", deploy.out_dir, "Where the synthesized assembly is written")
      ->capture_default_str();
  deploy_cmd->add_option("--outputs-file", deploy.outputs_file,
                         "Write the stacks' outputs to this JSON file, as cdk deploy does");
  deploy_cmd
      ->add_option("--require-approval", deploy.require_approval,
                   "never, or broadening: ask before IAM or security group widening")
      ->capture_default_str();
  deploy_cmd->add_flag("--exclusively", deploy.exclusively,
                       "Do not deploy stacks-common first when a node stack needs it");
  deploy_cmd->add_option("--role-arn", deploy.role_arn, kRoleArnHelp)
      ->check(CLI::Validator(ValidateRoleArn, "IAM_ROLE_ARN"));
  deploy_cmd->add_flag(kAllowNagErrorsFlag, deploy.allow_nag_errors,
                       "Deploy despite unsuppressed security check errors");
  deploy_cmd->add_flag("--refresh-ami", deploy.refresh_ami,
                       "Use the newest Amazon Linux 2023 AMI (replaces the instances)");

  DiffOptions diff;
  CLI::App* diff_cmd =
      app.add_subcommand("diff", "Compare a stack's local template with the deployed one");
  diff_cmd->add_option("stack", diff.stack, "The stack")->required();
  diff_cmd->add_option("--env", diff.env_file, "Configuration file (dotenv)");

  DestroyOptions destroy;
  CLI::App* destroy_cmd = app.add_subcommand("destroy", "Delete stacks");
  destroy_cmd->add_option("stacks", destroy.stacks, "Stacks to delete");
  destroy_cmd->add_option("--env", destroy.env_file, "Configuration file (dotenv)");
  destroy_cmd->add_flag("--force", destroy.force, "Do not ask");
  destroy_cmd->add_option("--role-arn", destroy.role_arn, kRoleArnHelp)
      ->check(CLI::Validator(ValidateRoleArn, "IAM_ROLE_ARN"));

  StatusOptions status;
  CLI::App* status_cmd =
      app.add_subcommand("status", "Show the stacks, their outputs and their instances");
  status_cmd->add_option("stacks", status.stacks, "Stacks to show (default: all of the role)");
  status_cmd->add_option("--env", status.env_file, "Configuration file (dotenv)");

  for (CLI::App* aws_cmd : {deploy_cmd, diff_cmd, destroy_cmd, status_cmd}) {
    aws_cmd->add_option("--profile", ctx.aws_profile,
                        "AWS shared config profile (over AWS_PROFILE and AWS_ACCESS_KEY_ID)");
  }

  CLI::App* node_cmd = app.add_subcommand("node", "Commands that run on a node instance");
  node_cmd->require_subcommand(1);
  NodeRenderOptions render;
  CLI::App* render_cmd = node_cmd->add_subcommand(
      "render", "Write every file bootstrap would install, under a directory, for review");
  render_cmd->add_option("--env", render.env_file, "Configuration file (dotenv)");
  render_cmd->add_option("--out", render.out_dir, "Output directory")->required();
  render_cmd->add_option("--deployment", render.deployment, "Stack name, for the log groups")
      ->capture_default_str();

  NodeBootstrapOptions bootstrap;
  CLI::App* bootstrap_cmd =
      node_cmd->add_subcommand("bootstrap", "Bring this instance up as a Stacks node");
  bootstrap_cmd->add_option("--settings", bootstrap.settings, "The node settings file")
      ->capture_default_str();
  bootstrap_cmd->add_option("--cfn-stack", bootstrap.cfn_stack, "Single node: the stack to signal");
  bootstrap_cmd->add_option("--cfn-resource", bootstrap.cfn_resource,
                            "Single node: the resource to signal");
  bootstrap_cmd->add_option("--asg", bootstrap.asg, "HA: the Auto Scaling group");
  bootstrap_cmd->add_option("--lifecycle-hook", bootstrap.lifecycle_hook,
                            "HA: the launch lifecycle hook");
  bootstrap_cmd->add_option("--data-volume", bootstrap.data_volume,
                            "The data volume: its EBS volume id, or instance-store");
  bootstrap_cmd->add_option("--data-device", bootstrap.data_device,
                            "The data volume's device name in the block device mapping");
  bootstrap_cmd->add_option("--root", bootstrap.root, "Install under this directory (tests)")
      ->capture_default_str();
  bootstrap_cmd->add_flag("--dry-run", bootstrap.dry_run,
                          "Change nothing outside --root: log commands instead of running them");
  bootstrap_cmd->add_option("--release-url", bootstrap.release_url,
                            "Where stacks-core releases are (default: GitHub)");
  bootstrap_cmd->add_option("--signer-secret", bootstrap.signer_secret,
                            "The signer secret's ARN (default: the settings')");
  bootstrap_cmd->add_option("--miner-secret", bootstrap.miner_secret,
                            "The miner secret's ARN (default: the settings')");
  bootstrap_cmd->add_option("--bitcoind-secret", bootstrap.bitcoind_secret,
                            "The bitcoind secret's ARN (default: the settings')");
  bootstrap_cmd->add_option("--identity-url", bootstrap.identity_url,
                            "A wait condition handle URL that receives the signer's and "
                            "miner's public identity");

  NodeFetchChainstateOptions fetch_chainstate;
  CLI::App* fetch_chainstate_cmd = node_cmd->add_subcommand(
      "fetch-chainstate", "Restore the chainstate from its archive: download, verify, extract");
  fetch_chainstate_cmd
      ->add_option("--settings", fetch_chainstate.settings, "The node settings file")
      ->capture_default_str();
  fetch_chainstate_cmd
      ->add_option("--root", fetch_chainstate.root, "Work under this directory (tests)")
      ->capture_default_str();
  fetch_chainstate_cmd->add_option("--url", fetch_chainstate.url,
                                   "The archive to try first (its .sha256 beside it)");
  fetch_chainstate_cmd
      ->add_option("--connections", fetch_chainstate.connections,
                   "Parallel range requests (default 8)")
      ->check(CLI::Range(1, 64));
  fetch_chainstate_cmd->add_flag("--no-sync", fetch_chainstate.no_sync,
                                 "Do not sync the filesystem before the ready marker (benchmarks)");

  KeysCommands keys(app);

  NodeAgentOptions agent;
  CLI::App* agent_cmd = node_cmd->add_subcommand(
      "agent", "Observe this node: /health, /status and /metrics, CloudWatch, the launch hook");
  agent_cmd->add_option("--settings", agent.settings, "The node settings file")
      ->capture_default_str();
  agent_cmd->add_option("--listen", agent.listen, "Where to serve /health, /status, /metrics")
      ->capture_default_str();
  agent_cmd->add_option("--asg", agent.asg, "HA: the Auto Scaling group");
  agent_cmd->add_option("--lifecycle-hook", agent.lifecycle_hook,
                        "HA: the launch lifecycle hook to complete once the node is synced");
  agent_cmd->add_option("--instance-id", agent.instance_id,
                        "This instance's id (default: from instance metadata)");
  agent_cmd->add_option("--node-url", agent.node_url,
                        "The node's RPC (default: http://127.0.0.1:STACKS_RPC_PORT)");
  agent_cmd->add_option("--signer-url", agent.signer_url,
                        "Signers: the signer's metrics endpoint (default: http://127.0.0.1:30001)");
  agent_cmd->add_option("--reference", agent.reference,
                        "A node to compare with, or off (default: STACKS_REFERENCE_NODE)");
  agent_cmd->add_option("--bitcoin-rpc-url", agent.bitcoin_rpc_url,
                        "bitcoind's RPC (default: BITCOIN_PEER_HOST:BITCOIN_RPC_PORT)");
  agent_cmd->add_option("--bitcoin-rpc-password-file", agent.bitcoin_password_file,
                        "A file holding the bitcoind RPC password");
  agent_cmd->add_option("--data-path", agent.data_path, "The data volume's mount point")
      ->capture_default_str();
  agent_cmd->add_option("--interval", agent.interval_sec,
                        "Seconds between observations (default: STACKS_AGENT_INTERVAL_SEC)");
  agent_cmd
      ->add_option("--publish-interval", agent.publish_interval_sec,
                   "Seconds between PutMetricData batches")
      ->capture_default_str();
  agent_cmd->add_option("--request-timeout", agent.request_timeout_sec,
                        "Seconds each request to the node may take (default: interval/5, <= 5)");
  agent_cmd->add_option("--stall-seconds", agent.stall_sec,
                        "Seconds without progress that make a node stalled (default: "
                        "STACKS_STALL_MIN)");
  agent_cmd->add_option("--max-sync-seconds", agent.max_sync_sec,
                        "HA: seconds before an unsynced launch is abandoned (default: "
                        "STACKS_HA_MAX_SYNC_MIN)");
  agent_cmd
      ->add_option("--max-sync-from", agent.max_sync_from,
                   "Count the maximum sync time from the instance's boot, or the agent's "
                   "start")
      ->capture_default_str();
  agent_cmd->add_option("--lifecycle-heartbeat-timeout", agent.lifecycle_heartbeat_timeout_sec,
                        "HA: the hook's heartbeat timeout in seconds (default: "
                        "STACKS_HA_NODES_HEARTBEAT_DELAY_MIN)");
  agent_cmd
      ->add_option("--buffer", agent.buffer_capacity, "Datums kept while CloudWatch is unreachable")
      ->capture_default_str();
  agent_cmd->add_flag("--no-cloudwatch", agent.no_cloudwatch, "Do not publish to CloudWatch");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e, *ctx.out, *ctx.err);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e, *ctx.out, *ctx.err);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e, *ctx.out, *ctx.err);
  } catch (const CLI::ParseError& e) {
    *ctx.err << "stacks-runner: " << e.what() << "\n"
             << "Run 'stacks-runner --help' for the commands and their options.\n";
    return kExitInvalidInput;
  }

  if (synth_cmd->parsed()) return RunSynth(ctx, synth);
  if (cost_cmd->parsed()) return RunCost(ctx, cost_options);
  if (keys.parsed()) return keys.Run(ctx);
  if (deploy_cmd->parsed()) return RunDeploy(ctx, deploy);
  if (diff_cmd->parsed()) return RunDiff(ctx, diff);
  if (destroy_cmd->parsed()) return RunDestroy(ctx, destroy);
  if (status_cmd->parsed()) return RunStatus(ctx, status);
  if (render_cmd->parsed()) return RunNodeRender(ctx, render);
  if (bootstrap_cmd->parsed()) return RunNodeBootstrap(ctx, bootstrap);
  if (agent_cmd->parsed()) return RunNodeAgent(ctx, agent);
  if (fetch_chainstate_cmd->parsed()) return RunNodeFetchChainstate(ctx, fetch_chainstate);
  return kExitInvalidInput;
}

}  // namespace sr::cli
