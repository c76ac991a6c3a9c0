// Installing stacks-node and stacks-signer from a stacks-core GitHub release: the zip for the
// instance's architecture, verified against the release's SHA-512 CHECKSUMS.txt before anything
// of it is used. `latest` is resolved once and recorded, so a node keeps its release across
// reboots and reruns.
#ifndef STACKS_RUNNER_NODE_RELEASE_H_
#define STACKS_RUNNER_NODE_RELEASE_H_

#include <functional>
#include <optional>
#include <string>

#include "node/host.h"

namespace sr::node {

inline constexpr char kDefaultReleaseBaseUrl[] =
    "https://github.com/stacks-network/stacks-core/releases";

struct ReleaseRequest {
  std::string version;  // "4.0.2" or "latest"
  std::string base_url = kDefaultReleaseBaseUrl;
  bool with_signer = false;
};

struct InstalledRelease {
  std::string version;
  std::string directory;  // /opt/stacks/<version>
  bool changed = false;   // false when it was installed already
};

using Log = std::function<void(const std::string&)>;

// Installs the release (or finds it installed and verified) and points /opt/stacks/current at
// it. Refuses x86_64 builds on a CPU without AVX2, and a zip whose SHA-512 differs from the
// release's CHECKSUMS.txt (nothing of it is kept).
bool InstallRelease(NodeHost& host, const ReleaseRequest& request, InstalledRelease* installed,
                    std::string* error, const Log& log);

// The SHA-512 CHECKSUMS.txt gives for `file` (sha512sum output, optionally with `*` or an
// `artifacts/` prefix before the name); nothing when the file is not listed.
std::optional<std::string> ChecksumFor(const std::string& checksums, const std::string& file);

// The release asset for an architecture (`uname -m`): linux-glibc-x64.zip or
// linux-glibc-arm64.zip; nothing for others.
std::optional<std::string> ReleaseAsset(const std::string& architecture);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_RELEASE_H_
