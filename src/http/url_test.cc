#include "http/url.h"

#include <gtest/gtest.h>

namespace sr::http {
namespace {

Url Parse(const std::string& text) {
  std::string error;
  std::optional<Url> url = ParseUrl(text, &error);
  EXPECT_TRUE(url) << text << ": " << error;
  return url.value_or(Url{});
}

std::string ErrorOf(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ParseUrl(text, &error)) << text;
  return error;
}

TEST(HttpUrlTest, HttpsWithDefaultPort) {
  const Url url = Parse("https://cloudformation.us-east-1.amazonaws.com");
  EXPECT_EQ(url.scheme, "https");
  EXPECT_EQ(url.host, "cloudformation.us-east-1.amazonaws.com");
  EXPECT_EQ(url.port, 443);
  EXPECT_EQ(url.base_path, "");
  EXPECT_EQ(url.Authority(), "cloudformation.us-east-1.amazonaws.com");
  EXPECT_EQ(url.HostPort(), "cloudformation.us-east-1.amazonaws.com:443");
  EXPECT_EQ(url.ToString(), "https://cloudformation.us-east-1.amazonaws.com");
}

TEST(HttpUrlTest, HttpWithPortAndPathPrefix) {
  const Url url = Parse("HTTP://127.0.0.1:4566/prefix/v1/");
  EXPECT_EQ(url.scheme, "http");
  EXPECT_EQ(url.host, "127.0.0.1");
  EXPECT_EQ(url.port, 4566);
  EXPECT_EQ(url.base_path, "/prefix/v1");
  EXPECT_EQ(url.Authority(), "127.0.0.1:4566");
  EXPECT_EQ(url.ToString(), "http://127.0.0.1:4566/prefix/v1");
}

TEST(HttpUrlTest, DefaultPortsAndCase) {
  EXPECT_EQ(Parse("http://Example.COM/").port, 80);
  EXPECT_EQ(Parse("http://Example.COM/").host, "example.com");
  EXPECT_EQ(Parse("http://example.com/").base_path, "");
  EXPECT_EQ(Parse("https://example.com:443").Authority(), "example.com");
  EXPECT_EQ(Parse("https://example.com:80").Authority(), "example.com:80");
  EXPECT_EQ(Parse("http://169.254.169.254/latest").base_path, "/latest");
}

TEST(HttpUrlTest, Ipv6InBrackets) {
  const Url url = Parse("http://[fd00:ec2::254]:8080/x");
  EXPECT_EQ(url.host, "fd00:ec2::254");
  EXPECT_EQ(url.port, 8080);
  EXPECT_EQ(url.Authority(), "[fd00:ec2::254]:8080");
  EXPECT_EQ(Parse("https://[::1]").Authority(), "[::1]");
}

TEST(HttpUrlTest, Errors) {
  EXPECT_EQ(ErrorOf("cloudformation.us-east-1.amazonaws.com"),
            "missing scheme (expected http:// or https://)");
  EXPECT_EQ(ErrorOf("ftp://example.com"), "unsupported scheme (expected http:// or https://)");
  EXPECT_EQ(ErrorOf("https://"), "missing host");
  EXPECT_EQ(ErrorOf("https://:443"), "missing host");
  EXPECT_EQ(ErrorOf("https://example.com:"), "invalid port (expected 1-65535)");
  EXPECT_EQ(ErrorOf("https://example.com:0"), "invalid port (expected 1-65535)");
  EXPECT_EQ(ErrorOf("https://example.com:65536"), "invalid port (expected 1-65535)");
  EXPECT_EQ(ErrorOf("https://example.com:44x"), "invalid port (expected 1-65535)");
  EXPECT_EQ(ErrorOf("https://example.com/?a=b"), "a query or a fragment is not allowed");
  EXPECT_EQ(ErrorOf("https://example.com#top"), "a query or a fragment is not allowed");
  EXPECT_EQ(ErrorOf("https://exa mple.com"), "contains a space or a control character");
  EXPECT_EQ(ErrorOf("https://exa%6dple.com"), "invalid character in host");
  EXPECT_EQ(ErrorOf("http://::1:80"), "an IPv6 address must be written in brackets ([::1])");
  EXPECT_EQ(ErrorOf("http://[::1"), "unterminated '[' in host");
  EXPECT_EQ(ErrorOf("http://[nothost]:80"), "invalid IPv6 address in brackets");
  EXPECT_EQ(ErrorOf("http://[::1]x"), "unexpected text after ']'");
}

TEST(HttpUrlTest, ErrorsNeverRepeatCredentials) {
  const std::string error = ErrorOf("https://AKIDEXAMPLE:s3cr3t@example.com");
  EXPECT_EQ(error, "user information (user:password@) is not allowed");
  EXPECT_EQ(error.find("s3cr3t"), std::string::npos);
}

TEST(HttpUrlTest, IsIpAddress) {
  EXPECT_TRUE(IsIpAddress("127.0.0.1"));
  EXPECT_TRUE(IsIpAddress("::1"));
  EXPECT_TRUE(IsIpAddress("fd00:ec2::254"));
  EXPECT_FALSE(IsIpAddress("localhost"));
  EXPECT_FALSE(IsIpAddress("1.2.3"));
  EXPECT_FALSE(IsIpAddress("[::1]"));
}

}  // namespace
}  // namespace sr::http
