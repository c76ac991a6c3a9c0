// The Secrets Manager calls against the fake AWS endpoints (SigV4 checked with botocore,
// parameters validated against botocore's secretsmanager model), and what an error may say.
#include "aws/secretsmanager.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/service.h"
#include "http/beast_http_client.h"
#include "testing/fake_aws.h"
#include "util/clock.h"

namespace sr::aws {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kValue[] =
    R"({"private_key":"73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801"})";
constexpr char kToken1[] = "0b8d8b7e-1f0e-4a57-9d3c-6f6c8e3a1b01";
constexpr char kToken2[] = "0b8d8b7e-1f0e-4a57-9d3c-6f6c8e3a1b02";

class SecretsManagerAgainstFake : public ::testing::Test {
 protected:
  AwsClient Client(http::HttpClient* http = nullptr, int max_attempts = 3) {
    std::string error;
    auto url = http::ParseUrl(fake_.url(), &error);
    RetryPolicy retry;
    retry.max_attempts = max_attempts;
    retry.base_delay = std::chrono::milliseconds(1);
    return AwsClient(SecretsManager(), "us-east-1", *url,
                     {http ? http : &http_, &clock_, &credentials_, [] { return 0.5; }}, retry);
  }
  // A secret without a value, as CloudFormation creates one with no SecretString.
  std::string CreateEmpty(const std::string& name) {
    AwsClient c = Client();
    auto r = c.CallJson("CreateSecret", {{"Name", name}});
    EXPECT_TRUE(r) << r.error().Describe();
    return r ? (*r)["ARN"].get<std::string>() : "";
  }
  std::vector<json> Requests(const std::string& operation) {
    std::vector<json> out;
    for (const auto& r : fake_.Requests()) {
      EXPECT_TRUE(r.value("signature_ok", false)) << r.dump();
      if (r.value("operation", "") == operation) out.push_back(r);
    }
    return out;
  }

  testing::FakeAws fake_;
  http::BeastHttpClient http_{{}};
  util::SystemClock clock_;
  CachingCredentials credentials_{
      MakeStaticProvider(
          {{testing::kFakeAccessKey, testing::kFakeSecretKey, ""}, std::nullopt, "test"}),
      &clock_};
};

TEST_F(SecretsManagerAgainstFake, EmptySecretThenPutThenGet) {
  const std::string arn = CreateEmpty("stacks/signer");
  AwsClient sm = Client();

  auto described = DescribeSecret(sm, "stacks/signer");
  ASSERT_TRUE(described) << described.error().Describe();
  EXPECT_EQ(described->arn, arn);
  EXPECT_EQ(described->name, "stacks/signer");
  EXPECT_FALSE(described->deleted);
  EXPECT_FALSE(described->CurrentVersionId());

  // No value yet: AWS says ResourceNotFoundException for the AWSCURRENT stage.
  auto nothing = GetSecretValue(sm, arn);
  ASSERT_FALSE(nothing);
  EXPECT_EQ(nothing.error().code, "ResourceNotFoundException");

  auto put = PutSecretValue(sm, arn, kValue, kToken1);
  ASSERT_TRUE(put) << put.error().Describe();
  EXPECT_EQ(put->arn, arn);
  EXPECT_EQ(put->version_id, kToken1);  // the token is the version's id
  EXPECT_THAT(put->version_stages, ElementsAre("AWSCURRENT"));

  auto value = GetSecretValue(sm, arn);
  ASSERT_TRUE(value) << value.error().Describe();
  EXPECT_EQ(value->secret_string, kValue);
  EXPECT_FALSE(value->binary);
  EXPECT_EQ(value->version_id, kToken1);
  EXPECT_THAT(value->version_stages, ElementsAre("AWSCURRENT"));

  // Repeating the same put (a retry) adds no version.
  ASSERT_TRUE(PutSecretValue(sm, arn, kValue, kToken1));
  described = DescribeSecret(sm, arn);
  ASSERT_TRUE(described);
  EXPECT_EQ(described->versions.size(), 1u);
  EXPECT_EQ(described->CurrentVersionId(), kToken1);

  ASSERT_TRUE(PutSecretValue(sm, "stacks/signer", R"({"private_key":"other"})", kToken2));
  described = DescribeSecret(sm, arn);
  ASSERT_TRUE(described);
  EXPECT_EQ(described->CurrentVersionId(), kToken2);
  EXPECT_THAT(described->versions[kToken1], ElementsAre("AWSPREVIOUS"));
  auto previous = GetSecretValue(sm, arn, "AWSPREVIOUS");
  ASSERT_TRUE(previous);
  EXPECT_EQ(previous->secret_string, kValue);

  const auto puts = Requests("PutSecretValue");
  ASSERT_EQ(puts.size(), 3u);
  EXPECT_EQ(puts[0]["params"]["ClientRequestToken"], kToken1);
  EXPECT_EQ(puts[0]["params"]["SecretId"], arn);
}

TEST_F(SecretsManagerAgainstFake, ErrorsAreAwsErrorsWithoutTheValue) {
  AwsClient sm = Client();
  auto missing = DescribeSecret(sm, "no-such-secret");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, AwsError::Kind::kService);
  EXPECT_EQ(missing.error().code, "ResourceNotFoundException");
  EXPECT_EQ(missing.error().service, "Secrets Manager");
  EXPECT_EQ(missing.error().operation, "DescribeSecret");
  EXPECT_EQ(missing.error().http_status, 400);

