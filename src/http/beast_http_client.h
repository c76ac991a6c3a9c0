// The real HttpClient: HTTP/1.1 over TCP (http://) or TLS (https://, certificates verified
// against ClientOptions::ca_bundle_file, host name checked, TLS 1.2 at least), through an HTTP
// proxy when the settings say so, with keep-alive connections pooled per destination.
//
// Thread-compatible: a client serves one Send at a time; use one client per thread. Boost.Beast
// and Asio stay inside the .cc file.
//
// Timeouts: ClientOptions::connect_timeout bounds opening a connection (name resolution, TCP
// connect, proxy CONNECT and TLS handshake); RequestOptions::timeout the whole Send.
// Connection reuse: an idle connection is reused for the same scheme://host:port (and proxy)
// unless the server closed it or it was idle longer than max_idle. When a reused connection turns
// out dead before any byte of the response came back (the server closed it as the request was
// sent), the request is sent once more on a new connection; nothing else is retried here.
#ifndef STACKS_RUNNER_HTTP_BEAST_HTTP_CLIENT_H_
#define STACKS_RUNNER_HTTP_BEAST_HTTP_CLIENT_H_

#include <chrono>
#include <memory>
#include <string>

#include "http/http_client.h"
#include "http/proxy.h"

namespace sr::http {

struct ClientOptions {
  // The PEM file of trusted CAs (see FindCaBundle); empty: OpenSSL's built-in default paths,
  // which a statically linked binary cannot be trusted to have.
  std::string ca_bundle_file;
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(10)};
  ProxySettings proxy;
  // A pooled connection idle for longer is closed rather than reused.
  std::chrono::milliseconds max_idle{std::chrono::seconds(30)};
};

class BeastHttpClient final : public HttpClient {
 public:
  explicit BeastHttpClient(ClientOptions options);
  ~BeastHttpClient() override;
  BeastHttpClient(const BeastHttpClient&) = delete;
  BeastHttpClient& operator=(const BeastHttpClient&) = delete;

  SendResult Send(const Url& endpoint, const aws::HttpRequest& request,
                  const RequestOptions& options) override;

  // TCP connections opened so far (to servers or proxies), for tests and diagnostics.
  int connections_opened() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace sr::http

#endif  // STACKS_RUNNER_HTTP_BEAST_HTTP_CLIENT_H_
