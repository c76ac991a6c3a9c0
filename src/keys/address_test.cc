// Every vector of section 8 of the Stacks node facts (stacks.js keys.test.ts, stacks-core
// docs/testnet.md, ConfigFile::mocknet(), stacks-signer's config test, c32.rs), for compressed and
// uncompressed keys. Those marked "derived" were re-derived with Python's `cryptography` and
// `hashlib`.
#include "keys/address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "keys/c32.h"

namespace sr::keys {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct Vector {
  const char* private_key;
  const char* mainnet;
  const char* testnet;
};

const Vector kVectors[] = {
    // stacks.js privateKeyToAddress: compressed.
    {"73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801",
     "SP10J81WVGVB3M4PHQN4Q4G0R8586TBJH948RESDR", "ST10J81WVGVB3M4PHQN4Q4G0R8586TBJH94CGRESQ"},
    // stacks.js: no 01, so the uncompressed public key.
    {"edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc",
     "SPZG6BAY4JVR9RNAB1HY92B7Q208ZYY4HZEA9PX5", "STZG6BAY4JVR9RNAB1HY92B7Q208ZYY4HZG8ZXFM"},
    // The same secret compressed (stacks.js publicKeyToAddress of 03ef788b...; testnet derived).
    {"edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc01",
     "SPAW66WC3G8WA5F28JVNG1NTRJ6H76E7EN5H6QQD", "STAW66WC3G8WA5F28JVNG1NTRJ6H76E7EMHDBMBN"},
    // stacks-core docs/testnet.md (mainnet derived).
    {"b8d99fd45da58038d630d9855d3ca2466e8e0f89d3894c4724f0efc9ff4b51f001",
     "SP2ZRX0K27GW0SP3GJCEMHD95TQGJMKB7GB36ZAR0", "ST2ZRX0K27GW0SP3GJCEMHD95TQGJMKB7G9Y0X1MH"},
    // ConfigFile::mocknet() (mainnet derived).
    {"539e35c740079b79f931036651ad01f76d8fe1496dbd840ba9e62c7e7b355db001",
     "SP3EQ88S02BXXD0T5ZVT3KW947CRMQ1C6DQR47Z9M", "ST3EQ88S02BXXD0T5ZVT3KW947CRMQ1C6DMQY8H19"},
    // stacks-signer's config test, compressed (testnet derived).
    {"2de4e77aab89c0c2570bb8bb90824f5cf2a5204a975905fee450ff9dad0fcf2801",
     "SP1286C62P3TAWVQV2VM2CEGTRBQZSZ6MHMS9RW05", "ST1286C62P3TAWVQV2VM2CEGTRBQZSZ6MHPXD9453"},
    // The same signer secret without 01, as stacks-node and stacks.js read it (derived).
    {"2de4e77aab89c0c2570bb8bb90824f5cf2a5204a975905fee450ff9dad0fcf28",
     "SP1H4H4C4ZFRTR1Q1DAGFXCDCCD0GP6H25S6RSEQ9", "ST1H4H4C4ZFRTR1Q1DAGFXCDCCD0GP6H25RJ8GTNF"},
};

TEST(StacksAddress, EveryVectorOnBothNetworks) {
  for (const Vector& v : kVectors) {
    std::string error;
    auto key = PrivateKey::FromHex(v.private_key, &error);
    ASSERT_TRUE(key) << error;
    EXPECT_EQ(AddressOf(Network::kMainnet, *key), v.mainnet) << v.private_key;
    EXPECT_EQ(AddressOf(Network::kTestnet, *key), v.testnet) << v.private_key;
    // And from the public key alone.
    auto public_key = PublicKey::FromHex(key->Public().Hex(), &error);
    ASSERT_TRUE(public_key) << error;
    EXPECT_EQ(AddressOf(Network::kMainnet, *public_key), v.mainnet);
  }
}

TEST(StacksAddress, PublicKeysOfTheVectors) {
  auto key = PrivateKey::FromHex(
      "b8d99fd45da58038d630d9855d3ca2466e8e0f89d3894c4724f0efc9ff4b51f001", nullptr);
  EXPECT_THAT(key->Public().Hex(), StartsWith("02781d2d"));
  auto uncompressed = PrivateKey::FromHex(
      "edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc", nullptr);
  EXPECT_THAT(uncompressed->Public().Compressed().Hex(), StartsWith("03ef788b"));
  EXPECT_THAT(uncompressed->Public().Compressed().Hex(), ::testing::EndsWith("c2c3ab"));
}

TEST(StacksAddress, SignerAlwaysUsesTheCompressedKey) {
  // stacks-signer's test_stacks_addr_from_priv_key: the same address with and without 01.
  for (const char* hex : {"2de4e77aab89c0c2570bb8bb90824f5cf2a5204a975905fee450ff9dad0fcf28",
                          "2de4e77aab89c0c2570bb8bb90824f5cf2a5204a975905fee450ff9dad0fcf2801"}) {
    auto key = PrivateKey::FromHex(hex, nullptr);
    ASSERT_TRUE(key);
    EXPECT_EQ(SignerAddressOf(Network::kMainnet, *key),
              "SP1286C62P3TAWVQV2VM2CEGTRBQZSZ6MHMS9RW05");
    EXPECT_EQ(SignerAddressOf(Network::kTestnet, *key),
              "ST1286C62P3TAWVQV2VM2CEGTRBQZSZ6MHPXD9453");
  }
}

TEST(StacksAddress, FromHash160) {
  Hash160Digest hash{};
  auto bytes = FromHex("a46ff88886c2ef9762d970b4d2c63678835bd39d");
  std::copy(bytes->begin(), bytes->end(), hash.begin());
  EXPECT_EQ(AddressFromHash160(kMainnetSingleSig, hash),
            "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7");
  EXPECT_EQ(AddressFromHash160(kTestnetSingleSig, hash),
            "ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ");
  EXPECT_EQ(AddressFromHash160(kMainnetMultiSig, hash),
            "SM2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQVX8X0G");
  EXPECT_EQ(AddressFromHash160(kTestnetMultiSig, hash),
            "SN2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKP6D2ZK9");
  // The boot contracts' address: twenty zero bytes are twenty '0' digits.
  EXPECT_EQ(AddressFromHash160(kMainnetSingleSig, Hash160Digest{}),
            "SP000000000000000000002Q6VF78");
}

TEST(StacksAddress, Hash160IsRipemdOfSha256) {
  // RIPEMD-160(SHA-256("")): OpenSSL's RIPEMD-160 is there (default provider, 3.0.7 and later).
  EXPECT_EQ(ToHex(Hash160({})), "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb");
}

TEST(StacksAddress, ParseRoundTripsAndChecks) {
  std::string error;
  for (const Vector& v : kVectors) {
    for (const char* text : {v.mainnet, v.testnet}) {
      auto parsed = ParseAddress(text, &error);
      ASSERT_TRUE(parsed) << text << ": " << error;
      EXPECT_EQ(AddressFromHash160(parsed->version, parsed->hash160), text);
    }
  }
  auto lower = ParseAddress("sp10j81wvgvb3m4phqn4q4g0r8586tbjh948resdr", &error);
  ASSERT_TRUE(lower) << error;
  EXPECT_EQ(lower->version, kMainnetSingleSig);
  EXPECT_FALSE(ParseAddress("SP10J81WVGVB3M4PHQN4Q4G0R8586TBJH948RESDS", &error));
  EXPECT_THAT(error, HasSubstr("checksum"));
  EXPECT_FALSE(ParseAddress("XP10J81WVGVB3M4PHQN4Q4G0R8586TBJH948RESDR", &error));
  EXPECT_THAT(error, HasSubstr("starts with S"));
  EXPECT_FALSE(ParseAddress("S" + C32CheckEncode(22, *FromHex("0102")), &error));
  EXPECT_THAT(error, HasSubstr("20-byte hash"));
}

TEST(StacksAddress, GenerateAddressParseRoundTrip) {
  for (int i = 0; i < 10; ++i) {
    auto key = PrivateKey::Generate(nullptr);
    ASSERT_TRUE(key);
    for (Network n : {Network::kMainnet, Network::kTestnet}) {
      const std::string address = AddressOf(n, *key);
      EXPECT_THAT(address, StartsWith(n == Network::kMainnet ? "SP" : "ST"));
      std::string error;
      auto parsed = ParseAddress(address, &error);
      ASSERT_TRUE(parsed) << error;
      EXPECT_EQ(parsed->version, SingleSigVersion(n));
      EXPECT_EQ(parsed->hash160, Hash160(key->Public().bytes()));
      // The text form read back is the same key, with the same address.
      auto again = PrivateKey::FromHex(key->Hex(), &error);
      ASSERT_TRUE(again) << error;
      EXPECT_EQ(AddressOf(n, *again), address);
      EXPECT_EQ(SignerAddressOf(n, *again), address);  // generated keys are compressed
    }
  }
}

TEST(StacksNetwork, Names) {
  EXPECT_EQ(ParseNetwork("mainnet"), Network::kMainnet);
  EXPECT_EQ(ParseNetwork("testnet"), Network::kTestnet);
  EXPECT_FALSE(ParseNetwork("Mainnet"));
  EXPECT_FALSE(ParseNetwork("mocknet"));
  EXPECT_EQ(NetworkName(Network::kTestnet), "testnet");
}

}  // namespace
}  // namespace sr::keys
