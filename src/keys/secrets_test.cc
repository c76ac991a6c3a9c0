#include "keys/secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::keys {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kKey[] = "73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801";
constexpr char kPassword[] = "0123456789abcdef0123456789abcdef";

std::string Signer(const std::string& key, const std::string& password) {
  return R"({"private_key":")" + key + R"(","auth_password":")" + password + R"("})";
}

TEST(SignerSecret, ReadsTheDocumentedShape) {
  std::string error;
  auto s = ParseSignerSecret(Signer(kKey, kPassword), &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->private_key, kKey);
  EXPECT_EQ(s->auth_password, kPassword);
  EXPECT_EQ(ToJson(*s), Signer(kKey, kPassword));
  // Upper case comes back lower; the form (here without 01) is kept.
  std::string upper = std::string(kKey).substr(0, 64);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto plain = ParseSignerSecret(Signer(upper, kPassword), &error);
  ASSERT_TRUE(plain) << error;
  EXPECT_EQ(plain->private_key, std::string(kKey).substr(0, 64));
}

TEST(SignerSecret, EveryProblemNamesTheFieldAndNoValue) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json " + std::string(kKey),
       "is not a JSON object (expected the fields private_key, "
       "auth_password)"},
      {"[\"" + std::string(kKey) + "\"]", "is not a JSON object"},
      {R"({"auth_password":")" + std::string(kPassword) + R"("})", "missing private_key"},
      {R"({"private_key":")" + std::string(kKey) + R"("})", "missing auth_password"},
      {Signer(std::string(kKey).substr(0, 60), kPassword), "private_key: 60 characters"},
      {Signer(kKey, "short"), "auth_password: 5 characters; accepted: 16 to 256"},
      {Signer(kKey, std::string(kPassword) + "\\\""), "auth_password: a character is not accepted"},
      {Signer(kKey, std::string(kPassword) + " x"), "auth_password: a character is not accepted"},
      {R"({"private_key":1,"auth_password":"x"})", "private_key: not a string"},
      {R"({"privateKey":")" + std::string(kKey) + R"(","auth_password":")" +
           std::string(kPassword) + R"("})",
       "unknown field \"privateKey\" (accepted: private_key, auth_password)"},
      {R"({")" + std::string(kKey) + R"(":""})", "unknown field (its name not shown"},
  };
  for (const auto& [text, why] : cases) {
    std::string error;
    EXPECT_FALSE(ParseSignerSecret(text, &error)) << text;
    EXPECT_THAT(error, HasSubstr(why)) << text;
    EXPECT_THAT(error, Not(HasSubstr(std::string(kKey).substr(0, 16))));
    EXPECT_THAT(error, Not(HasSubstr(std::string(kPassword).substr(0, 16))));
  }
}

TEST(MinerSecret, ReadsAndWrites) {
  std::string error;
  auto s = ParseMinerSecret(R"({"private_key":")" + std::string(kKey) + R"("})", &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->private_key, kKey);
  EXPECT_EQ(ToJson(*s), R"({"private_key":")" + std::string(kKey) + R"("})");
  EXPECT_FALSE(ParseMinerSecret(Signer(kKey, kPassword), &error));
  EXPECT_THAT(error, HasSubstr("unknown field \"auth_password\" (accepted: private_key)"));
  EXPECT_FALSE(ParseMinerSecret("{}", &error));
  EXPECT_THAT(error, HasSubstr("missing private_key"));
}

TEST(BitcoindSecret, ReadsAndChecksWhatBitcoindAndHttpCannotCarry) {
  std::string error;
  auto s = ParseBitcoindSecret(R"({"username":"stacks","password":"p4ss-w0rd/+="})", &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->username, "stacks");
  EXPECT_EQ(s->password, "p4ss-w0rd/+=");
  EXPECT_EQ(ToJson(*s), R"({"username":"stacks","password":"p4ss-w0rd/+="})");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"username":"","password":"x"})", "username: empty"},
      {R"({"username":"a:b","password":"x"})", "username: contains ':'"},
      {R"({"username":"a","password":"top#secret"})", "password: contains '#'"},
      {R"({"username":"a","password":"line\nbreak"})", "password: control characters"},
      {R"({"username":"a","password":" padded"})", "password: control characters or spaces"},
      {R"({"username":"a"})", "missing password"},
      {R"({"user":"a","password":"b"})", "unknown field \"user\""},
  };
  for (const auto& [text, why] : cases) {
    EXPECT_FALSE(ParseBitcoindSecret(text, &error)) << text;
    EXPECT_THAT(error, HasSubstr(why)) << text;
    EXPECT_THAT(error, Not(HasSubstr("top#secret")));
  }
}

TEST(ExistingSecret, TellsEmptyFromKeysFromGarbage) {
  using State = ExistingSecret::State;
  EXPECT_EQ(InspectExistingSecret(SecretKind::kSigner, std::nullopt).state, State::kEmpty);
  EXPECT_EQ(InspectExistingSecret(SecretKind::kSigner, "").state, State::kEmpty);
  EXPECT_EQ(InspectExistingSecret(SecretKind::kMiner, "{}").state, State::kEmpty);

  auto password_only = InspectExistingSecret(
      SecretKind::kSigner, R"({"auth_password":")" + std::string(kPassword) + R"("})");
  EXPECT_EQ(password_only.state, State::kEmpty);
  EXPECT_EQ(password_only.auth_password, kPassword);

  auto signer = InspectExistingSecret(SecretKind::kSigner, Signer(kKey, kPassword));
  EXPECT_EQ(signer.state, State::kHoldsKey);
  EXPECT_EQ(signer.private_key, kKey);
  EXPECT_EQ(signer.auth_password, kPassword);

  auto miner = InspectExistingSecret(SecretKind::kMiner, Signer(kKey, kPassword));
  EXPECT_EQ(miner.state, State::kUnreadable);
  EXPECT_THAT(miner.problem, HasSubstr("unknown field \"auth_password\""));
  EXPECT_TRUE(miner.private_key.empty());

  auto garbage = InspectExistingSecret(SecretKind::kSigner, "hunter2");
  EXPECT_EQ(garbage.state, State::kUnreadable);
  EXPECT_THAT(garbage.problem, HasSubstr("is not a JSON object"));
  EXPECT_THAT(garbage.problem, Not(HasSubstr("hunter2")));

  auto bad_key = InspectExistingSecret(SecretKind::kMiner, R"({"private_key":"abc"})");
  EXPECT_EQ(bad_key.state, State::kUnreadable);
  EXPECT_THAT(bad_key.problem, HasSubstr("private_key: 3 characters"));
}

TEST(SecretKind, Names) {
  EXPECT_EQ(ParseSecretKind("signer"), SecretKind::kSigner);
  EXPECT_EQ(ParseSecretKind("miner"), SecretKind::kMiner);
  EXPECT_EQ(ParseSecretKind("bitcoind"), SecretKind::kBitcoind);
  EXPECT_FALSE(ParseSecretKind("Signer"));
  EXPECT_EQ(SecretKindName(SecretKind::kMiner), "miner");
}

TEST(SignerAuthPassword, GeneratedOnesAreAccepted) {
  const std::string a = GenerateAuthPassword();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_TRUE(CheckAuthPassword(a, nullptr));
  EXPECT_NE(a, GenerateAuthPassword());
}

}  // namespace
}  // namespace sr::keys
