// BeastHttpClient against real servers on 127.0.0.1: the Python helpers of tests/http/ (plain
// HTTP, TLS with a throwaway CA, a CONNECT proxy) and raw sockets for connect timeouts.
#include "http/beast_http_client.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

#include "http/test_servers.h"
#include "util/sha256.h"

namespace sr::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

Url Endpoint(const std::string& text) {
  std::string error;
  return ParseUrl(text, &error).value();
}

aws::HttpRequest Request(const std::string& method, const Url& endpoint, const std::string& path) {
  aws::HttpRequest r;
  r.method = method;
  r.host = endpoint.Authority();
  r.path = path;
  return r;
}

HttpResponse Ok(const SendResult& result) {
  if (const auto* error = std::get_if<TransportError>(&result)) {
    ADD_FAILURE() << "transport error (" << TransportErrorKindName(error->kind)
                  << "): " << error->message;
    return {};
  }
  return std::get<HttpResponse>(result);
}

TransportError Failed(const SendResult& result) {
  if (const auto* response = std::get_if<HttpResponse>(&result)) {
    ADD_FAILURE() << "unexpected response " << response->status;
    return {};
  }
  return std::get<TransportError>(result);
}

std::string Header(const HttpResponse& r, std::string_view name) {
  const std::string* value = r.FindHeader(name);
  return value ? *value : "(none)";
}

// A listening socket nobody accepts on, its backlog full: connecting to it hangs.
class BlackHole {
 public:
  BlackHole() {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), len);
    ::listen(listener_, 0);
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    for (int i = 0; i < 3; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), len);
      fillers_.push_back(fd);
    }
  }
  ~BlackHole() {
    for (int fd : fillers_) ::close(fd);
    ::close(listener_);
  }
  int port() const { return port_; }

 private:
  int listener_ = -1;
  int port_ = 0;
  std::vector<int> fillers_;
};

// A port with nothing listening.
int ClosedPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), len);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class HttpClientTest : public ::testing::Test {
 protected:
  testing::HelperServer server_{"test_server.py"};
  Url endpoint_ = Endpoint("http://127.0.0.1:" + std::to_string(server_.port()));
  BeastHttpClient client_{ClientOptions{}};
  RequestOptions options_;

  SendResult Send(const aws::HttpRequest& request) {
    return client_.Send(endpoint_, request, options_);
  }
  SendResult Get(const std::string& path) { return Send(Request("GET", endpoint_, path)); }
};

TEST_F(HttpClientTest, GetSendsHostUserAgentAndEncodedQuery) {
  aws::HttpRequest request = Request("GET", endpoint_, "/some/path");
  request.query = {{"Action", "DescribeStacks"}, {"Name", "a b/c"}};
  const HttpResponse r = Ok(Send(request));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "x-method"), "GET");
  EXPECT_EQ(Header(r, "X-Target"), "/some/path?Action=DescribeStacks&Name=a%20b%2Fc");
  EXPECT_THAT(r.body, HasSubstr("\r\nHost: " + endpoint_.Authority() + "\r\n"));
  EXPECT_THAT(r.body, HasSubstr("\r\nUser-Agent: stacks-runner/" STACKS_RUNNER_VERSION "\r\n"));
  EXPECT_THAT(r.body, Not(HasSubstr("Content-Length")));
}

TEST_F(HttpClientTest, PostSendsBodyWithContentLengthAndGivenHeaders) {
  aws::HttpRequest request = Request("POST", endpoint_, "/");
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"user-agent", "custom/1"}};
  request.body = "Action=DescribeStacks&Version=2010-05-15";
  const HttpResponse r = Ok(Send(request));
  EXPECT_EQ(Header(r, "X-Body-Length"), std::to_string(request.body.size()));
  EXPECT_EQ(Header(r, "X-Body-Sha256"), util::Sha256Hex(request.body));
  EXPECT_THAT(r.body, HasSubstr("\r\nContent-Length: 40\r\n"));
  EXPECT_THAT(r.body, HasSubstr("\r\nuser-agent: custom/1\r\n"));
  EXPECT_THAT(r.body, Not(HasSubstr("stacks-runner/")));

  // An empty POST still says its length.
  request.body.clear();
  EXPECT_THAT(Ok(Send(request)).body, HasSubstr("\r\nContent-Length: 0\r\n"));
}

