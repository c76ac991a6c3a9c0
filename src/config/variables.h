// The variables a configuration may set: the blueprint's, unchanged, and ours. The loader reads
// them, `synth` rejects unknown STACKS_/BITCOIN_ names as typos, and docs/configuration.md
// documents each one (a test keeps the two in step).
#ifndef STACKS_RUNNER_CONFIG_VARIABLES_H_
#define STACKS_RUNNER_CONFIG_VARIABLES_H_

#include <string>
#include <string_view>
#include <vector>

namespace sr::config {

struct VariableSpec {
  std::string_view name;
  bool from_blueprint;  // accepted with the Node Runner blueprint's meaning
  bool secret;          // its value is never shown, written or shipped
  std::string_view summary;
};

const std::vector<VariableSpec>& AllVariables();
const VariableSpec* FindVariable(std::string_view name);

// True for names a user of this tool would only write for us: STACKS_* and BITCOIN_*.
bool IsOurPrefix(std::string_view name);

// The known variable closest to `name` by edit distance, when close enough to be a likely typo.
std::string SuggestVariable(std::string_view name);

// The value as it may be shown in messages: secrets are replaced by "<redacted>".
std::string ShownValue(std::string_view name, std::string_view value);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_VARIABLES_H_
