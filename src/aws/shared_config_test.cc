#include "aws/shared_config.h"

#include <gtest/gtest.h>

#include "testing/test_support.h"

namespace sr::aws {
namespace {

TEST(SharedConfig, ReadsBothFilesAsTheCliDoes) {
  const SharedConfig c = SharedConfig::FromText(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s3cr3t\n"
      "; comment\n[dev]\naws_access_key_id=AKIDDEV\n",
      "[default]\nregion = eu-west-1\n"
      "[profile dev]\nregion = us-west-2\naws_access_key_id = FROMCONFIG\n"
      "s3 =\n  max_concurrent_requests = 20\n  addressing_style = path\n"
      "output = json\n"
      "[sso-session corp]\nsso_region = us-east-1\n");
  EXPECT_EQ(c.Get("default", "aws_access_key_id"), "AKIDDEFAULT");
  EXPECT_EQ(c.Get("default", "region"), "eu-west-1");
  EXPECT_EQ(c.Get("dev", "region"), "us-west-2");
  // The credentials file wins over the config file.
  EXPECT_EQ(c.Get("dev", "aws_access_key_id"), "AKIDDEV");
  // Nested blocks are skipped, and the key after them is read again.
  EXPECT_FALSE(c.Get("dev", "max_concurrent_requests").has_value());
  EXPECT_FALSE(c.Get("dev", "s3").has_value());
  EXPECT_EQ(c.Get("dev", "output"), "json");
  EXPECT_FALSE(c.HasProfile("corp"));
  EXPECT_FALSE(c.HasProfile("sso-session corp"));
  EXPECT_TRUE(c.HasProfile("dev"));
}

TEST(SharedConfig, LoadsFromTheEnvironmentsPathsOrHome) {
  testing::FakeFileSystem fs;
  fs.files["/home/op/.aws/credentials"] = "[default]\naws_access_key_id = A\n";
  fs.files["/etc/aws-config"] = "[profile x]\nregion = us-east-2\n";
  const SharedConfig c =
      SharedConfig::Load({{"HOME", "/home/op"}, {"AWS_CONFIG_FILE", "/etc/aws-config"}}, fs);
  EXPECT_EQ(c.Get("default", "aws_access_key_id"), "A");
  EXPECT_EQ(c.Get("x", "region"), "us-east-2");
  EXPECT_EQ(c.credentials_path, "/home/op/.aws/credentials");
  EXPECT_EQ(c.config_path, "/etc/aws-config");
}

TEST(SharedConfig, MissingFilesAreEmpty) {
  testing::FakeFileSystem fs;
  const SharedConfig c = SharedConfig::Load({{"HOME", "/nowhere"}}, fs);
  EXPECT_FALSE(c.HasProfile("default"));
}

}  // namespace
}  // namespace sr::aws