TEST_F(HttpClientTest, LargeRequestBody) {
  aws::HttpRequest request = Request("PUT", endpoint_, "/bucket/key");
  request.body.resize(8u << 20);
  for (size_t i = 0; i < request.body.size(); ++i) request.body[i] = static_cast<char>(i * 7);
  const HttpResponse r = Ok(Send(request));
  EXPECT_EQ(Header(r, "X-Body-Length"), std::to_string(8u << 20));
  EXPECT_EQ(Header(r, "X-Body-Sha256"), util::Sha256Hex(request.body));
}

TEST_F(HttpClientTest, ChunkedResponse) {
  const HttpResponse r = Ok(Get("/chunked"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello chunked world");
  EXPECT_EQ(Header(Ok(Get("/echo")), "X-Connection-Id"), "1");  // and the connection goes on
}

TEST_F(HttpClientTest, ResponseWithoutLengthEndsAtCloseAndIsNotReused) {
  EXPECT_EQ(Ok(Get("/eof")).body, "until the end");
  EXPECT_EQ(Header(Ok(Get("/echo")), "X-Connection-Id"), "2");
  EXPECT_EQ(client_.connections_opened(), 2);
}

TEST_F(HttpClientTest, HeadResponseHasNoBody) {
  const HttpResponse r = Ok(Send(Request("HEAD", endpoint_, "/")));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(Header(r, "Content-Length"), "0");
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(Header(Ok(Get("/echo")), "X-Connection-Id"), "1");
}

TEST_F(HttpClientTest, StatusesAreResponses) {
  const HttpResponse r = Ok(Get("/status?code=503"));
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.body, "status 503");
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  for (int i = 0; i < 5; ++i) {
    aws::HttpRequest request = Request(i % 2 ? "POST" : "GET", endpoint_, "/n");
    request.body = std::string(static_cast<size_t>(i) * 100, 'x');
    EXPECT_EQ(Header(Ok(Send(request)), "X-Connection-Id"), "1");
  }
  EXPECT_EQ(client_.connections_opened(), 1);
}

TEST_F(HttpClientTest, ConnectionCloseRequestHeaderIsHonoured) {
  aws::HttpRequest request = Request("GET", endpoint_, "/");
  request.headers = {{"Connection", "close"}};
  Ok(Send(request));
  EXPECT_EQ(Header(Ok(Get("/")), "X-Connection-Id"), "2");
}

TEST_F(HttpClientTest, IdleConnectionClosedByTheServerIsReplaced) {
  EXPECT_EQ(Ok(Get("/close")).body, "bye");
  EXPECT_EQ(Header(Ok(Get("/echo")), "X-Connection-Id"), "2");
}

TEST_F(HttpClientTest, StaleConnectionIsRetriedOnceOnANewOne) {
  EXPECT_EQ(Header(Ok(Get("/echo")), "X-Connection-Id"), "1");
  // The server closes connection 1 on receiving this request, without answering.
  const HttpResponse r = Ok(Get("/drop-if-reused"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(Header(r, "X-Connection-Id"), "2");
  EXPECT_EQ(client_.connections_opened(), 2);
}

TEST_F(HttpClientTest, IdleTimeoutClosesPooledConnections) {
  ClientOptions options;
  options.max_idle = 0ms;
  BeastHttpClient client(options);
  Ok(client.Send(endpoint_, Request("GET", endpoint_, "/"), options_));
  std::this_thread::sleep_for(2ms);
  EXPECT_EQ(Header(Ok(client.Send(endpoint_, Request("GET", endpoint_, "/"), options_)),
                   "X-Connection-Id"),
            "2");
}

TEST_F(HttpClientTest, ConnectionDroppedMidResponse) {
  const TransportError e = Failed(Get("/drop"));
  EXPECT_EQ(e.kind, TransportErrorKind::kConnectionDropped);
  EXPECT_TRUE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("GET " + endpoint_.ToString() +
                                   ": connection closed in the "
                                   "middle of the response"));
  EXPECT_EQ(client_.connections_opened(), 1);  // not retried
}

TEST_F(HttpClientTest, RequestTimeout) {
  options_.timeout = 300ms;
  const auto start = std::chrono::steady_clock::now();
  const TransportError e = Failed(Get("/hang"));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(e.kind, TransportErrorKind::kTimeout);
  EXPECT_TRUE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("request timed out after 300 ms before the response"));
  options_.timeout = 10s;
  EXPECT_EQ(Ok(Get("/")).status, 200);  // on a new connection
  EXPECT_EQ(client_.connections_opened(), 2);
}

TEST_F(HttpClientTest, StreamedBodyIsNotKept) {
  const size_t size = 32u << 20;
  size_t received = 0;
  size_t largest = 0;
  bool pattern_ok = true;
  static constexpr std::string_view kPattern = "0123456789abcdef";
  options_.on_body_chunk = [&](std::string_view piece) {
    for (size_t i = 0; i < piece.size(); ++i) {
      pattern_ok = pattern_ok && piece[i] == kPattern[(received + i) % kPattern.size()];
    }
    received += piece.size();
    largest = std::max(largest, piece.size());
    return true;
  };
  const HttpResponse r = Ok(Get("/big?size=" + std::to_string(size)));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(received, size);
  EXPECT_TRUE(pattern_ok);
  EXPECT_LE(largest, 64u * 1024);

  // Error documents are kept, not streamed.
  received = 0;
  const HttpResponse missing = Ok(Get("/status?code=404"));
  EXPECT_EQ(missing.body, "status 404");
  EXPECT_EQ(received, 0u);
  EXPECT_EQ(client_.connections_opened(), 1);
}

TEST_F(HttpClientTest, StreamConsumerCanAbort) {
  options_.on_body_chunk = [](std::string_view) { return false; };
  const TransportError e = Failed(Get("/big?size=1000000"));
  EXPECT_EQ(e.kind, TransportErrorKind::kAborted);
  options_.on_body_chunk = nullptr;
  EXPECT_EQ(Header(Ok(Get("/")), "X-Connection-Id"), "2");
}

TEST_F(HttpClientTest, KeptBodyIsLimited) {
  options_.max_body_size = 1000;
  const TransportError e = Failed(Get("/big?size=1001"));
  EXPECT_EQ(e.kind, TransportErrorKind::kProtocol);
  EXPECT_THAT(e.message, HasSubstr("response body larger than 1000 bytes"));
  EXPECT_EQ(Ok(Get("/big?size=1000")).body.size(), 1000u);
}

TEST_F(HttpClientTest, InvalidRequestsAreRefusedBeforeSending) {
  aws::HttpRequest request = Request("GET", endpoint_, "/");
  request.headers = {{"X-Amz-Security-Token", "tok\r\nInjected: yes"}};
  TransportError e = Failed(Send(request));
  EXPECT_EQ(e.kind, TransportErrorKind::kProtocol);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("header X-Amz-Security-Token has a line break"));
  EXPECT_THAT(e.message, Not(HasSubstr("tok")));

  request.headers = {{"Content-Length", "5"}};
  request.body = "abc";
  EXPECT_THAT(Failed(Send(request)).message,
              HasSubstr("the Content-Length header does not match the body's 3 bytes"));
  EXPECT_EQ(client_.connections_opened(), 0);
}

