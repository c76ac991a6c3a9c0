// The download side of the pipeline: workers that fill the StreamBuffer's segments from the
// server, one HTTP client (one connection) each.
//
// With range support, each worker claims the next segment and GETs exactly its bytes
// (`Range: bytes=a-b`); a dropped, stalled (the request timeout) or refused (408, 429, 5xx)
// request is retried from the first byte it did not get, after a backoff that doubles from
// backoff_initial up to backoff_max, and resets whenever a try made progress; max_attempts
// tries in a row without a byte fail the whole download. Every 206 must carry the archive's
// total size and ETag: an archive replaced on the server mid-download fails at once.
//
// Without range support, one worker streams the whole archive into the segments in order; a
// failed try starts a new GET and skips the bytes already delivered.
#ifndef STACKS_RUNNER_CHAINSTATE_RANGE_DOWNLOAD_H_
#define STACKS_RUNNER_CHAINSTATE_RANGE_DOWNLOAD_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <string>

#include "chainstate/archive_source.h"
#include "chainstate/stream_buffer.h"
#include "http/http_client.h"

namespace sr::chainstate {

struct DownloadOptions {
  // Bounds one request: a stalled connection is given up after it, and a slow one is cut and
  // resumed (which costs a request, not the bytes).
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  int max_attempts = 8;
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(30)};
};

struct DownloadShared {
  RemoteArchive archive;
  DownloadOptions options;
  StreamBuffer* buffer = nullptr;
  // Interruptible sleep: returns early once the buffer is aborted.
  std::function<void(std::chrono::milliseconds)> sleep;
  Log log;
  // The first failure: records it and aborts the pipeline.
  std::function<void(const std::string&)> fail;

  std::atomic<uint64_t> downloaded{0};  // bytes received, retries included
  std::atomic<int> retries{0};
};

// A worker of a server with range support: segments until none is left.
void RunRangeWorker(DownloadShared& shared, http::HttpClient& client);

// The one worker of a server without range support.
void RunStreamWorker(DownloadShared& shared, http::HttpClient& client);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_RANGE_DOWNLOAD_H_
