// Byte strings for keys: hex, wiping secrets from memory, and random bytes from the kernel.
#ifndef STACKS_RUNNER_KEYS_BYTES_H_
#define STACKS_RUNNER_KEYS_BYTES_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sr::keys {

using Bytes = std::vector<uint8_t>;

// Lowercase hex of the bytes.
std::string ToHex(std::span<const uint8_t> bytes);
// Hex (either case) to bytes; nullopt on an odd length or a character that is not hex.
std::optional<Bytes> FromHex(std::string_view hex);

// Overwrites the bytes (OPENSSL_cleanse: not optimized away) and then empties the container.
void Wipe(std::string& text);
void Wipe(Bytes& bytes);
void Wipe(std::span<uint8_t> bytes);

// A string that wipes itself when it goes away; for secrets in transit (read from a terminal,
// to be parsed). Copies that std::string made while growing are not reachable from here: reserve
// first where that matters.
class WipedString {
 public:
  WipedString() = default;
  explicit WipedString(std::string text) : text_(std::move(text)) {}
  WipedString(const WipedString&) = delete;
  WipedString& operator=(const WipedString&) = delete;
  ~WipedString() { Wipe(text_); }
  std::string& get() { return text_; }
  const std::string& get() const { return text_; }

 private:
  std::string text_;
};

// Fills `out` from the kernel's CSPRNG (getrandom(2), blocking until it is seeded). False, with
// a message in `error`, when the kernel refuses (no getrandom, seccomp).
bool RandomBytes(std::span<uint8_t> out, std::string* error);
// `count` random bytes as lowercase hex (2 * count characters). Throws std::runtime_error when
// the kernel gives no random bytes (see RandomBytes).
std::string RandomHex(std::size_t count);
// A random (version 4) UUID, lowercase: Secrets Manager's ClientRequestToken.
std::string RandomUuid();

}  // namespace sr::keys

#endif  // STACKS_RUNNER_KEYS_BYTES_H_
