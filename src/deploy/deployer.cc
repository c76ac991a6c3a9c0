#include "deploy/deployer.h"

#include <algorithm>

#include "aws/sts.h"
#include "deploy/parameters.h"
#include "deploy/progress.h"
#include "deploy/secret_guard.h"
#include "templates/names.h"
#include "util/sha256.h"

namespace sr::deploy {
namespace {

using templates::StackKind;

aws::AwsError Problem(std::string code, std::string message) {
  return aws::MakeError(aws::AwsError::Kind::kConfig, std::move(code), std::move(message));
}

const std::string* FileContent(const templates::SynthResult& assembly, const std::string& path) {
  for (const auto& f : assembly.files) {
    if (f.path == path) return &f.content;
  }
  return nullptr;
}

std::string OutputValue(const aws::Stack& stack, const std::string& key) {
  for (const auto& o : stack.outputs) {
    if (o.key == key) return o.value;
  }
  return "";
}

// Puts an object unless one with this content-addressed key is there already.
aws::AwsResult<bool> UploadOnce(aws::S3Api& s3, const std::string& bucket, const std::string& key,
                                const std::string& body, const std::string& content_type) {
  auto exists = s3.ObjectExists(bucket, key);
  if (!exists) return exists.error();
  if (*exists) return false;
  auto put = s3.PutObject(bucket, key, body, content_type);
  if (!put) return put.error();
  return true;
}

class Deployer {
 public:
  Deployer(const DeployRequest& request, AwsServices& aws, util::FileSystem& fs, const Ui& ui,
           const Timing& timing)
      : r_(request), aws_(aws), fs_(fs), ui_(ui), timing_(timing) {}

  aws::AwsResult<std::map<std::string, std::map<std::string, std::string>>> Run() {
    if (auto checked = CheckIdentity(); !checked) return checked.error();
    std::vector<StackKind> order = r_.stacks;
    std::stable_sort(order.begin(), order.end(), [](StackKind a, StackKind b) {
      return a == StackKind::kCommon && b != StackKind::kCommon;
    });
    const bool wants_nodes = std::any_of(order.begin(), order.end(),
                                         [](StackKind k) { return k != StackKind::kCommon; });
    if (wants_nodes && order.front() != StackKind::kCommon) {
      auto common = aws_.cloudformation->DescribeStack(Identity(StackKind::kCommon).stack_name);
      if (!common) return common.error();
      const bool usable = *common && IsSuccessStatus(RepairStatus((*common)->status));
      if (!usable) {
        if (r_.exclusively || *common) {
          return Problem("CommonStackMissing",
                         "the node stacks import from stacks-common (CloudFormation stack " +
                             Identity(StackKind::kCommon).stack_name + "), which is " +
                             (*common ? "in " + (*common)->status : std::string("not deployed")) +
                             " in " + aws_.session->region() +
                             ": deploy it first with `stacks-runner deploy "
                             "stacks-common`" +
                             (*common ? " (after destroying the failed one)" : ""));
        }
        *ui_.err << "stacks-common is not deployed in " << aws_.session->region()
                 << "; deploying it first.\n";
        order.insert(order.begin(), StackKind::kCommon);
      } else {
        common_ = **common;
      }
    }
    for (StackKind kind : order) {
      auto deployed = DeployOne(kind);
      if (!deployed) {
        WriteOutputs();
        return deployed.error();
      }
    }
    if (auto written = WriteOutputs(); !written) return written.error();
    return outputs_;
  }

 private:
  // A stack that finished an update keeps its outputs: treat UPDATE_* endings like success.
  static std::string RepairStatus(const std::string& status) {
    if (status == "UPDATE_ROLLBACK_COMPLETE") return "UPDATE_COMPLETE";
    return status;
  }

  templates::StackIdentity Identity(StackKind kind) const {
    return templates::IdentityOf(kind, r_.config->role);
  }

  aws::AwsResult<aws::Unit> CheckIdentity() {
    auto identity = aws::GetCallerIdentity(*aws_.sts);
    if (!identity) return identity.error();
    *ui_.err << "Deploying as " << identity->arn << " in " << aws_.session->region() << " ("
             << aws_.session->region_source() << ")\n";
    if (!r_.config->account_id.empty() && identity->account != r_.config->account_id) {
      return Problem("WrongAccount", "the credentials are for account " + identity->account +
                                         " but AWS_ACCOUNT_ID is " + r_.config->account_id +
                                         ": use credentials of that account, or change "
                                         "AWS_ACCOUNT_ID");
    }
    return aws::Unit{};
  }

  aws::AwsResult<std::map<std::string, UploadedAsset>> UploadAssets(const nlohmann::json& stack) {
    std::map<std::string, UploadedAsset> uploaded;
    const std::string bucket = OutputValue(common_, "AssetsBucketName");
    if (bucket.empty()) {
      return Problem("NoAssetsBucket",
                     "stacks-common has no AssetsBucketName output: redeploy "
                     "it with this version of stacks-runner");
    }
    const auto& assets = r_.assembly->manifest["assets"];
    for (const auto& id_json : stack["assets"]) {
      const std::string id = id_json;
      const auto& asset = assets[id];
      std::string body;
      std::string sha256 = asset["sha256"].is_string() ? asset["sha256"].get<std::string>() : "";
      if (asset["kind"] == "node-binary") {
        if (!r_.node_binary->sha256) {
          return Problem("NodeBinaryMissing", "the node runtime for " + std::string(asset["arch"]) +
                                                  " is not built (" + r_.node_binary->path +
                                                  "): run `make dist`, then deploy again");
        }
        std::string error;
        auto bytes = fs_.ReadFile(r_.node_binary->path, &error);
        if (!bytes) return Problem("NodeBinaryUnreadable", error);
        body = std::move(*bytes);
        if (util::Sha256Hex(body) != sha256) {
          return Problem("NodeBinaryChanged",
                         r_.node_binary->path + " changed after synthesis; run deploy again");
        }
      } else {
        const std::string* content = FileContent(*r_.assembly, asset["file"]);
        if (content == nullptr) return Problem("AssetMissing", "asset " + id + " has no content");
        body = *content;
      }
      const std::string key = asset["key"];
      auto put = UploadOnce(*aws_.s3, bucket, key, body, "application/octet-stream");
      if (!put) return put.error();
      *ui_.err << "  asset " << id << ": s3://" << bucket << "/" << key
               << (*put ? " (uploaded)" : " (already there)") << "\n";
      uploaded[id] = {key, sha256};
    }
    return uploaded;
  }

