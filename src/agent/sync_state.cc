#include "agent/sync_state.h"

#include <algorithm>

namespace sr::agent {
namespace {

std::string Minutes(std::chrono::milliseconds d) {
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (seconds < 120) return std::to_string(seconds) + " s";
  return std::to_string(seconds / 60) + " min";
}

std::string Blocks(int64_t n) { return std::to_string(n) + (n == 1 ? " block" : " blocks"); }

}  // namespace

std::string_view SyncStateName(SyncState state) {
  switch (state) {
    case SyncState::kStarting:
      return "starting";
    case SyncState::kUnknown:
      return "unknown";
    case SyncState::kSyncing:
      return "syncing";
    case SyncState::kStalled:
      return "stalled";
    case SyncState::kSynced:
      return "synced";
  }
  return "unknown";
}

Status SyncTracker::Update(const Observation& o) {
  Status s;
  s.observations = ++observations_;
  s.observed_at = o.wall;
  s.observed_steady = o.steady;
  s.node_error = o.node.error;
  s.peer_heights_error = o.peer_heights.error;
  s.peers_error = o.peers.error;
  s.bitcoin_error = o.bitcoin_tip.error;
  s.reference_error = o.reference.error;
  s.signer_error = o.signer.error;
  s.disk_error = o.data_disk_used_percent.error;
  if (o.peers.ok()) s.peers = *o.peers.value;
  if (o.bitcoin_tip.ok()) s.bitcoin_block_height = *o.bitcoin_tip.value;
  if (o.signer.ok()) s.signer = *o.signer.value;
  if (o.signer.attempted && !o.signer.ok()) s.signer = SignerView{};  // heartbeat failing
  if (o.data_disk_used_percent.ok()) s.data_disk_used_percent = *o.data_disk_used_percent.value;
  if (o.chainstate_restore.ok() && o.chainstate_restore.value->phase != "done") {
    s.chainstate_restore = *o.chainstate_restore.value;
  }
  if (o.peer_heights.ok() && o.peer_heights.value->max_neighbor_height) {
    s.peers_max_stacks_height = *o.peer_heights.value->max_neighbor_height;
  }

  // The reference counts only on the node's own network.
  std::optional<NodeInfo> reference;
  if (o.reference.ok()) {
    const NodeInfo& r = *o.reference.value;
    s.reference_stacks_tip_height = r.stacks_tip_height;
    s.reference_burn_block_height = r.burn_block_height;
    if (o.node.ok() && r.network_id && o.node.value->network_id &&
        *r.network_id != *o.node.value->network_id) {
      s.reference_error = "the reference node is on another network (network_id " +
                          std::to_string(*r.network_id) + ", this node " +
                          std::to_string(*o.node.value->network_id) + "); ignored";
    } else {
      reference = r;
    }
  }

  if (!o.node.ok()) {
    was_up_ = false;
    s.node_up = false;
    if (o.node.refused) {
      s.state = SyncState::kStarting;
      s.reason =
          "the node's RPC port is closed: stacks-node is starting (it opens RPC only after "
          "the Bitcoin headers sync) or not running";
    } else {
      s.state = SyncState::kUnknown;
      s.reason = "cannot observe the node: /v2/info: " + o.node.error;
    }
    return s;
  }

  const NodeInfo& node = *o.node.value;
  s.node_up = true;
  s.stacks_tip_height = node.stacks_tip_height;
  s.burn_block_height = node.burn_block_height;
  s.server_version = node.server_version;

  // Progress: any change of the tip or the burn height. A node that just came (back) up starts
  // its stall clock afresh: it had no chance to move while down.
  if (!was_up_ || last_tip_ != node.stacks_tip_height || last_burn_ != node.burn_block_height) {
    last_progress_ = o.steady;
  }
  was_up_ = true;
  last_tip_ = node.stacks_tip_height;
  last_burn_ = node.burn_block_height;
  const auto since_progress =
      std::chrono::duration_cast<std::chrono::milliseconds>(o.steady - last_progress_);
  s.seconds_since_progress = static_cast<double>(since_progress.count()) / 1000.0;

  if (reference) {
    s.stacks_target_height = reference->stacks_tip_height;
    s.stacks_target_source = "reference";
  } else if (s.peers_max_stacks_height) {
    s.stacks_target_height = s.peers_max_stacks_height;
    s.stacks_target_source = "peers";
  }
  if (s.bitcoin_block_height) {
    s.burn_target_height = s.bitcoin_block_height;
    s.burn_target_source = "bitcoind";
  } else if (reference) {
    s.burn_target_height = reference->burn_block_height;
    s.burn_target_source = "reference";
  }
  if (s.stacks_target_height) {
    s.stacks_blocks_behind = std::max<int64_t>(0, *s.stacks_target_height - node.stacks_tip_height);
  }
  if (s.burn_target_height) {
    s.burn_blocks_behind = std::max<int64_t>(0, *s.burn_target_height - node.burn_block_height);
  }

  if (!s.stacks_blocks_behind) {
    s.state = SyncState::kUnknown;
    s.reason = "nothing to compare the Stacks tip " + std::to_string(node.stacks_tip_height) +
               " with: no reference node" +
               (o.reference.error.empty() ? std::string() : " (" + o.reference.error + ")") +
               " and no neighbour heights in /v3/health";
    return s;
  }
  const bool stacks_behind = *s.stacks_blocks_behind > policy_.tolerance_blocks;
  const bool burn_behind =
      s.burn_blocks_behind && *s.burn_blocks_behind > policy_.burn_tolerance_blocks;
  if (!stacks_behind && !burn_behind) {
    s.state = SyncState::kSynced;
    s.reason = "Stacks tip " + std::to_string(node.stacks_tip_height) + " is within " +
               Blocks(policy_.tolerance_blocks) + " of the " + s.stacks_target_source + " (" +
               std::to_string(*s.stacks_target_height) + ")";
    return s;
  }
  std::string lag;
  if (stacks_behind) {
    lag = Blocks(*s.stacks_blocks_behind) + " behind the " + s.stacks_target_source + " (tip " +
          std::to_string(node.stacks_tip_height) + ", " + s.stacks_target_source + " " +
          std::to_string(*s.stacks_target_height) + ")";
  }
  if (burn_behind) {
    lag += std::string(lag.empty() ? "" : "; ") + "burn height " +
           std::to_string(node.burn_block_height) + " is " + Blocks(*s.burn_blocks_behind) +
           " behind " + s.burn_target_source + " (" + std::to_string(*s.burn_target_height) + ")";
  }
  if (since_progress >= policy_.stall_after) {
    s.state = SyncState::kStalled;
    s.reason = "stalled: " + lag + "; no progress for " + Minutes(since_progress);
  } else {
    s.state = SyncState::kSyncing;
    s.reason = "syncing: " + lag;
  }
  return s;
}

}  // namespace sr::agent
