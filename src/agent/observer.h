// One observation cycle's I/O: the node's /v2/info, /v3/health and /v2/neighbors, bitcoind's
// getblockcount (JSON-RPC with basic auth, when credentials are configured), the reference
// node's /v2/info (unless off), the signer's /heartbeat and /metrics (signers), and the data
// disk's use (statvfs). Every request has a timeout and a body limit; each source fails on its
// own, as a Reading with an error, never as an exception.
#ifndef STACKS_RUNNER_AGENT_OBSERVER_H_
#define STACKS_RUNNER_AGENT_OBSERVER_H_

#include <chrono>
#include <optional>
#include <string>

#include "agent/observation.h"
#include "http/http_client.h"

namespace sr::agent {

struct BitcoinRpc {
  http::Url url;
  std::string username;
  std::string password;  // secret: never logged, never in an error message
};

struct ObserverTargets {
  http::Url node;                      // http://127.0.0.1:20443
  std::optional<http::Url> reference;  // https://api.hiro.so
  std::optional<BitcoinRpc> bitcoin;
  std::optional<http::Url> signer;  // http://127.0.0.1:30001
  std::string data_path;            // the data volume's mount; empty: not measured
  // The chainstate restore's progress file; empty: not read.
  std::string chainstate_progress_path;
  std::chrono::milliseconds timeout = std::chrono::seconds(5);
};

class Observer {
 public:
  // `http` serves one request at a time (the observer's own thread).
  Observer(http::HttpClient* http, ObserverTargets targets)
      : http_(http), targets_(std::move(targets)) {}

  Observation Observe(WallTime wall, SteadyTime steady);

 private:
  struct Answer {
    bool ok = false;  // a response with the expected status
    std::string body;
    std::string error;
    bool unreachable = false;
    bool refused = false;
  };
  Answer Get(const http::Url& base, const std::string& path, size_t max_body,
             int expected_status = 200);
  Answer Post(const http::Url& base, const aws::HttpRequest& request);
  // Sends `request`: the response, or nullopt with `answer` saying why none came.
  std::optional<http::HttpResponse> Exchange(const http::Url& base, const aws::HttpRequest& request,
                                             size_t max_body, Answer* answer);

  template <typename T, typename Parse>
  Reading<T> Read(const http::Url& base, const std::string& path, size_t max_body, Parse parse);

  http::HttpClient* http_;
  ObserverTargets targets_;
};

// The used share of the file system at `path`, as df computes it; false with `error` set.
bool DiskUsedPercent(const std::string& path, double* out, std::string* error);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_OBSERVER_H_