  aws::AwsResult<aws::Unit> DeployOne(StackKind kind) {
    const templates::StackIdentity identity = Identity(kind);
    const auto& entry = r_.assembly->manifest["stacks"][identity.id];
    const std::string* body = FileContent(*r_.assembly, identity.template_file);
    auto existing = aws_.cloudformation->DescribeStack(identity.stack_name);
    if (!existing) return existing.error();
    if (*existing && (*existing)->tags.count(kManagedByTag) == 0) {
      return Problem("ForeignStack",
                     "stack " + identity.stack_name +
                         " exists but was not deployed by "
                         "stacks-runner (it has no " +
                         std::string(kManagedByTag) +
                         " tag; the Node "
                         "Runner blueprint used the same stack names). Deploying over it would "
                         "replace its resources, its data volume included: delete it first, or "
                         "deploy in another region or account");
    }

    StackDeployment d;
    d.stack_name = identity.stack_name;
    d.template_body = *body;
    d.tags = StackTags(*r_.config);
    d.existing = *existing ? &**existing : nullptr;
    d.approval = r_.approval;
    d.role_arn = r_.role_arn;

    if (kind != StackKind::kCommon) {
      auto assets = UploadAssets(entry);
      if (!assets) return assets.error();
      ParameterInputs inputs;
      nlohmann::json sources = nlohmann::json::parse(entry["parameters"].dump());
      inputs.sources = &sources;
      inputs.existing = d.existing;
      inputs.assets = *assets;
      inputs.refresh_ami = r_.refresh_ami;
      auto parameters = ResolveParameters(inputs, *aws_.ec2, *aws_.ssm);
      if (!parameters) return parameters.error();
      for (const auto& note : parameters->notes) *ui_.err << "  " << note << "\n";
      d.parameters = parameters->parameters;
    }
    if (body->size() > r_.inline_template_limit) {
      const std::string bucket = OutputValue(common_, "AssetsBucketName");
      if (bucket.empty()) {
        return Problem("TemplateTooLarge", identity.template_file + " is " +
                                               std::to_string(body->size()) +
                                               " bytes, over CloudFormation's inline limit, and "
                                               "there is no assets bucket to pass it through");
      }
      const std::string key = "templates/" + util::Sha256Hex(*body) + ".json";
      auto put = UploadOnce(*aws_.s3, bucket, key, *body, "application/json");
      if (!put) return put.error();
      d.template_url = aws_.s3->ObjectUrl(bucket, key);
    }

    nlohmann::json deployed_template;
    if (d.existing != nullptr && d.existing->status != "REVIEW_IN_PROGRESS") {
      auto deployed = aws_.cloudformation->GetTemplate(identity.stack_name);
      if (!deployed) return deployed.error();
      deployed_template = nlohmann::json::parse(*deployed, nullptr, false);
      if (auto problem = SecretSwitchProblem(deployed_template, d.existing->outputs,
                                             nlohmann::json::parse(*body, nullptr, false))) {
        return Problem("KeySecretWouldChange", identity.stack_name + ": " + *problem);
      }
    }
    auto outcome = DeployStack(*aws_.cloudformation, d, deployed_template, ui_, timing_);
    if (!outcome) return outcome.error();
    if (kind == StackKind::kCommon) common_ = outcome->stack;
    auto& outputs = outputs_[identity.stack_name];
    for (const auto& o : outcome->stack.outputs) outputs[o.key] = o.value;
    return aws::Unit{};
  }

  aws::AwsResult<aws::Unit> WriteOutputs() {
    if (r_.outputs_file.empty()) return aws::Unit{};
    nlohmann::ordered_json json = nlohmann::ordered_json::object();
    for (const auto& [stack, outputs] : outputs_) {
      json[stack] = nlohmann::ordered_json::object();
      for (const auto& [key, value] : outputs) json[stack][key] = value;
    }
    std::string error;
    if (!fs_.WriteFile(r_.outputs_file, json.dump(2) + "\n", &error)) {
      return Problem("OutputsFile", error);
    }
    return aws::Unit{};
  }

  const DeployRequest& r_;
  AwsServices& aws_;
  util::FileSystem& fs_;
  const Ui& ui_;
  const Timing& timing_;
  aws::Stack common_;
  std::map<std::string, std::map<std::string, std::string>> outputs_;
};

}  // namespace

std::map<std::string, std::string> StackTags(const config::Config& config) {
  return {{std::string(templates::kProjectTagKey), std::string(templates::kProjectTagValue)},
          {kManagedByTag, kManagedByValue},
          {"StacksNetwork", std::string(config.network->name)},
          {"StacksRole", std::string(config::RoleName(config.role))}};
}

aws::AwsResult<std::map<std::string, std::map<std::string, std::string>>> Deploy(
    const DeployRequest& request, AwsServices& aws, util::FileSystem& fs, const Ui& ui,
    const Timing& timing) {
  return Deployer(request, aws, fs, ui, timing).Run();
}

}  // namespace sr::deploy
