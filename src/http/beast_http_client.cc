// Boost.Beast over Asio, driven synchronously: every operation is started asynchronously and the
// client's own io_context is run until it completes, so that Beast's per-operation expiry
// (tcp_stream::expires_at) gives the connect and request timeouts. The request head is written
// by hand (it is small and the AWS layer has already decided every header); the response is
// parsed by Beast in 64 KiB pieces, which are either kept or handed to on_body_chunk.
#include "http/beast_http_client.h"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#ifndef STACKS_RUNNER_VERSION
#define STACKS_RUNNER_VERSION "dev"
#endif

namespace sr::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr size_t kChunkSize = 64 * 1024;
constexpr uint32_t kHeaderLimit = 64 * 1024;
constexpr std::string_view kUserAgent = "stacks-runner/" STACKS_RUNNER_VERSION;

// One open connection: plain TCP, or TLS over TCP (possibly through a proxy's CONNECT tunnel).
struct Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;  // bytes read but not parsed yet
  Clock::time_point idle_since;

  beast::tcp_stream& Tcp() { return tls ? tls->next_layer() : *plain; }
  template <typename F>
  error_code With(F&& f) {
    return tls ? f(*tls) : f(*plain);
  }
};

bool IsTchar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsToken(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsTchar); }

bool IsFieldValue(std::string_view s) {
  return std::none_of(s.begin(), s.end(), [](char c) { return c == '\r' || c == '\n' || c == 0; });
}

bool IsTarget(std::string_view s) {
  return !s.empty() && std::none_of(s.begin(), s.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f;
  });
}

std::string Millis(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

bool IsHttpParseError(const error_code& ec) {
  return ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

bool IsTlsError(const error_code& ec) { return ec.category() == asio::error::get_ssl_category(); }

// What outlives one Send: the options, the io_context, the TLS context and the idle connections.
struct ClientState {
  explicit ClientState(ClientOptions o) : options(std::move(o)), chunk(kChunkSize) {}

  ClientOptions options;
  // Declared before the pool: connections must go before the io_context and the TLS context.
  asio::io_context ioc;
  std::optional<ssl::context> tls_context;
  std::map<std::string, std::unique_ptr<Connection>> pool;  // idle connections by route
  std::vector<char> chunk;                                  // the response body read buffer
  int connections_opened = 0;

  // Starts an operation with a handler that records its error and runs the io_context until
  // that handler has run.
  template <typename Initiate>
  error_code Await(Initiate&& initiate) {
    std::optional<error_code> result;
    initiate([&result](error_code ec, auto&&...) { result = ec; });
    ioc.restart();
    while (!result && ioc.run_one() > 0) {
    }
    return result.value_or(asio::error::operation_aborted);
  }

  // The TLS client context, made on first use so that http:// endpoints never need a CA bundle.
  ssl::context* TlsContext(std::string* error) {
    if (tls_context) return &*tls_context;
    ssl::context ctx(ssl::context::tls_client);
    SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION);
    ctx.set_verify_mode(ssl::verify_peer);
    error_code ec;
    if (options.ca_bundle_file.empty()) {
      ctx.set_default_verify_paths(ec);
    } else {
      ctx.load_verify_file(options.ca_bundle_file, ec);
    }
    if (ec) {
      *error = "cannot load the CA bundle " +
               (options.ca_bundle_file.empty() ? std::string("(OpenSSL's default paths)")
                                               : options.ca_bundle_file) +
               ": " + ec.message();
      return nullptr;
    }
    tls_context.emplace(std::move(ctx));
    return &*tls_context;
  }

  // The idle connection for `key` if it still looks usable: not idle too long, and nothing to
  // read (a readable idle socket means the server closed it or sent something unasked for).
  std::unique_ptr<Connection> TakePooled(const std::string& key) {
    auto it = pool.find(key);
    if (it == pool.end()) return nullptr;
    std::unique_ptr<Connection> conn = std::move(it->second);
    pool.erase(it);
    if (Clock::now() - conn->idle_since > options.max_idle) return nullptr;
    pollfd pfd{conn->Tcp().socket().native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, 0) != 0) return nullptr;
    if (conn->tls && SSL_pending(conn->tls->native_handle()) > 0) return nullptr;
    return conn;
  }

  void Park(const std::string& key, std::unique_ptr<Connection> conn) {
    conn->Tcp().expires_never();
    conn->idle_since = Clock::now();
    pool[key] = std::move(conn);
  }
};

