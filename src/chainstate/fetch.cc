#include "chainstate/fetch.h"

#include <fcntl.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "chainstate/block_pipe.h"
#include "chainstate/decompress.h"
#include "chainstate/extract.h"
#include "chainstate/range_download.h"
#include "chainstate/stream_buffer.h"
#include "util/clock.h"
#include "util/sha256.h"

namespace sr::chainstate {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

// The decompressed tar stream between the decompressing and the extracting thread: 8 blocks of
// 4 MiB keep both busy (libarchive writes a file's data in pieces of up to a block).
constexpr size_t kPipeBlockSize = 4u << 20;
constexpr size_t kPipeBlocks = 8;

std::string Gb(uint64_t bytes) { return FormatBytes(static_cast<double>(bytes)); }

bool WriteMarker(const std::string& path, const std::string& content, std::string* error) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  const std::string tmp = path + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot write the ready marker " + path + ": " + std::strerror(errno);
    return false;
  }
  const bool ok =
      ::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
      ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    *error = "cannot write the ready marker " + path + ": " + std::strerror(ok ? errno : saved);
    ::unlink(tmp.c_str());
    return false;
  }
  const int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return true;
}

bool SyncFilesystem(const std::string& path, std::string* error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || ::syncfs(fd) != 0) {
    *error = "cannot sync the filesystem of " + path + ": " + std::strerror(errno);
    if (fd >= 0) ::close(fd);
    return false;
  }
  ::close(fd);
  return true;
}

// Removes the <mode>/ tree; says why not in the returned text.
std::string RemoveTree(const std::string& tree) {
  std::error_code ec;
  fs::remove_all(tree, ec);
  if (ec) return "; cannot remove " + tree + ": " + ec.message();
  return "";
}

}  // namespace

std::optional<uint64_t> StatvfsProbe::Available(const std::string& path, std::string* error) {
  struct statvfs st;
  if (::statvfs(path.c_str(), &st) != 0) {
    *error = "statvfs " + path + ": " + std::strerror(errno);
    return std::nullopt;
  }
  return static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
}

uint64_t RequiredSpace(uint64_t archive_size, double ratio, uint64_t margin) {
  return static_cast<uint64_t>(std::ceil(static_cast<double>(archive_size) * ratio)) + margin;
}

