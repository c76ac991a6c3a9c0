#include "keys/c32.h"

#include <algorithm>
#include <array>
#include <stdexcept>

#include "util/sha256.h"

namespace sr::keys {
namespace {

int C32Value(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'O') return 0;
  if (c == 'I' || c == 'L') return 1;
  const auto at = kC32Alphabet.find(c);
  return at == std::string_view::npos ? -1 : static_cast<int>(at);
}

std::array<uint8_t, 4> Checksum(uint8_t version, std::span<const uint8_t> data) {
  util::Sha256 first;
  first.Update(std::string_view(reinterpret_cast<const char*>(&version), 1));
  first.Update(std::string_view(reinterpret_cast<const char*>(data.data()), data.size()));
  const util::Sha256Digest once = first.Finish();
  const util::Sha256Digest twice =
      util::Sha256Of(std::string_view(reinterpret_cast<const char*>(once.data()), once.size()));
  return {twice[0], twice[1], twice[2], twice[3]};
}

}  // namespace

std::string C32Encode(std::span<const uint8_t> bytes) {
  // Digits from the least significant end: bits are taken from the last byte upwards.
  std::string reversed;
  reversed.reserve(bytes.size() * 8 / 5 + 2);
  unsigned accumulator = 0;
  int bits = 0;
  for (auto it = bytes.rbegin(); it != bytes.rend(); ++it) {
    accumulator |= static_cast<unsigned>(*it) << bits;
    bits += 8;
    while (bits >= 5) {
      reversed += kC32Alphabet[accumulator & 31];
      accumulator >>= 5;
      bits -= 5;
    }
  }
  if (bits > 0) reversed += kC32Alphabet[accumulator & 31];
  // The number without leading zero digits, then one '0' per leading zero byte.
  while (!reversed.empty() && reversed.back() == '0') reversed.pop_back();
  for (uint8_t b : bytes) {
    if (b != 0) break;
    reversed += '0';
  }
  return std::string(reversed.rbegin(), reversed.rend());
}

std::optional<Bytes> C32Decode(std::string_view text) {
  Bytes reversed;
  reversed.reserve(text.size() * 5 / 8 + 1);
  unsigned accumulator = 0;
  int bits = 0;
  for (auto it = text.rbegin(); it != text.rend(); ++it) {
    const int value = C32Value(*it);
    if (value < 0) return std::nullopt;
    accumulator |= static_cast<unsigned>(value) << bits;
    bits += 5;
    if (bits >= 8) {
      reversed.push_back(static_cast<uint8_t>(accumulator & 0xff));
      accumulator >>= 8;
      bits -= 8;
    }
  }
  if (bits > 0) reversed.push_back(static_cast<uint8_t>(accumulator));
  while (!reversed.empty() && reversed.back() == 0) reversed.pop_back();
  for (char c : text) {
    if (C32Value(c) != 0) break;
    reversed.push_back(0);
  }
  return Bytes(reversed.rbegin(), reversed.rend());
}

std::string C32CheckEncode(uint8_t version, std::span<const uint8_t> data) {
  if (version >= 32) {
    throw std::invalid_argument("c32check version " + std::to_string(version) + " is not below 32");
  }
  const auto checksum = Checksum(version, data);
  Bytes with_checksum(data.begin(), data.end());
  with_checksum.insert(with_checksum.end(), checksum.begin(), checksum.end());
  return kC32Alphabet[version] + C32Encode(with_checksum);
}

std::optional<C32CheckData> C32CheckDecode(std::string_view text, std::string* error) {
  auto fail = [error](std::string message) -> std::optional<C32CheckData> {
    if (error != nullptr) *error = std::move(message);
    return std::nullopt;
  };
  if (text.size() < 2) return fail("too short");
  const int version = C32Value(text[0]);
  if (version < 0) return fail("the version character is not a c32 digit");
  auto decoded = C32Decode(text.substr(1));
  if (!decoded) return fail("a character is not a c32 digit (0-9 and A-Z but U)");
  if (decoded->size() < 5) return fail("too short for data and a checksum");
  Bytes data(decoded->begin(), decoded->end() - 4);
  const auto expected = Checksum(static_cast<uint8_t>(version), data);
  if (!std::equal(expected.begin(), expected.end(), decoded->end() - 4)) {
    return fail("the checksum does not match (a mistyped character?)");
  }
  return C32CheckData{static_cast<uint8_t>(version), std::move(data)};
}

}  // namespace sr::keys