// One Send: the route, the deadlines, and the steps of the exchange.
class Call {
 public:
  Call(ClientState& state, const Url& endpoint, const aws::HttpRequest& request,
       const RequestOptions& options)
      : state_(state),
        endpoint_(endpoint),
        request_(request),
        options_(options),
        proxy_(ProxyFor(state.options.proxy, endpoint)),
        deadline_(Clock::now() + options.timeout),
        context_(request.method + " " + endpoint.scheme + "://" + endpoint.Authority()) {
    key_ = endpoint.scheme + "://" + endpoint.HostPort();
    if (proxy_) key_ += " via " + proxy_->address.HostPort() + " " + proxy_->username;
  }

  SendResult Run() {
    if (auto error = BuildHead()) return *error;
    std::unique_ptr<Connection> conn = state_.TakePooled(key_);
    bool reused = conn != nullptr;
    for (;;) {
      if (!conn) {
        if (auto error = Open(conn)) return *error;
      }
      HttpResponse response;
      bool reusable = false;
      std::optional<Failure> failure = Exchange(*conn, response, reusable);
      if (!failure) {
        if (reusable) state_.Park(key_, std::move(conn));
        return response;
      }
      conn.reset();
      if (!(reused && failure->stale)) return failure->error;
      reused = false;  // the server closed the idle connection: once more on a new one
    }
  }

 private:
  struct Failure {
    TransportError error;
    bool stale = false;  // failed before any byte of the response: the connection was dead
  };

  TransportError Error(TransportErrorKind kind, const std::string& what, bool sent) const {
    return TransportError{kind, context_ + ": " + what, sent};
  }

  bool Tunnel() const { return proxy_ && endpoint_.IsHttps(); }

  std::optional<TransportError> Invalid(const std::string& what) const {
    return Error(TransportErrorKind::kProtocol, "invalid request: " + what, false);
  }

  // The request line and headers. Errors name headers, never their values.
  std::optional<TransportError> BuildHead() {
    if (!IsToken(request_.method)) return Invalid("bad method");
    std::string target = aws::RequestTarget(request_);
    if (!IsTarget(target) || target.front() != '/') return Invalid("bad path or query");
    if (proxy_ && !Tunnel()) target = "http://" + endpoint_.Authority() + target;
    head_ = request_.method + " " + target + " HTTP/1.1\r\n";
    if (!aws::FindHeader(request_, "Host")) {
      const std::string& host = request_.host.empty() ? endpoint_.Authority() : request_.host;
      if (!IsFieldValue(host)) return Invalid("bad host");
      head_ += "Host: " + host + "\r\n";
    }
    if (!aws::FindHeader(request_, "User-Agent")) {
      head_ += "User-Agent: " + std::string(kUserAgent) + "\r\n";
    }
    for (const auto& [name, value] : request_.headers) {
      if (!IsToken(name)) return Invalid("bad header name");
      if (!IsFieldValue(value)) return Invalid("header " + name + " has a line break or NUL");
      head_ += name + ": " + value + "\r\n";
      if (aws::EqualsIgnoreCase(name, "Connection") && aws::EqualsIgnoreCase(value, "close")) {
        close_after_ = true;
      }
    }
    if (aws::FindHeader(request_, "Transfer-Encoding")) {
      return Invalid("Transfer-Encoding is not supported (the body is sent with its length)");
    }
    const std::string length = std::to_string(request_.body.size());
    if (const std::string* given = aws::FindHeader(request_, "Content-Length")) {
      if (*given != length) {
        return Invalid("the Content-Length header does not match the body's " + length + " bytes");
      }
    } else if (!request_.body.empty() || request_.method == "POST" || request_.method == "PUT" ||
               request_.method == "PATCH") {
      head_ += "Content-Length: " + length + "\r\n";
    }
    if (proxy_ && !Tunnel()) {
      if (const std::string auth = proxy_->AuthorizationHeader(); !auth.empty()) {
        head_ += "Proxy-Authorization: " + auth + "\r\n";
      }
    }
    head_ += "\r\n";
    return std::nullopt;
  }

