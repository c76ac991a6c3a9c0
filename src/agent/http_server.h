// The agent's small HTTP/1.1 server (Boost.Beast, single-threaded asynchronous, on a thread of
// its own): GET and HEAD only, keep-alive, requests of at most 8 KiB, at most 64 connections, a
// 10-second limit on each read and write, so a slow or hostile client cannot hold it up. The
// handler runs on the server's thread and must be quick (it only renders what the agent already
// knows; nothing in it waits for the node or AWS).
#ifndef STACKS_RUNNER_AGENT_HTTP_SERVER_H_
#define STACKS_RUNNER_AGENT_HTTP_SERVER_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent/health.h"

namespace sr::agent {

// `target` is the request target as sent (path and query).
using HttpHandler = std::function<HttpReply(std::string_view target)>;

class HttpServer {
 public:
  // Listens on address:port (port 0: any free port; see port()). Null with `error` set when the
  // address cannot be bound.
  static std::unique_ptr<HttpServer> Start(const std::string& address, uint16_t port,
                                           HttpHandler handler, std::string* error);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  uint16_t port() const;
  // Closes the listener and every connection, and ends the thread. Idempotent.
  void Stop();

 private:
  struct Impl;
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_HTTP_SERVER_H_
