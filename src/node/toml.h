// Writing TOML from a JSON-shaped document, keeping the order keys were added in: top-level
// values first, then each object as a [table] (nested objects as [table.sub]), each array of
// objects as [[array]] entries. Values are strings, integers, booleans and arrays of those.
#ifndef STACKS_RUNNER_NODE_TOML_H_
#define STACKS_RUNNER_NODE_TOML_H_

#include <string>

#include <nlohmann/json.hpp>

namespace sr::node {

// `header` lines are written first, each as a `# comment`.
std::string ToToml(const nlohmann::ordered_json& document, const std::string& header = "");

// A TOML basic string: quoted, with \ " and control characters escaped.
std::string TomlString(const std::string& value);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_TOML_H_