  // A timeout while opening: the connect timeout's own words when it was the one that expired.
  TransportError OpenTimeout(const std::string& step) const {
    if (connect_deadline_ < deadline_) {
      return Error(
          TransportErrorKind::kTimeout,
          step + " timed out (connect timeout " + Millis(state_.options.connect_timeout) + ")",
          false);
    }
    return Error(TransportErrorKind::kTimeout,
                 step + " timed out (request timeout " + Millis(options_.timeout) + ")", false);
  }

  std::string ViaProxy() const { return proxy_ ? " via proxy " + proxy_->Redacted() : ""; }

  // Resolves, connects, tunnels through the proxy and shakes hands as needed.
  std::optional<TransportError> Open(std::unique_ptr<Connection>& conn) {
    connect_deadline_ = std::min(deadline_, Clock::now() + state_.options.connect_timeout);
    if (endpoint_.IsHttps()) {  // a bad CA bundle is said before anything is connected
      std::string error;
      if (!state_.TlsContext(&error)) return Error(TransportErrorKind::kTls, error, false);
    }
    const Url& peer = proxy_ ? proxy_->address : endpoint_;
    const TransportErrorKind peer_failure =
        proxy_ ? TransportErrorKind::kProxy : TransportErrorKind::kConnect;

    tcp::resolver::results_type addresses;
    if (auto error = Resolve(peer, addresses)) return error;

    conn = std::make_unique<Connection>();
    conn->plain = std::make_unique<beast::tcp_stream>(state_.ioc);
    beast::tcp_stream& stream = *conn->plain;
    stream.expires_at(connect_deadline_);
    ++state_.connections_opened;
    error_code ec =
        state_.Await([&](auto handler) { stream.async_connect(addresses, std::move(handler)); });
    if (ec == beast::error::timeout) return OpenTimeout("connect to " + peer.HostPort());
    if (ec) {
      return Error(peer_failure,
                   "connect to " + (proxy_ ? "proxy " + proxy_->Redacted() : peer.HostPort()) +
                       " failed: " + ec.message(),
                   false);
    }
    stream.socket().set_option(tcp::no_delay(true), ec);

    if (Tunnel()) {
      if (auto error = ConnectTunnel(*conn)) return error;
    }
    if (endpoint_.IsHttps()) {
      if (auto error = Handshake(*conn)) return error;
    }
    return std::nullopt;
  }

  // Name resolution, bounded by the connect deadline. getaddrinfo itself cannot be interrupted:
  // a resolver that never answers holds Send until the C library gives up (seconds).
  std::optional<TransportError> Resolve(const Url& peer, tcp::resolver::results_type& out) {
    tcp::resolver resolver(state_.ioc);
    asio::steady_timer timer(state_.ioc, connect_deadline_);
    bool timer_done = false;
    bool timed_out = false;
    std::optional<error_code> result;
    timer.async_wait([&](error_code ec) {
      timer_done = true;
      if (!ec && !result) {
        timed_out = true;
        resolver.cancel();
      }
    });
    auto flags = tcp::resolver::numeric_service;
    if (IsIpAddress(peer.host)) flags |= tcp::resolver::numeric_host;
    resolver.async_resolve(peer.host, std::to_string(peer.port), flags,
                           [&](error_code ec, tcp::resolver::results_type results) {
                             result = ec;
                             out = std::move(results);
                             timer.cancel();
                           });
    state_.ioc.restart();
    while ((!result || !timer_done) && state_.ioc.run_one() > 0) {
    }
    if (timed_out) return OpenTimeout("resolving " + peer.host);
    if (result.value_or(asio::error::operation_aborted) || out.empty()) {
      const std::string why = result && *result ? result->message() : "no address";
      if (proxy_) {
        return Error(TransportErrorKind::kProxy,
                     "cannot resolve proxy " + proxy_->Redacted() + ": " + why, false);
      }
      return Error(TransportErrorKind::kResolve, "cannot resolve " + peer.host + ": " + why, false);
    }
    return std::nullopt;
  }

