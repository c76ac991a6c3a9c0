// Running other programs, behind an interface so tests can replace them.
#ifndef STACKS_RUNNER_UTIL_PROCESS_H_
#define STACKS_RUNNER_UTIL_PROCESS_H_

#include <chrono>
#include <string>
#include <vector>

namespace sr::util {

struct ProcessResult {
  bool started = false;  // false when the program could not be run at all
  int exit_code = -1;    // -1 when killed by a signal or timed out
  bool timed_out = false;
  std::string out;
  std::string err;
  std::string error;  // why it could not be started
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;
  // Runs argv[0] (looked up in PATH) with the arguments, no shell, stdin closed.
  virtual ProcessResult Run(const std::vector<std::string>& argv,
                            std::chrono::milliseconds timeout) = 0;
};

class SystemProcessRunner : public ProcessRunner {
 public:
  ProcessResult Run(const std::vector<std::string>& argv,
                    std::chrono::milliseconds timeout) override;
};

// Splits a command line the way POSIX shells split words: whitespace separates, single quotes
// keep everything, double quotes keep all but \" \\ \$ \`, a backslash escapes the next
// character. Returns false on an unterminated quote.
bool SplitCommandLine(std::string_view line, std::vector<std::string>* words);

}  // namespace sr::util

#endif  // STACKS_RUNNER_UTIL_PROCESS_H_
