#include "keys/key.h"

#include <openssl/crypto.h>
#include <secp256k1.h>

#include <algorithm>
#include <stdexcept>

namespace sr::keys {
namespace {

// One context for the process, randomized once against side channels (libsecp256k1 asks for
// that before key generation and public key derivation).
const secp256k1_context* Context() {
  static const secp256k1_context* context = [] {
    secp256k1_context* c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (c == nullptr) throw std::runtime_error("libsecp256k1: cannot create a context");
    std::array<uint8_t, 32> seed{};
    std::string error;
    if (!RandomBytes(seed, &error) || secp256k1_context_randomize(c, seed.data()) != 1) {
      Wipe(seed);
      secp256k1_context_destroy(c);
      throw std::runtime_error("libsecp256k1: cannot randomize the context: " + error);
    }
    Wipe(seed);
    return c;
  }();
  return context;
}

bool IsHex(std::string_view text) {
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
      return false;
    }
  }
  return true;
}

Bytes Serialize(const secp256k1_pubkey& point, bool compressed) {
  Bytes out(compressed ? 33 : 65);
  size_t length = out.size();
  secp256k1_ec_pubkey_serialize(secp256k1_context_static, out.data(), &length, &point,
                                compressed ? SECP256K1_EC_COMPRESSED : SECP256K1_EC_UNCOMPRESSED);
  out.resize(length);
  return out;
}

}  // namespace

std::optional<PublicKey> PublicKey::FromHex(std::string_view hex, std::string* error) {
  auto fail = [error](const std::string& why) -> std::optional<PublicKey> {
    if (error != nullptr) {
      *error = why;
      error->append(
          ": a public key is 66 hex characters starting 02 or 03 (compressed) or 130 starting 04 "
          "(uncompressed)");
    }
    return std::nullopt;
  };
  if (hex.size() != 66 && hex.size() != 130) {
    return fail(std::to_string(hex.size()) + " characters");
  }
  if (!IsHex(hex)) return fail("not hexadecimal");
  auto bytes = keys::FromHex(hex);
  const bool prefix_ok =
      hex.size() == 66 ? ((*bytes)[0] == 2 || (*bytes)[0] == 3) : (*bytes)[0] == 4;
  // (secp256k1_ec_pubkey_parse would also take the hybrid forms 06 and 07: not Stacks keys.)
  if (!prefix_ok) return fail("wrong first byte for its length");
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(secp256k1_context_static, &point, bytes->data(), bytes->size()) !=
      1) {
    if (error != nullptr) *error = "not a point on the secp256k1 curve";
    return std::nullopt;
  }
  return PublicKey(Serialize(point, bytes->size() == 33));
}

PublicKey PublicKey::Compressed() const {
  if (compressed()) return *this;
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_parse(secp256k1_context_static, &point, bytes_.data(), bytes_.size()) !=
      1) {
    throw std::logic_error("a PublicKey holds an invalid point");
  }
  return PublicKey(Serialize(point, true));
}

std::optional<PrivateKey> PrivateKey::Generate(std::string* error) {
  PrivateKey key;
  key.compressed_ = true;
  // A uniformly random 256-bit number is a valid key unless it is zero or not below the curve
  // order: a chance below 2^-127; draw again then.
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (!RandomBytes(key.secret_, error)) return std::nullopt;
    if (secp256k1_ec_seckey_verify(Context(), key.secret_.data()) == 1) return key;
  }
  if (error != nullptr) *error = "the kernel's random bytes never made a valid key";
  return std::nullopt;
}

std::optional<PrivateKey> PrivateKey::FromHex(std::string_view hex, std::string* error) {
  static constexpr char kAccepted[] =
      "a private key is 64 hex characters, or 66 ending in 01 (compressed public key)";
  auto fail = [error](const std::string& why) -> std::optional<PrivateKey> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  if (hex.size() != 64 && hex.size() != 66) {
    return fail(std::to_string(hex.size()) + " characters: " + kAccepted);
  }
  for (size_t i = 0; i < hex.size(); ++i) {
    if (!IsHex(hex.substr(i, 1))) {
      return fail("character " + std::to_string(i + 1) + " is not hexadecimal: " + kAccepted);
    }
  }
  if (hex.size() == 66 && hex.substr(64) != "01") {
    return fail(std::string("66 characters not ending in 01: ") + kAccepted);
  }
  auto bytes = keys::FromHex(hex.substr(0, 64));
  PrivateKey key;
  std::copy(bytes->begin(), bytes->end(), key.secret_.begin());
  Wipe(*bytes);
  key.compressed_ = hex.size() == 66;
  if (secp256k1_ec_seckey_verify(Context(), key.secret_.data()) != 1) {
    return fail("not a valid secp256k1 private key (zero, or not below the curve order)");
  }
  return key;
}

std::string PrivateKey::Hex() const {
  std::string out = ToHex(secret_);
  if (compressed_) out += "01";
  return out;
}

PublicKey PrivateKey::Public() const {
  secp256k1_pubkey point;
  if (secp256k1_ec_pubkey_create(Context(), &point, secret_.data()) != 1) {
    throw std::logic_error("a PrivateKey holds an invalid key");
  }
  return PublicKey(Serialize(point, compressed_));
}

bool PrivateKey::operator==(const PrivateKey& other) const {
  return compressed_ == other.compressed_ &&
         CRYPTO_memcmp(secret_.data(), other.secret_.data(), secret_.size()) == 0;
}

KeyTextForm ClassifyKeyText(std::string_view hex) {
  KeyTextForm form;
  if (!IsHex(hex)) return form;
  if (hex.size() == 64) form.may_be_private = true;
  if (hex.size() == 130 && hex.substr(0, 2) == "04") form.may_be_public = true;
  if (hex.size() == 66) {
    form.may_be_private = hex.substr(64) == "01";
    form.may_be_public = hex.substr(0, 2) == "02" || hex.substr(0, 2) == "03";
  }
  return form;
}

}  // namespace sr::keys
