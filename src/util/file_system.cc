#include "util/file_system.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sr::util {
namespace fs = std::filesystem;

bool FileSystem::WriteFile(const std::string& path, const std::string& content,
                           std::string* error) {
  const fs::path p(path);
  const std::string dir = p.has_parent_path() ? p.parent_path().string() : ".";
  return WriteFiles(dir, {{p.filename().string(), content}}, error);
}

std::optional<std::string> DiskFileSystem::ReadFile(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    *error = "cannot read " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return out.str();
}

bool DiskFileSystem::IsFile(const std::string& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

namespace {

bool WriteWhole(const fs::path& path, const std::string& content, std::string* error) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      *error = "cannot write " + path.string() + ": " + std::strerror(errno);
      ::close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  // No fsync: these files can always be written again, and a rename after a complete write is
  // atomic for every reader; an fsync per file would make `synth` ten times slower.
  if (::close(fd) != 0) {
    *error = "cannot write " + path.string() + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

}  // namespace

bool DiskFileSystem::WriteFiles(const std::string& dir, const std::vector<FileToWrite>& files,
                                std::string* error) {
  std::error_code ec;
  std::vector<std::pair<fs::path, fs::path>> staged;  // temporary -> final
  auto discard = [&] {
    for (const auto& [tmp, final_path] : staged) fs::remove(tmp, ec);
  };
  const std::string suffix = ".tmp-" + std::to_string(::getpid());
  for (const auto& file : files) {
    const fs::path final_path = fs::path(dir) / file.path;
    fs::create_directories(final_path.parent_path(), ec);
    if (ec) {
      *error = "cannot create " + final_path.parent_path().string() + ": " + ec.message();
      discard();
      return false;
    }
    fs::path tmp = final_path;
    tmp += suffix;
    staged.emplace_back(tmp, final_path);
    if (!WriteWhole(tmp, file.content, error)) {
      discard();
      return false;
    }
  }
  for (const auto& [tmp, final_path] : staged) {
    fs::rename(tmp, final_path, ec);
    if (ec) {
      *error = "cannot write " + final_path.string() + ": " + ec.message();
      discard();
      return false;
    }
  }
  return true;
}

}  // namespace sr::util
