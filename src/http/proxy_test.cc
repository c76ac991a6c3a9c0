#include "http/proxy.h"

#include <gtest/gtest.h>

namespace sr::http {
namespace {

Url U(const std::string& text) {
  std::string error;
  return ParseUrl(text, &error).value();
}

bool Bypass(const std::string& no_proxy, const std::string& url) {
  return BypassesProxy(ParseNoProxy(no_proxy), U(url));
}

TEST(HttpProxyTest, ParsesProxyUrls) {
  std::string error;
  std::optional<ProxyUrl> p = ParseProxyUrl("http://proxy.corp:3128/", &error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->address.HostPort(), "proxy.corp:3128");
  EXPECT_EQ(p->address.base_path, "");
  EXPECT_EQ(p->AuthorizationHeader(), "");
  EXPECT_EQ(p->Redacted(), "http://proxy.corp:3128");

  p = ParseProxyUrl("proxy.corp:8080", &error);  // no scheme: http://
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->address.scheme, "http");
  EXPECT_EQ(p->address.port, 8080);
  EXPECT_EQ(ParseProxyUrl("http://proxy.corp", &error)->address.port, 80);
}

TEST(HttpProxyTest, CredentialsAreDecodedAndNeverShown) {
  std::string error;
  std::optional<ProxyUrl> p = ParseProxyUrl("http://al%40corp:p%3Ass@proxy:3128", &error);
  ASSERT_TRUE(p) << error;
  EXPECT_EQ(p->username, "al@corp");
  EXPECT_EQ(p->password, "p:ss");
  EXPECT_EQ(p->AuthorizationHeader(), "Basic YWxAY29ycDpwOnNz");  // base64("al@corp:p:ss")
  EXPECT_EQ(p->Redacted(), "http://***:***@proxy:3128");

  EXPECT_FALSE(ParseProxyUrl("http://user:s3cr3t@proxy:99999", &error));
  EXPECT_EQ(error, "invalid proxy URL: invalid port (expected 1-65535)");
  EXPECT_FALSE(ParseProxyUrl("http://user:s3%zzt@proxy", &error));
  EXPECT_EQ(error.find("s3"), std::string::npos) << error;
  EXPECT_FALSE(ParseProxyUrl("https://proxy:3128", &error));
  EXPECT_EQ(error, "invalid proxy URL: only http:// proxies are supported");
}

TEST(HttpProxyTest, SettingsFromEnvironmentLowercaseWins) {
  std::string error;
  auto s = ProxySettingsFromEnvironment({{"HTTPS_PROXY", "http://upper:1"},
                                         {"https_proxy", "http://lower:2"},
                                         {"HTTP_PROXY", "http://plain:3"},
                                         {"NO_PROXY", "a.example, b.example"}},
                                        &error);
  ASSERT_TRUE(s) << error;
  EXPECT_EQ(s->https_proxy->address.HostPort(), "lower:2");
  EXPECT_EQ(s->http_proxy->address.HostPort(), "plain:3");
  EXPECT_EQ(s->no_proxy, (std::vector<std::string>{"a.example", "b.example"}));

  // An empty lowercase variable turns the proxy off.
  s = ProxySettingsFromEnvironment({{"HTTPS_PROXY", "http://upper:1"}, {"https_proxy", ""}},
                                   &error);
  ASSERT_TRUE(s) << error;
  EXPECT_FALSE(s->https_proxy);
  EXPECT_FALSE(s->http_proxy);

  EXPECT_FALSE(ProxySettingsFromEnvironment({{"HTTP_PROXY", "http://u:pw@x:0"}}, &error));
  EXPECT_EQ(error, "HTTP_PROXY: invalid proxy URL: invalid port (expected 1-65535)");
}

TEST(HttpProxyTest, ProxyForPicksBySchemeAndHonoursNoProxy) {
  std::string error;
  const auto s = ProxySettingsFromEnvironment(
      {{"HTTPS_PROXY", "http://tls-proxy:1"}, {"no_proxy", ".internal"}}, &error);
  ASSERT_TRUE(s) << error;
  ASSERT_NE(ProxyFor(*s, U("https://ssm.us-east-1.amazonaws.com")), nullptr);
  EXPECT_EQ(ProxyFor(*s, U("https://ssm.us-east-1.amazonaws.com"))->address.host, "tls-proxy");
  EXPECT_EQ(ProxyFor(*s, U("http://ssm.us-east-1.amazonaws.com")), nullptr);  // no HTTP_PROXY
  EXPECT_EQ(ProxyFor(*s, U("https://api.internal")), nullptr);
}

TEST(HttpProxyTest, NoProxyDomainsMatchThemselvesAndSubdomains) {
  EXPECT_TRUE(Bypass("example.com", "https://example.com"));
  EXPECT_TRUE(Bypass("example.com", "https://www.Example.com"));
  EXPECT_TRUE(Bypass(".example.com", "https://example.com"));
  EXPECT_TRUE(Bypass(".example.com", "https://a.b.example.com"));
  EXPECT_TRUE(Bypass("example.com.", "https://example.com"));
  EXPECT_FALSE(Bypass("example.com", "https://notexample.com"));
  EXPECT_FALSE(Bypass("www.example.com", "https://example.com"));
  EXPECT_TRUE(Bypass("foo, amazonaws.com\tbar", "https://s3.amazonaws.com"));
  EXPECT_FALSE(Bypass("", "https://s3.amazonaws.com"));
  EXPECT_TRUE(Bypass("*", "https://s3.amazonaws.com"));
}

TEST(HttpProxyTest, NoProxyAddressesAndRanges) {
  EXPECT_TRUE(Bypass("10.1.2.3", "http://10.1.2.3:8080"));
  EXPECT_FALSE(Bypass("10.1.2.3", "http://10.1.2.4"));
  EXPECT_TRUE(Bypass("10.0.0.0/8", "http://10.200.0.1"));
  EXPECT_FALSE(Bypass("10.0.0.0/8", "http://11.0.0.1"));
  EXPECT_TRUE(Bypass("fd12::/16", "http://[fd12:3::1]"));
  EXPECT_TRUE(Bypass("[fd12::1]", "http://[fd12:0::1]"));
  EXPECT_FALSE(Bypass("10.0.0.0/8", "http://ten.example"));  // names are not resolved
  EXPECT_FALSE(Bypass("10.0.0.0/99", "http://10.0.0.1"));
}

TEST(HttpProxyTest, NoProxyEntriesWithPortMatchOnlyThatPort) {
  EXPECT_TRUE(Bypass("example.com:8443", "https://example.com:8443"));
  EXPECT_FALSE(Bypass("example.com:8443", "https://example.com"));
  EXPECT_TRUE(Bypass("10.1.2.3:80", "http://10.1.2.3"));
  EXPECT_TRUE(Bypass("[fd12::1]:80", "http://[fd12::1]"));
  EXPECT_FALSE(Bypass("[fd12::1]:81", "http://[fd12::1]"));
}

TEST(HttpProxyTest, LoopbackAndInstanceMetadataAreAlwaysDirect) {
  for (const char* url : {"http://127.0.0.1:4566", "http://127.1.2.3", "http://localhost:4566",
                          "http://api.localhost", "http://[::1]:80", "http://169.254.169.254",
                          "http://[fd00:ec2::254]", "http://[fe80::1]"}) {
    EXPECT_TRUE(Bypass("", url)) << url;
  }
  EXPECT_FALSE(Bypass("", "http://169.255.0.1"));
  EXPECT_FALSE(Bypass("", "http://localhost.example"));
}

}  // namespace
}  // namespace sr::http
