// LinuxHost's HTTP PUT (the wait condition signals) against a real server on 127.0.0.1: the
// request as it goes on the wire.
#include "node/linux_host.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "http/beast_http_client.h"
#include "http/test_servers.h"

namespace sr::node {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Host {
  http::testing::TempDir root;
  http::BeastHttpClient client{http::ClientOptions{}};
  std::vector<std::string> log;
  std::unique_ptr<LinuxHost> host;

  explicit Host(bool dry_run) {
    LinuxHostOptions options;
    options.root = root.File("");
    options.dry_run = dry_run;
    options.http = &client;
    options.log = [this](const std::string& line) { log.push_back(line); };
    host = std::make_unique<LinuxHost>(std::move(options));
  }
};

TEST(LinuxHostPut, SendsTheBodyAsItIsWithoutAContentType) {
  http::testing::HelperServer server("test_server.py");
  Host h(false);
  const std::string url =
      "http://127.0.0.1:" + std::to_string(server.port()) +
      "/arn%3Aaws%3Acloudformation/Handle?X-Amz-Signature=abc%2F1&X-Amz-Expires=86400";
  const std::string body =
      R"({"Status":"SUCCESS","Reason":"public identity","UniqueId":"signer-address","Data":"SP1"})";
  const auto r = h.host->HttpPut(url, body);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.status, 200);
  // The server answers with the request head as it received it.
  EXPECT_THAT(r.body, HasSubstr("PUT /arn%3Aaws%3Acloudformation/Handle?X-Amz-Signature=abc%2F1"
                                "&X-Amz-Expires=86400 HTTP/1.1\r\n"));
  EXPECT_THAT(r.body, HasSubstr("Content-Length: " + std::to_string(body.size()) + "\r\n"));
  EXPECT_THAT(r.body, Not(HasSubstr("Content-Type")));
  EXPECT_THAT(r.body, Not(HasSubstr("content-type")));
}

TEST(LinuxHostPut, RefusalsAndBadUrlsNeverShowTheUrl) {
  http::testing::HelperServer server("test_server.py");
  Host h(false);
  const auto refused = h.host->HttpPut(
      "http://127.0.0.1:" + std::to_string(server.port()) + "/status?code=403", "{}");
  EXPECT_EQ(refused.status, 403);
  const auto bad = h.host->HttpPut("ftp://example.com/x?X-Amz-Signature=secret", "{}");
  EXPECT_NE(bad.error, "");
  EXPECT_THAT(bad.error, Not(HasSubstr("X-Amz-Signature")));
}

TEST(LinuxHostPut, DryRunOnlyLogsTheHost) {
  Host h(true);
  const auto r = h.host->HttpPut("https://bucket.s3.amazonaws.com/h?X-Amz-Signature=abc", "{}");
  EXPECT_EQ(r.status, 200);
  ASSERT_EQ(h.log.size(), 1u);
  EXPECT_THAT(h.log[0], HasSubstr("PUT 2 bytes to bucket.s3.amazonaws.com"));
  EXPECT_THAT(h.log[0], Not(HasSubstr("X-Amz-Signature")));
}

}  // namespace
}  // namespace sr::node
