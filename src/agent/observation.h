// What the node agent reads in one observation cycle, and the parsers that turn each source's
// answer into it: the node's /v2/info, /v3/health and /v2/neighbors, bitcoind's getblockcount,
// a reference node's /v2/info, the signer's /heartbeat and /metrics, and the data disk's use.
// The parsers accept only well-formed answers (garbage, truncated JSON, wrong types and absurd
// values are errors with a short reason) and never throw.
#ifndef STACKS_RUNNER_AGENT_OBSERVATION_H_
#define STACKS_RUNNER_AGENT_OBSERVATION_H_

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sr::agent {

using SteadyTime = std::chrono::steady_clock::time_point;
using WallTime = std::chrono::system_clock::time_point;

// One source's reading: not attempted (not configured), a value, or an error for people.
template <typename T>
struct Reading {
  bool attempted = false;
  std::optional<T> value;
  std::string error;
  // The source did not answer at all (connection refused, timeout, reset), as opposed to
  // answering something unusable; `refused` when nothing listens on its port.
  bool unreachable = false;
  bool refused = false;

  bool ok() const { return value.has_value(); }
};

// GET /v2/info (the node's, or the reference node's).
struct NodeInfo {
  int64_t stacks_tip_height = 0;
  int64_t burn_block_height = 0;
  std::optional<int64_t> network_id;
  std::string server_version;
};

// GET /v3/health. With no neighbour data the node reports 0 and 0, which means unknown.
struct PeerHeights {
  std::optional<int64_t> max_neighbor_height;  // none: no neighbour data
  std::string max_neighbor_address;
};

// The signer's /heartbeat and the gauges of its /metrics the agent passes on.
struct SignerView {
  bool heartbeat_ok = false;
  std::optional<int64_t> reward_cycle;
  std::optional<int64_t> node_height;
  std::optional<int64_t> blocks_accepted;
  std::optional<int64_t> blocks_rejected;
};

// The chainstate restore's progress file, which `node fetch-chainstate` rewrites every 2 s.
struct RestoreProgress {
  std::string phase;  // discovering, downloading, verifying, done, failed
  double percent = 0;
};

struct Observation {
  WallTime wall{};
  SteadyTime steady{};
  Reading<NodeInfo> node;
  Reading<PeerHeights> peer_heights;
  Reading<int64_t> peers;
  Reading<int64_t> bitcoin_tip;
  Reading<NodeInfo> reference;
  Reading<SignerView> signer;
  Reading<double> data_disk_used_percent;
  Reading<RestoreProgress> chainstate_restore;  // attempted only while the file exists
};

// Parsers: true with the value, or false with `error` set.
bool ParseNodeInfo(std::string_view body, NodeInfo* out, std::string* error);
bool ParsePeerHeights(std::string_view body, PeerHeights* out, std::string* error);
// The number of inbound and outbound neighbours in /v2/neighbors.
bool ParseNeighborCount(std::string_view body, int64_t* out, std::string* error);
// A JSON-RPC answer to getblockcount: {"result": N, "error": null, "id": ...}.
bool ParseBlockCount(std::string_view body, int64_t* out, std::string* error);
// The progress file of a chainstate restore: {"phase": ..., "percent": 0-100, ...}.
bool ParseRestoreProgress(std::string_view body, RestoreProgress* out, std::string* error);
// The signer gauges of interest in a Prometheus text exposition (absent ones stay unset).
void ParseSignerMetrics(std::string_view text, SignerView* out);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_OBSERVATION_H_
