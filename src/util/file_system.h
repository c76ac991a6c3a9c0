// The file system, behind an interface so the commands can be tested against a fake.
#ifndef STACKS_RUNNER_UTIL_FILE_SYSTEM_H_
#define STACKS_RUNNER_UTIL_FILE_SYSTEM_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sr::util {

struct FileToWrite {
  std::string path;  // relative to the directory being written
  std::string content;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole file, or nothing with `error` set.
  virtual std::optional<std::string> ReadFile(const std::string& path, std::string* error) = 0;
  virtual bool IsFile(const std::string& path) = 0;

  // Writes every file under `dir` (created if missing), or none of them: all are written to
  // temporary names first and renamed into place only when every write succeeded.
  virtual bool WriteFiles(const std::string& dir, const std::vector<FileToWrite>& files,
                          std::string* error) = 0;

  // One file, written the same way (to a temporary name, then renamed).
  bool WriteFile(const std::string& path, const std::string& content, std::string* error);
};

// The real disk.
class DiskFileSystem : public FileSystem {
 public:
  std::optional<std::string> ReadFile(const std::string& path, std::string* error) override;
  bool IsFile(const std::string& path) override;
  bool WriteFiles(const std::string& dir, const std::vector<FileToWrite>& files,
                  std::string* error) override;
};

}  // namespace sr::util

#endif  // STACKS_RUNNER_UTIL_FILE_SYSTEM_H_
