// c32 and c32check against the vectors of stacks-common/src/address/c32.rs (test_simple,
// test_addresses, test_normalize).
#include "keys/c32.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::keys {
namespace {

using ::testing::HasSubstr;

Bytes Hex(std::string_view hex) { return *FromHex(hex); }

TEST(C32, EncodesAndDecodesTheReferenceVectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"a46ff88886c2ef9762d970b4d2c63678835bd39d", "MHQZH246RBQSERPSE2TD5HHPF21NQMWX"},
      {"", ""},
      {"0000000000000000000000000000000000000000", "00000000000000000000"},
      {"0000000000000000000000000000000000000001", "00000000000000000001"},
      {"1000000000000000000000000000000000000001", "20000000000000000000000000000001"},
      {"1000000000000000000000000000000000000000", "20000000000000000000000000000000"},
      {"01", "1"},
      {"22", "12"},
      {"0001", "01"},
      {"000001", "001"},
      {"00000001", "0001"},
      {"10", "G"},
      {"0100", "80"},
      {"1000", "400"},
      {"010000", "2000"},
      {"100000", "10000"},
      {"01000000", "G0000"},
      {"10000000", "800000"},
      {"0100000000", "4000000"},
  };
  for (const auto& [hex, c32] : vectors) {
    EXPECT_EQ(C32Encode(Hex(hex)), c32) << hex;
    auto decoded = C32Decode(c32);
    ASSERT_TRUE(decoded) << c32;
    EXPECT_EQ(ToHex(*decoded), hex) << c32;
  }
}

TEST(C32, LeadingZeroBytesBecomeLeadingZeroDigits) {
  // One '0' per zero byte, then the number: the length keeps how many zero bytes there were.
  EXPECT_EQ(C32Encode(Hex("00")), "0");
  EXPECT_EQ(C32Encode(Hex("0000")), "00");
  EXPECT_EQ(C32Encode(Hex("00ff")), "07Z");
  EXPECT_EQ(ToHex(*C32Decode("0")), "00");
  EXPECT_EQ(ToHex(*C32Decode("07Z")), "00ff");
}

TEST(C32, DecodingIsCaseInsensitiveWithCrockfordAliases) {
  EXPECT_EQ(C32Decode("mhqzh246rbqserpse2td5hhpf21nqmwx"),
            C32Decode("MHQZH246RBQSERPSE2TD5HHPF21NQMWX"));
  EXPECT_EQ(C32Decode("O1"), C32Decode("01"));
  EXPECT_EQ(C32Decode("oI"), C32Decode("01"));
  EXPECT_EQ(C32Decode("L"), C32Decode("1"));
  EXPECT_FALSE(C32Decode("U"));
  EXPECT_FALSE(C32Decode("1-2"));
  EXPECT_FALSE(C32Decode("\xc3\xa9"));
}

TEST(C32Check, AddressesOfEveryVersion) {
  const std::vector<std::string> hashes = {
      "a46ff88886c2ef9762d970b4d2c63678835bd39d", "0000000000000000000000000000000000000000",
      "0000000000000000000000000000000000000001", "1000000000000000000000000000000000000001",
      "1000000000000000000000000000000000000000"};
  const std::vector<std::pair<uint8_t, std::vector<std::string>>> expected = {
      {22,
       {"SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7", "SP000000000000000000002Q6VF78",
        "SP00000000000000000005JA84HQ", "SP80000000000000000000000000000004R0CMNV",
        "SP800000000000000000000000000000033H8YKK"}},
      {0,
       {"S02J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKPVKG2CE", "S0000000000000000000002AA028H",
        "S000000000000000000006EKBDDS", "S080000000000000000000000000000007R1QC00",
        "S080000000000000000000000000000003ENTGCQ"}},
      {31,
       {"SZ2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQ9H6DPR", "SZ000000000000000000002ZE1VMN",
        "SZ00000000000000000005HZ3DVN", "SZ80000000000000000000000000000004XBV6MS",
        "SZ800000000000000000000000000000007VF5G0"}},
      {20,
       {"SM2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQVX8X0G", "SM0000000000000000000062QV6X",
        "SM00000000000000000005VR75B2", "SM80000000000000000000000000000004WBEWKC",
        "SM80000000000000000000000000000000JGSYGV"}},
      {26,
       {"ST2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKQYAC0RQ", "ST000000000000000000002AMW42H",
        "ST000000000000000000042DB08Y", "ST80000000000000000000000000000006BYJ4R4",
        "ST80000000000000000000000000000002YBNPV3"}},
      {21,
       {"SN2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKP6D2ZK9", "SN000000000000000000003YDHWKJ",
        "SN00000000000000000005341MC8", "SN800000000000000000000000000000066KZWY0",
        "SN800000000000000000000000000000006H75AK"}},
  };
  for (const auto& [version, addresses] : expected) {
    for (size_t i = 0; i < hashes.size(); ++i) {
      const std::string address = "S" + C32CheckEncode(version, Hex(hashes[i]));
      EXPECT_EQ(address, addresses[i]) << int(version) << " " << hashes[i];
      std::string error;
      auto decoded = C32CheckDecode(address.substr(1), &error);
      ASSERT_TRUE(decoded) << error;
      EXPECT_EQ(decoded->version, version);
      EXPECT_EQ(ToHex(decoded->data), hashes[i]);
    }
  }
}

TEST(C32Check, NormalizesCaseAndAliases) {
  for (const char* text :
       {"02J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKPVKG2CE", "O2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKPVKG2CE",
        "02J6ZY48GVLEZ5V2V5RB9MP66SW86PYKKPVKG2CE", "O2J6ZY48GVLEZ5V2V5RB9MP66SW86PYKKPVKG2CE",
        "02j6zy48gv1ez5v2v5rb9mp66sw86pykkpvkg2ce", "O2j6zy48gv1ez5v2v5rb9mp66sw86pykkpvkg2ce",
        "02j6zy48gvlez5v2v5rb9mp66sw86pykkpvkg2ce", "O2j6zy48gvlez5v2v5rb9mp66sw86pykkpvkg2ce"}) {
    std::string error;
    auto decoded = C32CheckDecode(text, &error);
    ASSERT_TRUE(decoded) << text << ": " << error;
    EXPECT_EQ(decoded->version, 0);
    EXPECT_EQ(ToHex(decoded->data), "a46ff88886c2ef9762d970b4d2c63678835bd39d");
  }
}

TEST(C32Check, RefusesBadInputWithTheReason) {
  std::string error;
  EXPECT_FALSE(C32CheckDecode("P2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ8", &error));
  EXPECT_THAT(error, HasSubstr("checksum does not match"));
  EXPECT_FALSE(C32CheckDecode("P2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJU", &error));
  EXPECT_THAT(error, HasSubstr("not a c32 digit"));
  EXPECT_FALSE(C32CheckDecode("P", &error));
  EXPECT_THAT(error, HasSubstr("too short"));
  EXPECT_FALSE(C32CheckDecode("P0000", &error));
  EXPECT_THAT(error, HasSubstr("too short"));
  EXPECT_THROW(C32CheckEncode(32, Hex("00")), std::invalid_argument);
}

}  // namespace
}  // namespace sr::keys
