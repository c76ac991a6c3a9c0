// Extraction of the decompressed tar stream into the node's working directory with libarchive:
// every entry is checked against entry_policy.h before anything is written, and libarchive's
// disk writer refuses to write through symbolic links or with ".." (ARCHIVE_EXTRACT_SECURE_*).
// Entry names are rewritten to absolute paths under the destination, which must therefore be
// canonical (no symbolic link on the way: see FetchChainstate), and the process's working
// directory is never changed.
#ifndef STACKS_RUNNER_CHAINSTATE_EXTRACT_H_
#define STACKS_RUNNER_CHAINSTATE_EXTRACT_H_

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>

#include "chainstate/block_pipe.h"

namespace sr::chainstate {

struct ExtractOptions {
  std::string destination;  // absolute and canonical: the node's working directory
  std::string mode;         // the one top-level directory allowed: mainnet, krypton
  // The owner of what is extracted (the stacks user); unset: the process's.
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
};

struct ExtractCounters {
  std::atomic<uint64_t> bytes{0};    // file data written
  std::atomic<uint64_t> entries{0};  // entries extracted
};

// Reads the tar stream from `in` to its end (the padding after the end-of-archive blocks is
// read and dropped) and extracts it. False with `error` on a refused entry, a malformed or
// truncated tar stream, or a write failure (a full disk); false without error when aborted.
// Leaves what it extracted so far in place: the caller removes <destination>/<mode>.
bool ExtractTar(BlockPipe& in, const ExtractOptions& options, ExtractCounters* counters,
                std::string* error);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_EXTRACT_H_
