// Helpers for tests: configurations from .env text, and a file system in memory.
#ifndef STACKS_RUNNER_TESTING_TEST_SUPPORT_H_
#define STACKS_RUNNER_TESTING_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "config/diagnostic.h"
#include "config/load.h"
#include "util/file_system.h"

namespace sr::testing {

// A directory of this test's own under the system's temporary directory (not created; an old
// one of the same name is removed): <tmp>/stacks-runner-<prefix>-<pid>-<test name>.
inline std::filesystem::path TestTempDir(const std::string& prefix) {
  auto dir = std::filesystem::temp_directory_path() /
             ("stacks-runner-" + prefix + "-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  return dir;
}

// Loads a configuration that must be valid; fails the test otherwise.
inline config::Config ConfigFrom(const std::string& env_text,
                                 std::map<std::string, std::string> environment = {}) {
  config::LoadResult r = config::LoadConfig({"test.env", env_text, std::move(environment)});
  for (const auto& d : r.diagnostics) {
    if (d.severity == config::Severity::kError) ADD_FAILURE() << config::FormatDiagnostic(d);
  }
  if (!r.config) throw std::runtime_error("invalid test configuration");
  return *r.config;
}

// Files in memory; `fail_writes` makes WriteFiles fail without writing anything.
class FakeFileSystem : public util::FileSystem {
 public:
  std::map<std::string, std::string> files;
  bool fail_writes = false;

  std::optional<std::string> ReadFile(const std::string& path, std::string* error) override {
    auto it = files.find(path);
    if (it == files.end()) {
      *error = "cannot read " + path + ": No such file or directory";
      return std::nullopt;
    }
    return it->second;
  }
  bool IsFile(const std::string& path) override { return files.count(path) > 0; }
  bool WriteFiles(const std::string& dir, const std::vector<util::FileToWrite>& to_write,
                  std::string* error) override {
    if (fail_writes) {
      *error = "cannot write " + dir + ": No space left on device";
      return false;
    }
    for (const auto& f : to_write) files[dir + "/" + f.path] = f.content;
    return true;
  }
};

}  // namespace sr::testing

#endif  // STACKS_RUNNER_TESTING_TEST_SUPPORT_H_
