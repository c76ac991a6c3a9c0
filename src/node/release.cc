#include "node/release.h"

#include <archive.h>
#include <archive_entry.h>

#include <sstream>
#include <vector>

#include "config/validators.h"
#include "node/layout.h"
#include "util/sha256.h"

namespace sr::node {
namespace {

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

// The binaries we take out of the zip (it holds more: stacks-cli, clarity-cli, ...).
std::vector<std::string> WantedBinaries(bool with_signer) {
  if (with_signer) return {"stacks-node", "stacks-signer"};
  return {"stacks-node"};
}

// Reads the named regular files out of a zip held in memory.
bool ExtractFromZip(const std::string& zip, const std::vector<std::string>& wanted,
                    std::vector<std::pair<std::string, std::string>>* files, std::string* error) {
  struct archive* a = archive_read_new();
  archive_read_support_format_zip(a);
  if (archive_read_open_memory(a, zip.data(), zip.size()) != ARCHIVE_OK) {
    *error = std::string("not a zip archive: ") + archive_error_string(a);
    archive_read_free(a);
    return false;
  }
  struct archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
    std::string name = archive_entry_pathname(entry);
    name = name.substr(name.rfind('/') + 1);  // release zips are flat; be lenient
    bool want = false;
    for (const auto& w : wanted) want |= name == w;
    if (!want || archive_entry_filetype(entry) != AE_IFREG) continue;
    std::string content;
    char buf[1 << 16];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buf, sizeof buf)) > 0)
      content.append(buf, static_cast<size_t>(n));
    if (n < 0) {
      *error = name + ": " + archive_error_string(a);
      archive_read_free(a);
      return false;
    }
    files->emplace_back(name, std::move(content));
  }
  if (rc != ARCHIVE_EOF) {
    *error = std::string("damaged zip archive: ") + archive_error_string(a);
    archive_read_free(a);
    return false;
  }
  archive_read_free(a);
  for (const auto& w : wanted) {
    bool found = false;
    for (const auto& [name, content] : *files) found |= name == w;
    if (!found) return Fail(error, "the release zip has no " + w);
  }
  return true;
}

// `latest` -> the tag GitHub redirects .../releases/latest to (.../releases/tag/<tag>).
bool ResolveLatest(NodeHost& host, const std::string& base_url, std::string* version,
                   std::string* error) {
  const auto r = host.HttpGet(base_url + "/latest", [](std::string_view) { return true; });
  if (!r.error.empty()) return Fail(error, "looking up the latest release: " + r.error);
  const size_t tag = r.location.rfind("/tag/");
  if (r.status != 200 || tag == std::string::npos) {
    return Fail(error, "looking up the latest release: " + base_url + "/latest answered HTTP " +
                           std::to_string(r.status) + " without a release tag");
  }
  *version = r.location.substr(tag + 5);
  if (!config::IsStacksVersion(*version)) {
    return Fail(error, "the latest release is tagged \"" + *version +
                           "\", which is not a stacks-core release number");
  }
  return true;
}

}  // namespace

std::optional<std::string> ReleaseAsset(const std::string& architecture) {
  if (architecture == "x86_64") return "linux-glibc-x64.zip";
  if (architecture == "aarch64" || architecture == "arm64") return "linux-glibc-arm64.zip";
  return std::nullopt;
}

std::optional<std::string> ChecksumFor(const std::string& checksums, const std::string& file) {
  std::istringstream in(checksums);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string digest, name;
    if (!(fields >> digest >> name)) continue;
    if (!name.empty() && name[0] == '*') name.erase(0, 1);
    name = name.substr(name.rfind('/') + 1);
    if (name == file && digest.size() == 128) {
      for (auto& ch : digest) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return digest;
    }
  }
  return std::nullopt;
}

