#include "agent/metric_buffer.h"

#include <cmath>
#include <cstdio>

#include "templates/names.h"
#include "util/clock.h"

namespace sr::agent {

namespace m = templates::metrics;

std::vector<Datum> DatumsOf(const Status& s, bool signer) {
  std::vector<Datum> out;
  const WallTime t = s.observed_at;
  auto add = [&](std::string_view name, double value, std::string_view unit = "None") {
    out.push_back({name, value, t, unit});
  };
  add(m::kAgentHeartbeat, 1, "Count");
  add(m::kNodeUp, s.node_up ? 1 : 0);
  add(m::kSynced, s.synced() ? 1 : 0);
  add(m::kStalled, s.stalled() ? 1 : 0);
  if (s.stacks_tip_height) add(m::kStacksTipHeight, static_cast<double>(*s.stacks_tip_height));
  if (s.burn_block_height) add(m::kBurnBlockHeight, static_cast<double>(*s.burn_block_height));
  if (s.stacks_blocks_behind) {
    add(m::kStacksBlocksBehind, static_cast<double>(*s.stacks_blocks_behind), "Count");
  }
  if (s.burn_blocks_behind) {
    add(m::kBurnBlocksBehind, static_cast<double>(*s.burn_blocks_behind), "Count");
  }
  if (s.peers) add(m::kPeers, static_cast<double>(*s.peers), "Count");
  if (s.data_disk_used_percent) add(m::kDataDiskUsedPercent, *s.data_disk_used_percent, "Percent");
  if (s.chainstate_restore) {
    add(m::kChainstateRestorePercent, s.chainstate_restore->percent, "Percent");
  }
  if (signer) add(m::kSignerHeartbeat, s.signer && s.signer->heartbeat_ok ? 1 : 0);
  return out;
}

void MetricBuffer::DropBeyondCapacity() {
  while (datums_.size() > capacity_) {
    datums_.pop_front();
    ++dropped_;
  }
}

void MetricBuffer::Add(const std::vector<Datum>& datums) {
  std::lock_guard<std::mutex> lock(mu_);
  datums_.insert(datums_.end(), datums.begin(), datums.end());
  DropBeyondCapacity();
}

std::vector<Datum> MetricBuffer::Take(size_t max) {
  std::lock_guard<std::mutex> lock(mu_);
  const size_t n = std::min(max, datums_.size());
  std::vector<Datum> out(datums_.begin(), datums_.begin() + static_cast<long>(n));
  datums_.erase(datums_.begin(), datums_.begin() + static_cast<long>(n));
  return out;
}

void MetricBuffer::Requeue(std::vector<Datum> batch) {
  std::lock_guard<std::mutex> lock(mu_);
  datums_.insert(datums_.begin(), batch.begin(), batch.end());
  DropBeyondCapacity();
}

size_t MetricBuffer::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return datums_.size();
}

int64_t MetricBuffer::dropped() const {
  std::lock_guard<std::mutex> lock(mu_);
  return dropped_;
}

namespace {

std::string FormatValue(double v) {
  char buf[40];
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.10g", v);
  }
  return buf;
}

}  // namespace

aws::NameValueList PutMetricDataParams(std::string_view metric_namespace,
                                       const std::vector<Datum>& datums,
                                       const std::vector<std::vector<Dimension>>& dimension_sets) {
  aws::NameValueList params;
  params.emplace_back("Namespace", std::string(metric_namespace));
  int member = 0;
  for (const auto& dimensions : dimension_sets) {
    for (const Datum& d : datums) {
      const std::string prefix = "MetricData.member." + std::to_string(++member) + ".";
      params.emplace_back(prefix + "MetricName", std::string(d.name));
      for (size_t i = 0; i < dimensions.size(); ++i) {
        const std::string dim = prefix + "Dimensions.member." + std::to_string(i + 1) + ".";
        params.emplace_back(dim + "Name", dimensions[i].name);
        params.emplace_back(dim + "Value", dimensions[i].value);
      }
      params.emplace_back(prefix + "Timestamp", util::FormatIso8601(d.time));
      params.emplace_back(prefix + "Value", FormatValue(d.value));
      params.emplace_back(prefix + "Unit", std::string(d.unit));
    }
  }
  return params;
}

std::vector<Datum> RemoveOutOfRange(std::vector<Datum>* batch, WallTime now) {
  // CloudWatch's limits, with a margin for the time the request takes.
  const WallTime earliest = now - std::chrono::hours(24 * 14) + std::chrono::minutes(10);
  const WallTime latest = now + std::chrono::hours(2) - std::chrono::minutes(10);
  std::vector<Datum> kept, removed;
  for (Datum& d : *batch) {
    (d.time < earliest || d.time > latest ? removed : kept).push_back(d);
  }
  *batch = std::move(kept);
  return removed;
}

}  // namespace sr::agent
