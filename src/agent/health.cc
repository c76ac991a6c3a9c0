#include "agent/health.h"

#include <nlohmann/json.hpp>

#include "util/clock.h"

namespace sr::agent {
namespace {

using Json = nlohmann::ordered_json;

template <typename T>
Json OrNull(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

double AgeSeconds(const Status& s, SteadyTime now) {
  return std::chrono::duration<double>(now - s.observed_steady).count();
}

}  // namespace

HttpReply HealthReply(const Status& s, SteadyTime now, std::chrono::milliseconds max_age) {
  HttpReply reply;
  Json body{{"status", SyncStateName(s.state)}};
  bool healthy = s.synced();
  std::string reason = s.reason;
  if (s.observations == 0) {
    healthy = false;
    body["status"] = "starting";
    reason = "the agent has not observed the node yet";
  } else if (now - s.observed_steady > max_age) {
    // The observer is stuck or the agent is shutting down: what we know is too old to vouch for.
    healthy = false;
    body["status"] = "unknown";
    reason = "the last observation is " + std::to_string(static_cast<int64_t>(AgeSeconds(s, now))) +
             " s old";
  }
  body["healthy"] = healthy;
  body["reason"] = reason;
  body["stacks_tip_height"] = OrNull(s.stacks_tip_height);
  body["stacks_blocks_behind"] = OrNull(s.stacks_blocks_behind);
  body["burn_blocks_behind"] = OrNull(s.burn_blocks_behind);
  reply.status = healthy ? 200 : 503;
  reply.body = body.dump() + "\n";
  return reply;
}

std::string StatusJson(const Status& s, const PublisherStats& p, const LifecycleStats& l,
                       SteadyTime now) {
  Json j;
  j["state"] = SyncStateName(s.state);
  j["reason"] = s.reason;
  j["healthy"] = s.synced();
  j["observed_at"] = s.observations ? Json(util::FormatIso8601(s.observed_at)) : Json(nullptr);
  j["observation_age_seconds"] = s.observations ? Json(AgeSeconds(s, now)) : Json(nullptr);
  j["observations"] = s.observations;
  j["node"] = Json{{"up", s.node_up},
                   {"server_version", s.server_version},
                   {"stacks_tip_height", OrNull(s.stacks_tip_height)},
                   {"burn_block_height", OrNull(s.burn_block_height)},
                   {"stacks_blocks_behind", OrNull(s.stacks_blocks_behind)},
                   {"burn_blocks_behind", OrNull(s.burn_blocks_behind)},
                   {"peers", OrNull(s.peers)},
                   {"seconds_since_progress", OrNull(s.seconds_since_progress)},
                   {"data_disk_used_percent", OrNull(s.data_disk_used_percent)}};
  j["chainstate_restore"] = s.chainstate_restore ? Json{{"phase", s.chainstate_restore->phase},
                                                        {"percent", s.chainstate_restore->percent}}
                                                 : Json(nullptr);
  j["compared_with"] = Json{{"stacks_target_height", OrNull(s.stacks_target_height)},
                            {"stacks_target_source", s.stacks_target_source},
                            {"burn_target_height", OrNull(s.burn_target_height)},
                            {"burn_target_source", s.burn_target_source},
                            {"reference_stacks_tip_height", OrNull(s.reference_stacks_tip_height)},
                            {"reference_burn_block_height", OrNull(s.reference_burn_block_height)},
                            {"peers_max_stacks_height", OrNull(s.peers_max_stacks_height)},
                            {"bitcoin_block_height", OrNull(s.bitcoin_block_height)}};
  if (s.signer) {
    j["signer"] = Json{{"heartbeat_ok", s.signer->heartbeat_ok},
                       {"reward_cycle", OrNull(s.signer->reward_cycle)},
                       {"node_height", OrNull(s.signer->node_height)},
                       {"blocks_accepted", OrNull(s.signer->blocks_accepted)},
                       {"blocks_rejected", OrNull(s.signer->blocks_rejected)}};
  }
  Json errors = Json::object();
  auto add = [&](const char* name, const std::string& e) {
    if (!e.empty()) errors[name] = e;
  };
  add("node", s.node_error);
  add("peer_heights", s.peer_heights_error);
  add("peers", s.peers_error);
  add("bitcoind", s.bitcoin_error);
  add("reference", s.reference_error);
  add("signer", s.signer_error);
  add("data_disk", s.disk_error);
  j["errors"] = std::move(errors);
  j["cloudwatch"] =
      Json{{"enabled", p.enabled},
           {"buffered", p.buffered},
           {"capacity", p.capacity},
           {"sent", p.sent},
           {"dropped", p.dropped},
           {"rejected", p.rejected},
           {"failed_requests", p.failed_requests},
           {"last_error", p.last_error},
           {"last_success",
            p.last_success ? Json(util::FormatIso8601(*p.last_success)) : Json(nullptr)}};
  j["lifecycle"] = Json{{"enabled", l.enabled},
                        {"state", l.state},
                        {"heartbeats", l.heartbeats},
                        {"last_error", l.last_error}};
  return j.dump(2) + "\n";
}

}  // namespace sr::agent
