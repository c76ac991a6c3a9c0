// c32: the Crockford base32 variant of Stacks addresses, and c32check (a version character and
// a 4-byte double-SHA-256 checksum). Follows stacks-common/src/address/c32.rs in behaviour: the
// input is one big-endian number written in base 32, without leading '0' digits, and then one
// '0' per leading zero byte of the input (so the length tells how many zero bytes there were).
#ifndef STACKS_RUNNER_KEYS_C32_H_
#define STACKS_RUNNER_KEYS_C32_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "keys/bytes.h"

namespace sr::keys {

inline constexpr std::string_view kC32Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

std::string C32Encode(std::span<const uint8_t> bytes);
// Case-insensitive; O and o read as 0, I, i, L and l as 1 (Crockford). nullopt on any other
// character.
std::optional<Bytes> C32Decode(std::string_view text);

// The version's c32 character and C32Encode(data || checksum), where checksum is the first 4
// bytes of SHA-256(SHA-256(version || data)). `version` must be below 32 (std::invalid_argument).
std::string C32CheckEncode(uint8_t version, std::span<const uint8_t> data);

struct C32CheckData {
  uint8_t version = 0;
  Bytes data;
};
// The inverse of C32CheckEncode; nullopt, with the reason in `error`, on a bad character, too
// little data, or a checksum that does not match.
std::optional<C32CheckData> C32CheckDecode(std::string_view text, std::string* error);

}  // namespace sr::keys

#endif  // STACKS_RUNNER_KEYS_C32_H_
