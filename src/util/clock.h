// Time, behind an interface: signing, token expiry, retries and polling read it, and tests
// replace it with a clock they move by hand.
#ifndef STACKS_RUNNER_UTIL_CLOCK_H_
#define STACKS_RUNNER_UTIL_CLOCK_H_

#include <chrono>
#include <string>
#include <string_view>

namespace sr::util {

class Clock {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  virtual ~Clock() = default;
  virtual TimePoint Now() = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

class SystemClock : public Clock {
 public:
  TimePoint Now() override;
  void SleepFor(std::chrono::milliseconds duration) override;
};

// A clock that only moves when told to; SleepFor moves it.
class FakeClock : public Clock {
 public:
  explicit FakeClock(TimePoint start) : now_(start) {}
  TimePoint Now() override { return now_; }
  void SleepFor(std::chrono::milliseconds duration) override {
    now_ += duration;
    slept_ += duration;
  }
  void Advance(std::chrono::milliseconds duration) { now_ += duration; }
  std::chrono::milliseconds slept() const { return slept_; }

 private:
  TimePoint now_;
  std::chrono::milliseconds slept_{0};
};

// "2026-11-24T01:02:03Z" <-> time point (UTC; fractional seconds accepted and dropped).
std::string FormatIso8601(Clock::TimePoint time);
bool ParseIso8601(std::string_view text, Clock::TimePoint* time);

}  // namespace sr::util

#endif  // STACKS_RUNNER_UTIL_CLOCK_H_
