// The CloudWatch side of the agent, without I/O: the datums one observation yields (in the
// StacksRunner namespace, named as templates/names.h names them for the dashboards and alarms),
// the bounded buffer they wait in while CloudWatch cannot take them, and the PutMetricData
// parameters of a batch.
//
// The buffer is thread-safe and bounded: when full, the oldest datums are dropped first and
// counted, so a long CloudWatch outage costs old data points, never memory or the newest ones.
#ifndef STACKS_RUNNER_AGENT_METRIC_BUFFER_H_
#define STACKS_RUNNER_AGENT_METRIC_BUFFER_H_

#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "agent/sync_state.h"
#include "aws/http_message.h"

namespace sr::agent {

struct Datum {
  std::string_view name;  // one of templates::metrics, static storage
  double value = 0;
  WallTime time{};
  std::string_view unit = "None";  // CloudWatch StandardUnit
};

// Every observation yields AgentHeartbeat, NodeUp, Synced and Stalled; the heights, the lag,
// the peers and the disk use when known; SignerHeartbeat for signers.
std::vector<Datum> DatumsOf(const Status& status, bool signer);

class MetricBuffer {
 public:
  explicit MetricBuffer(size_t capacity) : capacity_(capacity) {}

  // Appends, dropping the oldest datums beyond the capacity.
  void Add(const std::vector<Datum>& datums);
  // Removes and returns up to `max` of the oldest datums.
  std::vector<Datum> Take(size_t max);
  // Puts a batch that could not be sent back in front, still within the capacity (what does not
  // fit, the oldest, is dropped).
  void Requeue(std::vector<Datum> batch);

  size_t size() const;
  size_t capacity() const { return capacity_; }
  int64_t dropped() const;

 private:
  void DropBeyondCapacity();  // with mu_ held

  const size_t capacity_;
  mutable std::mutex mu_;
  std::deque<Datum> datums_;
  int64_t dropped_ = 0;
};

struct Dimension {
  std::string name;
  std::string value;
};

// PutMetricData's query parameters: every datum once per dimension set.
aws::NameValueList PutMetricDataParams(std::string_view metric_namespace,
                                       const std::vector<Datum>& datums,
                                       const std::vector<std::vector<Dimension>>& dimension_sets);

// Datums CloudWatch would refuse (timestamps over two hours ahead or two weeks old), judged
// against `now`: moved out of `batch` and returned.
std::vector<Datum> RemoveOutOfRange(std::vector<Datum>* batch, WallTime now);

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_METRIC_BUFFER_H_
