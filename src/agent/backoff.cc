#include "agent/backoff.h"

#include <algorithm>

namespace sr::agent {

std::chrono::milliseconds Backoff::Next() {
  ++failures_;
  double d = static_cast<double>(base_.count());
  for (int i = 1; i < failures_ && d < static_cast<double>(cap_.count()); ++i) d *= 2;
  d = std::min(d, static_cast<double>(cap_.count()));
  const double r = random_ ? std::clamp(random_(), 0.0, 1.0) : 0.5;
  return std::chrono::milliseconds(static_cast<long>(d / 2 + r * d / 2));
}

}  // namespace sr::agent
