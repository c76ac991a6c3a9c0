// Progress of a chainstate restore, for people and for the agent: a redrawn bar on a terminal
// (bytes, rate, ETA), a log line every so often otherwise, and a small JSON file the agent
// publishes (written whole and renamed into place, so a reader never sees half of it).
#ifndef STACKS_RUNNER_CHAINSTATE_PROGRESS_H_
#define STACKS_RUNNER_CHAINSTATE_PROGRESS_H_

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace sr::chainstate {

enum class Phase { kDiscovering, kDownloading, kVerifying, kDone, kFailed };

std::string_view PhaseName(Phase phase);  // "discovering", "downloading", ...

struct Progress {
  Phase phase = Phase::kDiscovering;
  std::string url;           // the archive (without any query)
  uint64_t bytes_total = 0;  // the archive's size
  uint64_t bytes_done = 0;   // archive bytes decompressed and extracted
  uint64_t bytes_downloaded = 0;
  uint64_t bytes_extracted = 0;  // file data written
  double rate = 0;               // bytes_done per second, over the last seconds
  double eta_seconds = -1;       // -1: not known yet
  double elapsed_seconds = 0;
  int retries = 0;
  std::string error;  // kFailed
};

class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  // Called a few times a second and on every phase change; sinks pace themselves.
  virtual void Update(const Progress& progress) = 0;
};

// "1.5 GiB", "12.0 MiB", "512 B".
std::string FormatBytes(double bytes);
// "1h02m", "3m05s", "42s"; "?" for a negative value.
std::string FormatDuration(double seconds);
// One line: "[#####-----]  50.0%  1.5 GiB / 3.0 GiB  120.0 MiB/s  ETA 13s".
std::string FormatProgressLine(const Progress& progress, int bar_width);

// The rate over a sliding window of samples.
class RateMeter {
 public:
  explicit RateMeter(std::chrono::milliseconds window = std::chrono::seconds(10))
      : window_(window) {}
  double Add(std::chrono::steady_clock::time_point now, uint64_t bytes);

 private:
  std::chrono::milliseconds window_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, uint64_t>> samples_;
};

// Redraws one line in place (carriage return), at most every `interval`.
class TerminalProgress final : public ProgressSink {
 public:
  explicit TerminalProgress(std::ostream& out,
                            std::chrono::milliseconds interval = std::chrono::milliseconds(200))
      : out_(out), interval_(interval) {}
  void Update(const Progress& progress) override;

 private:
  std::ostream& out_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_{};
};

// A log line every `interval` and at every phase change.
class LogProgress final : public ProgressSink {
 public:
  LogProgress(std::function<void(const std::string&)> log, std::chrono::milliseconds interval)
      : log_(std::move(log)), interval_(interval) {}
  void Update(const Progress& progress) override;

 private:
  std::function<void(const std::string&)> log_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_{};
  Phase last_phase_ = Phase::kDiscovering;
  bool started_ = false;
};

// The JSON progress file (node::paths::kChainstateProgress): rewritten every `interval` and at
// every phase change, through a temporary file renamed over it.
//   {"phase": "downloading", "url": "...", "bytes_total": N, "bytes_done": N,
//    "bytes_downloaded": N, "bytes_extracted": N, "percent": 41.2, "rate_bytes_per_second": N,
//    "eta_seconds": N or null, "elapsed_seconds": N, "retries": N, "error": "...",
//    "updated_at": "2026-11-24T01:02:03Z"}
class JsonProgressFile final : public ProgressSink {
 public:
  JsonProgressFile(std::string path, std::chrono::milliseconds interval)
      : path_(std::move(path)), interval_(interval) {}
  void Update(const Progress& progress) override;
  static std::string Render(const Progress& progress, const std::string& updated_at);

 private:
  std::string path_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_{};
  Phase last_phase_ = Phase::kDiscovering;
  bool started_ = false;
};

// Every sink in turn.
class ProgressFanOut final : public ProgressSink {
 public:
  void Add(std::unique_ptr<ProgressSink> sink) { sinks_.push_back(std::move(sink)); }
  void Update(const Progress& progress) override {
    for (auto& sink : sinks_) sink->Update(progress);
  }

 private:
  std::vector<std::unique_ptr<ProgressSink>> sinks_;
};

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_PROGRESS_H_
