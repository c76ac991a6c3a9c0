#include "util/clock.h"

#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <thread>

namespace sr::util {

Clock::TimePoint SystemClock::Now() { return std::chrono::system_clock::now(); }

void SystemClock::SleepFor(std::chrono::milliseconds duration) {
  std::this_thread::sleep_for(duration);
}

std::string FormatIso8601(Clock::TimePoint time) {
  const std::time_t t = std::chrono::system_clock::to_time_t(time);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool ParseIso8601(std::string_view text, Clock::TimePoint* time) {
  // YYYY-MM-DDTHH:MM:SS[.fff][Z|+00:00]
  if (text.size() < 19) return false;
  std::tm tm{};
  const std::string head(text.substr(0, 19));
  if (std::sscanf(head.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                  &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6) {
    return false;
  }
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    size_t i = 1;
    while (i < rest.size() && rest[i] >= '0' && rest[i] <= '9') ++i;
    rest = rest.substr(i);
  }
  if (!(rest.empty() || rest == "Z" || rest == "+00:00" || rest == "UTC")) return false;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  const std::time_t t = timegm(&tm);
  if (t == static_cast<std::time_t>(-1)) return false;
  *time = std::chrono::system_clock::from_time_t(t);
  return true;
}

}  // namespace sr::util
