// The AWS CLI's shared files: ~/.aws/credentials and ~/.aws/config (or the files named by
// AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE), read as the CLI reads them.
#ifndef STACKS_RUNNER_AWS_SHARED_CONFIG_H_
#define STACKS_RUNNER_AWS_SHARED_CONFIG_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "util/file_system.h"

namespace sr::aws {

using IniSection = std::map<std::string, std::string>;
using IniFile = std::map<std::string, IniSection>;

// `[section]` headers, `key = value`, `#` and `;` comments. Indented lines under a key with an
// empty value (`s3 =` then `  max_concurrent_requests = 10`) form a nested block and are skipped.
IniFile ParseIni(std::string_view text);

class SharedConfig {
 public:
  // Reads both files; missing files are empty. Paths come from the environment or $HOME.
  static SharedConfig Load(const std::map<std::string, std::string>& env, util::FileSystem& fs);
  static SharedConfig FromText(std::string_view credentials, std::string_view config);

  // The profile's setting: the credentials file first, then the config file's `[profile NAME]`
  // (or `[default]`) section.
  std::optional<std::string> Get(const std::string& profile, const std::string& key) const;
  bool HasProfile(const std::string& profile) const;

  std::string credentials_path;  // for messages
  std::string config_path;

 private:
  IniFile credentials_;
  IniFile config_;  // keyed by profile name ("default", "dev"), the "profile " prefix removed
};

}  // namespace sr::aws

#endif  // STACKS_RUNNER_AWS_SHARED_CONFIG_H_
