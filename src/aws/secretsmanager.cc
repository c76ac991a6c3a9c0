#include "aws/secretsmanager.h"

#include <openssl/crypto.h>

namespace sr::aws {
namespace {

// Overwrites a secret before its memory is freed (OPENSSL_cleanse is not optimized away).
void Wipe(std::string& text) {
  if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
  text.clear();
}

AwsError ResponseError(std::string_view operation, std::string message) {
  AwsError e = MakeError(AwsError::Kind::kResponse, "InvalidResponse", std::move(message));
  e.service = "Secrets Manager";
  e.operation = std::string(operation);
  return e;
}

std::string StringOr(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Strings(const nlohmann::json& object, const char* name) {
  std::vector<std::string> out;
  const auto it = object.find(name);
  if (it == object.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

}  // namespace

SecretValue::~SecretValue() {
  if (secret_string) Wipe(*secret_string);
}

AwsResult<SecretValue> GetSecretValue(AwsClient& secrets, const std::string& secret_id,
                                      const std::string& version_stage) {
  nlohmann::json request = {{"SecretId", secret_id}};
  if (!version_stage.empty()) request["VersionStage"] = version_stage;
  auto r = secrets.CallJson("GetSecretValue", request);
  if (!r) {
    // An answer that is not JSON is quoted in the error: here it may be the secret.
    if (r.error().kind == AwsError::Kind::kResponse) {
      return ResponseError("GetSecretValue",
                           "the answer is not JSON (not shown: it may hold the secret value)");
    }
    return r.error();
  }
  nlohmann::json& body = *r;
  SecretValue out;
  out.arn = StringOr(body, "ARN");
  out.name = StringOr(body, "Name");
  out.version_id = StringOr(body, "VersionId");
  out.version_stages = Strings(body, "VersionStages");
  const auto string_it = body.find("SecretString");
  const auto binary_it = body.find("SecretBinary");
  if (string_it != body.end() && string_it->is_string()) {
    out.secret_string = string_it->get<std::string>();
    Wipe(string_it->get_ref<std::string&>());
  } else if (binary_it != body.end() && !binary_it->is_null()) {
    out.binary = true;
    if (binary_it->is_string()) Wipe(binary_it->get_ref<std::string&>());
  } else {
    return ResponseError("GetSecretValue",
                         "answered without SecretString or SecretBinary for " + secret_id);
  }
  return out;
}

AwsResult<PutSecretValueResult> PutSecretValue(AwsClient& secrets, const std::string& secret_id,
                                               const std::string& secret_string,
                                               const std::string& client_request_token) {
  if (client_request_token.size() < 32 || client_request_token.size() > 64) {
    AwsError e = MakeError(AwsError::Kind::kConfig, "InvalidClientRequestToken",
                           "a ClientRequestToken is 32 to 64 characters; got " +
                               std::to_string(client_request_token.size()));
    e.service = "Secrets Manager";
    e.operation = "PutSecretValue";
    return e;
  }
  nlohmann::json request = {{"SecretId", secret_id},
                            {"ClientRequestToken", client_request_token},
                            {"SecretString", secret_string}};
  auto r = secrets.CallJson("PutSecretValue", request);
  Wipe(request["SecretString"].get_ref<std::string&>());
  if (!r) return r.error();
  PutSecretValueResult out;
  out.arn = StringOr(*r, "ARN");
  out.name = StringOr(*r, "Name");
  out.version_id = StringOr(*r, "VersionId");
  out.version_stages = Strings(*r, "VersionStages");
  if (out.version_id.empty()) {
    return ResponseError("PutSecretValue", "answered without a VersionId for " + secret_id);
  }
  return out;
}

std::optional<std::string> SecretDescription::CurrentVersionId() const {
  for (const auto& [id, stages] : versions) {
    for (const auto& stage : stages) {
      if (stage == "AWSCURRENT") return id;
    }
  }
  return std::nullopt;
}

AwsResult<SecretDescription> DescribeSecret(AwsClient& secrets, const std::string& secret_id) {
  auto r = secrets.CallJson("DescribeSecret", {{"SecretId", secret_id}});
  if (!r) return r.error();
  SecretDescription out;
  out.arn = StringOr(*r, "ARN");
  out.name = StringOr(*r, "Name");
  out.description = StringOr(*r, "Description");
  out.kms_key_id = StringOr(*r, "KmsKeyId");
  const auto deleted = r->find("DeletedDate");
  out.deleted = deleted != r->end() && !deleted->is_null();
  const auto versions = r->find("VersionIdsToStages");
  if (versions != r->end() && versions->is_object()) {
    for (const auto& [id, stages] : versions->items()) {
      std::vector<std::string>& list = out.versions[id];
      if (!stages.is_array()) continue;
      for (const auto& s : stages) {
        if (s.is_string()) list.push_back(s.get<std::string>());
      }
    }
  }
  if (out.arn.empty()) return ResponseError("DescribeSecret", "answered without an ARN");
  return out;
}

}  // namespace sr::aws
