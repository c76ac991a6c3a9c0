// Stacks addresses: "S", the c32 character of the version, and c32check over the hash160 of the
// public key (stacks-common/src/address). Single-signature (P2PKH) addresses only, which is what
// a signer or a miner key has.
#ifndef STACKS_RUNNER_KEYS_ADDRESS_H_
#define STACKS_RUNNER_KEYS_ADDRESS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keys/key.h"

namespace sr::keys {

enum class Network { kMainnet, kTestnet };

// "mainnet" or "testnet"; nullopt otherwise.
std::optional<Network> ParseNetwork(std::string_view name);
std::string_view NetworkName(Network network);

// Address versions (stacks-common/src/address/mod.rs).
inline constexpr uint8_t kMainnetSingleSig = 22;  // SP...
inline constexpr uint8_t kMainnetMultiSig = 20;   // SM...
inline constexpr uint8_t kTestnetSingleSig = 26;  // ST...
inline constexpr uint8_t kTestnetMultiSig = 21;   // SN...
uint8_t SingleSigVersion(Network network);

using Hash160Digest = std::array<uint8_t, 20>;
// RIPEMD-160(SHA-256(bytes)). OpenSSL 3 serves RIPEMD-160 from its default provider since
// 3.0.7 (Debian 12 has 3.0.x with it there; so does the static build's own libcrypto); throws
// std::runtime_error if this OpenSSL has none.
Hash160Digest Hash160(std::span<const uint8_t> bytes);

// "S" + C32CheckEncode(version, hash160). `version` must be below 32.
std::string AddressFromHash160(uint8_t version, const Hash160Digest& hash160);
// The single-signature address of the public key, serialized as it is (compressed or not).
std::string AddressOf(Network network, const PublicKey& key);
// The address of the private key, whose 01 suffix decides the public key's serialization (as
// stacks-node and stacks.js derive it).
std::string AddressOf(Network network, const PrivateKey& key);
// The address stacks-signer uses for this key: always that of the compressed public key,
// whatever the suffix (stacks-signer/src/config.rs).
std::string SignerAddressOf(Network network, const PrivateKey& key);

struct ParsedAddress {
  uint8_t version = 0;
  Hash160Digest hash160{};
};
// A Stacks address (case-insensitive, with c32's O/I/L aliases); nullopt, with the reason, on a
// malformed address or a wrong checksum.
std::optional<ParsedAddress> ParseAddress(std::string_view text, std::string* error);

}  // namespace sr::keys

#endif  // STACKS_RUNNER_KEYS_ADDRESS_H_