  // CONNECT host:port through the proxy; on 2xx the connection is a tunnel to the endpoint.
  std::optional<TransportError> ConnectTunnel(Connection& conn) {
    const std::string target = endpoint_.HostPort();
    std::string connect = "CONNECT " + target + " HTTP/1.1\r\nHost: " + target +
                          "\r\nUser-Agent: " + std::string(kUserAgent) + "\r\n";
    if (const std::string auth = proxy_->AuthorizationHeader(); !auth.empty()) {
      connect += "Proxy-Authorization: " + auth + "\r\n";
    }
    connect += "\r\n";
    beast::tcp_stream& stream = *conn.plain;
    stream.expires_at(connect_deadline_);
    error_code ec = state_.Await([&](auto handler) {
      asio::async_write(stream, asio::buffer(connect), std::move(handler));
    });
    bhttp::response_parser<bhttp::empty_body> parser;
    parser.skip(true);  // a CONNECT response has no body
    if (!ec) {
      ec = state_.Await([&](auto handler) {
        bhttp::async_read(stream, conn.buffer, parser, std::move(handler));
      });
    }
    const std::string what = "CONNECT " + target + ViaProxy();
    if (ec == beast::error::timeout) return OpenTimeout(what);
    if (ec) return Error(TransportErrorKind::kProxy, what + " failed: " + ec.message(), false);
    const unsigned status = parser.get().result_int();
    if (status < 200 || status > 299) {
      return Error(
          TransportErrorKind::kProxy,
          what + " refused: " + std::to_string(status) + " " + std::string(parser.get().reason()),
          false);
    }
    if (conn.buffer.size() != 0) {
      return Error(TransportErrorKind::kProxy, what + ": data after the proxy's answer", false);
    }
    return std::nullopt;
  }

