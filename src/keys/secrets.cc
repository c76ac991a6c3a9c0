#include "keys/secrets.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <initializer_list>

#include "keys/key.h"

namespace sr::keys {
namespace {

using nlohmann::json;

bool Fail(std::string* error, std::string message) {
  if (error != nullptr) *error = std::move(message);
  return false;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) {
    return static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  });
  return out;
}

// A field name is shown only when it cannot be a secret put in the wrong place.
std::string FieldForMessage(const std::string& name) {
  const bool plain = !name.empty() && name.size() <= 32 &&
                     std::all_of(name.begin(), name.end(), [](unsigned char c) {
                       return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                     });
  return plain ? " \"" + name + "\"" : " (its name not shown: it may be a value)";
}

std::string List(std::initializer_list<const char*> names) {
  std::string out;
  for (const char* n : names) out += (out.empty() ? "" : ", ") + std::string(n);
  return out;
}

// The object, with only the given fields; on anything else false with the reason. Never puts the
// text (or nlohmann's parse error, which quotes it) into the message.
bool ParseObject(std::string_view text, std::initializer_list<const char*> fields, json* out,
                 std::string* error) {
  *out = json::parse(text, nullptr, false);
  if (out->is_discarded() || !out->is_object()) {
    *out = json();
    return Fail(error, "is not a JSON object (expected the fields " + List(fields) + ")");
  }
  for (const auto& [name, value] : out->items()) {
    if (std::find_if(fields.begin(), fields.end(), [&](const char* f) { return name == f; }) ==
        fields.end()) {
      return Fail(error, "has an unknown field" + FieldForMessage(name) +
                             " (accepted: " + List(fields) + ")");
    }
    if (!value.is_string()) return Fail(error, name + ": not a string");
  }
  return true;
}

bool Field(const json& object, const char* name, std::string* value, std::string* error) {
  const auto it = object.find(name);
  if (it == object.end()) return Fail(error, std::string("missing ") + name);
  *value = it->get<std::string>();
  return true;
}

// Wipes what the parsed document holds (the strings of its values).
template <typename Json>
void WipeJson(Json& object) {
  if (!object.is_object()) return;
  for (auto& [name, value] : object.items()) {
    if (value.is_string()) Wipe(value.template get_ref<std::string&>());
  }
}

bool HasControlCharacter(std::string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace

std::optional<SecretKind> ParseSecretKind(std::string_view name) {
  if (name == "signer") return SecretKind::kSigner;
  if (name == "miner") return SecretKind::kMiner;
  if (name == "bitcoind") return SecretKind::kBitcoind;
  return std::nullopt;
}

std::string_view SecretKindName(SecretKind kind) {
  switch (kind) {
    case SecretKind::kSigner:
      return "signer";
    case SecretKind::kMiner:
      return "miner";
    case SecretKind::kBitcoind:
      return "bitcoind";
  }
  return "?";
}

bool CheckPrivateKeyText(std::string_view text, std::string* error) {
  std::string why;
  if (!PrivateKey::FromHex(text, &why)) return Fail(error, "private_key: " + why);
  return true;
}

bool CheckAuthPassword(std::string_view text, std::string* error) {
  static constexpr char kAccepted[] =
      "accepted: 16 to 256 characters: letters, digits and - _ . ~ + / =";
  if (text.size() < 16 || text.size() > 256) {
    return Fail(error,
                "auth_password: " + std::to_string(text.size()) + " characters; " + kAccepted);
  }
  const bool ok = std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("-_.~+/=").find(static_cast<char>(c)) != std::string_view::npos;
  });
  if (!ok)
    return Fail(error, std::string("auth_password: a character is not accepted; ") + kAccepted);
  return true;
}

bool CheckBitcoindUsername(std::string_view text, std::string* error) {
  if (text.empty()) return Fail(error, "username: empty");
  if (text.find(':') != std::string_view::npos) {
    return Fail(error, "username: contains ':', which HTTP basic authentication cannot carry");
  }
  if (HasControlCharacter(text) || text.front() == ' ' || text.back() == ' ') {
    return Fail(error, "username: control characters or spaces at either end");
  }
  return true;
}