bool InstallRelease(NodeHost& host, const ReleaseRequest& request, InstalledRelease* installed,
                    std::string* error, const Log& log) {
  const std::string arch = host.Architecture();
  const auto asset = ReleaseAsset(arch);
  if (!asset) return Fail(error, "no stacks-core release is built for " + arch);
  if (arch == "x86_64" && host.CpuFlags().find(" avx2") == std::string::npos &&
      host.CpuFlags().rfind("avx2", 0) != 0) {
    return Fail(error,
                "this CPU has no AVX2, and stacks-core x86_64 releases are built for "
                "x86-64-v3: pick a current instance type (m5, m6i, m7i, c7i, ...) or a "
                "Graviton one");
  }

  std::string version = request.version;
  if (version == "latest") {
    // Resolved once: a node keeps the release it first installed.
    if (auto recorded = host.ReadFile(paths::kInstalledVersion); recorded && !recorded->empty()) {
      version = recorded->substr(0, recorded->find('\n'));
      log("latest was resolved to " + version + " at the first boot");
    } else if (!ResolveLatest(host, request.base_url, &version, error)) {
      return false;
    } else {
      log("latest is " + version);
    }
  }
  installed->version = version;
  installed->directory = std::string(paths::kReleasesDir) + "/" + version;
  const std::string marker = installed->directory + "/.verified-sha512";

  const auto wanted = WantedBinaries(request.with_signer);
  bool complete = host.Exists(marker);
  for (const auto& b : wanted) complete &= host.Exists(installed->directory + "/" + b);
  if (complete) {
    installed->changed = false;
  } else {
    const std::string base = request.base_url + "/download/" + version + "/";
    const auto sums = host.HttpGet(base + "CHECKSUMS.txt", nullptr);
    if (!sums.error.empty() || sums.status != 200) {
      return Fail(error,
                  "downloading " + base + "CHECKSUMS.txt: " +
                      (sums.error.empty() ? "HTTP " + std::to_string(sums.status) : sums.error));
    }
    const auto expected = ChecksumFor(sums.body, *asset);
    if (!expected) return Fail(error, "CHECKSUMS.txt of " + version + " does not list " + *asset);

    // Streamed to disk and hashed on the way; nothing is used before the digest matches.
    const std::string part =
        std::string(paths::kReleasesDir) + "/" + version + "-" + *asset + ".part";
    if (auto s = host.WriteFile(part, "", 0600, "root", "root"); !s) return Fail(error, s.error);
    util::Sha512 hasher;
    std::string write_error;
    const auto zip = host.HttpGet(base + *asset, [&](std::string_view chunk) {
      hasher.Update(chunk);
      auto s = host.AppendToFile(part, chunk);
      if (!s) write_error = s.error;
      return s.ok;
    });
    if (!write_error.empty() || !zip.error.empty() || zip.status != 200) {
      host.RemoveFile(part);
      return Fail(error, "downloading " + base + *asset + ": " +
                             (!write_error.empty() ? write_error
                              : !zip.error.empty() ? zip.error
                                                   : "HTTP " + std::to_string(zip.status)));
    }
    const std::string actual = hasher.FinishHex();
    if (actual != *expected) {
      host.RemoveFile(part);
      return Fail(error, "the SHA-512 of " + *asset + " (" + actual.substr(0, 16) +
                             "...) does not match the release's CHECKSUMS.txt (" +
                             expected->substr(0, 16) + "...): refusing to install it");
    }
    log(*asset + " matches CHECKSUMS.txt (sha512 " + actual.substr(0, 16) + "...)");
    auto bytes = host.ReadFile(part);
    host.RemoveFile(part);
    if (!bytes) return Fail(error, "cannot read back " + part);
    std::vector<std::pair<std::string, std::string>> files;
    if (!ExtractFromZip(*bytes, wanted, &files, error)) return false;
    if (auto s = host.MakeDirectory(installed->directory, 0755, "root", "root"); !s) {
      return Fail(error, s.error);
    }
    for (const auto& [name, content] : files) {
      if (auto s = host.WriteFile(installed->directory + "/" + name, content, 0755, "root", "root");
          !s) {
        return Fail(error, s.error);
      }
    }
    if (auto s = host.WriteFile(marker, actual + "  " + *asset + "\n", 0644, "root", "root"); !s) {
      return Fail(error, s.error);
    }
    installed->changed = true;
  }
  if (auto s = host.Symlink(installed->directory, paths::kCurrentRelease); !s) {
    return Fail(error, s.error);
  }
  if (auto s = host.WriteFile(paths::kInstalledVersion, version + "\n", 0644, "root", "root"); !s) {
    return Fail(error, s.error);
  }
  return true;
}

}  // namespace sr::node