  std::optional<TransportError> Handshake(Connection& conn) {
    std::string error;
    ssl::context* ctx = state_.TlsContext(&error);
    if (!ctx) return Error(TransportErrorKind::kTls, error, false);
    conn.tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*conn.plain), *ctx);
    conn.plain.reset();
    SSL* ssl_handle = conn.tls->native_handle();
    const std::string& host = endpoint_.host;
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_handle);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (IsIpAddress(host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_handle, host.c_str());  // SNI: for names only (RFC 6066)
      X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
    }
    conn.Tcp().expires_at(connect_deadline_);
    const error_code ec = state_.Await([&](auto handler) {
      conn.tls->async_handshake(ssl::stream_base::client, std::move(handler));
    });
    if (!ec) return std::nullopt;
    const std::string what = "TLS handshake with " + endpoint_.HostPort() + ViaProxy();
    if (const long verify = SSL_get_verify_result(ssl_handle); verify != X509_V_OK) {
      return Error(
          TransportErrorKind::kTls,
          what + " failed: certificate verify failed: " + X509_verify_cert_error_string(verify),
          false);
    }
    if (ec == beast::error::timeout) return OpenTimeout(what);
    if (IsTlsError(ec))
      return Error(TransportErrorKind::kTls, what + " failed: " + ec.message(), false);
    return Error(TransportErrorKind::kConnectionDropped,
                 what + ": the connection was closed (" + ec.message() + ")", false);
  }

  // A failure after the request was (being) written.
  Failure ExchangeFailure(const error_code& ec, bool nothing_read, const std::string& phase) const {
    if (ec == beast::error::timeout) {
      return {Error(TransportErrorKind::kTimeout,
                    "request timed out after " + Millis(options_.timeout) + " " + phase, true)};
    }
    if (IsHttpParseError(ec)) {
      return {Error(TransportErrorKind::kProtocol, "malformed response: " + ec.message(), true)};
    }
    return {Error(TransportErrorKind::kConnectionDropped,
                  "connection closed " + phase + " (" + ec.message() + ")", true),
            nothing_read};
  }

  // Sends the request on `conn` and reads the response.
  std::optional<Failure> Exchange(Connection& conn, HttpResponse& response, bool& reusable) {
    conn.Tcp().expires_at(deadline_);
    // One buffer per write: Beast 1.74's TLS stream (flat_stream) writes nothing, and so ends
    // asio::async_write early, when a buffer sequence starts with an emptied buffer. A small
    // body goes out with the head, a large one after it without being copied.
    const bool body_apart = request_.body.size() > kChunkSize;
    const std::string head = body_apart ? head_ : head_ + request_.body;
    error_code ec;
    for (const std::string* bytes : {&head, body_apart ? &request_.body : nullptr}) {
      if (ec || !bytes) break;
      ec = conn.With([&](auto& stream) {
        return state_.Await([&](auto handler) {
          asio::async_write(stream, asio::buffer(*bytes), std::move(handler));
        });
      });
    }
    if (ec) return ExchangeFailure(ec, conn.buffer.size() == 0, "while sending the request");

    // The head of the final response; interim 1xx responses are skipped.
    std::optional<bhttp::response_parser<bhttp::buffer_body>> parser;
    for (;;) {
      parser.emplace();
      parser->header_limit(kHeaderLimit);
      // Not boost::none: Boost 1.74 compares a length with an empty limit as exceeding it.
      parser->body_limit(std::numeric_limits<std::uint64_t>::max());
      if (request_.method == "HEAD") parser->skip(true);
      ec = conn.With([&](auto& stream) {
        return state_.Await([&](auto handler) {
          bhttp::async_read_header(stream, conn.buffer, *parser, std::move(handler));
        });
      });
      if (ec) {
        return ExchangeFailure(ec, !parser->got_some() && conn.buffer.size() == 0,
                               "before the response");
      }
      const unsigned status = parser->get().result_int();
      if (status >= 200 || status == 101) break;
    }
    response.status = static_cast<int>(parser->get().result_int());
    for (const auto& field : parser->get()) {
      response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }

    const bool streamed = options_.on_body_chunk && response.status >= 200 && response.status < 300;
    if (const auto length = parser->content_length(); length && !streamed) {
      if (*length > options_.max_body_size) return TooLarge();
      response.body.reserve(static_cast<size_t>(*length));
    }
    std::vector<char>& chunk = state_.chunk;
    // Beast reads as much as the buffer's free capacity (at least 512 bytes, at most 64 KiB):
    // without room reserved, a large body arrives in recv calls of a few hundred bytes.
    if (conn.buffer.capacity() < kChunkSize) conn.buffer.reserve(kChunkSize);
    while (!parser->is_done()) {
      parser->get().body().data = chunk.data();
      parser->get().body().size = chunk.size();
      ec = conn.With([&](auto& stream) {
        return state_.Await([&](auto handler) {
          bhttp::async_read(stream, conn.buffer, *parser, std::move(handler));
        });
      });
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) return ExchangeFailure(ec, false, "in the middle of the response");
      const size_t n = chunk.size() - parser->get().body().size;
      if (n == 0) continue;
      if (streamed) {
        if (!options_.on_body_chunk(std::string_view(chunk.data(), n))) {
          return Failure{
              Error(TransportErrorKind::kAborted, "aborted by the response body consumer", true)};
        }
      } else {
        if (response.body.size() + n > options_.max_body_size) return TooLarge();
        response.body.append(chunk.data(), n);
      }
    }
    reusable = parser->keep_alive() && !parser->need_eof() && conn.buffer.size() == 0 &&
               !close_after_ && response.status != 101;
    return std::nullopt;
  }

  Failure TooLarge() const {
    return {Error(TransportErrorKind::kProtocol,
                  "response body larger than " + std::to_string(options_.max_body_size) + " bytes",
                  true)};
  }

  ClientState& state_;
  const Url& endpoint_;
  const aws::HttpRequest& request_;
  const RequestOptions& options_;
  const ProxyUrl* proxy_;
  const Clock::time_point deadline_;
  Clock::time_point connect_deadline_;
  const std::string context_;  // "POST https://host": the start of every message
  std::string key_;            // the connection pool's key
  std::string head_;
  bool close_after_ = false;
};

}  // namespace

struct BeastHttpClient::Impl {
  explicit Impl(ClientOptions options) : state(std::move(options)) {}
  ClientState state;
};

BeastHttpClient::BeastHttpClient(ClientOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}

BeastHttpClient::~BeastHttpClient() = default;

SendResult BeastHttpClient::Send(const Url& endpoint, const aws::HttpRequest& request,
                                 const RequestOptions& options) {
  return Call(impl_->state, endpoint, request, options).Run();
}

int BeastHttpClient::connections_opened() const { return impl_->state.connections_opened; }

}  // namespace sr::http
