#include "chainstate/extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "chainstate/entry_policy.h"

namespace sr::chainstate {
namespace {

struct ReadState {
  BlockPipe* pipe = nullptr;
  Block* current = nullptr;
};

la_ssize_t ReadBlock(struct archive* a, void* client, const void** buffer) {
  auto* state = static_cast<ReadState*>(client);
  if (state->current) {
    state->pipe->Release(state->current);
    state->current = nullptr;
  }
  state->current = state->pipe->Pop();
  if (!state->current) {
    if (state->pipe->aborted()) {
      archive_set_error(a, ECANCELED, "aborted");
      return -1;
    }
    return 0;  // end of the stream
  }
  *buffer = state->current->data.get();
  return static_cast<la_ssize_t>(state->current->size);
}

std::string ArchiveError(struct archive* a, const char* fallback) {
  std::string message = archive_error_string(a) ? archive_error_string(a) : fallback;
  const int e = archive_errno(a);
  if (e > 0 && e != ECANCELED && message.find(std::strerror(e)) == std::string::npos) {
    message += std::string(": ") + std::strerror(e);
  }
  return message;
}

EntryKind KindOf(struct archive_entry* entry) {
  if (archive_entry_hardlink(entry)) return EntryKind::kHardlink;
  switch (archive_entry_filetype(entry)) {
    case AE_IFREG:
      return EntryKind::kFile;
    case AE_IFDIR:
      return EntryKind::kDirectory;
    case AE_IFLNK:
      return EntryKind::kSymlink;
    default:
      return EntryKind::kOther;
  }
}

class Extractor {
 public:
  Extractor(const ExtractOptions& options, ExtractCounters* counters)
      : options_(options), counters_(counters) {}
  ~Extractor() {
    if (in_) archive_read_free(in_);
    if (out_) archive_write_free(out_);
  }
  Extractor(const Extractor&) = delete;
  Extractor& operator=(const Extractor&) = delete;

  bool Run(BlockPipe& pipe, std::string* error) {
    state_.pipe = &pipe;
    in_ = archive_read_new();
    out_ = archive_write_disk_new();
    if (!in_ || !out_) {
      *error = "libarchive: out of memory";
      return false;
    }
    // tar in all its forms (ustar, pax, GNU); the decompression happened before.
    archive_read_support_format_tar(in_);
    // Absolute names are what we give (under the destination); entry_policy.h refused the
    // archive's own absolute names, so SECURE_NOABSOLUTEPATHS would only get in the way.
    int flags = ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT;
    if (options_.uid || options_.gid) flags |= ARCHIVE_EXTRACT_OWNER;
    archive_write_disk_set_options(out_, flags);
    if (archive_read_open(in_, &state_, nullptr, ReadBlock, nullptr) != ARCHIVE_OK) {
      *error = "reading the tar stream: " + ArchiveError(in_, "cannot open");
      return false;
    }
    for (;;) {
      struct archive_entry* entry = nullptr;
      const int r = archive_read_next_header(in_, &entry);
      if (r == ARCHIVE_EOF) break;
      if (r != ARCHIVE_OK) {
        if (pipe.aborted()) return false;
        *error = "reading the tar stream: " + ArchiveError(in_, "malformed tar header");
        return false;
      }
      if (!Entry(entry, error)) return false;
    }
    if (archive_write_close(out_) != ARCHIVE_OK) {  // directory permissions, deferred
      *error = "finishing the extraction: " + ArchiveError(out_, "close failed");
      return false;
    }
    // The end-of-archive blocks end the tar stream, not the compressed one: read the rest.
    Block* block;
    if (state_.current) {
      pipe.Release(state_.current);
      state_.current = nullptr;
    }
    while ((block = pipe.Pop()) != nullptr) pipe.Release(block);
    return !pipe.aborted();
  }