TEST_F(HttpClientTest, ErrorsNeverShowSecrets) {
  aws::HttpRequest request = Request("POST", endpoint_, "/drop");
  request.query = {{"X-Amz-Signature", "feedface"}};
  request.headers = {
      {"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/x, Signature=deadbeef"},
      {"X-Amz-Security-Token", "session-token-value"}};
  request.body = "Secret=body";
  const TransportError e = Failed(Send(request));
  EXPECT_EQ(e.kind, TransportErrorKind::kConnectionDropped);
  for (const char* secret : {"feedface", "AKIDEXAMPLE", "deadbeef", "session-token", "Secret"}) {
    EXPECT_THAT(e.message, Not(HasSubstr(secret)));
  }
}

TEST_F(HttpClientTest, LocalhostResolvesThroughTheHostsFile) {
  const Url by_name = Endpoint("http://localhost:" + std::to_string(server_.port()));
  const HttpResponse r = Ok(client_.Send(by_name, Request("GET", by_name, "/"), options_));
  EXPECT_EQ(r.status, 200);
  EXPECT_THAT(r.body, HasSubstr("\r\nHost: localhost:" + std::to_string(server_.port())));
}

TEST(HttpConnectTest, ConnectRefused) {
  BeastHttpClient client{ClientOptions{}};
  const Url endpoint = Endpoint("http://127.0.0.1:" + std::to_string(ClosedPort()));
  const TransportError e = Failed(client.Send(endpoint, Request("GET", endpoint, "/"), {}));
  EXPECT_EQ(e.kind, TransportErrorKind::kConnect);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message,
              HasSubstr("connect to " + endpoint.HostPort() + " failed: Connection refused"));
}

