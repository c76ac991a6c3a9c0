// Secrets Manager: reading, writing and describing the secrets that hold signer and miner keys
// (JSON 1.1 protocol; shapes from botocore's secretsmanager/2017-10-17 model). No secret value
// ever goes into an AwsError.
#ifndef STACKS_RUNNER_AWS_SECRETSMANAGER_H_
#define STACKS_RUNNER_AWS_SECRETSMANAGER_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "aws/client.h"

namespace sr::aws {

struct SecretValue {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> version_stages;
  std::optional<std::string> secret_string;  // none when the version holds SecretBinary
  bool binary = false;                       // the version holds SecretBinary (not read)
  SecretValue() = default;
  SecretValue(const SecretValue&) = default;
  SecretValue& operator=(const SecretValue&) = default;
  ~SecretValue();  // wipes secret_string
};

// The value of the version labelled `version_stage` (AWSCURRENT when empty). A secret that
// exists but has no such version is ResourceNotFoundException, as AWS answers.
AwsResult<SecretValue> GetSecretValue(AwsClient& secrets, const std::string& secret_id,
                                      const std::string& version_stage = "");

struct PutSecretValueResult {
  std::string arn;
  std::string name;
  std::string version_id;
  std::vector<std::string> version_stages;
};

// Stores `secret_string` as the new AWSCURRENT version. `client_request_token` (32 to 64
// characters; a random UUID) is the new version's id and makes the call idempotent: repeating
// it with the same value adds nothing, so it is safe to retry.
AwsResult<PutSecretValueResult> PutSecretValue(AwsClient& secrets, const std::string& secret_id,
                                               const std::string& secret_string,
                                               const std::string& client_request_token);

struct SecretDescription {
  std::string arn;
  std::string name;
  std::string description;
  std::string kms_key_id;  // empty: the AWS managed key aws/secretsmanager
  bool deleted = false;    // scheduled for deletion (DeletedDate is set)
  std::map<std::string, std::vector<std::string>> versions;  // version id -> stages

  // The id of the version labelled AWSCURRENT, if any (a secret created without a value has none).
  std::optional<std::string> CurrentVersionId() const;
};

AwsResult<SecretDescription> DescribeSecret(AwsClient& secrets, const std::string& secret_id);

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SECRETSMANAGER_H_