 private:
  bool Entry(struct archive_entry* entry, std::string* error) {
    const char* raw_name = archive_entry_pathname(entry);
    if (!raw_name) {
      *error = "an entry's name cannot be read";
      return false;
    }
    const std::string name = raw_name;
    const EntryKind kind = KindOf(entry);
    const char* target = kind == EntryKind::kHardlink  ? archive_entry_hardlink(entry)
                         : kind == EntryKind::kSymlink ? archive_entry_symlink(entry)
                                                       : "";
    EntryDecision decision;
    if (!CheckEntry(options_.mode, name, kind, target ? target : "", &decision, error)) {
      return false;
    }
    if (decision.skip) return true;
    if (!MakeParents(decision.path, error)) return false;
    const std::string path = options_.destination + "/" + decision.path;
    archive_entry_set_pathname(entry, path.c_str());
    if (kind == EntryKind::kHardlink) {
      const std::string link = options_.destination + "/" + decision.hardlink;
      archive_entry_set_hardlink(entry, link.c_str());
    }
    if (options_.uid) archive_entry_set_uid(entry, *options_.uid);
    if (options_.gid) archive_entry_set_gid(entry, *options_.gid);
    if (archive_write_header(out_, entry) != ARCHIVE_OK) {
      *error = "extracting " + name + ": " + ArchiveError(out_, "cannot create");
      return false;
    }
    if (kind == EntryKind::kDirectory) known_dirs_.insert(decision.path);
    if (kind == EntryKind::kFile && archive_entry_size(entry) > 0) {
      const void* data = nullptr;
      size_t size = 0;
      la_int64_t offset = 0;
      int r;
      while ((r = archive_read_data_block(in_, &data, &size, &offset)) == ARCHIVE_OK) {
        if (archive_write_data_block(out_, data, size, offset) != ARCHIVE_OK) {
          *error = "writing " + name + ": " + ArchiveError(out_, "write failed");
          return false;
        }
        counters_->bytes.fetch_add(size, std::memory_order_relaxed);
      }
      if (r != ARCHIVE_EOF) {
        if (state_.pipe->aborted()) return false;
        *error = "reading " + name + " from the tar stream: " + ArchiveError(in_, "read failed");
        return false;
      }
    }
    if (archive_write_finish_entry(out_) != ARCHIVE_OK) {
      *error = "finishing " + name + ": " + ArchiveError(out_, "write failed");
      return false;
    }
    counters_->entries.fetch_add(1, std::memory_order_relaxed);
    return true;
  }

  // Creates the missing parent directories of an entry (archives may omit directory entries),
  // owned like the rest, so that libarchive never makes them root's.
  bool MakeParents(const std::string& path, std::string* error) {
    size_t slash = path.find('/');
    while (slash != std::string::npos) {
      const std::string dir = path.substr(0, slash);
      if (!known_dirs_.count(dir)) {
        const std::string full = options_.destination + "/" + dir;
        struct stat st;
        if (::mkdir(full.c_str(), 0755) != 0) {
          if (errno != EEXIST) {
            *error = "cannot create " + full + ": " + std::strerror(errno);
            return false;
          }
          if (::lstat(full.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
            *error = "extracting " + path + ": " +
                     (S_ISLNK(st.st_mode) ? "cannot extract through symlink " + dir
                                          : dir + " is not a directory");
            return false;
          }
        } else if ((options_.uid || options_.gid) &&
                   ::lchown(full.c_str(), options_.uid ? *options_.uid : -1u,
                            options_.gid ? *options_.gid : -1u) != 0) {
          *error = "cannot set the owner of " + full + ": " + std::strerror(errno);
          return false;
        }
        known_dirs_.insert(dir);
      }
      slash = path.find('/', slash + 1);
    }
    return true;
  }

  const ExtractOptions& options_;
  ExtractCounters* counters_;
  ReadState state_;
  struct archive* in_ = nullptr;
  struct archive* out_ = nullptr;
  std::unordered_set<std::string> known_dirs_;
};

}  // namespace

bool ExtractTar(BlockPipe& in, const ExtractOptions& options, ExtractCounters* counters,
                std::string* error) {
  Extractor extractor(options, counters);
  return extractor.Run(in, error);
}

}  // namespace sr::chainstate
