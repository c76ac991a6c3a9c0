#include "agent/prometheus.h"

#include <cmath>
#include <cstdio>

namespace sr::agent {
namespace {

class Writer {
 public:
  void Metric(const char* name, const char* type, const char* help) {
    out_ += "# HELP stacks_runner_";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE stacks_runner_";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }
  void Sample(const char* name, double value, const std::string& labels = "") {
    out_ += "stacks_runner_";
    out_ += name;
    if (!labels.empty()) out_ += "{" + labels + "}";
    out_ += ' ';
    char buf[32];
    if (value == std::floor(value) && std::fabs(value) < 1e15) {
      std::snprintf(buf, sizeof buf, "%.0f", value);
    } else {
      std::snprintf(buf, sizeof buf, "%.6g", value);
    }
    out_ += buf;
    out_ += '\n';
  }
  // A gauge with one sample, left out entirely when unknown.
  template <typename T>
  void Gauge(const char* name, const char* help, const std::optional<T>& value) {
    if (!value) return;
    Metric(name, "gauge", help);
    Sample(name, static_cast<double>(*value));
  }
  void Gauge(const char* name, const char* help, double value) {
    Metric(name, "gauge", help);
    Sample(name, value);
  }
  void Counter(const char* name, const char* help, double value) {
    Metric(name, "counter", help);
    Sample(name, value);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

}  // namespace

std::string PrometheusText(const Status& s, const PublisherStats& p, const LifecycleStats& l,
                           SteadyTime now) {
  Writer w;
  w.Gauge("node_up", "1 when the node's RPC answers /v2/info usably", s.node_up ? 1 : 0);
  w.Metric("sync_state", "gauge", "1 for the node's current sync state");
  for (SyncState state : kAllSyncStates) {
    w.Sample("sync_state", s.state == state ? 1 : 0,
             "state=\"" + std::string(SyncStateName(state)) + "\"");
  }
  w.Gauge("synced", "1 when the node is synced (what /health answers 200 for)", s.synced() ? 1 : 0);
  w.Gauge("stacks_tip_height", "the node's Stacks tip height", s.stacks_tip_height);
  w.Gauge("burn_block_height", "the node's burn (Bitcoin) block height", s.burn_block_height);
  w.Gauge("stacks_blocks_behind", "Stacks blocks behind the reference or the neighbours",
          s.stacks_blocks_behind);
  w.Gauge("burn_blocks_behind", "Bitcoin blocks behind bitcoind or the reference",
          s.burn_blocks_behind);
  w.Gauge("peers", "inbound and outbound neighbours", s.peers);
  w.Gauge("reference_stacks_tip_height", "the reference node's Stacks tip height",
          s.reference_stacks_tip_height);
  w.Gauge("peers_max_stacks_height", "the neighbours' highest Stacks tip (/v3/health)",
          s.peers_max_stacks_height);
  w.Gauge("bitcoin_block_height", "bitcoind's block count", s.bitcoin_block_height);
  w.Gauge("seconds_since_progress", "seconds since the tip or the burn height last moved",
          s.seconds_since_progress);
  w.Gauge("data_disk_used_percent", "use of the data volume", s.data_disk_used_percent);
  if (s.chainstate_restore) {
    w.Gauge("chainstate_restore_percent", "share of the chainstate archive restored so far",
            s.chainstate_restore->percent);
  }
  if (s.signer) {
    w.Gauge("signer_heartbeat_ok", "1 when the signer's /heartbeat answers OK",
            s.signer->heartbeat_ok ? 1 : 0);
    w.Gauge("signer_reward_cycle", "the signer's current reward cycle", s.signer->reward_cycle);
    w.Gauge("signer_blocks_accepted", "block responses the signer sent as accepted",
            s.signer->blocks_accepted);
    w.Gauge("signer_blocks_rejected", "block responses the signer sent as rejected",
            s.signer->blocks_rejected);
  }
  w.Counter("observations_total", "observation cycles", static_cast<double>(s.observations));
  if (s.observations > 0) {
    w.Gauge("observation_age_seconds", "age of the latest observation",
            std::chrono::duration<double>(now - s.observed_steady).count());
  }
  if (p.enabled) {
    w.Gauge("cloudwatch_buffered_datums", "datums waiting to be sent to CloudWatch",
            static_cast<double>(p.buffered));
    w.Counter("cloudwatch_sent_datums_total", "datums CloudWatch accepted",
              static_cast<double>(p.sent));
    w.Counter("cloudwatch_dropped_datums_total", "datums dropped (oldest first) from a full buffer",
              static_cast<double>(p.dropped));
    w.Counter("cloudwatch_rejected_datums_total", "datums CloudWatch refused as invalid",
              static_cast<double>(p.rejected));
    w.Counter("cloudwatch_failed_requests_total", "PutMetricData calls that failed",
              static_cast<double>(p.failed_requests));
  }
  if (l.enabled) {
    w.Counter("lifecycle_heartbeats_total", "lifecycle action heartbeats sent",
              static_cast<double>(l.heartbeats));
    w.Gauge("lifecycle_pending", "1 while the launch lifecycle action waits for the node",
            l.state == "waiting" ? 1 : 0);
  }
  return w.Take();
}

}  // namespace sr::agent
