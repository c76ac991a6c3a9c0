#include "node/node_secrets.h"

#include "aws/secretsmanager.h"
#include "aws/service.h"
#include "keys/address.h"
#include "keys/key.h"
#include "keys/secrets.h"
#include "util/sha256.h"

namespace sr::node {

aws::AwsResult<std::optional<std::string>> SecretsManagerStore::Get(const std::string& id) {
  auto value = aws::GetSecretValue(*client_, id);
  if (!value) {
    // A secret created without a value has no AWSCURRENT version: AWS answers
    // ResourceNotFoundException for the value, while DescribeSecret finds the secret.
    if (value.error().code == "ResourceNotFoundException") {
      auto described = aws::DescribeSecret(*client_, id);
      if (described && !described->deleted && !described->CurrentVersionId()) {
        return std::optional<std::string>();
      }
    }
    return value.error();
  }
  if (value->binary) {
    return aws::MakeError(aws::AwsError::Kind::kService, "BinarySecret",
                          "secret " + id + " holds a binary value; it must hold JSON text");
  }
  return std::optional<std::string>(value->secret_string.value_or(""));
}

aws::AwsResult<aws::Unit> SecretsManagerStore::Put(const std::string& id, const std::string& value,
                                                   const std::string& token) {
  auto put = aws::PutSecretValue(*client_, id, value, token);
  if (!put) return put.error();
  return aws::Unit{};
}

namespace {

keys::Network NetworkOf(const config::Config& c) {
  return c.network->id == config::NetworkId::kMainnet ? keys::Network::kMainnet
                                                      : keys::Network::kTestnet;
}

// A version id for the first value this instance stores in this secret: the same on every rerun,
// so a lost answer cannot lead to a second key. Secrets Manager takes 32 to 64 characters.
std::string FirstBootToken(const std::string& instance_id, keys::SecretKind kind) {
  const std::string digest = util::Sha256Hex("stacks-runner first boot " + instance_id + " " +
                                             std::string(keys::SecretKindName(kind)));
  // UUID layout, version 4 nibble and variant bits set, as the AWS SDKs' tokens look.
  std::string u = digest.substr(0, 32);
  u[12] = '4';
  u[16] = "89ab"[std::stoi(u.substr(16, 1), nullptr, 16) % 4];
  return u.substr(0, 8) + "-" + u.substr(8, 4) + "-" + u.substr(12, 4) + "-" + u.substr(16, 4) +
         "-" + u.substr(20, 12);
}

std::string Describe(const aws::AwsError& e) {
  return e.kind == aws::AwsError::Kind::kService ? e.Describe() : e.message;
}

// Reads a signer or miner secret, filling an empty one with a new key once. Returns the secret's
// JSON as it is stored.
std::optional<keys::ExistingSecret> ReadOrCreateKeySecret(SecretStore& store, keys::SecretKind kind,
                                                          const std::string& id,
                                                          const std::string& instance_id,
                                                          std::string* error, const Log& log) {
  const std::string what = std::string(keys::SecretKindName(kind)) + " secret " + id;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto value = store.Get(id);
    if (!value) {
      *error = "cannot read the " + what + ": " + Describe(value.error());
      return std::nullopt;
    }
    keys::ExistingSecret existing = keys::InspectExistingSecret(kind, *value);
    if (existing.state == keys::ExistingSecret::State::kUnreadable) {
      *error = "the " + what + " " + existing.problem + " (docs/secrets.md shows its JSON)";
      return std::nullopt;
    }
    if (existing.state == keys::ExistingSecret::State::kHoldsKey &&
        (kind != keys::SecretKind::kSigner || !existing.auth_password.empty())) {
      return existing;
    }
    if (attempt == 1) break;

    // Empty, or a signer key without its auth password: complete it, keeping what is there.
    std::string json;
    if (kind == keys::SecretKind::kSigner) {
      keys::SignerSecret signer;
      if (existing.state == keys::ExistingSecret::State::kHoldsKey) {
        signer.private_key = existing.private_key;
      } else {
        auto key = keys::PrivateKey::Generate(error);
        if (!key) return std::nullopt;
        signer.private_key = key->Hex();
        log("secrets: the signer secret is empty; generated a new signer key");
      }
      signer.auth_password =
          existing.auth_password.empty() ? keys::GenerateAuthPassword() : existing.auth_password;
      json = keys::ToJson(signer);
    } else {
      auto key = keys::PrivateKey::Generate(error);
      if (!key) return std::nullopt;
      keys::MinerSecret miner;
      miner.private_key = key->Hex();
      json = keys::ToJson(miner);
      log("secrets: the miner secret is empty; generated a new miner key");
    }
    auto put = store.Put(id, json, FirstBootToken(instance_id, kind));
    keys::Wipe(json);
    // Stored by an earlier run (or a concurrent one) under the same token: read what is there.
    if (!put && put.error().code != "ResourceExistsException") {
      *error = "cannot store the new key in the " + what + ": " + Describe(put.error());
      return std::nullopt;
    }
  }
  *error = "the " + what + " is still incomplete after storing a new key";
  return std::nullopt;
}

}  // namespace

