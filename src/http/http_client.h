// The HTTP client interface the AWS layer sends its signed requests through, so that tests can
// fake it: one request in, one response or one transport error out. Statuses are not errors
// here (a 503 is a response); retries, backoff and their policy belong to the caller, which gets
// what it needs to decide in TransportError.
#ifndef STACKS_RUNNER_HTTP_HTTP_CLIENT_H_
#define STACKS_RUNNER_HTTP_HTTP_CLIENT_H_

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <variant>

#include "aws/http_message.h"
#include "http/url.h"

namespace sr::http {

struct HttpResponse {
  int status = 0;
  aws::NameValueList headers;  // in order received
  std::string body;            // empty when streamed to RequestOptions::on_body_chunk

  // The value of the first header with that name (case-insensitive), or nullptr.
  const std::string* FindHeader(std::string_view name) const;
};

enum class TransportErrorKind {
  kResolve,            // the endpoint's host name did not resolve
  kConnect,            // TCP connect refused or unreachable
  kTls,                // TLS handshake failed: certificate verify failed, protocol, CA bundle
  kTimeout,            // the connect timeout or the request timeout expired
  kConnectionDropped,  // the server (or a proxy) closed or reset the connection early
  kProxy,              // the proxy could not be reached or refused the CONNECT tunnel
  kProtocol,           // not HTTP/1.x, a malformed response, or an invalid request
  kAborted,            // RequestOptions::on_body_chunk returned false
};

std::string_view TransportErrorKindName(TransportErrorKind kind);  // "timeout", ...

struct TransportError {
  TransportErrorKind kind = TransportErrorKind::kProtocol;
  // For people: what failed and where ("POST https://host: ..."). Never holds request headers,
  // the request body, the path or query (presigned URLs carry signatures), nor proxy passwords.
  std::string message;
  // False when no byte of the request was written to the server's connection (resolve, connect,
  // proxy and TLS failures, connect timeouts): repeating it is safe even for a non-idempotent
  // request. True when the server may have received (part of) it.
  bool request_sent = false;
};

struct RequestOptions {
  // The whole exchange: connect (also bounded by the client's connect timeout), send, and the
  // last byte of the response.
  std::chrono::milliseconds timeout{std::chrono::seconds(60)};
  // When set, the body of a 2xx response is passed to it in pieces as it arrives and is not kept
  // in HttpResponse::body; returning false aborts the request (TransportErrorKind::kAborted).
  // Bodies of other statuses (AWS error documents) are always kept in HttpResponse::body.
  std::function<bool(std::string_view)> on_body_chunk;
  // A kept body larger than this fails with kProtocol instead of using up memory.
  std::size_t max_body_size = 256u << 20;
};

using SendResult = std::variant<HttpResponse, TransportError>;

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Connects to `endpoint` (scheme, host, port; its base_path is not used here: the caller puts
  // it into request.path before signing) and sends `request` as is: the request target is
  // aws::RequestTarget(request), the Host header request.host (or a given Host header, or the
  // endpoint's authority when both are empty).
  virtual SendResult Send(const Url& endpoint, const aws::HttpRequest& request,
                          const RequestOptions& options) = 0;
};

}  // namespace sr::http

#endif  // STACKS_RUNNER_HTTP_HTTP_CLIENT_H_
