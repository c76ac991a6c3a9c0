#include "keys/key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

namespace sr::keys {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// (Joined with append: GCC 12 misreports string + literal here as -Wstringop-overread.)
std::string Cat(std::string a, std::string_view b) {
  a.append(b);
  return a;
}

constexpr char kSecret[] = "edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc";
// Its public keys, re-derived with Python's `cryptography`.
constexpr char kCompressed[] = "03ef788b3830c00abe8f64f62dc32fc863bc0b2cafeb073b6c8e1c7657d9c2c3ab";
constexpr char kUncompressed[] =
    "04ef788b3830c00abe8f64f62dc32fc863bc0b2cafeb073b6c8e1c7657d9c2c3ab5b435d20ea91337cdd8c30dd"
    "7427bb098a5355e9c9bfad43797899b8137237cf";

TEST(PrivateKey, SuffixDecidesThePublicKeyForm) {
  std::string error;
  auto plain = PrivateKey::FromHex(kSecret, &error);
  ASSERT_TRUE(plain) << error;
  EXPECT_FALSE(plain->compressed());
  EXPECT_EQ(plain->Hex(), kSecret);
  EXPECT_EQ(plain->Public().Hex(), kUncompressed);
  EXPECT_EQ(plain->Public().Compressed().Hex(), kCompressed);

  auto compressed = PrivateKey::FromHex(std::string(kSecret) + "01", &error);
  ASSERT_TRUE(compressed) << error;
  EXPECT_TRUE(compressed->compressed());
  EXPECT_EQ(compressed->Hex(), std::string(kSecret) + "01");
  EXPECT_EQ(compressed->Public().Hex(), kCompressed);
  EXPECT_FALSE(*plain == *compressed);
}

TEST(PrivateKey, UpperCaseIsReadAndWrittenLower) {
  std::string upper = std::string(kSecret) + "01";
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto key = PrivateKey::FromHex(upper, nullptr);
  ASSERT_TRUE(key);
  EXPECT_EQ(key->Hex(), std::string(kSecret) + "01");
}

TEST(PrivateKey, BadTextSaysWhatIsAcceptedAndNeverEchoesIt) {
  const std::string secretish = std::string(kSecret).substr(0, 40);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "0 characters"},
      {secretish, "40 characters"},
      {Cat(kSecret, "02"), "not ending in 01"},
      {Cat(kSecret, "0101"), "68 characters"},
      {Cat(std::string(kSecret).substr(0, 63), "g"), "character 64 is not hexadecimal"},
      {std::string(64, '0'), "not a valid secp256k1 private key"},
      // The curve order n, and n + 1: neither is below n.
      {"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not a valid"},
      {"fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", "not a valid"},
  };
  for (const auto& [text, why] : cases) {
    std::string error;
    EXPECT_FALSE(PrivateKey::FromHex(text, &error)) << text;
    EXPECT_THAT(error, HasSubstr(why)) << text;
    if (text.size() >= 8) {
      EXPECT_THAT(error, Not(HasSubstr(text.substr(0, 8))));
    }
    EXPECT_THAT(error, Not(HasSubstr(secretish.substr(0, 8))));
  }
  // n - 1 is the largest key.
  EXPECT_TRUE(PrivateKey::FromHex(
      "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", nullptr));
}

TEST(PrivateKey, GeneratedKeysAreCompressedValidAndDifferent) {
  std::set<std::string> seen;
  for (int i = 0; i < 20; ++i) {
    std::string error;
    auto key = PrivateKey::Generate(&error);
    ASSERT_TRUE(key) << error;
    EXPECT_TRUE(key->compressed());
    const std::string hex = key->Hex();
    ASSERT_EQ(hex.size(), 66u);
    EXPECT_EQ(hex.substr(64), "01");
    auto again = PrivateKey::FromHex(hex, &error);
    ASSERT_TRUE(again) << error;
    EXPECT_TRUE(*again == *key);
    EXPECT_EQ(again->Public().Hex(), key->Public().Hex());
    EXPECT_EQ(key->Public().bytes().size(), 33u);
    seen.insert(hex);
  }
  EXPECT_EQ(seen.size(), 20u);
}

TEST(PublicKey, ParsesBothFormsOfAPointOnTheCurve) {
  std::string error;
  auto compressed = PublicKey::FromHex(kCompressed, &error);
  ASSERT_TRUE(compressed) << error;
  EXPECT_TRUE(compressed->compressed());
  auto uncompressed = PublicKey::FromHex(kUncompressed, &error);
  ASSERT_TRUE(uncompressed) << error;
  EXPECT_FALSE(uncompressed->compressed());
  EXPECT_EQ(uncompressed->Compressed().Hex(), kCompressed);
  EXPECT_EQ(uncompressed->Hex(), kUncompressed);
}

TEST(PublicKey, RefusesWhatIsNotOne) {
  std::string error;
  EXPECT_FALSE(PublicKey::FromHex(kSecret, &error));
  EXPECT_THAT(error, HasSubstr("64 characters: a public key is 66 hex characters starting 02"));
  std::string wrong_prefix = kCompressed;
  wrong_prefix[1] = '4';
  EXPECT_FALSE(PublicKey::FromHex(wrong_prefix, &error));
  EXPECT_THAT(error, HasSubstr("wrong first byte"));
  std::string hybrid = kUncompressed;
  hybrid[1] = '7';  // the hybrid form 06/07 of libsecp256k1 is not a Stacks key
  EXPECT_FALSE(PublicKey::FromHex(hybrid, &error));
  std::string off_curve = kUncompressed;
  off_curve.back() = off_curve.back() == '0' ? '1' : '0';
  EXPECT_FALSE(PublicKey::FromHex(off_curve, &error));
  EXPECT_THAT(error, HasSubstr("not a point on the secp256k1 curve"));
}

TEST(KeyTextForm, FormsThatCouldBeEither) {
  EXPECT_TRUE(ClassifyKeyText(kSecret).may_be_private);
  EXPECT_FALSE(ClassifyKeyText(kSecret).may_be_public);
  EXPECT_TRUE(ClassifyKeyText(kUncompressed).may_be_public);
  EXPECT_FALSE(ClassifyKeyText(kUncompressed).may_be_private);
  EXPECT_TRUE(ClassifyKeyText(kCompressed).may_be_public);
  EXPECT_FALSE(ClassifyKeyText(kCompressed).may_be_private);
  const std::string both = "02" + std::string(kSecret).substr(2) + "01";
  EXPECT_TRUE(ClassifyKeyText(both).may_be_private);
  EXPECT_TRUE(ClassifyKeyText(both).may_be_public);
  EXPECT_FALSE(ClassifyKeyText("zz").may_be_private);
}

}  // namespace
}  // namespace sr::keys
