// What an archive entry may be, decided from its name, type and link target alone (no I/O), so
// that nothing the archive says can reach outside the chainstate it is meant to restore.
//
// The rules:
// - Names are relative: no leading '/', no ".." component; "./" prefixes and repeated or
//   trailing slashes are ignored.
// - Every entry is <mode> or under <mode>/, where <mode> is the network's burnchain mode
//   (mainnet, krypton): a chainstate is that one directory of the node's working directory. A
//   "." directory entry (archives made with `tar -C dir .`) is skipped; any other top-level
//   entry, file or directory, is refused: an archive of another network, or one that would
//   leave files that the cleanup of a failed restore (which removes <mode>/) would not remove.
// - Regular files, directories, symbolic and hard links only: devices, FIFOs and sockets are
//   refused.
// - Hard links name an entry under <mode>/ by the same rules.
// - Symbolic links are relative, and may climb with ".." only at their start and not above
//   <mode>/ (`../headers.sqlite`, never `a/../../x`). Together with libarchive's refusal to
//   write through a symbolic link, this keeps every link inside <mode>/ however links chain.
#ifndef STACKS_RUNNER_CHAINSTATE_ENTRY_POLICY_H_
#define STACKS_RUNNER_CHAINSTATE_ENTRY_POLICY_H_

#include <string>
#include <string_view>

namespace sr::chainstate {

enum class EntryKind { kFile, kDirectory, kSymlink, kHardlink, kOther };

// The member name without "./" prefixes, empty components or a trailing '/'; false with `error`
// for an absolute name or a ".." component. "." and "./" give "".
bool NormalizeMemberName(std::string_view name, std::string* normalized, std::string* error);

struct EntryDecision {
  bool skip = false;     // the "." directory: nothing to write
  std::string path;      // normalized, starting with <mode>
  std::string hardlink;  // normalized target of a hard link
};

// Whether the entry may be extracted; false with `error` (naming the entry) when not.
bool CheckEntry(std::string_view mode, std::string_view name, EntryKind kind,
                std::string_view link_target, EntryDecision* decision, std::string* error);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_ENTRY_POLICY_H_
