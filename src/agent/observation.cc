#include "agent/observation.h"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

namespace sr::agent {
namespace {

using nlohmann::json;

// Heights beyond this are not heights: Bitcoin is near 10^6 and Stacks near 10^7.
constexpr int64_t kMaxHeight = 1'000'000'000'000;

bool ParseObject(std::string_view body, json* out, std::string* error) {
  *out = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (out->is_discarded()) {
    *error = body.empty() ? "empty answer" : "not JSON (garbage or truncated)";
    return false;
  }
  if (!out->is_object()) {
    *error = "not a JSON object";
    return false;
  }
  return true;
}

// A whole number in [0, kMaxHeight] under `key`.
bool Height(const json& object, const char* key, int64_t* out, std::string* error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    *error = std::string("no ") + key;
    return false;
  }
  if (it->is_number_unsigned()) {
    const uint64_t v = it->get<uint64_t>();
    if (v <= static_cast<uint64_t>(kMaxHeight)) {
      *out = static_cast<int64_t>(v);
      return true;
    }
  }
  *error = std::string(key) + " is not a block height";
  return false;
}

}  // namespace

bool ParseNodeInfo(std::string_view body, NodeInfo* out, std::string* error) {
  json j;
  if (!ParseObject(body, &j, error)) return false;
  NodeInfo info;
  if (!Height(j, "stacks_tip_height", &info.stacks_tip_height, error) ||
      !Height(j, "burn_block_height", &info.burn_block_height, error)) {
    return false;
  }
  // `is_fully_synced` is deliberately not read: the Nakamoto run loop reports true while syncing.
  if (auto it = j.find("network_id"); it != j.end() && it->is_number_unsigned()) {
    info.network_id = static_cast<int64_t>(it->get<uint64_t>() & 0xffffffffu);
  }
  if (auto it = j.find("server_version"); it != j.end() && it->is_string()) {
    info.server_version = it->get<std::string>().substr(0, 200);
  }
  *out = std::move(info);
  return true;
}

bool ParsePeerHeights(std::string_view body, PeerHeights* out, std::string* error) {
  json j;
  if (!ParseObject(body, &j, error)) return false;
  PeerHeights heights;
  int64_t max_height = 0;
  if (!Height(j, "max_stacks_height_of_neighbors", &max_height, error)) return false;
  // With no neighbour data the node answers max height 0, difference 0 and a null address:
  // that is "unknown", never "in step with the peers".
  auto address = j.find("max_stacks_neighbor_address");
  if (address != j.end() && address->is_string() && !address->get<std::string>().empty() &&
      max_height > 0) {
    heights.max_neighbor_height = max_height;
    heights.max_neighbor_address = address->get<std::string>().substr(0, 100);
  }
  *out = std::move(heights);
  return true;
}

bool ParseNeighborCount(std::string_view body, int64_t* out, std::string* error) {
  json j;
  if (!ParseObject(body, &j, error)) return false;
  int64_t count = 0;
  for (const char* key : {"inbound", "outbound"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_array()) {
      *error = std::string("no ") + key + " list";
      return false;
    }
    count += static_cast<int64_t>(it->size());
  }
  *out = count;
  return true;
}

bool ParseBlockCount(std::string_view body, int64_t* out, std::string* error) {
  json j;
  if (!ParseObject(body, &j, error)) return false;
  if (auto e = j.find("error"); e != j.end() && !e->is_null()) {
    std::string message = "bitcoind error";
    if (e->is_object() && e->contains("message") && (*e)["message"].is_string()) {
      message += ": " + (*e)["message"].get<std::string>().substr(0, 200);
    }
    *error = message;
    return false;
  }
  return Height(j, "result", out, error);
}

bool ParseRestoreProgress(std::string_view body, RestoreProgress* out, std::string* error) {
  json j;
  if (!ParseObject(body, &j, error)) return false;
  auto phase = j.find("phase");
  auto percent = j.find("percent");
  if (phase == j.end() || !phase->is_string()) {
    *error = "no phase";
    return false;
  }
  if (percent == j.end() || !percent->is_number() || percent->get<double>() < 0 ||
      percent->get<double>() > 100) {
    *error = "no percent between 0 and 100";
    return false;
  }
  out->phase = phase->get<std::string>();
  out->percent = percent->get<double>();
  return true;
}

void ParseSignerMetrics(std::string_view text, SignerView* out) {
  // One sample per line: NAME[{LABELS}] VALUE [TIMESTAMP]. Only the few gauges we pass on.
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.empty() || line.front() == '#') continue;
    // The name ends at its label set's closing brace, or at the first space without labels.
    const size_t brace = line.find('{');
    size_t name_end = brace == std::string_view::npos ? line.find(' ') : line.rfind('}');
    if (name_end == std::string_view::npos) continue;
    if (brace != std::string_view::npos) ++name_end;
    const std::string_view name = line.substr(0, name_end);
    std::string_view value = line.substr(name_end);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    value = value.substr(0, value.find(' '));  // a timestamp may follow
    double v = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), v);
    if (ec != std::errc() || !std::isfinite(v) || v < 0 || v > 1e15) continue;
    const auto as_int = static_cast<int64_t>(v);
    if (name == "stacks_signer_current_reward_cycle") {
      out->reward_cycle = as_int;
    } else if (name == "stacks_signer_stacks_node_height") {
      out->node_height = as_int;
    } else if (name.starts_with("stacks_signer_block_responses_sent{")) {
      if (name.find("response_type=\"accepted\"") != std::string_view::npos) {
        out->blocks_accepted = as_int;
      } else if (name.find("response_type=\"rejected\"") != std::string_view::npos) {
        out->blocks_rejected = as_int;
      }
    }
  }
}

}  // namespace sr::agent
