// SHA-256 (and SHA-512) over bytes, as lowercase hex, and incremental forms for streams.
#ifndef STACKS_RUNNER_UTIL_SHA256_H_
#define STACKS_RUNNER_UTIL_SHA256_H_

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace sr::util {

using Sha256Digest = std::array<uint8_t, 32>;

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  Sha256Digest Finish();  // the hasher may not be updated afterwards

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// SHA-512, incremental, as hex (release checksums).
class Sha512 {
 public:
  Sha512();
  ~Sha512();
  Sha512(const Sha512&) = delete;
  Sha512& operator=(const Sha512&) = delete;
  void Update(std::string_view bytes);
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

Sha256Digest Sha256Of(std::string_view bytes);
std::string Sha256Hex(std::string_view bytes);
std::string HexEncode(std::string_view bytes);
std::string HexEncode(const Sha256Digest& digest);

}  // namespace sr::util

#endif  // STACKS_RUNNER_UTIL_SHA256_H_
