// secp256k1 keys in the forms Stacks writes them (libsecp256k1 does the curve arithmetic).
//
// A Stacks private key is 32 bytes of hex (64 characters), or the same followed by 01
// (66 characters): the 01 says that its public key is serialized compressed (33 bytes) rather
// than uncompressed (65 bytes), which changes the address. Generated keys are compressed, as
// stacks.js and stacks-cli make them. Nothing here puts a private key into an error message.
#ifndef STACKS_RUNNER_KEYS_KEY_H_
#define STACKS_RUNNER_KEYS_KEY_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "keys/bytes.h"

namespace sr::keys {

class PublicKey {
 public:
  // 66 hex characters starting 02 or 03 (compressed), or 130 starting 04 (uncompressed), for a
  // point on the curve. `error` says what is accepted.
  static std::optional<PublicKey> FromHex(std::string_view hex, std::string* error);

  bool compressed() const { return bytes_.size() == 33; }
  const Bytes& bytes() const { return bytes_; }  // 33 or 65 bytes, as serialized
  std::string Hex() const { return ToHex(bytes_); }
  PublicKey Compressed() const;  // the same point, compressed

 private:
  friend class PrivateKey;
  explicit PublicKey(Bytes bytes) : bytes_(std::move(bytes)) {}
  Bytes bytes_;
};

class PrivateKey {
 public:
  // A new compressed key from the kernel's CSPRNG; nullopt, with the reason, when no random
  // bytes can be had.
  static std::optional<PrivateKey> Generate(std::string* error);
  // The Stacks text form (either case): 64 hex characters, or 66 ending in 01. `error` says what
  // is wrong and what is accepted, never the text itself.
  static std::optional<PrivateKey> FromHex(std::string_view hex, std::string* error);

  PrivateKey(const PrivateKey& other) = default;
  PrivateKey& operator=(const PrivateKey& other) = default;
  ~PrivateKey() { Wipe(secret_); }

  // Whether the public key is serialized compressed (the 01 suffix).
  bool compressed() const { return compressed_; }
  // The Stacks text form, lowercase: 64 hex, or 66 ending in 01 when compressed.
  std::string Hex() const;
  // In the serialization the key asks for.
  PublicKey Public() const;
  bool operator==(const PrivateKey& other) const;

 private:
  PrivateKey() = default;
  std::array<uint8_t, 32> secret_{};
  bool compressed_ = true;
};

// The kind of key a text is, by its form alone: 64 hex is a private key, 130 hex starting 04 a
// public key; 66 hex is a compressed public key when it starts 02 or 03 and a compressed private
// key when it ends in 01, and may be both.
struct KeyTextForm {
  bool may_be_private = false;
  bool may_be_public = false;
};
KeyTextForm ClassifyKeyText(std::string_view hex);

}  // namespace sr::keys

#endif  // STACKS_RUNNER_KEYS_KEY_H_
