#include "templates/synth.h"

#include <algorithm>

#include "templates/common_stack.h"
#include "templates/node_settings.h"
#include "templates/node_stacks.h"
#include "util/sha256.h"

namespace sr::templates {
namespace {

constexpr char kSettingsAssetId[] = "node-settings";
constexpr char kSettingsFile[] = "assets/node-settings.env";

std::string Dump(const Json& json) { return json.dump(1) + "\n"; }

// How deploy fills each parameter of a node stack.
Json ParameterSources(const config::Config& config, StackKind kind) {
  const auto& placement = config.placement;
  Json p = Json::object();
  p[params::kVpcId] = placement.vpc_id.empty() ? Json{{"source", "default-vpc"}}
                                               : Json{{"value", placement.vpc_id}};
  if (placement.rpc_allowed_cidrs.empty()) p[params::kVpcCidr] = Json{{"source", "vpc-cidr"}};
  if (kind == StackKind::kSingleNode) {
    p[params::kSubnetId] = placement.subnet_ids.empty()
                               ? Json{{"source", "vpc-public-subnet"}}
                               : Json{{"value", placement.subnet_ids.front()}};
    p[params::kAvailabilityZone] = Json{{"source", "subnet-availability-zone"}};
  } else {
    p[params::kSubnetIds] = placement.subnet_ids.empty()
                                ? Json{{"source", "vpc-public-subnets-one-per-zone"}}
                                : Json{{"value", placement.subnet_ids}};
  }
  p[params::kImageId] =
      Json{{"source", "ssm-parameter"}, {"name", AmiSsmParameter(config.arch)}, {"pin", true}};
  const std::string binary = NodeBinaryAssetId(config.arch);
  p[params::kNodeBinaryKey] = Json{{"source", "asset"}, {"asset", binary}, {"field", "key"}};
  p[params::kNodeBinarySha256] = Json{{"source", "asset"}, {"asset", binary}, {"field", "sha256"}};
  return p;
}

}  // namespace

std::string NodeBinaryAssetId(config::CpuArch arch) {
  return "node-binary-" + std::string(config::CpuArchName(arch));
}

std::string NodeBinaryFileName(config::CpuArch arch) {
  return "stacks-runner-linux-" + std::string(config::CpuArchName(arch));
}

std::string NodeBinaryKey(config::CpuArch arch, const std::string& sha256) {
  return "bin/" + sha256 + "/" + NodeBinaryFileName(arch);
}

StackSelection SelectStacks(const config::Config& config, const std::vector<std::string>& names) {
  StackSelection selection;
  const bool single_only = config.role != config::Role::kFollower;
  if (names.empty()) {
    selection.stacks = {StackKind::kCommon, StackKind::kSingleNode};
    if (!single_only) selection.stacks.push_back(StackKind::kHaNodes);
    return selection;
  }
  for (const std::string& name : names) {
    auto kind = ParseStackKind(name, config.role);
    if (!kind) {
      std::string accepted;
      for (StackKind k : AllStackKinds()) {
        accepted += (accepted.empty() ? "" : ", ") + IdentityOf(k, config.role).id;
      }
      selection.error = "unknown stack '" + name + "'; accepted: " + accepted;
      return selection;
    }
    if (*kind == StackKind::kHaNodes && single_only) {
      selection.error =
          std::string("stacks-ha-nodes cannot run a ") +
          std::string(config::RoleName(config.role)) +
          (config.role == config::Role::kSigner
               ? ": exactly one signer may run per signer key, and nodes of an HA group would "
                 "sign at once; deploy stacks-single-node"
               : ": a miner spends from its own bitcoind wallet and several would compete; "
                 "deploy stacks-single-node");
      return selection;
    }
    if (std::find(selection.stacks.begin(), selection.stacks.end(), *kind) ==
        selection.stacks.end()) {
      selection.stacks.push_back(*kind);
    }
  }
  return selection;
}

SynthResult Synthesize(const config::Config& config, const std::vector<StackKind>& stacks,
                       const NodeBinary& node_binary) {
  SynthResult result;
  const NodeSettingsAsset settings = RenderNodeSettings(config);
  bool needs_node_assets = false;

  Json manifest_stacks = Json::object();
  for (StackKind kind : stacks) {
    const StackIdentity identity = IdentityOf(kind, config.role);
    Template t = kind == StackKind::kCommon       ? BuildCommonStack(config)
                 : kind == StackKind::kSingleNode ? BuildSingleNodeStack(config, settings)
                                                  : BuildHaNodesStack(config, settings);
    const std::string body = Dump(t.ToJson());

    StackSummary summary;
    summary.identity = identity;
    summary.resources = t.ResourceCount();
    summary.template_bytes = body.size();
    Json entry = Json::object();
    entry["stackName"] = identity.stack_name;
    entry["template"] = identity.template_file;
    entry["templateSha256"] = util::Sha256Hex(body);
    entry["templateBytes"] = body.size();
    if (kind == StackKind::kCommon) {
      entry["dependsOn"] = Json::array();
      entry["parameters"] = Json::object();
      entry["assets"] = Json::array();
    } else {
      needs_node_assets = true;
      const std::string common = IdentityOf(StackKind::kCommon, config.role).id;
      summary.depends_on = {common};
      entry["dependsOn"] = Json::array({common});
      entry["parameters"] = ParameterSources(config, kind);
      for (const auto& [name, source] : entry["parameters"].items()) {
        summary.deploy_parameters.push_back(name);
      }
      entry["assets"] = Json::array({NodeBinaryAssetId(config.arch), kSettingsAssetId});
    }
    manifest_stacks[identity.id] = std::move(entry);
    result.files.push_back({identity.template_file, body});
    result.stacks.push_back(std::move(summary));
  }

  Json assets = Json::object();
  if (needs_node_assets) {
    assets[NodeBinaryAssetId(config.arch)] =
        Json{{"kind", "node-binary"},
             {"arch", config::CpuArchName(config.arch)},
             {"source", node_binary.path},
             {"built", node_binary.sha256.has_value()},
             {"sha256", node_binary.sha256 ? Json(*node_binary.sha256) : Json()},
             {"key",
              node_binary.sha256 ? Json(NodeBinaryKey(config.arch, *node_binary.sha256)) : Json()},
             {"bucketExport", kExportAssetsBucket}};
    assets[kSettingsAssetId] =
        Json{{"kind", "node-settings"}, {"file", kSettingsFile},
             {"built", true},           {"sha256", settings.sha256},
             {"key", settings.key},     {"bucketExport", kExportAssetsBucket}};
    result.files.push_back({kSettingsFile, settings.content});
  }

  Json manifest = Json::object();
  manifest["version"] = 1;
  manifest["generator"] = std::string("stacks-runner ") + STACKS_RUNNER_VERSION;
  manifest["network"] = config.network->name;
  manifest["role"] = config::RoleName(config.role);
  if (!config.region.empty()) manifest["region"] = config.region;
  if (!config.account_id.empty()) manifest["account"] = config.account_id;
  manifest["stacks"] = std::move(manifest_stacks);
  manifest["assets"] = std::move(assets);
  result.files.push_back({"manifest.json", Dump(manifest)});
  result.manifest = std::move(manifest);
  return result;
}

}  // namespace sr::templates
