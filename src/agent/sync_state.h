// The node agent's judgement, as a pure function of what it observed: observations in, a Status
// out (node up, heights, blocks behind, peers and the sync state with its reason). No I/O and no
// clocks: the observation carries its own times, and only the monotonic one measures durations,
// so a jump of the wall clock changes nothing here.
//
// Sync states:
//   starting  the node's RPC port is closed: stacks-node opens it only after the Bitcoin headers
//             sync (or it is not running)
//   unknown   the node answers, but not usably (HTTP errors, garbage, truncated JSON, timeouts),
//             or there is nothing to compare its tip with
//   syncing   behind the reference (or the neighbours) by more than the tolerance, and moving
//   stalled   behind, and neither the Stacks tip nor the burn height moved for the stall time
//   synced    within the tolerance of the reference and of the Bitcoin tip
// Only "synced" is healthy. The Stacks tip is compared with the reference node when it answers
// (on the same network), else with the neighbours' highest tip from /v3/health, never with
// /v3/health's zeros when it has no neighbour data; the burn height with bitcoind's tip, else the
// reference's. `is_fully_synced` is never used.
#ifndef STACKS_RUNNER_AGENT_SYNC_STATE_H_
#define STACKS_RUNNER_AGENT_SYNC_STATE_H_

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "agent/observation.h"

namespace sr::agent {

enum class SyncState { kStarting, kUnknown, kSyncing, kStalled, kSynced };
std::string_view SyncStateName(SyncState state);  // "starting", ...
inline constexpr SyncState kAllSyncStates[] = {SyncState::kStarting, SyncState::kUnknown,
                                               SyncState::kSyncing, SyncState::kStalled,
                                               SyncState::kSynced};

struct SyncPolicy {
  int64_t tolerance_blocks = 10;  // Stacks blocks behind that still count as synced
  int64_t burn_tolerance_blocks = 1;
  std::chrono::milliseconds stall_after = std::chrono::minutes(20);
};

struct Status {
  SyncState state = SyncState::kStarting;
  std::string reason;  // one line for people, also in the 503 answer of /health
  bool node_up = false;

  std::optional<int64_t> stacks_tip_height;
  std::optional<int64_t> burn_block_height;
  std::optional<int64_t> stacks_blocks_behind;
  std::optional<int64_t> burn_blocks_behind;
  std::optional<int64_t> peers;
  std::string server_version;

  // What the tip and burn height were compared with.
  std::optional<int64_t> stacks_target_height;
  std::string stacks_target_source;  // "reference", "peers" or empty
  std::optional<int64_t> burn_target_height;
  std::string burn_target_source;  // "bitcoind", "reference" or empty
  std::optional<int64_t> reference_stacks_tip_height;
  std::optional<int64_t> reference_burn_block_height;
  std::optional<int64_t> peers_max_stacks_height;
  std::optional<int64_t> bitcoin_block_height;

  std::optional<SignerView> signer;  // signers only
  std::optional<double> data_disk_used_percent;
  // While a chainstate restore runs (or after it failed): its phase and percent done.
  std::optional<RestoreProgress> chainstate_restore;

  // Seconds since the tip or burn height last moved (or since the node came up).
  std::optional<double> seconds_since_progress;

  // Each source's last error (empty when it answered or was not asked).
  std::string node_error;
  std::string peer_heights_error;
  std::string peers_error;
  std::string bitcoin_error;
  std::string reference_error;
  std::string signer_error;
  std::string disk_error;

  WallTime observed_at{};
  SteadyTime observed_steady{};
  int64_t observations = 0;

  bool synced() const { return state == SyncState::kSynced; }
  bool stalled() const { return state == SyncState::kStalled; }
};

class SyncTracker {
 public:
  explicit SyncTracker(SyncPolicy policy) : policy_(policy) {}

  // Folds one observation into the state and returns the status it gives.
  Status Update(const Observation& observation);

 private:
  SyncPolicy policy_;
  int64_t observations_ = 0;
  bool was_up_ = false;
  std::optional<int64_t> last_tip_;
  std::optional<int64_t> last_burn_;
  SteadyTime last_progress_{};
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_SYNC_STATE_H_
