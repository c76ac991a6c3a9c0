#include "aws/endpoints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::aws {
namespace {

using ::testing::HasSubstr;

const SharedConfig kConfig = SharedConfig::FromText(
    "", "[profile dev]\nregion = eu-central-1\nendpoint_url = http://dev.local:4566\n");

TEST(Region, Order) {
  auto none = [] { return std::optional<std::string>(); };
  EXPECT_EQ(ResolveRegion("us-west-2", {{"AWS_REGION", "eu-west-1"}}, kConfig, "dev", none)->value,
            "us-west-2");
  EXPECT_EQ(ResolveRegion("", {{"AWS_REGION", "eu-west-1"}, {"AWS_DEFAULT_REGION", "x"}}, kConfig,
                          "dev", none)
                ->value,
            "eu-west-1");
  EXPECT_EQ(ResolveRegion("", {{"AWS_DEFAULT_REGION", "ap-south-1"}}, kConfig, "dev", none)->value,
            "ap-south-1");
  const auto from_profile = ResolveRegion("", {}, kConfig, "dev", none);
  EXPECT_EQ(from_profile->value, "eu-central-1");
  EXPECT_THAT(from_profile->source, HasSubstr("profile dev"));
  const auto from_imds = ResolveRegion("", {}, kConfig, "default",
                                       [] { return std::optional<std::string>("sa-east-1"); });
  EXPECT_EQ(from_imds->value, "sa-east-1");
  EXPECT_EQ(from_imds->source, "instance metadata");
}

TEST(Region, NoneFoundSaysWhereItLooked) {
  const auto r = ResolveRegion("", {}, kConfig, "default", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("AWS_REGION"));
  EXPECT_THAT(r.error().message, HasSubstr("AWS_DEFAULT_REGION"));
  EXPECT_THAT(r.error().message, HasSubstr("instance metadata"));
}

TEST(Region, InvalidNamesAreRefused) {
  const auto r = ResolveRegion("", {{"AWS_REGION", "us-east"}}, kConfig, "default", nullptr);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("\"us-east\" from AWS_REGION"));
}

TEST(Endpoints, ServiceSpecificThenGlobalThenProfileThenDefault) {
  const Environment env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                           {"AWS_ENDPOINT_URL_CLOUDFORMATION", "http://127.0.0.1:5000"}};
  EXPECT_EQ(ResolveEndpoint(CloudFormation(), "us-east-1", env, kConfig, "dev").value,
            "http://127.0.0.1:5000");
  EXPECT_EQ(ResolveEndpoint(Ec2(), "us-east-1", env, kConfig, "dev").value,
            "http://127.0.0.1:4566");
  EXPECT_EQ(ResolveEndpoint(Ec2(), "us-east-1", {}, kConfig, "dev").value, "http://dev.local:4566");
  EXPECT_EQ(ResolveEndpoint(Ec2(), "us-east-1", {}, kConfig, "default").value,
            "https://ec2.us-east-1.amazonaws.com");
  EXPECT_EQ(ResolveEndpoint(AutoScaling(), "us-east-1",
                            {{"AWS_ENDPOINT_URL_AUTO_SCALING", "http://a:1"}}, kConfig, "default")
                .value,
            "http://a:1");
  EXPECT_EQ(ResolveEndpoint(SecretsManager(), "us-east-1",
                            {{"AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://s:1"}}, kConfig, "x")
                .value,
            "http://s:1");
}

TEST(Endpoints, ConfiguredEndpointsCanBeIgnored) {
  const Environment env = {{"AWS_ENDPOINT_URL", "http://127.0.0.1:4566"},
                           {"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"}};
  EXPECT_EQ(ResolveEndpoint(Sts(), "eu-west-1", env, kConfig, "dev").value,
            "https://sts.eu-west-1.amazonaws.com");
}

TEST(Endpoints, Partitions) {
  EXPECT_EQ(ResolveEndpoint(CloudWatch(), "cn-north-1", {}, kConfig, "x").value,
            "https://monitoring.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(PartitionOf("us-gov-west-1"), "aws-us-gov");
  EXPECT_EQ(PartitionOf("eu-west-1"), "aws");
}

TEST(Profiles, Name) {
  EXPECT_EQ(ProfileName({}), "default");
  EXPECT_EQ(ProfileName({{"AWS_DEFAULT_PROFILE", "b"}}), "b");
  EXPECT_EQ(ProfileName({{"AWS_PROFILE", "a"}, {"AWS_DEFAULT_PROFILE", "b"}}), "a");
}

}  // namespace
}  // namespace sr::aws
