#include "chainstate/entry_policy.h"

#include <vector>

namespace sr::chainstate {
namespace {

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

std::string Quoted(std::string_view name) { return "'" + std::string(name) + "'"; }

}  // namespace

bool NormalizeMemberName(std::string_view name, std::string* normalized, std::string* error) {
  normalized->clear();
  if (name.empty()) {
    *error = "an entry with an empty name";
    return false;
  }
  if (name.front() == '/') {
    *error = "entry " + Quoted(name) + " has an absolute path";
    return false;
  }
  for (std::string_view part : Split(name)) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      *error = "entry " + Quoted(name) + " has a '..' component";
      return false;
    }
    if (!normalized->empty()) normalized->push_back('/');
    normalized->append(part);
  }
  return true;
}

bool CheckEntry(std::string_view mode, std::string_view name, EntryKind kind,
                std::string_view link_target, EntryDecision* decision, std::string* error) {
  *decision = {};
  if (!NormalizeMemberName(name, &decision->path, error)) return false;
  const std::string top = std::string(mode);
  if (decision->path.empty()) {
    if (kind == EntryKind::kDirectory) {
      decision->skip = true;
      return true;
    }
    *error = "entry " + Quoted(name) + " is not a directory";
    return false;
  }
  const std::vector<std::string_view> parts = Split(decision->path);
  if (parts[0] != top) {
    *error = "entry " + Quoted(name) + " is outside " + top + "/: the archive must hold the " +
             top + "/ directory only (is it the archive of another network?)";
    return false;
  }
  switch (kind) {
    case EntryKind::kDirectory:
      return true;
    case EntryKind::kFile:
    case EntryKind::kSymlink:
    case EntryKind::kHardlink:
      if (parts.size() == 1) {
        *error = "entry " + Quoted(name) + " must be a directory";
        return false;
      }
      break;
    case EntryKind::kOther:
      *error = "entry " + Quoted(name) + " is a device, FIFO or socket";
      return false;
  }
  if (kind == EntryKind::kHardlink) {
    std::string target_error;
    if (!NormalizeMemberName(link_target, &decision->hardlink, &target_error) ||
        Split(decision->hardlink)[0] != top || decision->hardlink == top) {
      *error = "hard link " + Quoted(name) + " -> " + Quoted(link_target) + " points outside " +
               top + "/";
      return false;
    }
  }
  if (kind == EntryKind::kSymlink) {
    auto refuse = [&] {
      *error = "symbolic link " + Quoted(name) + " -> " + Quoted(link_target) + " points outside " +
               top + "/";
      return false;
    };
    if (link_target.empty() || link_target.front() == '/') return refuse();
    // Climbs from the link's directory, at the start only, and never above <mode>/.
    size_t depth = parts.size() - 1;  // components of the link's directory, <mode> included
    bool descended = false;
    for (std::string_view part : Split(link_target)) {
      if (part.empty() || part == ".") continue;
      if (part == "..") {
        if (descended || depth <= 1) return refuse();
        --depth;
      } else {
        descended = true;
      }
    }
  }
  return true;
}

}  // namespace sr::chainstate
