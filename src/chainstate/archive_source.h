// Finding the chainstate archive: the candidate URLs (an explicit one from the configuration,
// then Hiro's names for the network and the installed stacks-core version), probing each with a
// one-byte range request (which also tells whether the server honours ranges, the size and the
// ETag), following redirects, and fetching the checksum beside it (`<archive>.sha256`, whose
// first field is the hex SHA-256).
#ifndef STACKS_RUNNER_CHAINSTATE_ARCHIVE_SOURCE_H_
#define STACKS_RUNNER_CHAINSTATE_ARCHIVE_SOURCE_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/http_message.h"
#include "config/networks.h"
#include "http/http_client.h"

namespace sr::chainstate {

using Log = std::function<void(const std::string&)>;

// An absolute http(s) URL split into what a request needs: the endpoint (scheme, host, port)
// and the request target, path and query as given (a redirect's signed query is kept byte for
// byte).
struct Resource {
  http::Url endpoint;
  std::string target;  // "/mainnet/stacks-blockchain/x.tar.zst" or "/p?sig=..."

  std::string ToString() const;  // the whole URL
  std::string ForLog() const;    // without the query, which may hold a signature
};

std::optional<Resource> ParseResource(std::string_view url, std::string* error);

// `location` (absolute, or an absolute path) resolved against `base`.
std::optional<Resource> ResolveLocation(const Resource& base, std::string_view location,
                                        std::string* error);

// A GET of `resource` (with `headers`), following up to 5 redirects; `final` receives where the
// response came from.
http::SendResult GetFollowingRedirects(http::HttpClient& client, const Resource& resource,
                                       const aws::NameValueList& headers,
                                       const http::RequestOptions& options, Resource* final);

// The URLs to try, best first: the explicit one if any; then, for a release version (not
// "latest"), <stem>-<version>-latest.tar.zst and .tar.gz; then <stem>-latest.tar.zst and .tar.gz.
std::vector<std::string> CandidateUrls(const config::NetworkProfile& network,
                                       std::string_view stacks_version,
                                       std::string_view explicit_url);

// The digest of a .sha256 file: its first field, 64 hex digits, lowercased; nothing otherwise.
std::optional<std::string> ParseSha256File(std::string_view text);

// "bytes 0-0/12345" -> first, last, total; nothing for anything else ("bytes */123" included).
struct ContentRange {
  uint64_t first = 0;
  uint64_t last = 0;
  uint64_t total = 0;
};
std::optional<ContentRange> ParseContentRange(std::string_view value);

struct RemoteArchive {
  std::string url;    // the candidate that was found
  Resource location;  // where its bytes are, after redirects
  uint64_t size = 0;
  bool ranges = false;  // the server answered the probe with 206 Partial Content
  std::string etag;     // empty when the server gives none
  std::string sha256;   // lowercase hex, from <url>.sha256
};

struct DiscoveryOptions {
  std::chrono::milliseconds timeout{std::chrono::seconds(30)};
  int attempts = 4;  // per candidate, for transport errors and 5xx (not for 403/404/410)
  std::chrono::milliseconds backoff{std::chrono::seconds(1)};
  std::function<void(std::chrono::milliseconds)> sleep;
};

// The first candidate that exists and has a checksum. A candidate answering 403, 404 or 410
// (for the archive or its .sha256) is skipped with a log line; one that keeps failing otherwise
// (transport errors, 5xx) stops the search: a flapping server should not make a node settle
// for an older archive. False with `error` listing what each candidate gave.
bool DiscoverArchive(http::HttpClient& client, const std::vector<std::string>& candidates,
                     const DiscoveryOptions& options, RemoteArchive* archive, std::string* error,
                     const Log& log);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_ARCHIVE_SOURCE_H_
