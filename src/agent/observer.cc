#include "agent/observer.h"

#include <openssl/evp.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace sr::agent {
namespace {

constexpr size_t kInfoLimit = 64 * 1024;     // /v2/info, /v3/health: about 1.5 KB
constexpr size_t kNeighborsLimit = 1 << 20;  // /v2/neighbors lists every peer
constexpr size_t kSignerMetricsLimit = 1 << 20;

std::string BasicAuthorization(const std::string& user, const std::string& password) {
  const std::string plain = user + ":" + password;
  std::string encoded(4 * ((plain.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                reinterpret_cast<const unsigned char*>(plain.data()),
                                static_cast<int>(plain.size()));
  encoded.resize(static_cast<size_t>(n));
  return "Basic " + encoded;
}

}  // namespace

Observer::Answer Observer::Get(const http::Url& base, const std::string& path, size_t max_body,
                               int expected_status) {
  aws::HttpRequest request;
  request.method = "GET";
  request.path = base.base_path + path;
  request.headers = {{"Accept", "application/json"}, {"User-Agent", "stacks-runner-agent"}};
  Answer a;
  auto response = Exchange(base, request, max_body, &a);
  if (!response) return a;
  if (response->status != expected_status) {
    a.error = "HTTP " + std::to_string(response->status);
    a.body = std::move(response->body);
    return a;
  }
  a.ok = true;
  a.body = std::move(response->body);
  return a;
}

std::optional<http::HttpResponse> Observer::Exchange(const http::Url& base,
                                                     const aws::HttpRequest& request,
                                                     size_t max_body, Answer* answer) {
  http::RequestOptions options;
  options.timeout = targets_.timeout;
  options.max_body_size = max_body;
  http::SendResult sent = http_->Send(base, request, options);
  if (auto* t = std::get_if<http::TransportError>(&sent)) {
    answer->unreachable = true;
    answer->refused = t->kind == http::TransportErrorKind::kConnect;
    answer->error = std::string(http::TransportErrorKindName(t->kind)) + ": " + t->message;
    return std::nullopt;
  }
  return std::move(std::get<http::HttpResponse>(sent));
}

Observer::Answer Observer::Post(const http::Url& base, const aws::HttpRequest& request) {
  Answer a;
  auto exchanged = Exchange(base, request, kInfoLimit, &a);
  if (!exchanged) return a;
  http::HttpResponse& response = *exchanged;
  // bitcoind answers RPC errors with 500 and a JSON body that says which.
  if (response.status == 401 || response.status == 403) {
    a.error = "HTTP " + std::to_string(response.status) + ": bitcoind refused the credentials";
    return a;
  }
  if (response.status != 200 && response.status != 500) {
    a.error = "HTTP " + std::to_string(response.status);
    return a;
  }
  a.ok = true;
  a.body = std::move(response.body);
  return a;
}

template <typename T, typename Parse>
Reading<T> Observer::Read(const http::Url& base, const std::string& path, size_t max_body,
                          Parse parse) {
  Reading<T> r;
  r.attempted = true;
  Answer a = Get(base, path, max_body);
  if (!a.ok) {
    r.error = a.error;
    r.unreachable = a.unreachable;
    r.refused = a.refused;
    return r;
  }
  T value{};
  std::string error;
  if (!parse(a.body, &value, &error)) {
    r.error = error;
    return r;
  }
  r.value = std::move(value);
  return r;
}

Observation Observer::Observe(WallTime wall, SteadyTime steady) {
  Observation o;
  o.wall = wall;
  o.steady = steady;
  o.node = Read<NodeInfo>(targets_.node, "/v2/info", kInfoLimit, ParseNodeInfo);
  if (o.node.ok()) {
    // Not worth asking a node that did not answer /v2/info.
    o.peer_heights = Read<PeerHeights>(targets_.node, "/v3/health", kInfoLimit, ParsePeerHeights);
    o.peers = Read<int64_t>(targets_.node, "/v2/neighbors", kNeighborsLimit, ParseNeighborCount);
  }
  if (targets_.bitcoin) {
    const BitcoinRpc& btc = *targets_.bitcoin;
    aws::HttpRequest request;
    request.method = "POST";
    request.path = btc.url.base_path.empty() ? "/" : btc.url.base_path;
    request.headers = {{"Content-Type", "application/json"},
                       {"Authorization", BasicAuthorization(btc.username, btc.password)},
                       {"User-Agent", "stacks-runner-agent"}};
    request.body = R"({"jsonrpc":"1.0","id":"stacks-runner","method":"getblockcount","params":[]})";
    o.bitcoin_tip.attempted = true;
    Answer a = Post(btc.url, request);
    int64_t count = 0;
    std::string error;
    if (!a.ok) {
      o.bitcoin_tip.error = a.error;
      o.bitcoin_tip.unreachable = a.unreachable;
    } else if (!ParseBlockCount(a.body, &count, &error)) {
      o.bitcoin_tip.error = error;
    } else {
      o.bitcoin_tip.value = count;
    }
  }
  if (targets_.reference) {
    o.reference = Read<NodeInfo>(*targets_.reference, "/v2/info", kInfoLimit, ParseNodeInfo);
  }
  if (targets_.signer) {
    o.signer.attempted = true;
    Answer heartbeat = Get(*targets_.signer, "/heartbeat", kInfoLimit);
    if (!heartbeat.ok) {
      o.signer.error = "/heartbeat: " + heartbeat.error;
      o.signer.unreachable = heartbeat.unreachable;
    } else {
      SignerView view;
      view.heartbeat_ok = true;
      Answer metrics = Get(*targets_.signer, "/metrics", kSignerMetricsLimit);
      if (metrics.ok) ParseSignerMetrics(metrics.body, &view);
      o.signer.value = view;
    }
  }
  if (!targets_.data_path.empty()) {
    o.data_disk_used_percent.attempted = true;
    double used = 0;
    std::string error;
    if (DiskUsedPercent(targets_.data_path, &used, &error)) {
      o.data_disk_used_percent.value = used;
    } else {
      o.data_disk_used_percent.error = error;
    }
  }
  if (!targets_.chainstate_progress_path.empty()) {
    std::ifstream in(targets_.chainstate_progress_path, std::ios::binary);
    if (in) {  // no file: no restore has run, nothing to report
      o.chainstate_restore.attempted = true;
      std::string body(kInfoLimit, '\0');
      in.read(body.data(), static_cast<std::streamsize>(body.size()));
      body.resize(static_cast<size_t>(in.gcount()));
      RestoreProgress progress;
      std::string error;
      if (ParseRestoreProgress(body, &progress, &error)) {
        o.chainstate_restore.value = progress;
      } else {
        o.chainstate_restore.error = targets_.chainstate_progress_path + ": " + error;
      }
    }
  }
  return o;
}

bool DiskUsedPercent(const std::string& path, double* out, std::string* error) {
  struct statvfs st {};
  if (::statvfs(path.c_str(), &st) != 0) {
    *error = path + ": " + std::strerror(errno);
    return false;
  }
  const double used = static_cast<double>(st.f_blocks - st.f_bfree);
  const double total = used + static_cast<double>(st.f_bavail);
  if (total <= 0) {
    *error = path + ": reports no blocks";
    return false;
  }
  *out = used * 100.0 / total;
  return true;
}

}  // namespace sr::agent
