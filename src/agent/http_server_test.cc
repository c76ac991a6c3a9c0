// The agent's HTTP server on 127.0.0.1: GET and HEAD, keep-alive, 404 and 405, oversized and
// garbage requests, a client that never sends anything, more clients than it serves at once.
#include "agent/http_server.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>

#include "http/beast_http_client.h"

namespace sr::agent {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    server_ = HttpServer::Start(
        "127.0.0.1", 0,
        [this](std::string_view target) {
          ++calls_;
          if (target.starts_with("/health")) return HttpReply{503, "application/json", "{}\n"};
          if (target == "/throw") throw std::runtime_error("boom");
          return HttpReply{200, "text/plain", "hello " + std::string(target) + "\n"};
        },
        &error);
    ASSERT_NE(server_, nullptr) << error;
    ASSERT_GT(server_->port(), 0);
    std::string url_error;
    url_ = *http::ParseUrl("http://127.0.0.1:" + std::to_string(server_->port()), &url_error);
  }

  http::SendResult Send(http::HttpClient& client, const std::string& method,
                        const std::string& path) {
    aws::HttpRequest r;
    r.method = method;
    r.path = path;
    http::RequestOptions options;
    options.timeout = 5s;
    return client.Send(url_, r, options);
  }

  // A raw TCP connection to the server.
  int Connect() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }
  // Everything the server sends until it closes or 3 s pass.
  static std::string ReadAll(int fd) {
    timeval tv{3, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string out;
    char buf[4096];
    for (;;) {
      const ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) break;
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  std::unique_ptr<HttpServer> server_;
  http::Url url_;
  std::atomic<int> calls_{0};
};

TEST_F(HttpServerTest, AnswersGetWithTheHandlersReplyAndKeepsTheConnection) {
  http::BeastHttpClient client({});
  for (int i = 0; i < 5; ++i) {
    auto sent = Send(client, "GET", "/status?x=" + std::to_string(i));
    auto* r = std::get_if<http::HttpResponse>(&sent);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello /status?x=" + std::to_string(i) + "\n");
    EXPECT_EQ(*r->FindHeader("Content-Type"), "text/plain");
  }
  EXPECT_EQ(client.connections_opened(), 1);  // keep-alive
  auto sent = Send(client, "GET", "/health");
  EXPECT_EQ(std::get<http::HttpResponse>(sent).status, 503);
}

TEST_F(HttpServerTest, HeadHasTheLengthButNoBody) {
  const int fd = Connect();
  const std::string request = "HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(::write(fd, request.data(), request.size()), static_cast<ssize_t>(request.size()));
  const std::string answer = ReadAll(fd);
  ::close(fd);
  EXPECT_THAT(answer, HasSubstr("HTTP/1.1 200 OK"));
  EXPECT_THAT(answer, HasSubstr("Content-Length: 9"));
  EXPECT_TRUE(answer.ends_with("\r\n\r\n")) << answer;
}

TEST_F(HttpServerTest, OnlyGetAndHead) {
  http::BeastHttpClient client({});
  auto sent = Send(client, "POST", "/health");
  auto& r = std::get<http::HttpResponse>(sent);
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*r.FindHeader("Allow"), "GET, HEAD");
  EXPECT_EQ(calls_, 0);
}

TEST_F(HttpServerTest, AHandlerThatThrowsIsA500NotACrash) {
  http::BeastHttpClient client({});
  auto sent = Send(client, "GET", "/throw");
  EXPECT_EQ(std::get<http::HttpResponse>(sent).status, 500);
  sent = Send(client, "GET", "/after");
  EXPECT_EQ(std::get<http::HttpResponse>(sent).status, 200);
}

TEST_F(HttpServerTest, GarbageAndOversizedRequestsAreDropped) {
  int fd = Connect();
  const std::string garbage = "\x16\x03\x01 this is not HTTP\r\n\r\n";
  ASSERT_GT(::write(fd, garbage.data(), garbage.size()), 0);
  EXPECT_EQ(ReadAll(fd), "");
  ::close(fd);
  fd = Connect();
  const std::string big = "GET /" + std::string(20000, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  (void)::write(fd, big.data(), big.size());
  EXPECT_THAT(ReadAll(fd), ::testing::Not(HasSubstr("200 OK")));
  ::close(fd);
  http::BeastHttpClient client({});
  EXPECT_EQ(std::get<http::HttpResponse>(Send(client, "GET", "/ok")).status, 200);
}

TEST_F(HttpServerTest, IdleAndSurplusConnectionsDoNotBlockOthers) {
  // 80 connections that send nothing: more than the server serves at once.
  std::vector<int> idle;
  for (int i = 0; i < 80; ++i) idle.push_back(Connect());
  std::this_thread::sleep_for(200ms);
  for (int i = 0; i < 10; ++i) ::close(idle[static_cast<size_t>(i)]);  // room for new ones
  std::this_thread::sleep_for(200ms);
  http::BeastHttpClient client({});
  auto sent = Send(client, "GET", "/health");
  auto* r = std::get_if<http::HttpResponse>(&sent);
  ASSERT_NE(r, nullptr) << std::get<http::TransportError>(sent).message;
  EXPECT_EQ(r->status, 503);
  for (size_t i = 10; i < idle.size(); ++i) ::close(idle[i]);
}

TEST_F(HttpServerTest, StopClosesEverythingAndFreesThePort) {
  const uint16_t port = server_->port();
  const int fd = Connect();
  server_->Stop();
  server_->Stop();  // idempotent
  EXPECT_EQ(ReadAll(fd), "");
  ::close(fd);
  std::string error;
  auto again = HttpServer::Start(
      "127.0.0.1", port, [](std::string_view) { return HttpReply{}; }, &error);
  EXPECT_NE(again, nullptr) << error;
}

TEST(HttpServer, ABusyPortIsAnErrorNotACrash) {
  std::string error;
  auto first = HttpServer::Start(
      "127.0.0.1", 0, [](std::string_view) { return HttpReply{}; }, &error);
  ASSERT_NE(first, nullptr);
  auto second = HttpServer::Start(
      "127.0.0.1", first->port(), [](std::string_view) { return HttpReply{}; }, &error);
  EXPECT_EQ(second, nullptr);
  EXPECT_THAT(error, HasSubstr("cannot listen on 127.0.0.1:"));
  EXPECT_EQ(HttpServer::Start(
                "not-an-ip", 0, [](std::string_view) { return HttpReply{}; }, &error),
            nullptr);
}

}  // namespace
}  // namespace sr::agent
