#include "chainstate/range_download.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace sr::chainstate {
namespace {

bool Retryable(int status) {
  return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 ||
         status == 503 || status == 504;
}

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string MiB(uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1 << 20));
  return text;
}

// The delay before try `failures + 1`, or the server's Retry-After (seconds) when shorter
// than backoff_max.
std::chrono::milliseconds Backoff(const DownloadOptions& options, int failures,
                                  const http::HttpResponse* response) {
  if (response) {
    if (const std::string* after = response->FindHeader("Retry-After")) {
      int seconds = 0;
      auto [end, ec] = std::from_chars(after->data(), after->data() + after->size(), seconds);
      if (ec == std::errc() && seconds >= 0) {
        return std::min<std::chrono::milliseconds>(std::chrono::seconds(seconds),
                                                   options.backoff_max);
      }
    }
  }
  auto delay = options.backoff_initial;
  for (int i = 1; i < failures && delay < options.backoff_max; ++i) delay *= 2;
  return std::min(delay, options.backoff_max);
}

// What a try ended with, as far as retrying goes.
struct TryOutcome {
  bool retry = false;  // worth another try
  std::string what;    // for the log and the final error
  const http::HttpResponse* response = nullptr;
};

// Sends one GET of `resource` following redirects, with the body going to `sink`.
http::SendResult Get(http::HttpClient& client, const Resource& resource,
                     const aws::NameValueList& headers, std::chrono::milliseconds timeout,
                     const std::function<bool(std::string_view)>& sink) {
  http::RequestOptions options;
  options.timeout = timeout;
  options.on_body_chunk = sink;
  return GetFollowingRedirects(client, resource, headers, options, nullptr);
}

// Decides whether to try again after a failed try and sleeps the backoff; false (after
// reporting the failure) when the download must stop.
bool AfterFailure(DownloadShared& shared, const std::string& what, bool retryable, bool progressed,
                  int* failures, const std::string& context, uint64_t resume_at,
                  const http::HttpResponse* response) {
  if (shared.buffer->aborted()) return false;
  if (!retryable) {
    shared.fail(context + ": " + what);
    return false;
  }
  *failures = progressed ? 0 : *failures + 1;
  if (*failures >= shared.options.max_attempts) {
    shared.fail(context + ": gave up after " + std::to_string(shared.options.max_attempts) +
                " tries without progress: " + what);
    return false;
  }
  shared.retries.fetch_add(1);
  const auto delay =
      progressed ? std::chrono::milliseconds(0) : Backoff(shared.options, *failures, response);
  shared.log("chainstate: " + context + ": " + what + "; resuming at byte " +
             std::to_string(resume_at) +
             (delay.count() > 0 ? " in " + std::to_string(delay.count()) + " ms" : ""));
  if (delay.count() > 0) shared.sleep(delay);
  return !shared.buffer->aborted();
}

bool FillSegment(DownloadShared& shared, http::HttpClient& client,
                 const StreamBuffer::Segment& segment) {
  const size_t length = static_cast<size_t>(segment.end - segment.begin);
  size_t filled = 0;
  int failures = 0;
  const std::string context = "range " + std::to_string(segment.begin) + "-" +
                              std::to_string(segment.end - 1) + " (" + MiB(length) + ")";
  while (filled < length) {
    if (shared.buffer->aborted()) return false;
    const uint64_t from = segment.begin + filled;
    const size_t before = filled;
    bool overflow = false;
    http::SendResult result =
        Get(client, shared.archive.location,
            {{"Range", "bytes=" + std::to_string(from) + "-" + std::to_string(segment.end - 1)}},
            shared.options.request_timeout, [&](std::string_view piece) {
              if (shared.buffer->aborted()) return false;
              shared.downloaded.fetch_add(piece.size(), std::memory_order_relaxed);
              const size_t n = std::min(piece.size(), length - filled);
              std::memcpy(segment.data + filled, piece.data(), n);
              filled += n;
              shared.buffer->AddFilled(segment.index, n);
              if (n < piece.size()) {
                overflow = true;
                return false;
              }
              return true;
            });
    const bool progressed = filled > before;
    if (overflow) {
      // More than the range: a server that ignored it sent the archive from its start, which
      // is right only for a range that starts there.
      if (from == 0) break;
      shared.fail(context +
                  ": the server sent more than the range asked for (does it ignore "
                  "Range requests?)");
      return false;
    }
    if (const auto* response = std::get_if<http::HttpResponse>(&result)) {
      if (response->status == 206 || (response->status == 200 && from == 0)) {
        if (response->status == 206) {
          const std::string* range = response->FindHeader("Content-Range");
          auto parsed = range ? ParseContentRange(*range) : std::nullopt;
          if (!parsed || parsed->first != from || parsed->total != shared.archive.size) {
            shared.fail(context + ": unexpected Content-Range " + (range ? *range : "(none)") +
                        " for bytes " + std::to_string(from) + "- of " +
                        std::to_string(shared.archive.size));
            return false;
          }
        }
        const std::string* etag = response->FindHeader("ETag");
        if (etag && !shared.archive.etag.empty() && *etag != shared.archive.etag) {
          shared.fail(context + ": the archive changed on the server during the download (ETag " +
                      shared.archive.etag + ", now " + *etag + ")");
          return false;
        }
        if (filled < length) {  // a short but complete response: ask for the rest
          if (!AfterFailure(shared, "the response ended early", true, progressed, &failures,
                            context, segment.begin + filled, nullptr)) {
            return false;
          }
        }
        continue;
      }
      if (response->status == 200) {
        shared.fail(context + ": the server answered a range request with the whole archive");
        return false;
      }
      const std::string what = "HTTP " + std::to_string(response->status);
      if (!AfterFailure(shared, what, Retryable(response->status) && !IsRedirect(response->status),
                        progressed, &failures, context, segment.begin + filled, response)) {
        return false;
      }
      continue;
    }
    const auto& failure = std::get<http::TransportError>(result);
    if (failure.kind == http::TransportErrorKind::kAborted && shared.buffer->aborted()) {
      return false;
    }
    const bool retryable = failure.kind != http::TransportErrorKind::kResolve &&
                           failure.kind != http::TransportErrorKind::kTls &&
                           failure.kind != http::TransportErrorKind::kProxy;
    if (!AfterFailure(shared, failure.message, retryable, progressed, &failures, context,
                      segment.begin + filled, nullptr)) {
      return false;
    }
  }
  return true;
}

}  // namespace

