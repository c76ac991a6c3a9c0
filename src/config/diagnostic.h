// Problems found in a configuration, each pointing at where the value came from.
#ifndef STACKS_RUNNER_CONFIG_DIAGNOSTIC_H_
#define STACKS_RUNNER_CONFIG_DIAGNOSTIC_H_

#include <string>
#include <vector>

namespace sr::config {

// Where a raw setting came from.
struct Origin {
  enum class Kind { kDefault, kFile, kEnvironment };
  Kind kind = Kind::kDefault;
  std::string file;  // kFile only
  int line = 0;      // kFile only

  static Origin Default() { return {}; }
  static Origin File(std::string path, int line_number) {
    return {Kind::kFile, std::move(path), line_number};
  }
  static Origin Environment() { return {Kind::kEnvironment, {}, 0}; }

  // "stacks.env:12", "environment", "default"
  std::string Describe() const;
};

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  Origin origin;
  std::string variable;  // may be empty for file-level problems
  std::string value;     // as shown to the user: already redacted for secrets
  std::string message;   // what is wrong and what is accepted
};

// One line: `stacks.env:12: error: STACKS_DATA_VOL_TYPE="gp4": unknown volume type; accepted: ...`
std::string FormatDiagnostic(const Diagnostic& diagnostic);

bool HasErrors(const std::vector<Diagnostic>& diagnostics);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_DIAGNOSTIC_H_
