#include "keys/address.h"

#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <stdexcept>

#include "keys/c32.h"
#include "util/sha256.h"

namespace sr::keys {
namespace {

// RIPEMD-160 fetched once from OpenSSL's default provider (EVP_ripemd160() would also look it
// up there in OpenSSL 3; the explicit fetch makes the dependency visible and fails clearly).
const EVP_MD* Ripemd160() {
  static const EVP_MD* md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "RIPEMD160", nullptr);
    if (fetched == nullptr) {
      throw std::runtime_error(
          "RIPEMD-160 is not available from OpenSSL (needed for Stacks addresses): OpenSSL 3.0.7 "
          "or later serves it from the default provider; older 3.0 releases need the legacy one");
    }
    return fetched;
  }();
  return md;
}

}  // namespace

std::optional<Network> ParseNetwork(std::string_view name) {
  if (name == "mainnet") return Network::kMainnet;
  if (name == "testnet") return Network::kTestnet;
  return std::nullopt;
}

std::string_view NetworkName(Network network) {
  return network == Network::kMainnet ? "mainnet" : "testnet";
}

uint8_t SingleSigVersion(Network network) {
  return network == Network::kMainnet ? kMainnetSingleSig : kTestnetSingleSig;
}

Hash160Digest Hash160(std::span<const uint8_t> bytes) {
  const util::Sha256Digest sha =
      util::Sha256Of(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  Hash160Digest out{};
  unsigned int length = 0;
  if (EVP_Digest(sha.data(), sha.size(), out.data(), &length, Ripemd160(), nullptr) != 1 ||
      length != out.size()) {
    throw std::runtime_error("RIPEMD-160 failed in OpenSSL");
  }
  return out;
}

std::string AddressFromHash160(uint8_t version, const Hash160Digest& hash160) {
  return "S" + C32CheckEncode(version, hash160);
}

std::string AddressOf(Network network, const PublicKey& key) {
  return AddressFromHash160(SingleSigVersion(network), Hash160(key.bytes()));
}

std::string AddressOf(Network network, const PrivateKey& key) {
  return AddressOf(network, key.Public());
}

std::string SignerAddressOf(Network network, const PrivateKey& key) {
  return AddressOf(network, key.Public().Compressed());
}

std::optional<ParsedAddress> ParseAddress(std::string_view text, std::string* error) {
  auto fail = [error](const std::string& why) -> std::optional<ParsedAddress> {
    if (error != nullptr) *error = why;
    return std::nullopt;
  };
  if (text.empty() || (text[0] != 'S' && text[0] != 's')) {
    return fail("a Stacks address starts with S");
  }
  std::string why;
  auto decoded = C32CheckDecode(text.substr(1), &why);
  if (!decoded) return fail(why);
  if (decoded->data.size() != 20) {
    return fail("holds " + std::to_string(decoded->data.size()) +
                " bytes where a Stacks address holds a 20-byte hash");
  }
  ParsedAddress out;
  out.version = decoded->version;
  std::copy(decoded->data.begin(), decoded->data.end(), out.hash160.begin());
  return out;
}

}  // namespace sr::keys
