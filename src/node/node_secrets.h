// The secrets of a signer or miner on its instance: read from AWS Secrets Manager, and on the
// first boot of a node whose stack created the secrets empty, generated here and stored once.
// A secret that holds a key is never overwritten; one that holds something unreadable stops the
// bootstrap with the reason (never the value). Only the public halves (address, public key)
// are ever logged.
#ifndef STACKS_RUNNER_NODE_NODE_SECRETS_H_
#define STACKS_RUNNER_NODE_NODE_SECRETS_H_

#include <optional>
#include <string>

#include <functional>

#include "aws/client.h"
#include "aws/session.h"
#include "config/config.h"
#include "node/release.h"
#include "node/stacks_configs.h"

namespace sr::node {

// Where the secrets are (ARNs); empty: the role does not use that secret.
struct SecretIds {
  std::string signer;
  std::string miner;
  std::string bitcoind;
};

// The store the secrets live in; AWS Secrets Manager on an instance, a map in tests.
class SecretStore {
 public:
  virtual ~SecretStore() = default;
  // The current value; nullopt when the secret has no value yet (created empty).
  virtual aws::AwsResult<std::optional<std::string>> Get(const std::string& id) = 0;
  // Stores a new current value. `token` makes a repeat with the same value harmless; a repeat
  // with another value fails (ResourceExistsException).
  virtual aws::AwsResult<aws::Unit> Put(const std::string& id, const std::string& value,
                                        const std::string& token) = 0;
};

// Secrets Manager through an AwsClient for the secretsmanager service.
class SecretsManagerStore : public SecretStore {
 public:
  explicit SecretsManagerStore(aws::AwsClient* client) : client_(client) {}
  aws::AwsResult<std::optional<std::string>> Get(const std::string& id) override;
  aws::AwsResult<aws::Unit> Put(const std::string& id, const std::string& value,
                                const std::string& token) override;

 private:
  aws::AwsClient* client_;
};

// What the operator may print and register: never secret.
struct PublicIdentity {
  std::string signer_public_key;  // compressed hex, as stacks-signer uses it
  std::string signer_address;
  std::string miner_address;  // of the miner key, in the form the key was stored
};

struct LoadedSecrets {
  NodeSecrets secrets;
  PublicIdentity identity;
};

// Reads the secrets `config`'s role needs (a signer: the signer secret; a miner: the miner and
// bitcoind secrets, and the signer secret for its co-located signer). An empty signer or miner
// secret gets a new key (and a signer a new auth password), stored with a token derived from
// `instance_id`, so a rerun after a crash or a lost answer keeps what was stored first. The
// bitcoind secret must be filled by the operator.
std::optional<LoadedSecrets> LoadNodeSecrets(SecretStore& store, const config::Config& config,
                                             const SecretIds& ids, const std::string& instance_id,
                                             std::string* error, const Log& log);

// What bootstrap calls for a node's secrets (BootstrapHooks::secrets).
using SecretsHook =
    std::function<bool(const config::Config&, NodeSecrets*, PublicIdentity*, std::string* error)>;

// The hook `node bootstrap` uses: Secrets Manager as the instance role, through `session` (made on
// first use); each secret id from `given` where it is set (the --signer-secret, --miner-secret
// and --bitcoind-secret flags), else from the configuration's ARN; the first-boot token from the
// instance id. The secret values stay in memory; `log` gets public values only.
SecretsHook SecretsManagerHook(std::function<aws::AwsResult<aws::Session*>()> session,
                               SecretIds given,
                               std::function<std::optional<std::string>()> instance_id, Log log);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_NODE_SECRETS_H_
