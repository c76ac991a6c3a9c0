// Live progress of a stack operation from its events: resources done out of total, the resource
// in progress and the time elapsed, redrawn on one line on a terminal, one line per event
// otherwise (CI logs). Failures are always printed in full.
#ifndef STACKS_RUNNER_DEPLOY_PROGRESS_H_
#define STACKS_RUNNER_DEPLOY_PROGRESS_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "aws/cloudformation.h"
#include "util/clock.h"

namespace sr::deploy {

class Progress {
 public:
  Progress(std::ostream& out, bool terminal, util::Clock* clock, std::string stack_name,
           size_t total_resources);

  // New events, newest first, as DescribeStackEvents returns them.
  void OnEvents(const std::vector<aws::StackEvent>& newest_first);
  // Redraws the terminal line (elapsed time moves on).
  void Tick();
  // Ends the display with the stack's final status.
  void Finish(const std::string& stack_status);

  size_t done() const;
  // Resources that failed, oldest first, without the "cancelled" follow-ups.
  const std::vector<aws::StackEvent>& failures() const { return failures_; }
  // Resources a deletion left in place (DeletionPolicy Retain): DELETE_SKIPPED.
  const std::vector<aws::StackEvent>& kept() const { return kept_; }

 private:
  void Draw();
  std::string Elapsed() const;

  std::ostream& out_;
  bool terminal_;
  util::Clock* clock_;
  std::string stack_name_;
  size_t total_;
  util::Clock::TimePoint start_;
  std::map<std::string, std::string> status_;  // logical id -> latest status
  std::string current_;  // "NodeInstance (AWS::EC2::Instance) CREATE_IN_PROGRESS"
  std::vector<aws::StackEvent> failures_;
  std::vector<aws::StackEvent> kept_;
  bool line_drawn_ = false;
};

// Is the stack status final? And is it a success?
bool IsTerminalStatus(const std::string& status);
bool IsSuccessStatus(const std::string& status);

}  // namespace sr::deploy

#endif  // STACKS_RUNNER_DEPLOY_PROGRESS_H_