std::optional<LoadedSecrets> LoadNodeSecrets(SecretStore& store, const config::Config& config,
                                             const SecretIds& ids, const std::string& instance_id,
                                             std::string* error, const Log& log) {
  LoadedSecrets out;
  const keys::Network network = NetworkOf(config);
  const bool miner = config.role == config::Role::kMiner;
  if (HasSigner(config)) {
    if (ids.signer.empty()) {
      *error = "a " + std::string(config::RoleName(config.role)) +
               " needs its signer secret, and none was given";
      return std::nullopt;
    }
    auto signer = ReadOrCreateKeySecret(store, keys::SecretKind::kSigner, ids.signer, instance_id,
                                        error, log);
    if (!signer) return std::nullopt;
    auto key = keys::PrivateKey::FromHex(signer->private_key, error);
    if (!key) return std::nullopt;
    out.secrets.signer_private_key = signer->private_key;
    out.secrets.auth_token = signer->auth_password;
    out.identity.signer_public_key = key->Public().Compressed().Hex();
    out.identity.signer_address = keys::SignerAddressOf(network, *key);
    log("secrets: signer " + out.identity.signer_address + " (public key " +
        out.identity.signer_public_key + ")");
  }
  if (miner) {
    if (ids.miner.empty()) {
      *error = "a miner needs its miner secret, and none was given";
      return std::nullopt;
    }
    auto secret =
        ReadOrCreateKeySecret(store, keys::SecretKind::kMiner, ids.miner, instance_id, error, log);
    if (!secret) return std::nullopt;
    auto key = keys::PrivateKey::FromHex(secret->private_key, error);
    if (!key) return std::nullopt;
    out.secrets.miner_seed = secret->private_key;
    out.secrets.mining_key = secret->private_key;
    out.identity.miner_address = keys::AddressOf(network, *key);
    log("secrets: miner " + out.identity.miner_address);
  }
  // Only a miner uses bitcoind's RPC (followers and signers read Bitcoin over P2P).
  if (miner && !ids.bitcoind.empty()) {
    auto value = store.Get(ids.bitcoind);
    if (!value) {
      *error = "cannot read the bitcoind secret " + ids.bitcoind + ": " + Describe(value.error());
      return std::nullopt;
    }
    if (!*value || value->value_or("").empty()) {
      *error = "the bitcoind secret " + ids.bitcoind +
               " is empty: put {\"username\": ..., \"password\": ...} of the miner's bitcoind "
               "into it (docs/secrets.md)";
      return std::nullopt;
    }
    auto bitcoind = keys::ParseBitcoindSecret(**value, error);
    keys::Wipe(**value);
    if (!bitcoind) {
      *error = "the bitcoind secret " + ids.bitcoind + ": " + *error;
      return std::nullopt;
    }
    out.secrets.bitcoin_rpc_username = bitcoind->username;
    out.secrets.bitcoin_rpc_password = bitcoind->password;
  } else if (miner) {
    *error = "a miner needs the RPC credentials of its bitcoind, and no bitcoind secret was given";
    return std::nullopt;
  }
  return out;
}

SecretsHook SecretsManagerHook(std::function<aws::AwsResult<aws::Session*>()> session_provider,
                               SecretIds given_ids,
                               std::function<std::optional<std::string>()> instance_id_provider,
                               Log log_line) {
  return [session = std::move(session_provider), given = std::move(given_ids),
          instance_id = std::move(instance_id_provider),
          log = std::move(log_line)](const config::Config& config, NodeSecrets* secrets,
                                     PublicIdentity* identity, std::string* error) {
    SecretIds ids;
    ids.signer = !given.signer.empty() ? given.signer : config.signer_secret_arn;
    ids.miner = !given.miner.empty() ? given.miner : config.miner_secret_arn;
    ids.bitcoind = !given.bitcoind.empty() ? given.bitcoind : config.bitcoind_secret_arn;
    const auto instance = instance_id();
    if (!instance) {
      *error = "cannot read the instance id from instance metadata";
      return false;
    }
    auto s = session();
    if (!s) {
      *error = "AWS: " + s.error().message;
      return false;
    }
    auto client = (*s)->Client(aws::SecretsManager());
    if (!client) {
      *error = "AWS: " + client.error().message;
      return false;
    }
    SecretsManagerStore store(&*client);
    auto loaded = LoadNodeSecrets(store, config, ids, *instance, error, log);
    if (!loaded) return false;
    *secrets = std::move(loaded->secrets);
    *identity = std::move(loaded->identity);
    return true;
  };
}

}  // namespace sr::node
