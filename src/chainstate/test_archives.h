// For the chainstate tests only (header-only, out of the core library): tar archives made with
// libarchive's writer (zstd or gzip, and entries no tar command would write: "../x", "/abs",
// links out, devices), sqlite-like content that compresses about 3x, and the range server of
// tests/chainstate/ as a child process.
#ifndef STACKS_RUNNER_CHAINSTATE_TEST_ARCHIVES_H_
#define STACKS_RUNNER_CHAINSTATE_TEST_ARCHIVES_H_

#include <archive.h>
#include <archive_entry.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "http/test_servers.h"
#include "util/sha256.h"

namespace sr::chainstate::testing {

struct TarEntry {
  enum Type { kFile, kDirectory, kSymlink, kHardlink, kFifo };
  std::string name;
  Type type = kFile;
  std::string content;  // kFile
  std::string target;   // kSymlink, kHardlink
};

enum class Format { kZstd, kGzip };

inline std::string MakeArchive(const std::vector<TarEntry>& entries, Format format) {
  std::string out;
  struct archive* a = archive_write_new();
  archive_write_set_format_pax_restricted(a);
  archive_write_set_bytes_in_last_block(a, 1);  // no zeros after the compressed stream
  if (format == Format::kZstd) {
    archive_write_add_filter_zstd(a);
  } else {
    archive_write_add_filter_gzip(a);
  }
  auto write = [](struct archive*, void* client, const void* buffer, size_t length) {
    static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), length);
    return static_cast<la_ssize_t>(length);
  };
  if (archive_write_open(a, &out, nullptr, write, nullptr) != ARCHIVE_OK) {
    throw std::runtime_error(archive_error_string(a));
  }
  for (const TarEntry& e : entries) {
    struct archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_mtime(entry, 1700000000, 0);
    switch (e.type) {
      case TarEntry::kFile:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
        break;
      case TarEntry::kDirectory:
        archive_entry_set_filetype(entry, AE_IFDIR);
        archive_entry_set_perm(entry, 0755);
        break;
      case TarEntry::kSymlink:
        archive_entry_set_filetype(entry, AE_IFLNK);
        archive_entry_set_perm(entry, 0777);
        archive_entry_set_symlink(entry, e.target.c_str());
        break;
      case TarEntry::kHardlink:
        archive_entry_set_filetype(entry, AE_IFREG);
        archive_entry_set_perm(entry, 0644);
        archive_entry_set_hardlink(entry, e.target.c_str());
        break;
      case TarEntry::kFifo:
        archive_entry_set_filetype(entry, AE_IFIFO);
        archive_entry_set_perm(entry, 0644);
        break;
    }
    if (archive_write_header(a, entry) != ARCHIVE_OK) {
      throw std::runtime_error(archive_error_string(a));
    }
    if (e.type == TarEntry::kFile && !e.content.empty()) {
      archive_write_data(a, e.content.data(), e.content.size());
    }
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// Pages of 4 KiB like a sqlite database's: a quarter random (hashes), the rest structure and
// zeros, so that the whole compresses about 3x.
inline std::string SqliteLikeContent(size_t size, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string out(size, '\0');
  for (size_t page = 0; page * 4096 < size; ++page) {
    for (size_t i = page * 4096; i < std::min(size, page * 4096 + 4096); ++i) {
      const size_t in_page = i % 4096;
      if (in_page % 128 < 32) {
        out[i] = static_cast<char>(rng() & 0xff);
      } else if (in_page % 128 < 48) {
        out[i] = static_cast<char>('a' + (in_page / 128 + page) % 26);
      }
    }
  }
  return out;
}

// A small chainstate: the mainnet/ layout of the facts sheet, some MB of content.
inline std::vector<TarEntry> ChainstateEntries(const std::string& mode = "mainnet") {
  return {
      {mode + "/", TarEntry::kDirectory, "", ""},
      {mode + "/burnchain/", TarEntry::kDirectory, "", ""},
      {mode + "/burnchain/sortition/", TarEntry::kDirectory, "", ""},
      {mode + "/burnchain/sortition/marf.sqlite", TarEntry::kFile, SqliteLikeContent(700000, 1),
       ""},
      {mode + "/burnchain/burnchain.sqlite", TarEntry::kFile, SqliteLikeContent(300000, 2), ""},
      {mode + "/headers.sqlite", TarEntry::kFile, SqliteLikeContent(200000, 3), ""},
      {mode + "/chainstate/vm/clarity/marf.sqlite.blobs", TarEntry::kFile,
       SqliteLikeContent(2500000, 4), ""},
      {mode + "/chainstate/vm/index.sqlite", TarEntry::kFile, SqliteLikeContent(400000, 5), ""},
      {mode + "/peer.sqlite", TarEntry::kFile, SqliteLikeContent(50000, 6), ""},
      {mode + "/empty.sqlite", TarEntry::kFile, "", ""},
  };
}

inline void WriteFile(const std::filesystem::path& path, const std::string& content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Publishes `archive` as `name` under `dir` with its `name`.sha256 (of `checksummed`, by
// default the archive itself).
inline void Publish(const std::filesystem::path& dir, const std::string& name,
                    const std::string& archive, const std::string* checksummed = nullptr) {
  WriteFile(dir / name, archive);
  WriteFile(dir / (name + ".sha256"),
            util::Sha256Hex(checksummed ? *checksummed : archive) + "  " + name + "\n");
}

// tests/chainstate/range_server.py serving `dir`, with fault switches.
class RangeServer {
 public:
  RangeServer(const std::filesystem::path& dir, const std::vector<std::string>& flags = {}) {
    std::vector<std::string> args = {dir.string()};
    args.insert(args.end(), flags.begin(), flags.end());
    server_ = std::make_unique<http::testing::HelperServer>("../chainstate/range_server.py", args);
  }
  int port() const { return server_->port(); }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port()) + path;
  }

 private:
  std::unique_ptr<http::testing::HelperServer> server_;
};

}  // namespace sr::chainstate::testing

#endif  // STACKS_RUNNER_CHAINSTATE_TEST_ARCHIVES_H_