TEST(HttpConnectTest, ConnectTimeout) {
  BlackHole hole;
  ClientOptions options;
  options.connect_timeout = 200ms;
  BeastHttpClient client(options);
  const Url endpoint = Endpoint("http://127.0.0.1:" + std::to_string(hole.port()));
  const auto start = std::chrono::steady_clock::now();
  const TransportError e = Failed(client.Send(endpoint, Request("GET", endpoint, "/"), {}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
  EXPECT_EQ(e.kind, TransportErrorKind::kTimeout);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("connect to " + endpoint.HostPort() +
                                   " timed out (connect timeout 200 ms)"));
}

// TLS, with one throwaway PKI for the whole suite.
class HttpTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new testing::TestPki(); }
  static void TearDownTestSuite() {
    delete pki_;
    pki_ = nullptr;
  }

  static testing::HelperServer TlsServer(const std::string& leaf = "server") {
    return testing::HelperServer("test_server.py", {"--cert", pki_->File(leaf + ".pem"), "--key",
                                                    pki_->File(leaf + ".key")});
  }
  static ClientOptions Trusting(const std::string& ca) {
    ClientOptions options;
    options.ca_bundle_file = pki_->File(ca);
    return options;
  }
  static SendResult Get(BeastHttpClient& client, const std::string& url, const std::string& path) {
    const Url endpoint = Endpoint(url);
    return client.Send(endpoint, Request("GET", endpoint, path), {});
  }

  static testing::TestPki* pki_;
};
testing::TestPki* HttpTlsTest::pki_ = nullptr;

