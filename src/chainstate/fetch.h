// fetch-chainstate: restores a Stacks node's chainstate from a published archive in one pass.
//
// The archive is found (archive_source.h), the free space checked against its expected
// extracted size, then downloaded over several connections with range requests
// (range_download.h) into a bounded in-order buffer (stream_buffer.h) that two readers follow
// on their own threads: the SHA-256 of the archive, and the decompression (decompress.h), whose
// output a third thread extracts (extract.h) straight into the node's working directory. Nothing
// of the archive is stored on disk, and memory stays under buffer_limit plus a few MiB whatever
// the archive's size.
//
// The restored <mode>/ tree is trusted only once the archive's SHA-256 equals the published
// one: then (after syncing the filesystem) the ready marker, which the node's unit waits for, is
// written. Any failure removes the whole <mode>/ tree. A tree left without its marker (a killed
// run) is removed before a new restore; with the marker present nothing is done.
#ifndef STACKS_RUNNER_CHAINSTATE_FETCH_H_
#define STACKS_RUNNER_CHAINSTATE_FETCH_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chainstate/archive_source.h"
#include "chainstate/progress.h"
#include "config/networks.h"
#include "http/http_client.h"

namespace sr::chainstate {

// Defaults, and why (docs/benchmarks.md has the measurements):
// - 8 connections: CDNs cap each connection (tens of MB/s); 8 fill a 5-10 Gbit/s instance
//   link, while few enough not to look like abuse.
// - 32 MiB ranges: the per-request cost (a round trip, a response head) stays under 1 % at
//   40 MB/s per connection even 100 ms away, and a dropped connection costs at most one range.
// - 512 MiB buffer (16 ranges): twice the ranges in flight, so the reader rarely waits for the
//   oldest range while the others are done; bounded whatever the archive's size.
inline constexpr int kDefaultConnections = 8;
inline constexpr size_t kDefaultChunkSize = 32u << 20;
inline constexpr size_t kDefaultBufferLimit = 512u << 20;
// The facts sheet (section 6): the mainnet archive is 321 GB and extracts to about 1 TB (3.1x);
// "extracted data 2-3x compressed". 3.5x leaves room for the archive compressing better.
inline constexpr double kDefaultExtractRatio = 3.5;
inline constexpr uint64_t kDefaultSpaceMargin = 1ull << 30;  // logs, the node's first writes

struct FetchRequest {
  const config::NetworkProfile* network = nullptr;
  std::string stacks_version;  // installed release ("4.0.2"); "latest" or empty: latest only
  std::string explicit_url;    // STACKS_CHAINSTATE_ARCHIVE, tried first
  // Real paths (under --root when given): the node's working directory, the ready marker.
  std::string destination;
  std::string marker_path;

  int connections = kDefaultConnections;
  size_t chunk_size = kDefaultChunkSize;
  size_t buffer_limit = kDefaultBufferLimit;
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  int max_attempts = 8;  // tries in a row without a byte, per range
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(30)};
  double extract_ratio = kDefaultExtractRatio;
  uint64_t space_margin = kDefaultSpaceMargin;
  // Owner of the extracted tree (the stacks user); unset: the process's.
  std::optional<uint32_t> uid;
  std::optional<uint32_t> gid;
  // syncfs() before the marker, so that a power loss cannot leave a marker over data that never
  // reached the disk.
  bool sync_before_marker = true;
};

// Free space, behind an interface so that tests can fake a full disk.
class FreeSpaceProbe {
 public:
  virtual ~FreeSpaceProbe() = default;
  // Bytes an unprivileged user may still write on the filesystem holding `path`.
  virtual std::optional<uint64_t> Available(const std::string& path, std::string* error) = 0;
};

class StatvfsProbe final : public FreeSpaceProbe {
 public:
  std::optional<uint64_t> Available(const std::string& path, std::string* error) override;
};

struct Dependencies {
  // One client per worker thread (and one for discovery); called on the calling thread only.
  std::function<std::unique_ptr<http::HttpClient>()> make_http_client;
  // Backoff sleeps (in slices, so that an abort ends them); default: the real clock.
  std::function<void(std::chrono::milliseconds)> sleep;
  FreeSpaceProbe* free_space = nullptr;  // default: statvfs
  ProgressSink* progress = nullptr;      // optional
};

struct FetchStats {
  std::string url;
  std::string sha256;
  std::string compression;  // "zstd", "gzip"
  uint64_t archive_bytes = 0;
  uint64_t downloaded_bytes = 0;
  uint64_t extracted_bytes = 0;
  uint64_t entries = 0;
  int connections = 0;  // used: 1 when the server honours no ranges
  int retries = 0;
  size_t peak_buffer_bytes = 0;
  double seconds = 0;
  bool already_done = false;  // the marker was there: nothing done
};

// Restores the chainstate; false with `error` (and nothing of it left) on failure.
bool FetchChainstate(const FetchRequest& request, const Dependencies& deps, std::string* error,
                     const Log& log, FetchStats* stats = nullptr);

// The space the restore needs: the archive's size times the ratio, plus the margin.
uint64_t RequiredSpace(uint64_t archive_size, double ratio, uint64_t margin);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_FETCH_H_
