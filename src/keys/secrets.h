// The JSON that the signer, miner and bitcoind secrets hold in AWS Secrets Manager
// (docs/secrets.md), read and written by pure functions: `keys import` writes them, bootstrap reads
// them into files only the service user can read. Error messages name the field and what is
// accepted, never a value.
#ifndef STACKS_RUNNER_KEYS_SECRETS_H_
#define STACKS_RUNNER_KEYS_SECRETS_H_

#include <optional>
#include <string>
#include <string_view>

#include "keys/bytes.h"

namespace sr::keys {

enum class SecretKind { kSigner, kMiner, kBitcoind };
// "signer", "miner" or "bitcoind"; nullopt otherwise.
std::optional<SecretKind> ParseSecretKind(std::string_view name);
std::string_view SecretKindName(SecretKind kind);

// {"private_key": "<64 or 66 hex>", "auth_password": "<password>"}: the signer's
// stacks_private_key and auth_password (which is also the node's [connection_options] auth_token).
struct SignerSecret {
  std::string private_key;
  std::string auth_password;
  ~SignerSecret() {
    Wipe(private_key);
    Wipe(auth_password);
  }
};

// {"private_key": "<64 or 66 hex>"}: the miner's key (the node's seed and [miner] mining_key).
struct MinerSecret {
  std::string private_key;
  ~MinerSecret() { Wipe(private_key); }
};

// {"username": "...", "password": "..."}: the miner's bitcoind RPC credentials.
struct BitcoindSecret {
  std::string username;
  std::string password;
  ~BitcoindSecret() {
    Wipe(username);
    Wipe(password);
  }
};

// Strict: every field required, of the right form, and no other field (a misspelled field would
// otherwise be dropped without a word). Keys are returned as given, lowercased: their 01 suffix
// decides the miner's addresses, so it is never added or removed here.
std::optional<SignerSecret> ParseSignerSecret(std::string_view json, std::string* error);
std::optional<MinerSecret> ParseMinerSecret(std::string_view json, std::string* error);
std::optional<BitcoindSecret> ParseBitcoindSecret(std::string_view json, std::string* error);

// The secret's JSON, with the fields in the documented order. They do not validate: pass values
// that the parsers accept.
std::string ToJson(const SignerSecret& secret);
std::string ToJson(const MinerSecret& secret);
std::string ToJson(const BitcoindSecret& secret);

// What a secret of `kind` holds before `keys import` writes it, told apart without failing on a
// secret that is still empty or half filled:
struct ExistingSecret {
  enum class State {
    kEmpty,       // no value, "", "{}" (or, for a signer, only an auth_password)
    kHoldsKey,    // a valid private_key (and for a signer, a valid or missing auth_password)
    kUnreadable,  // anything else; `problem` says what, without values
  };
  State state = State::kEmpty;
  std::string private_key;    // kHoldsKey
  std::string auth_password;  // signer: a valid one, when present (kEmpty or kHoldsKey)
  std::string problem;        // kUnreadable
  ~ExistingSecret() {
    Wipe(private_key);
    Wipe(auth_password);
  }
};
// `value` is the secret's current SecretString, or nullopt when it has no current version.
// Only signer and miner secrets hold keys.
ExistingSecret InspectExistingSecret(SecretKind kind, const std::optional<std::string>& value);

// Field checks, also used on their own. Each returns false with the reason in `error`.
bool CheckPrivateKeyText(std::string_view text, std::string* error);
// 16 to 256 characters: letters, digits and - _ . ~ + / = (safe in TOML, HTTP headers and shells).
bool CheckAuthPassword(std::string_view text, std::string* error);
// bitcoind: a non-empty username without ':' (HTTP basic authentication) and a non-empty password
// without '#' (bitcoin.conf comments); neither with control characters or spaces at the ends.
bool CheckBitcoindUsername(std::string_view text, std::string* error);
bool CheckBitcoindPassword(std::string_view text, std::string* error);

// A new auth_password: 32 random bytes as 64 hex characters.
std::string GenerateAuthPassword();

}  // namespace sr::keys

#endif  // STACKS_RUNNER_KEYS_SECRETS_H_
