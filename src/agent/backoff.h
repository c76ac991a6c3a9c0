// Exponential backoff with jitter for the agent's retries: each consecutive failure doubles the
// delay from `base` up to `cap`, and the delay is drawn in [d/2, d) so that many nodes throttled
// together do not retry together. The cap is kept at one observation interval, so the agent
// recovers within an interval of a fault ending.
#ifndef STACKS_RUNNER_AGENT_BACKOFF_H_
#define STACKS_RUNNER_AGENT_BACKOFF_H_

#include <chrono>
#include <functional>

namespace sr::agent {

class Backoff {
 public:
  // `random` is uniform in [0, 1); null means 0.5.
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds cap,
          std::function<double()> random = nullptr)
      : base_(base), cap_(cap), random_(std::move(random)) {}

  // The delay before the next attempt after one more failure.
  std::chrono::milliseconds Next();
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::milliseconds base_;
  std::chrono::milliseconds cap_;
  std::function<double()> random_;
  int failures_ = 0;
};

}  // namespace sr::agent

#endif  // STACKS_RUNNER_AGENT_BACKOFF_H_
