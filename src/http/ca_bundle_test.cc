#include "http/ca_bundle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/test_servers.h"

namespace sr::http {
namespace {

using ::testing::HasSubstr;

TEST(HttpCaBundleTest, KnownLocations) {
  EXPECT_EQ(DefaultCaBundlePaths().front(), "/etc/ssl/certs/ca-certificates.crt");
  EXPECT_THAT(DefaultCaBundlePaths(),
              ::testing::Contains("/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem"));
}

TEST(HttpCaBundleTest, FirstReadableCandidateWins) {
  testing::TempDir dir;
  const std::string second = dir.Write("second.pem", "x");
  const std::string third = dir.Write("third.pem", "x");
  std::string error;
  EXPECT_EQ(FindCaBundle({}, {dir.File("missing.pem"), second, third}, &error), second);
  EXPECT_EQ(FindCaBundle({{"AWS_CA_BUNDLE", ""}}, {third, second}, &error), third);
}

TEST(HttpCaBundleTest, AwsCaBundleComesFirst) {
  testing::TempDir dir;
  const std::string mine = dir.Write("mine.pem", "x");
  const std::string system = dir.Write("system.pem", "x");
  std::string error;
  EXPECT_EQ(FindCaBundle({{"AWS_CA_BUNDLE", mine}}, {system}, &error), mine);
}

TEST(HttpCaBundleTest, UnreadableAwsCaBundleIsAnErrorNotSkipped) {
  testing::TempDir dir;
  const std::string system = dir.Write("system.pem", "x");
  std::string error;
  EXPECT_FALSE(FindCaBundle({{"AWS_CA_BUNDLE", dir.File("gone.pem")}}, {system}, &error));
  EXPECT_EQ(error, "AWS_CA_BUNDLE=" + dir.File("gone.pem") +
                       ": cannot read the CA bundle: No such file or directory");
  EXPECT_FALSE(FindCaBundle({{"AWS_CA_BUNDLE", dir.File("")}}, {system}, &error));
  EXPECT_THAT(error, HasSubstr("is a directory"));
}

TEST(HttpCaBundleTest, NothingFoundListsEveryPlace) {
  testing::TempDir dir;
  std::string error;
  EXPECT_FALSE(FindCaBundle({}, {dir.File("a.pem"), dir.File("b.pem")}, &error));
  EXPECT_EQ(error,
            "no CA certificate bundle found; set AWS_CA_BUNDLE to a PEM file of trusted CAs. "
            "Looked at: AWS_CA_BUNDLE (not set)\n  " +
                dir.File("a.pem") + ": No such file or directory\n  " + dir.File("b.pem") +
                ": No such file or directory");
}

}  // namespace
}  // namespace sr::http