bool CheckBitcoindPassword(std::string_view text, std::string* error) {
  if (text.empty()) return Fail(error, "password: empty");
  if (text.find('#') != std::string_view::npos) {
    return Fail(error, "password: contains '#', which bitcoind refuses in rpcpassword");
  }
  if (HasControlCharacter(text) || text.front() == ' ' || text.back() == ' ') {
    return Fail(error, "password: control characters or spaces at either end");
  }
  return true;
}

std::optional<SignerSecret> ParseSignerSecret(std::string_view text, std::string* error) {
  json object;
  SignerSecret out;
  const bool ok = ParseObject(text, {"private_key", "auth_password"}, &object, error) &&
                  Field(object, "private_key", &out.private_key, error) &&
                  Field(object, "auth_password", &out.auth_password, error) &&
                  CheckPrivateKeyText(out.private_key, error) &&
                  CheckAuthPassword(out.auth_password, error);
  WipeJson(object);
  if (!ok) return std::nullopt;
  out.private_key = Lower(out.private_key);
  return out;
}

std::optional<MinerSecret> ParseMinerSecret(std::string_view text, std::string* error) {
  json object;
  MinerSecret out;
  const bool ok = ParseObject(text, {"private_key"}, &object, error) &&
                  Field(object, "private_key", &out.private_key, error) &&
                  CheckPrivateKeyText(out.private_key, error);
  WipeJson(object);
  if (!ok) return std::nullopt;
  out.private_key = Lower(out.private_key);
  return out;
}

std::optional<BitcoindSecret> ParseBitcoindSecret(std::string_view text, std::string* error) {
  json object;
  BitcoindSecret out;
  const bool ok = ParseObject(text, {"username", "password"}, &object, error) &&
                  Field(object, "username", &out.username, error) &&
                  Field(object, "password", &out.password, error) &&
                  CheckBitcoindUsername(out.username, error) &&
                  CheckBitcoindPassword(out.password, error);
  WipeJson(object);
  if (!ok) return std::nullopt;
  return out;
}

std::string ToJson(const SignerSecret& secret) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["private_key"] = secret.private_key;
  j["auth_password"] = secret.auth_password;
  std::string out = j.dump();
  WipeJson(j);
  return out;
}

std::string ToJson(const MinerSecret& secret) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["private_key"] = secret.private_key;
  std::string out = j.dump();
  WipeJson(j);
  return out;
}

std::string ToJson(const BitcoindSecret& secret) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["username"] = secret.username;
  j["password"] = secret.password;
  std::string out = j.dump();
  WipeJson(j);
  return out;
}

ExistingSecret InspectExistingSecret(SecretKind kind, const std::optional<std::string>& value) {
  ExistingSecret out;
  if (!value || value->empty()) return out;
  auto unreadable = [&out](std::string problem) {
    out.state = ExistingSecret::State::kUnreadable;
    out.problem = std::move(problem);
    Wipe(out.private_key);
    Wipe(out.auth_password);
    return std::move(out);
  };
  if (kind == SecretKind::kBitcoind) return unreadable("a bitcoind secret holds no key");
  json object;
  std::string error;
  const bool signer = kind == SecretKind::kSigner;
  if (!ParseObject(*value,
                   signer ? std::initializer_list<const char*>{"private_key", "auth_password"}
                          : std::initializer_list<const char*>{"private_key"},
                   &object, &error)) {
    return unreadable(error);
  }
  std::string key, password;
  if (object.contains("private_key")) key = object["private_key"].get<std::string>();
  if (object.contains("auth_password")) password = object["auth_password"].get<std::string>();
  WipeJson(object);
  if (object.contains("auth_password") && !CheckAuthPassword(password, &error)) {
    Wipe(key);
    Wipe(password);
    return unreadable(error);
  }
  out.auth_password = password;
  Wipe(password);
  if (!object.contains("private_key")) return out;
  if (!CheckPrivateKeyText(key, &error)) {
    Wipe(key);
    return unreadable(error);
  }
  out.state = ExistingSecret::State::kHoldsKey;
  out.private_key = Lower(key);
  Wipe(key);
  return out;
}

std::string GenerateAuthPassword() { return RandomHex(32); }

}  // namespace sr::keys
