#include "deploy/secret_guard.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::deploy {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

const char kArn[] = "arn:aws:secretsmanager:us-east-1:111111111111:secret:my-signer-AbCdEf";

Json TemplateWith(std::initializer_list<const char*> resources) {
  Json t = {{"Resources", {{"NodeInstance", {{"Type", "AWS::EC2::Instance"}}}}}};
  for (const char* r : resources) t["Resources"][r] = {{"Type", "AWS::SecretsManager::Secret"}};
  return t;
}

TEST(SecretSwitch, FromANamedSecretToANewOneIsRefusedNamingTheVariableAndTheArn) {
  const auto problem = SecretSwitchProblem(TemplateWith({}), {{"signersecretarn", kArn, "", ""}},
                                           TemplateWith({"SignerSecret"}));
  ASSERT_TRUE(problem);
  EXPECT_THAT(*problem, HasSubstr(std::string("set STACKS_SIGNER_SECRET_ARN=") + kArn));
  EXPECT_THAT(*problem, HasSubstr("generate a new signer key"));
}

TEST(SecretSwitch, TheMinerSecretToo) {
  const auto problem =
      SecretSwitchProblem(TemplateWith({"SignerSecret"}), {{"minersecretarn", kArn, "", ""}},
                          TemplateWith({"SignerSecret", "MinerSecret"}));
  ASSERT_TRUE(problem);
  EXPECT_THAT(*problem, HasSubstr("STACKS_MINER_SECRET_ARN="));
}

TEST(SecretSwitch, NewStacksSameSecretsAndSwitchesToANamedSecretPass) {
  // A new stack: nothing deployed.
  EXPECT_FALSE(SecretSwitchProblem(Json(), {}, TemplateWith({"SignerSecret"})));
  // The stack created its secret before and still does.
  EXPECT_FALSE(SecretSwitchProblem(TemplateWith({"SignerSecret"}),
                                   {{"signersecretarn", kArn, "", ""}},
                                   TemplateWith({"SignerSecret"})));
  // From the created secret to a named one (the retained secret stays, nothing is generated).
  EXPECT_FALSE(SecretSwitchProblem(TemplateWith({"SignerSecret"}),
                                   {{"signersecretarn", kArn, "", ""}}, TemplateWith({})));
  // A follower becoming a signer: no secret was in use.
  EXPECT_FALSE(SecretSwitchProblem(TemplateWith({}), {}, TemplateWith({"SignerSecret"})));
}

}  // namespace
}  // namespace sr::deploy
