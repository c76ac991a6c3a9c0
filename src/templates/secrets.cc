#include "templates/secrets.h"

#include <algorithm>
#include <cctype>

#include "templates/iam.h"
#include "templates/nag_suppressions.h"
#include "templates/names.h"
#include "templates/tags.h"

namespace sr::templates {
namespace {

bool UsesSigner(config::Role role) { return role != config::Role::kFollower; }
bool UsesMiner(config::Role role) { return role == config::Role::kMiner; }

SecretRef RefOf(const std::string& configured_arn, const char* logical_id) {
  SecretRef ref;
  if (configured_arn.empty()) {
    ref.logical_id = logical_id;
  } else {
    ref.arn = configured_arn;
  }
  return ref;
}

// What a created secret holds and what to do with it, for its Description.
struct SecretKindText {
  const char* name_suffix;   // "signer-key": the secret is "<stack name>/signer-key"
  const char* holds;         // what the first boot stores
  const char* arn_variable;  // the variable that names it on a later deployment
};

constexpr SecretKindText kSignerText{"signer-key",
                                     "the signer key and auth password ({\"private_key\", "
                                     "\"auth_password\"})",
                                     "STACKS_SIGNER_SECRET_ARN"};
constexpr SecretKindText kMinerText{"miner-key", "the miner key ({\"private_key\"})",
                                    "STACKS_MINER_SECRET_ARN"};

Resource SecretResource(const config::Config& config, const SecretKindText& text) {
  const std::string stack_name = IdentityOf(StackKind::kSingleNode, config.role).stack_name;
  Resource secret{"AWS::SecretsManager::Secret"};
  secret.properties["Name"] = cfn::Sub(std::string("${AWS::StackName}/") + text.name_suffix);
  secret.properties["Description"] =
      std::string("stacks-runner: ") + text.holds + " of the Stacks " +
      std::string(config::RoleName(config.role)) + " of stack " + stack_name +
      ". Created empty; the node's first boot generates the key and stores it once "
      "(docs/secrets.md). Kept when the stack is deleted: to deploy again with this key, set " +
      text.arn_variable + " to this secret's ARN.";
  // Neither SecretString nor GenerateSecretString: an empty secret, whose value no update of
  // this resource can touch. The default key aws/secretsmanager encrypts it: its key policy
  // lets the account's principals use it through Secrets Manager, which the node role's grant
  // on the secret then limits to this secret.
  secret.properties["Tags"] = StandardTags(config, stack_name + "/" + text.name_suffix);
  secret.deletion_policy = "Retain";
  secret.update_replace_policy = "Retain";
  secret.metadata = NagMetadata(
      {{"AwsSolutions-SMG4",
        "The secret holds a Stacks signer or miner key: the key is the node's on-chain identity "
        "(registered for stacking, or holding the mining funds), so no rotation function can "
        "replace it; a new key is an operator's decision (stacks-runner keys import)"}});
  return secret;
}

bool IsSuffixChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// Whether the ARN's last 7 characters are "-" and 6 letters or digits, as a full ARN's are.
bool MayBeFullArn(const std::string& arn) {
  if (arn.size() < 7 || arn[arn.size() - 7] != '-') return false;
  return std::all_of(arn.end() - 6, arn.end(), IsSuffixChar);
}

}  // namespace

Json SecretRef::Value() const { return created() ? cfn::Ref(logical_id) : Json(arn); }

std::string SecretRef::SubText() const { return created() ? "${" + logical_id + "}" : arn; }

NodeSecretRefs NodeSecretsOf(const config::Config& config) {
  NodeSecretRefs refs;
  if (UsesSigner(config.role)) refs.signer = RefOf(config.signer_secret_arn, ids::kSignerSecret);
  if (UsesMiner(config.role)) {
    refs.miner = RefOf(config.miner_secret_arn, ids::kMinerSecret);
    // Never created: the bitcoind credentials are the operator's. Left unused when the
    // configuration names none (the loader refuses a miner without it).
    refs.bitcoind.arn = config.bitcoind_secret_arn;
  }
  return refs;
}

void AddNodeSecrets(Template& t, const config::Config& config, const NodeSecretRefs& refs) {
  if (refs.signer.created())
    t.AddResource(refs.signer.logical_id, SecretResource(config, kSignerText));
  if (refs.miner.created())
    t.AddResource(refs.miner.logical_id, SecretResource(config, kMinerText));
}

std::vector<std::string> SecretArnPatterns(const std::string& arn) {
  if (MayBeFullArn(arn)) return {arn, arn + "-??????"};
  return {arn + "-??????"};
}

std::vector<Json> SecretStatements(const NodeSecretRefs& refs) {
  Json read = Json::array();
  Json write = Json::array();
  for (const SecretRef* ref : refs.All()) {
    if (!ref->used()) continue;
    if (ref->created()) {
      read.push_back(ref->Value());
      write.push_back(ref->Value());
    } else {
      for (const auto& pattern : SecretArnPatterns(ref->arn)) read.push_back(pattern);
    }
  }
  std::vector<Json> statements;
  if (read.empty()) return statements;
  Json get = Statement("Allow", {"secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"},
                       std::move(read));
  get["Sid"] = "ReadNodeSecrets";
  statements.push_back(std::move(get));
  if (!write.empty()) {
    Json put = Statement("Allow", {"secretsmanager:PutSecretValue"}, std::move(write));
    put["Sid"] = "StoreFirstBootKeys";
    statements.push_back(std::move(put));
  }
  return statements;
}

int IdentitySignalCount(config::Role role) {
  switch (role) {
    case config::Role::kSigner:
      return 2;
    case config::Role::kMiner:
      return 3;
    case config::Role::kFollower:
      break;
  }
  return 0;
}

void AddIdentityWaitCondition(Template& t, const config::Config& config) {
  const int count = IdentitySignalCount(config.role);
  if (count == 0) return;
  t.AddResource(ids::kNodeIdentityHandle, Resource{"AWS::CloudFormation::WaitConditionHandle"});
  Resource wait{"AWS::CloudFormation::WaitCondition"};
  wait.properties["Handle"] = cfn::Ref(ids::kNodeIdentityHandle);
  wait.properties["Count"] = count;
  // The longest CloudFormation allows (12 hours), whatever the configuration: a wait condition's
  // Timeout cannot be updated, so a value following STACKS_BOOTSTRAP_TIMEOUT_MIN would break
  // the stack's next update. The instance's own CreationPolicy still fails a slow boot in time.
  wait.properties["Timeout"] = "43200";
  // Counted from the instance's creation, whose bootstrap has reported by then: signals sent to
  // the handle before the wait condition starts count.
  wait.depends_on = {ids::kNodeInstance};
  t.AddResource(ids::kNodeIdentity, std::move(wait));
}

void AddSignerMinerOutputs(Template& t, const config::Config& config, const NodeSecretRefs& refs) {
  if (IdentitySignalCount(config.role) > 0) {
    // The identity's fields, the UniqueIds of identity:: in names.h.
    const char* fields = config.role == config::Role::kMiner
                             ? "\"signer-address\", \"signer-public-key\" and \"miner-address\""
                             : "\"signer-address\" and \"signer-public-key\"";
    std::string description = "The node's public identity as its first boot reported it (JSON: ";
    description += fields;
    description +=
        "): register the signer's address and public key for stacking. No secret: the keys stay "
        "in Secrets Manager";
    t.AddOutput(outputs::kNodeIdentity, Json{{"Description", std::move(description)},
                                             {"Value", cfn::GetAtt(ids::kNodeIdentity, "Data")}});
  }
  auto add = [&t](const char* id, const SecretRef& ref, const char* what) {
    if (!ref.used()) return;
    t.AddOutput(id, Json{{"Description",
                          std::string(what) + (ref.created() ? " (created by this stack, "
                                                               "kept when it is deleted)"
                                                             : " (named by the configuration)")},
                         {"Value", ref.Value()}});
  };
  add(outputs::kSignerSecretArn, refs.signer, "Secrets Manager secret of the signer key");
  add(outputs::kMinerSecretArn, refs.miner, "Secrets Manager secret of the miner key");
  add(outputs::kBitcoindSecretArn, refs.bitcoind,
      "Secrets Manager secret of the bitcoind RPC credentials");
}

}  // namespace sr::templates