  const std::string arn = CreateEmpty("stacks/miner");
  fake_.Fault("secretsmanager", "PutSecretValue", "access-denied", 1);
  auto denied = PutSecretValue(sm, arn, kValue, kToken1);
  ASSERT_FALSE(denied);
  EXPECT_TRUE(denied.error().IsAccessDenied()) << denied.error().Describe();
  EXPECT_THAT(denied.error().Describe(), Not(HasSubstr("73a2f291")));

  auto short_token = PutSecretValue(sm, arn, kValue, "too-short");
  ASSERT_FALSE(short_token);
  EXPECT_EQ(short_token.error().code, "InvalidClientRequestToken");
  EXPECT_THAT(short_token.error().message, Not(HasSubstr("73a2f291")));
}

TEST_F(SecretsManagerAgainstFake, ThrottlingIsRetried) {
  const std::string arn = CreateEmpty("stacks/retried");
  AwsClient sm = Client();
  ASSERT_TRUE(PutSecretValue(sm, arn, kValue, kToken1));
  fake_.Fault("secretsmanager", "GetSecretValue", "throttle", 2);
  auto value = GetSecretValue(sm, arn);
  ASSERT_TRUE(value) << value.error().Describe();
  EXPECT_EQ(value->secret_string, kValue);
  EXPECT_EQ(sm.attempts_made(), 3);
}

TEST_F(SecretsManagerAgainstFake, BinarySecretsAreReportedNotRead) {
  AwsClient sm = Client();
  auto created = sm.CallJson("CreateSecret", {{"Name", "binary"}, {"SecretBinary", "AAECAw=="}});
  ASSERT_TRUE(created) << created.error().Describe();
  auto value = GetSecretValue(sm, "binary");
  ASSERT_TRUE(value) << value.error().Describe();
  EXPECT_TRUE(value->binary);
  EXPECT_FALSE(value->secret_string);
}

// Answers every request with the same response.
class CannedHttp : public http::HttpClient {
 public:
  explicit CannedHttp(http::HttpResponse response) : response_(std::move(response)) {}
  http::SendResult Send(const http::Url&, const HttpRequest&,
                        const http::RequestOptions&) override {
    return response_;
  }

 private:
  http::HttpResponse response_;
};

TEST_F(SecretsManagerAgainstFake, AnAnswerThatIsNotJsonIsNotQuoted) {
  CannedHttp http({200, {}, "SecretString=hunter2-the-secret"});
  AwsClient sm = Client(&http);
  auto value = GetSecretValue(sm, "anything");
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().kind, AwsError::Kind::kResponse);
  EXPECT_THAT(value.error().Describe(), Not(HasSubstr("hunter2")));
  EXPECT_THAT(value.error().Describe(), HasSubstr("not JSON"));

  CannedHttp no_value({200, {}, R"({"ARN":"arn:aws:secretsmanager:us-east-1:1:secret:x"})"});
  AwsClient sm2 = Client(&no_value);
  auto empty = GetSecretValue(sm2, "x");
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("without SecretString or SecretBinary"));
}

}  // namespace
}  // namespace sr::aws