void RunRangeWorker(DownloadShared& shared, http::HttpClient& client) {
  while (auto segment = shared.buffer->ClaimNext()) {
    if (!FillSegment(shared, client, *segment)) return;
  }
}

void RunStreamWorker(DownloadShared& shared, http::HttpClient& client) {
  StreamBuffer& buffer = *shared.buffer;
  const uint64_t size = shared.archive.size;
  uint64_t delivered = 0;
  std::optional<StreamBuffer::Segment> segment;
  int failures = 0;
  // The whole archive in one request: its timeout allows for 1 MiB/s at least (the
  // extraction's pace, which holds the stream back through the bounded buffer).
  const auto timeout =
      shared.options.request_timeout + std::chrono::milliseconds(size / ((1 << 20) / 1000));
  const std::string context = "the download (one stream: the server honours no ranges)";
  while (delivered < size) {
    const uint64_t before = delivered;
    uint64_t position = 0;  // in this response's body
    bool overflow = false;
    http::SendResult result =
        Get(client, shared.archive.location, {}, timeout, [&](std::string_view piece) {
          shared.downloaded.fetch_add(piece.size(), std::memory_order_relaxed);
          if (position < delivered) {  // sent before: skip
            const size_t skip =
                static_cast<size_t>(std::min<uint64_t>(piece.size(), delivered - position));
            piece.remove_prefix(skip);
            position += skip;
          }
          while (!piece.empty()) {
            if (buffer.aborted()) return false;
            if (!segment || delivered == segment->end) {
              segment = buffer.ClaimNext();  // waits while the buffer is full
              if (!segment) {
                overflow = delivered == size;
                return false;
              }
            }
            const size_t n =
                static_cast<size_t>(std::min<uint64_t>(piece.size(), segment->end - delivered));
            std::memcpy(segment->data + (delivered - segment->begin), piece.data(), n);
            buffer.AddFilled(segment->index, n);
            delivered += n;
            position += n;
            piece.remove_prefix(n);
          }
          return true;
        });
    if (overflow) {
      shared.fail(context + ": the server sent more than the " + std::to_string(size) +
                  " bytes it announced");
      return;
    }
    const bool progressed = delivered > before;
    if (const auto* response = std::get_if<http::HttpResponse>(&result)) {
      if (response->status == 200) {
        if (delivered < size && !AfterFailure(shared, "the response ended early", true, progressed,
                                              &failures, context, delivered, nullptr)) {
          return;
        }
        continue;
      }
      if (!AfterFailure(shared, "HTTP " + std::to_string(response->status),
                        Retryable(response->status), progressed, &failures, context, delivered,
                        response)) {
        return;
      }
      continue;
    }
    const auto& failure = std::get<http::TransportError>(result);
    if (buffer.aborted()) return;
    const bool retryable = failure.kind != http::TransportErrorKind::kResolve &&
                           failure.kind != http::TransportErrorKind::kTls &&
                           failure.kind != http::TransportErrorKind::kProxy;
    if (!AfterFailure(shared, failure.message, retryable, progressed, &failures, context, delivered,
                      nullptr)) {
      return;
    }
  }
}

}  // namespace sr::chainstate
