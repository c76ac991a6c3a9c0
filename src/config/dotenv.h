// Parsing of dotenv files, as the `dotenv` npm package reads them (the blueprint's loader):
// `KEY=VALUE` lines, optional `export `, full-line and trailing `# comments`, single, double and
// backtick quotes (double quotes expand \n and \r), quoted values spanning lines. Unlike dotenv,
// a line that is not an assignment is reported instead of silently ignored.
#ifndef STACKS_RUNNER_CONFIG_DOTENV_H_
#define STACKS_RUNNER_CONFIG_DOTENV_H_

#include <string>
#include <string_view>
#include <vector>

namespace sr::config {

struct DotenvEntry {
  std::string key;
  std::string value;
  int line = 0;  // 1-based line of the key
};

struct DotenvProblem {
  int line = 0;
  std::string message;
};

struct DotenvFile {
  std::vector<DotenvEntry> entries;  // in file order; a repeated key appears once per assignment
  std::vector<DotenvProblem> problems;
};

DotenvFile ParseDotenv(std::string_view text);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_DOTENV_H_
