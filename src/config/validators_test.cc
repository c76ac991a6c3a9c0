#include "config/validators.h"

#include <gtest/gtest.h>

namespace sr::config {
namespace {

TEST(Validators, AccountId) {
  EXPECT_TRUE(IsAccountId("111111111111"));
  EXPECT_FALSE(IsAccountId("11111111111"));
  EXPECT_FALSE(IsAccountId("xxxxxxxxxxxx"));
}

TEST(Validators, Region) {
  for (auto r : {"us-east-1", "eu-central-2", "ap-southeast-5", "us-gov-west-1", "cn-north-1",
                 "il-central-1", "mx-central-1"}) {
    EXPECT_TRUE(IsRegion(r)) << r;
  }
  for (auto r : {"us-east", "useast1", "US-EAST-1", "us-east-123", "u-east-1", ""}) {
    EXPECT_FALSE(IsRegion(r)) << r;
  }
}

TEST(Validators, Host) {
  for (auto h : {"bitcoin.mainnet.stacks.org", "10.0.0.1", "localhost", "a-b.example"}) {
    EXPECT_TRUE(IsHost(h)) << h;
  }
  for (auto h :
       {"", "-bad.example", "bad-.example", "a..b", "300.1.1.1", "1.2.3", "a_b.c", "http://x"}) {
    EXPECT_FALSE(IsHost(h)) << h;
  }
}

TEST(Validators, Cidr) {
  EXPECT_TRUE(IsIpv4Cidr("10.0.0.0/8"));
  EXPECT_TRUE(IsIpv4Cidr("0.0.0.0/0"));
  EXPECT_FALSE(IsIpv4Cidr("10.0.0.0/33"));
  EXPECT_FALSE(IsIpv4Cidr("10.0.0.0"));
  EXPECT_FALSE(IsIpv4Cidr("10.0.0/8"));
}

TEST(Validators, ResourceIds) {
  EXPECT_TRUE(IsResourceId("vpc-0a1b2c3d", "vpc"));
  EXPECT_TRUE(IsResourceId("vpc-0a1b2c3d4e5f60001", "vpc"));
  EXPECT_FALSE(IsResourceId("vpc-0A1B2C3D", "vpc"));
  EXPECT_FALSE(IsResourceId("subnet-0a1b2c3d", "vpc"));
  EXPECT_FALSE(IsResourceId("vpc-0a1b2c3d4", "vpc"));
}

TEST(Validators, SecretArn) {
  EXPECT_TRUE(
      IsSecretArn("arn:aws:secretsmanager:us-east-1:111111111111:secret:stacks/signer-Ab12Cd"));
  EXPECT_TRUE(IsSecretArn("arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:x"));
  EXPECT_FALSE(IsSecretArn("arn:aws:ssm:us-east-1:111111111111:parameter/x"));
  EXPECT_FALSE(IsSecretArn("arn:aws:secretsmanager:us-east-1:1111:secret:x"));
  EXPECT_FALSE(IsSecretArn("arn:aws:secretsmanager:us-east-1:111111111111:secret:"));
}

TEST(Validators, ArchiveUrl) {
  EXPECT_TRUE(
      IsArchiveUrl("https://archive.hiro.so/mainnet/stacks-blockchain/"
                   "mainnet-stacks-blockchain-latest.tar.zst"));
  EXPECT_TRUE(IsArchiveUrl("http://127.0.0.1:8080/a.tar.gz"));
  EXPECT_FALSE(IsArchiveUrl("https://archive.hiro.so/a.zip"));
  EXPECT_FALSE(IsArchiveUrl("https:///a.tar.gz"));
  EXPECT_FALSE(IsArchiveUrl("s3://bucket/a.tar.gz"));
  EXPECT_FALSE(IsArchiveUrl("https://h.example/a b.tar.gz"));
  EXPECT_FALSE(IsArchiveUrl("https://h.example:99999/a.tar.gz"));
}

TEST(Validators, BootstrapNode) {
  const std::string key = "0348af7ce1b224476e8f042727af3f84dcf49a69bb3c9dd2a1afaa783acfffb729";
  EXPECT_TRUE(IsBootstrapNode(key + "@seed.testnet.hiro.so:20444"));
  EXPECT_FALSE(IsBootstrapNode(key + "@seed.testnet.hiro.so"));
  EXPECT_FALSE(IsBootstrapNode(key.substr(1) + "@h:1"));
  EXPECT_FALSE(IsBootstrapNode("04" + key.substr(2) + "@h:1"));
  EXPECT_FALSE(IsBootstrapNode(key + "@h:0"));
}

TEST(Validators, Versions) {
  EXPECT_TRUE(IsStacksVersion("4.0.2"));
  EXPECT_TRUE(IsStacksVersion("3.4.0.0.4"));
  EXPECT_FALSE(IsStacksVersion("4.0"));
  EXPECT_FALSE(IsStacksVersion("v4.0.2"));
  EXPECT_FALSE(IsStacksVersion("signer-3.4.0.0.4.0"));
  EXPECT_LT(CompareVersions("3.4.0.0.4", "4.0.1"), 0);
  EXPECT_LT(CompareVersions("4.0.1", "4.0.2"), 0);
  EXPECT_EQ(CompareVersions("4.0.2", "4.0.2"), 0);
  EXPECT_GT(CompareVersions("4.10.0", "4.9.9"), 0);
}

TEST(Validators, BaseUrl) {
  EXPECT_TRUE(IsBaseUrl("https://api.hiro.so"));
  EXPECT_TRUE(IsBaseUrl("https://api.testnet.hiro.so/"));
  EXPECT_TRUE(IsBaseUrl("http://127.0.0.1:20443"));
  EXPECT_TRUE(IsBaseUrl("https://proxy.example/stacks"));
  EXPECT_FALSE(IsBaseUrl("api.hiro.so"));
  EXPECT_FALSE(IsBaseUrl("ftp://api.hiro.so"));
  EXPECT_FALSE(IsBaseUrl("https://api.hiro.so:99999"));
  EXPECT_FALSE(IsBaseUrl("https://user:pw@api.hiro.so"));
  EXPECT_FALSE(IsBaseUrl("https://api.hiro.so/v2/info?x=1"));
  EXPECT_FALSE(IsBaseUrl("https://"));
}

TEST(Validators, EmailAddress) {
  EXPECT_TRUE(IsEmailAddress("ops@example.com"));
  EXPECT_TRUE(IsEmailAddress("first.last+stacks@mail.example.co.uk"));
  EXPECT_FALSE(IsEmailAddress("ops"));
  EXPECT_FALSE(IsEmailAddress("ops@localhost"));
  EXPECT_FALSE(IsEmailAddress("a@b@example.com"));
  EXPECT_FALSE(IsEmailAddress("<ops@example.com>"));
  EXPECT_FALSE(IsEmailAddress("ops@example.com, dev@example.com"));
}

}  // namespace
}  // namespace sr::config
