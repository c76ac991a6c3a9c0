#include "chainstate/progress.h"

#include <fcntl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "util/clock.h"

namespace sr::chainstate {
namespace {

bool Due(std::chrono::steady_clock::time_point* last, std::chrono::milliseconds interval,
         bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && *last != std::chrono::steady_clock::time_point{} && now - *last < interval) {
    return false;
  }
  *last = now;
  return true;
}

bool Final(Phase phase) { return phase == Phase::kDone || phase == Phase::kFailed; }

}  // namespace

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kDiscovering:
      return "discovering";
    case Phase::kDownloading:
      return "downloading";
    case Phase::kVerifying:
      return "verifying";
    case Phase::kDone:
      return "done";
    case Phase::kFailed:
      return "failed";
  }
  return "unknown";
}

std::string FormatBytes(double bytes) {
  static const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int unit = 0;
  while (bytes >= 1024 && unit < 4) {
    bytes /= 1024;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof text, "%.0f B", bytes);
  } else {
    std::snprintf(text, sizeof text, "%.1f %s", bytes, units[unit]);
  }
  return text;
}

std::string FormatDuration(double seconds) {
  if (seconds < 0 || !std::isfinite(seconds)) return "?";
  const long total = std::lround(seconds);
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%ldh%02ldm", total / 3600, (total % 3600) / 60);
  } else if (total >= 60) {
    std::snprintf(text, sizeof text, "%ldm%02lds", total / 60, total % 60);
  } else {
    std::snprintf(text, sizeof text, "%lds", total);
  }
  return text;
}

std::string FormatProgressLine(const Progress& p, int bar_width) {
  const double fraction =
      p.bytes_total > 0 ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total)
                        : 0.0;
  std::string line;
  if (bar_width > 0) {
    const int full = static_cast<int>(fraction * bar_width);
    line = "[" + std::string(static_cast<size_t>(full), '#') +
           std::string(static_cast<size_t>(bar_width - full), '-') + "] ";
  }
  char text[160];
  std::snprintf(text, sizeof text, "%5.1f%%  %s / %s  %s/s  ETA %s", fraction * 100,
                FormatBytes(static_cast<double>(p.bytes_done)).c_str(),
                FormatBytes(static_cast<double>(p.bytes_total)).c_str(),
                FormatBytes(p.rate).c_str(), FormatDuration(p.eta_seconds).c_str());
  line += text;
  if (p.retries > 0) line += "  " + std::to_string(p.retries) + " retries";
  return line;
}

double RateMeter::Add(std::chrono::steady_clock::time_point now, uint64_t bytes) {
  samples_.emplace_back(now, bytes);
  while (samples_.size() > 2 && now - samples_[1].first >= window_) samples_.pop_front();
  const auto& [t0, b0] = samples_.front();
  const double seconds = std::chrono::duration<double>(now - t0).count();
  if (seconds <= 0) return 0;
  return static_cast<double>(bytes - b0) / seconds;
}

void TerminalProgress::Update(const Progress& p) {
  if (p.phase == Phase::kDiscovering) return;
  if (!Due(&last_, interval_, Final(p.phase))) return;
  out_ << "\r" << FormatProgressLine(p, 30) << "  " << PhaseName(p.phase) << "   ";
  if (Final(p.phase)) out_ << "\n";
  out_.flush();
}

void LogProgress::Update(const Progress& p) {
  const bool changed = !started_ || p.phase != last_phase_;
  started_ = true;
  last_phase_ = p.phase;
  if (p.phase == Phase::kDiscovering || p.phase == Phase::kFailed) return;  // logged elsewhere
  if (!Due(&last_, interval_, changed)) return;
  log_("chainstate: " + std::string(PhaseName(p.phase)) + " " + FormatProgressLine(p, 0));
}

std::string JsonProgressFile::Render(const Progress& p, const std::string& updated_at) {
  nlohmann::ordered_json j;
  j["phase"] = PhaseName(p.phase);
  j["url"] = p.url;
  j["bytes_total"] = p.bytes_total;
  j["bytes_done"] = p.bytes_done;
  j["bytes_downloaded"] = p.bytes_downloaded;
  j["bytes_extracted"] = p.bytes_extracted;
  j["percent"] = p.bytes_total > 0 ? std::round(1000.0 * static_cast<double>(p.bytes_done) /
                                                static_cast<double>(p.bytes_total)) /
                                         10.0
                                   : 0.0;
  j["rate_bytes_per_second"] = static_cast<uint64_t>(p.rate);
  j["eta_seconds"] =
      p.eta_seconds >= 0 ? nlohmann::ordered_json(std::lround(p.eta_seconds)) : nullptr;
  j["elapsed_seconds"] = std::lround(p.elapsed_seconds);
  j["retries"] = p.retries;
  if (!p.error.empty()) j["error"] = p.error;
  j["updated_at"] = updated_at;
  return j.dump(2) + "\n";
}

void JsonProgressFile::Update(const Progress& p) {
  const bool changed = !started_ || p.phase != last_phase_;
  started_ = true;
  last_phase_ = p.phase;
  if (!Due(&last_, interval_, changed)) return;
  const std::string text = Render(p, util::FormatIso8601(std::chrono::system_clock::now()));
  // Best effort: progress must never fail the restore.
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path_).parent_path(), ec);
  const std::string tmp = path_ + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return;
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!written || ::rename(tmp.c_str(), path_.c_str()) != 0) ::unlink(tmp.c_str());
}

}  // namespace sr::chainstate