bool FetchChainstate(const FetchRequest& request, const Dependencies& deps, std::string* error,
                     const Log& log, FetchStats* stats) {
  FetchStats local_stats;
  FetchStats& st = stats ? *stats : local_stats;
  const auto started = SteadyClock::now();
  if (!request.network || request.destination.empty() || request.marker_path.empty() ||
      !deps.make_http_client) {
    *error = "fetch-chainstate: incomplete request (network, destination, marker, HTTP client)";
    return false;
  }
  if (request.connections < 1 || request.connections > 64 || request.chunk_size < 4096 ||
      request.buffer_limit < request.chunk_size) {
    *error =
        "fetch-chainstate: connections must be 1 to 64, ranges at least 4 KiB and the "
        "buffer at least one range";
    return false;
  }
  std::error_code ec;
  if (fs::exists(request.marker_path, ec)) {
    log("chainstate: restored and verified earlier (" + request.marker_path + " exists)");
    st.already_done = true;
    return true;
  }

  Progress progress;
  auto report = [&](Phase phase) {
    progress.phase = phase;
    progress.elapsed_seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
    if (deps.progress) deps.progress->Update(progress);
  };
  auto failed = [&](const std::string& message) {
    *error = message;
    progress.error = message;
    report(Phase::kFailed);
    return false;
  };
  report(Phase::kDiscovering);

  const auto sleep =
      deps.sleep ? deps.sleep : [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  std::unique_ptr<http::HttpClient> discovery_client = deps.make_http_client();
  DiscoveryOptions discovery;
  discovery.timeout = request.request_timeout;
  discovery.backoff = request.backoff_initial;
  discovery.sleep = sleep;
  RemoteArchive archive;
  std::string discovery_error;
  const std::vector<std::string> candidates =
      CandidateUrls(*request.network, request.stacks_version, request.explicit_url);
  if (!DiscoverArchive(*discovery_client, candidates, discovery, &archive, &discovery_error, log)) {
    return failed(discovery_error);
  }
  st.url = archive.url;
  st.sha256 = archive.sha256;
  st.archive_bytes = archive.size;
  progress.url = archive.location.ForLog();
  progress.bytes_total = archive.size;
  log("chainstate: " + archive.location.ForLog() + ": " + Gb(archive.size) + ", sha256 " +
      archive.sha256 +
      (archive.ranges ? "" : "; the server honours no range requests: one connection"));

  // The destination, without symbolic links on the way (extract.h relies on it).
  fs::create_directories(request.destination, ec);
  const fs::path destination = fs::canonical(request.destination, ec);
  if (ec)
    return failed("the node's working directory " + request.destination + ": " + ec.message());
  const std::string mode(request.network->burnchain_mode);
  const std::string tree = (destination / mode).string();
  if (fs::exists(fs::symlink_status(tree, ec))) {
    log("chainstate: removing " + tree + ", left without its ready marker by an earlier attempt");
    if (std::string why = RemoveTree(tree); !why.empty()) return failed(why.substr(2));
  }

  // Room first: nothing is fetched for a restore that cannot fit.
  StatvfsProbe statvfs_probe;
  FreeSpaceProbe* probe = deps.free_space ? deps.free_space : &statvfs_probe;
  std::string space_error;
  const auto available = probe->Available(destination.string(), &space_error);
  if (!available) return failed(space_error);
  const uint64_t required =
      RequiredSpace(archive.size, request.extract_ratio, request.space_margin);
  if (*available < required) {
    char ratio[16];
    std::snprintf(ratio, sizeof ratio, "%.1f", request.extract_ratio);
    return failed("not enough free space in " + destination.string() + ": " + Gb(*available) +
                  " free, " + Gb(required) + " needed (the " + Gb(archive.size) +
                  " archive extracts to about " + ratio + " times its size, plus " +
                  Gb(request.space_margin) + " to spare)");
  }

  // The pipeline.
  const size_t max_segments = std::max<size_t>(1, request.buffer_limit / request.chunk_size);
  StreamBuffer buffer(archive.size, request.chunk_size, max_segments, 2);
  BlockPipe pipe(kPipeBlockSize, kPipeBlocks);
  std::mutex mu;
  std::condition_variable finished;
  std::string first_error;
  int running = 0;
  auto fail = [&](const std::string& message) {
    {
      std::lock_guard lock(mu);
      if (first_error.empty() && !message.empty()) first_error = message;
    }
    buffer.Abort();
    pipe.Abort();
  };
  DownloadShared shared;
  shared.archive = archive;
  shared.options.request_timeout = request.request_timeout;
  shared.options.max_attempts = request.max_attempts;
  shared.options.backoff_initial = request.backoff_initial;
  shared.options.backoff_max = request.backoff_max;
  shared.buffer = &buffer;
  shared.log = log;
  shared.fail = fail;
  shared.sleep = [&](std::chrono::milliseconds delay) {
    while (delay.count() > 0 && !buffer.aborted()) {
      const auto slice = std::min(delay, std::chrono::milliseconds(100));
      sleep(slice);
      delay -= slice;
    }
  };

  const int workers =
      archive.ranges
          ? static_cast<int>(std::min<size_t>(static_cast<size_t>(request.connections),
                                              std::max<size_t>(buffer.segment_count(), 1)))
          : 1;
  st.connections = workers;
  std::vector<std::unique_ptr<http::HttpClient>> clients;
  clients.push_back(std::move(discovery_client));  // its connection is open already
  while (static_cast<int>(clients.size()) < workers) clients.push_back(deps.make_http_client());

  ExtractOptions extract_options;
  extract_options.destination = destination.string();
  extract_options.mode = mode;
  extract_options.uid = request.uid;
  extract_options.gid = request.gid;
  ExtractCounters counters;
  util::Sha256Digest digest{};
  Compression compression = Compression::kUnknown;

  std::vector<std::thread> threads;
  auto spawn = [&](std::function<void()> body) {
    {
      std::lock_guard lock(mu);
      ++running;
    }
    threads.emplace_back([&, body = std::move(body)] {
      body();
      {
        std::lock_guard lock(mu);
        --running;
      }
      finished.notify_all();
    });
  };
  report(Phase::kDownloading);
  for (int i = 0; i < workers; ++i) {
    http::HttpClient* client = clients[static_cast<size_t>(i)].get();
    if (archive.ranges) {
      spawn([&shared, client] { RunRangeWorker(shared, *client); });
    } else {
      spawn([&shared, client] { RunStreamWorker(shared, *client); });
    }
  }
  spawn([&] {
    util::Sha256 hash;
    for (;;) {
      auto piece = buffer.Next(0);
      if (!piece) return;
      if (piece->empty()) break;
      hash.Update(*piece);
      buffer.Consume(0, piece->size());
    }
    digest = hash.Finish();
  });
  spawn([&] {
    std::string why;
    if (!DecompressStream(buffer, 1, pipe, &compression, &why)) fail(why);
  });
  spawn([&] {
    std::string why;
    if (!ExtractTar(pipe, extract_options, &counters, &why)) fail(why);
  });

  RateMeter meter;
  for (;;) {
    {
      std::unique_lock lock(mu);
      if (finished.wait_for(lock, std::chrono::milliseconds(250), [&] { return running == 0; })) {
        break;
      }
    }
    progress.bytes_done = buffer.Position(1);
    progress.bytes_downloaded = shared.downloaded.load();
    progress.bytes_extracted = counters.bytes.load();
    progress.retries = shared.retries.load();
    progress.rate = meter.Add(SteadyClock::now(), progress.bytes_done);
    progress.eta_seconds =
        progress.rate > 0 ? static_cast<double>(archive.size - progress.bytes_done) / progress.rate
                          : -1;
    report(Phase::kDownloading);
  }
  for (auto& t : threads) t.join();

  st.downloaded_bytes = shared.downloaded.load();
  st.extracted_bytes = counters.bytes.load();
  st.entries = counters.entries.load();
  st.retries = shared.retries.load();
  st.compression = std::string(CompressionName(compression));
  st.peak_buffer_bytes = buffer.peak_buffers() * request.chunk_size;
  progress.bytes_done = buffer.Position(1);
  progress.bytes_downloaded = st.downloaded_bytes;
  progress.bytes_extracted = st.extracted_bytes;
  progress.retries = st.retries;

  // Nothing of a failed restore stays.
  auto fail_and_clean = [&](const std::string& message) {
    log("chainstate: failed: " + message + "; removing " + tree);
    return failed(message + RemoveTree(tree));
  };
  if (!first_error.empty() || buffer.aborted()) {
    return fail_and_clean(first_error.empty() ? "the restore was aborted" : first_error);
  }
  report(Phase::kVerifying);
  const std::string actual = util::HexEncode(digest);
  if (actual != archive.sha256) {
    return fail_and_clean("SHA-256 mismatch: the archive's is " + actual + ", its .sha256 says " +
                          archive.sha256 + " (corrupted in transit or on the server)");
  }
  if (st.entries == 0 || !fs::is_directory(fs::symlink_status(tree, ec))) {
    return fail_and_clean("the archive holds no " + mode + "/ directory");
  }
  std::string sync_error;
  if (request.sync_before_marker && !SyncFilesystem(destination.string(), &sync_error)) {
    return fail_and_clean(sync_error);
  }
  std::string marker_error;
  if (!WriteMarker(request.marker_path,
                   "sha256 " + archive.sha256 + "\nurl " + archive.location.ForLog() + "\nsize " +
                       std::to_string(archive.size) + "\nrestored_at " +
                       util::FormatIso8601(std::chrono::system_clock::now()) + "\n",
                   &marker_error)) {
    return fail_and_clean(marker_error);
  }
  st.seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  progress.rate = st.seconds > 0 ? static_cast<double>(archive.size) / st.seconds : 0;
  progress.eta_seconds = 0;
  report(Phase::kDone);
  log("chainstate: restored " + Gb(st.extracted_bytes) + " in " + std::to_string(st.entries) +
      " entries from " + Gb(archive.size) + " of " + st.compression + " in " +
      FormatDuration(st.seconds) + " (" + FormatBytes(progress.rate) + "/s, " +
      std::to_string(st.connections) + " connections, " + std::to_string(st.retries) +
      " retries); SHA-256 verified");
  return true;
}

}  // namespace sr::chainstate
