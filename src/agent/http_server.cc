#include "agent/http_server.h"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <thread>

namespace sr::agent {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

constexpr int kMaxConnections = 64;
constexpr size_t kMaxRequestBytes = 8192;
constexpr auto kIoTimeout = std::chrono::seconds(10);

}  // namespace

struct HttpServer::Impl {
  // Declared before the io_context: connections still pending when it is destroyed update it.
  HttpHandler handler;
  int connections = 0;
  asio::io_context ioc{1};
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_retry{ioc};
  std::thread thread;
  uint16_t port = 0;
  bool stopped = false;

  void Accept();
};

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, int* connections, const HttpHandler* handler)
      : stream_(std::move(socket)), connections_(connections), handler_(handler) {
    ++*connections_;
  }
  ~Connection() { --*connections_; }

  void Read() {
    parser_.emplace();
    parser_->header_limit(kMaxRequestBytes);
    parser_->body_limit(kMaxRequestBytes);
    stream_.expires_after(kIoTimeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

 private:
  void OnRead(beast::error_code ec) {
    if (ec) {  // closed, timed out, too large or not HTTP: drop the connection
      Close();
      return;
    }
    const auto& request = parser_->get();
    response_.emplace();
    response_->version(request.version());
    response_->set(bhttp::field::server, "stacks-runner-agent");
    response_->set(bhttp::field::cache_control, "no-store");
    const bool head = request.method() == bhttp::verb::head;
    if (request.method() != bhttp::verb::get && !head) {
      response_->result(bhttp::status::method_not_allowed);
      response_->set(bhttp::field::allow, "GET, HEAD");
      response_->set(bhttp::field::content_type, "text/plain");
      response_->body() = "method not allowed\n";
    } else {
      HttpReply reply;
      try {
        reply = (*handler_)(std::string_view(request.target().data(), request.target().size()));
      } catch (const std::exception&) {
        reply = {500, "text/plain", "internal error\n"};
      }
      response_->result(static_cast<unsigned>(reply.status));
      response_->set(bhttp::field::content_type, reply.content_type);
      response_->body() = std::move(reply.body);
    }
    response_->keep_alive(request.keep_alive());
    response_->prepare_payload();
    if (head) response_->body().clear();  // Content-Length stays: that of the GET answer
    stream_.expires_after(kIoTimeout);
    bhttp::async_write(stream_, *response_,
                       [self = shared_from_this()](beast::error_code write_ec, size_t) {
                         self->OnWrite(write_ec);
                       });
  }

  void OnWrite(beast::error_code ec) {
    if (ec || !response_->keep_alive()) {
      Close();
      return;
    }
    Read();
  }

  void Close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_{kMaxRequestBytes * 2};
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  int* connections_;
  const HttpHandler* handler_;
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors, say: try again shortly rather than spin.
      accept_retry.expires_after(std::chrono::milliseconds(200));
      accept_retry.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) Accept();
      });
      return;
    }
    if (connections >= kMaxConnections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      std::make_shared<Connection>(std::move(socket), &connections, &handler)->Read();
    }
    Accept();
  });
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

std::unique_ptr<HttpServer> HttpServer::Start(const std::string& address, uint16_t port,
                                              HttpHandler handler, std::string* error) {
  auto impl = std::make_unique<Impl>();
  impl->handler = std::move(handler);
  beast::error_code ec;
  const auto ip = asio::ip::make_address(address, ec);
  if (ec) {
    *error = "not an IP address: " + address;
    return nullptr;
  }
  const tcp::endpoint endpoint(ip, port);
  auto fail = [&](const char* what) {
    *error = std::string(what) + " " + address + ":" + std::to_string(port) + ": " + ec.message();
    return nullptr;
  };
  impl->acceptor.open(endpoint.protocol(), ec);
  if (ec) return fail("cannot open a socket for");
  impl->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  impl->acceptor.bind(endpoint, ec);
  if (ec) return fail("cannot listen on");
  impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on");
  impl->port = impl->acceptor.local_endpoint(ec).port();
  impl->Accept();
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] {
    for (;;) {
      try {
        raw->ioc.run();
        return;
      } catch (const std::exception&) {
        // A handler threw past its own guards: keep serving.
      }
    }
  });
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

HttpServer::~HttpServer() { Stop(); }

uint16_t HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->ioc.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
}

}  // namespace sr::agent