TEST_F(HttpTlsTest, VerifiedWithTheTestCaAndReused) {
  testing::HelperServer server = TlsServer();
  BeastHttpClient client(Trusting("ca.pem"));
  const std::string url = "https://localhost:" + std::to_string(server.port());
  const HttpResponse r = Ok(Get(client, url, "/chunked"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "hello chunked world");
  EXPECT_EQ(Header(Ok(Get(client, url, "/")), "X-Connection-Id"), "1");
  // By address: the certificate names 127.0.0.1 too.
  EXPECT_EQ(Ok(Get(client, "https://127.0.0.1:" + std::to_string(server.port()), "/")).status, 200);
}

TEST_F(HttpTlsTest, StaleTlsConnectionIsRetried) {
  testing::HelperServer server = TlsServer();
  BeastHttpClient client(Trusting("ca.pem"));
  const std::string url = "https://localhost:" + std::to_string(server.port());
  Ok(Get(client, url, "/"));
  EXPECT_EQ(Header(Ok(Get(client, url, "/drop-if-reused")), "X-Connection-Id"), "2");
  EXPECT_EQ(Ok(Get(client, url, "/close")).body, "bye");
  EXPECT_EQ(Header(Ok(Get(client, url, "/")), "X-Connection-Id"), "3");
}

TEST_F(HttpTlsTest, LargeBodiesBothWays) {
  testing::HelperServer server = TlsServer();
  BeastHttpClient client(Trusting("ca.pem"));
  const Url endpoint = Endpoint("https://localhost:" + std::to_string(server.port()));
  aws::HttpRequest put = Request("PUT", endpoint, "/bucket/key");
  put.body.assign(4u << 20, 'z');
  const HttpResponse r = Ok(client.Send(endpoint, put, {}));
  EXPECT_EQ(Header(r, "X-Body-Sha256"), util::Sha256Hex(put.body));
  size_t received = 0;
  RequestOptions streaming;
  streaming.on_body_chunk = [&](std::string_view piece) {
    received += piece.size();
    return true;
  };
  EXPECT_EQ(
      Ok(client.Send(endpoint, Request("GET", endpoint, "/big?size=8388608"), streaming)).body, "");
  EXPECT_EQ(received, 8u << 20);
  EXPECT_EQ(client.connections_opened(), 1);
}

TEST_F(HttpTlsTest, UnrelatedCaFailsVerification) {
  testing::HelperServer server = TlsServer();
  BeastHttpClient client(Trusting("unrelated-ca.pem"));
  const TransportError e =
      Failed(Get(client, "https://localhost:" + std::to_string(server.port()), "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kTls);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("certificate verify failed: unable to get local issuer"));
}

TEST_F(HttpTlsTest, HostNameMismatch) {
  testing::HelperServer server = TlsServer("other");  // for other.invalid
  BeastHttpClient client(Trusting("ca.pem"));
  TransportError e = Failed(Get(client, "https://localhost:" + std::to_string(server.port()), "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kTls);
  EXPECT_THAT(e.message, HasSubstr("certificate verify failed: hostname mismatch"));
  e = Failed(Get(client, "https://127.0.0.1:" + std::to_string(server.port()), "/"));
  EXPECT_THAT(e.message, HasSubstr("certificate verify failed: IP address mismatch"));
}

TEST_F(HttpTlsTest, PlainHttpServerIsATlsError) {
  testing::HelperServer server("test_server.py");
  BeastHttpClient client(Trusting("ca.pem"));
  const TransportError e =
      Failed(Get(client, "https://127.0.0.1:" + std::to_string(server.port()), "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kTls);
  EXPECT_THAT(e.message, HasSubstr("TLS handshake with 127.0.0.1:"));
}

TEST_F(HttpTlsTest, UnreadableCaBundle) {
  BeastHttpClient client(Trusting("missing.pem"));
  const TransportError e = Failed(Get(client, "https://127.0.0.1:1", "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kTls);
  EXPECT_THAT(e.message, HasSubstr("cannot load the CA bundle " + pki_->File("missing.pem")));
}

// Through the CONNECT proxy of tests/http: it tunnels any host name to 127.0.0.1, so the client
// reaches https://sr-test.invalid without resolving it.
class HttpProxyTunnelTest : public HttpTlsTest {
 protected:
  static ClientOptions Proxied(int proxy_port, const std::string& userinfo = "",
                               const std::string& no_proxy = "") {
    std::string error;
    const std::string proxy = "http://" + userinfo + "127.0.0.1:" + std::to_string(proxy_port);
    ClientOptions options = Trusting("ca.pem");
    options.proxy =
        ProxySettingsFromEnvironment(
            {{"HTTPS_PROXY", proxy}, {"HTTP_PROXY", proxy}, {"NO_PROXY", no_proxy}}, &error)
            .value();
    return options;
  }
  // The proxy's count of tunnels, asked of the proxy itself over plain HTTP.
  static std::string Tunnels(int proxy_port, const std::string& userinfo = "") {
    BeastHttpClient client(Proxied(proxy_port, userinfo));
    const HttpResponse r = Ok(Get(client, "http://stats.invalid", "/"));
    EXPECT_EQ(r.body, "GET http://stats.invalid/");  // the absolute form
    return Header(r, "X-Tunnels");
  }
};

TEST_F(HttpProxyTunnelTest, HttpsThroughOneReusedTunnel) {
  testing::HelperServer server = TlsServer();
  testing::HelperServer proxy("connect_proxy.py");
  BeastHttpClient client(Proxied(proxy.port()));
  const std::string url = "https://sr-test.invalid:" + std::to_string(server.port());
  for (int i = 0; i < 3; ++i) {
    const HttpResponse r = Ok(Get(client, url, "/"));
    EXPECT_EQ(Header(r, "X-Connection-Id"), "1");
    EXPECT_THAT(r.body, HasSubstr("\r\nHost: sr-test.invalid:" + std::to_string(server.port())));
  }
  EXPECT_EQ(Tunnels(proxy.port()), "1");
}

TEST_F(HttpProxyTunnelTest, BasicProxyAuthentication) {
  testing::HelperServer server = TlsServer();
  testing::HelperServer proxy("connect_proxy.py", {"--auth", "user:p@ss"});
  const std::string url = "https://sr-test.invalid:" + std::to_string(server.port());
  BeastHttpClient client(Proxied(proxy.port(), "user:p%40ss@"));
  EXPECT_EQ(Ok(Get(client, url, "/")).status, 200);
  EXPECT_EQ(Tunnels(proxy.port(), "user:p%40ss@"), "1");

  BeastHttpClient wrong(Proxied(proxy.port(), "user:wrong-pass@"));
  const TransportError e = Failed(Get(wrong, url, "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kProxy);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message,
              HasSubstr("CONNECT sr-test.invalid:" + std::to_string(server.port()) +
                        " via proxy http://***:***@127.0.0.1:" + std::to_string(proxy.port()) +
                        " refused: 407 Proxy Authentication Required"));
  EXPECT_THAT(e.message, Not(HasSubstr("wrong-pass")));
}

TEST_F(HttpProxyTunnelTest, LoopbackAndNoProxyGoDirect) {
  testing::HelperServer server = TlsServer();
  testing::HelperServer proxy("connect_proxy.py");
  // Loopback never uses the proxy.
  BeastHttpClient client(Proxied(proxy.port()));
  EXPECT_EQ(Ok(Get(client, "https://localhost:" + std::to_string(server.port()), "/")).status, 200);
  EXPECT_EQ(Tunnels(proxy.port()), "0");
  // A NO_PROXY entry that does not match leaves the proxy in use.
  BeastHttpClient other(Proxied(proxy.port(), "", "example.com,.invalid:1"));
  EXPECT_EQ(Ok(Get(other, "https://sr-test.invalid:" + std::to_string(server.port()), "/")).status,
            200);
  EXPECT_EQ(Tunnels(proxy.port()), "1");
}

TEST_F(HttpProxyTunnelTest, UnreachableProxy) {
  BeastHttpClient client(Proxied(ClosedPort()));
  const TransportError e = Failed(Get(client, "https://sr-test.invalid", "/"));
  EXPECT_EQ(e.kind, TransportErrorKind::kProxy);
  EXPECT_FALSE(e.request_sent);
  EXPECT_THAT(e.message, HasSubstr("connect to proxy http://127.0.0.1:"));
}

}  // namespace
}  // namespace sr::http
