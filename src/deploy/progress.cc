#include "deploy/progress.h"

#include <algorithm>
#include <ctime>

namespace sr::deploy {
namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsResourceDone(const std::string& status) {
  return EndsWith(status, "_COMPLETE") || status == "DELETE_SKIPPED";
}

bool IsCancellation(const aws::StackEvent& e) {
  return e.reason.find("cancelled") != std::string::npos;
}

std::string ClockTime(util::Clock::TimePoint t) {
  const std::time_t tt = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%H:%M:%S", &tm);
  return buf;
}

}  // namespace

bool IsTerminalStatus(const std::string& status) {
  return !EndsWith(status, "_IN_PROGRESS") && !status.empty();
}

bool IsSuccessStatus(const std::string& status) {
  return status == "CREATE_COMPLETE" || status == "UPDATE_COMPLETE" ||
         status == "DELETE_COMPLETE" || status == "IMPORT_COMPLETE";
}

Progress::Progress(std::ostream& out, bool terminal, util::Clock* clock, std::string stack_name,
                   size_t total_resources)
    : out_(out),
      terminal_(terminal),
      clock_(clock),
      stack_name_(std::move(stack_name)),
      total_(total_resources),
      start_(clock->Now()) {}

size_t Progress::done() const {
  return static_cast<size_t>(std::count_if(
      status_.begin(), status_.end(), [](const auto& kv) { return IsResourceDone(kv.second); }));
}

std::string Progress::Elapsed() const {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(clock_->Now() - start_).count();
  return (s >= 60 ? std::to_string(s / 60) + "m" : "") + std::to_string(s % 60) + "s";
}

void Progress::OnEvents(const std::vector<aws::StackEvent>& newest_first) {
  for (auto it = newest_first.rbegin(); it != newest_first.rend(); ++it) {
    const aws::StackEvent& e = *it;
    const bool stack_event = e.resource_type == "AWS::CloudFormation::Stack";
    if (!stack_event) {
      status_[e.logical_id] = e.status;
      current_ = e.logical_id + " (" + e.resource_type + ") " + e.status;
    }
    const bool failed = EndsWith(e.status, "_FAILED");
    if (failed && !stack_event && !IsCancellation(e)) failures_.push_back(e);
    if (e.status == "DELETE_SKIPPED" && !stack_event) kept_.push_back(e);
    if (terminal_) {
      if (failed) {
        if (line_drawn_) out_ << "\r\033[K";
        out_ << "  " << e.status << " " << e.logical_id << " (" << e.resource_type
             << "): " << e.reason << "\n";
        line_drawn_ = false;
      }
    } else {
      out_ << ClockTime(e.timestamp) << "  " << stack_name_ << "  " << e.status << "  "
           << e.resource_type << "  " << e.logical_id;
      if (!e.reason.empty()) out_ << "  " << e.reason;
      out_ << "\n";
    }
  }
  if (terminal_) Draw();
  out_.flush();
}

void Progress::Draw() {
  out_ << "\r\033[K" << stack_name_ << "  [" << std::min(done(), total_) << "/" << total_ << "]  "
       << current_ << "  " << Elapsed();
  line_drawn_ = true;
  out_.flush();
}

void Progress::Tick() {
  if (terminal_) Draw();
}

void Progress::Finish(const std::string& stack_status) {
  if (terminal_ && line_drawn_) out_ << "\r\033[K";
  out_ << stack_name_ << ": " << stack_status << " (" << std::min(done(), total_) << "/" << total_
       << " resources, " << Elapsed() << ")\n";
  out_.flush();
  line_drawn_ = false;
}

}  // namespace sr::deploy
