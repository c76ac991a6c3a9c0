#include "chainstate/archive_source.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sr::chainstate {
namespace {

bool IsRedirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool IsMissing(int status) { return status == 403 || status == 404 || status == 410; }

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t value = 0;
  if (s.empty()) return std::nullopt;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return value;
}

std::string Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string Describe(const http::SendResult& result) {
  if (const auto* e = std::get_if<http::TransportError>(&result)) return e->message;
  return "HTTP " + std::to_string(std::get<http::HttpResponse>(result).status);
}

}  // namespace

std::string Resource::ToString() const {
  return endpoint.scheme + "://" + endpoint.Authority() + target;
}

std::string Resource::ForLog() const {
  return endpoint.scheme + "://" + endpoint.Authority() + target.substr(0, target.find('?'));
}

std::optional<Resource> ParseResource(std::string_view url, std::string* error) {
  const size_t scheme_end = url.find("://");
  const size_t path_start =
      scheme_end == std::string_view::npos ? url.size() : url.find_first_of("/?#", scheme_end + 3);
  std::string_view target =
      path_start == std::string_view::npos ? std::string_view() : url.substr(path_start);
  target = target.substr(0, target.find('#'));
  auto endpoint = http::ParseUrl(url.substr(0, std::min(path_start, url.size())), error);
  if (!endpoint) return std::nullopt;
  if (target.empty() || target.front() != '/') {
    *error = "the URL has no path";
    return std::nullopt;
  }
  if (std::any_of(target.begin(), target.end(),
                  [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; })) {
    *error = "the URL contains a space or a control character";
    return std::nullopt;
  }
  return Resource{*endpoint, std::string(target)};
}

std::optional<Resource> ResolveLocation(const Resource& base, std::string_view location,
                                        std::string* error) {
  if (!location.empty() && location.front() == '/' && (location.size() < 2 || location[1] != '/')) {
    return ParseResource(
        base.endpoint.scheme + "://" + base.endpoint.Authority() + std::string(location), error);
  }
  return ParseResource(location, error);
}

http::SendResult GetFollowingRedirects(http::HttpClient& client, const Resource& resource,
                                       const aws::NameValueList& headers,
                                       const http::RequestOptions& options, Resource* final) {
  Resource current = resource;
  for (int hop = 0;; ++hop) {
    aws::HttpRequest request;
    request.method = "GET";
    request.host = current.endpoint.Authority();
    request.path = current.target;
    request.headers = headers;
    http::SendResult result = client.Send(current.endpoint, request, options);
    const auto* response = std::get_if<http::HttpResponse>(&result);
    if (!response || !IsRedirect(response->status) || hop == 5) {
      if (final) *final = current;
      return result;
    }
    const std::string* location = response->FindHeader("Location");
    std::string error;
    std::optional<Resource> next =
        location ? ResolveLocation(current, *location, &error) : std::nullopt;
    if (!next) {
      if (final) *final = current;
      return http::TransportError{http::TransportErrorKind::kProtocol,
                                  "GET " + current.ForLog() + ": a redirect without a usable " +
                                      "Location" + (error.empty() ? "" : " (" + error + ")"),
                                  true};
    }
    current = std::move(*next);
  }
}

std::vector<std::string> CandidateUrls(const config::NetworkProfile& network,
                                       std::string_view stacks_version,
                                       std::string_view explicit_url) {
  std::vector<std::string> urls;
  if (!explicit_url.empty()) urls.emplace_back(explicit_url);
  const std::string stem = std::string(network.archive_base) + std::string(network.archive_stem);
  if (!stacks_version.empty() && stacks_version != "latest") {
    urls.push_back(stem + "-" + std::string(stacks_version) + "-latest.tar.zst");
    urls.push_back(stem + "-" + std::string(stacks_version) + "-latest.tar.gz");
  }
  urls.push_back(stem + "-latest.tar.zst");
  urls.push_back(stem + "-latest.tar.gz");
  return urls;
}

std::optional<std::string> ParseSha256File(std::string_view text) {
  size_t start = 0;
  while (start < text.size() && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
  size_t end = start;
  while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end]))) ++end;
  std::string digest(text.substr(start, end - start));
  if (digest.size() != 64 || !std::all_of(digest.begin(), digest.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c));
      })) {
    return std::nullopt;
  }
  std::transform(digest.begin(), digest.end(), digest.begin(), [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  });
  return digest;
}

std::optional<ContentRange> ParseContentRange(std::string_view value) {
  const std::string v = Trim(value);
  std::string_view s = v;
  if (!s.starts_with("bytes ")) return std::nullopt;
  s.remove_prefix(6);
  const size_t dash = s.find('-');
  const size_t slash = s.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash) {
    return std::nullopt;
  }
  auto first = ParseUint(s.substr(0, dash));
  auto last = ParseUint(s.substr(dash + 1, slash - dash - 1));
  auto total = ParseUint(s.substr(slash + 1));
  if (!first || !last || !total || *first > *last || *last >= *total) return std::nullopt;
  return ContentRange{*first, *last, *total};
}

namespace {

enum class ProbeOutcome { kFound, kMissing, kFailed };

// After a failed attempt (no response, or `response`): whether another is worth it (a transport
// error, 5xx, 408 or 429, with attempts left), having waited the attempt's backoff if so.
bool WaitToRetry(const http::HttpResponse* response, int attempt, const DiscoveryOptions& options) {
  const bool retryable =
      !response || response->status >= 500 || response->status == 429 || response->status == 408;
  if (!retryable || attempt >= options.attempts) return false;
  if (options.sleep) options.sleep(options.backoff * (1 << (attempt - 1)));
  return true;
}

// GET with Range: bytes=0-0, retried on transport errors and 5xx.
ProbeOutcome Probe(http::HttpClient& client, const std::string& url,
                   const DiscoveryOptions& options, RemoteArchive* archive, std::string* why) {
  std::string error;
  auto resource = ParseResource(url, &error);
  if (!resource) {
    *why = "not a usable URL: " + error;
    return ProbeOutcome::kFailed;
  }
  for (int attempt = 1;; ++attempt) {
    http::RequestOptions request_options;
    request_options.timeout = options.timeout;
    size_t received = 0;
    // A server that ignores the range starts sending the whole archive: stop after a byte.
    request_options.on_body_chunk = [&](std::string_view piece) {
      received += piece.size();
      return received <= 1;
    };
    Resource final;
    http::SendResult result =
        GetFollowingRedirects(client, *resource, {{"Range", "bytes=0-0"}}, request_options, &final);
    const auto* response = std::get_if<http::HttpResponse>(&result);
    const auto* failure = std::get_if<http::TransportError>(&result);
    if (failure && failure->kind == http::TransportErrorKind::kAborted) {
      // 2xx with more than the byte asked for: no range support. The size comes from a HEAD.
      aws::HttpRequest head;
      head.method = "HEAD";
      head.host = final.endpoint.Authority();
      head.path = final.target;
      http::RequestOptions head_options;
      head_options.timeout = options.timeout;
      result = client.Send(final.endpoint, head, head_options);
      response = std::get_if<http::HttpResponse>(&result);
      failure = std::get_if<http::TransportError>(&result);
      if (response && response->status == 200) {
        const std::string* length = response->FindHeader("Content-Length");
        auto size = length ? ParseUint(Trim(*length)) : std::nullopt;
        if (!size) {
          *why = "the server honours no range requests and gives no Content-Length";
          return ProbeOutcome::kFailed;
        }
        archive->size = *size;
        archive->ranges = false;
        const std::string* etag = response->FindHeader("ETag");
        archive->etag = etag ? *etag : "";
        archive->location = final;
        return ProbeOutcome::kFound;
      }
    }
    if (response && response->status == 206) {
      const std::string* range = response->FindHeader("Content-Range");
      auto parsed = range ? ParseContentRange(*range) : std::nullopt;
      if (!parsed || parsed->first != 0) {
        *why = "a 206 response without a valid Content-Range";
        return ProbeOutcome::kFailed;
      }
      archive->size = parsed->total;
      archive->ranges = true;
      const std::string* etag = response->FindHeader("ETag");
      archive->etag = etag ? *etag : "";
      archive->location = final;
      return ProbeOutcome::kFound;
    }
    if (response && response->status == 200) {  // a file of a byte or none
      archive->size = received;
      archive->ranges = false;
      archive->location = final;
      return ProbeOutcome::kFound;
    }
    if (response && IsMissing(response->status)) {
      *why = "HTTP " + std::to_string(response->status);
      return ProbeOutcome::kMissing;
    }
    *why = Describe(result);
    if (!WaitToRetry(response, attempt, options)) return ProbeOutcome::kFailed;
  }
}

ProbeOutcome FetchChecksum(http::HttpClient& client, const std::string& url,
                           const DiscoveryOptions& options, std::string* digest, std::string* why) {
  std::string error;
  auto resource = ParseResource(url, &error);
  if (!resource) {
    *why = error;
    return ProbeOutcome::kFailed;
  }
  for (int attempt = 1;; ++attempt) {
    http::RequestOptions request_options;
    request_options.timeout = options.timeout;
    request_options.max_body_size = 64 << 10;
    http::SendResult result =
        GetFollowingRedirects(client, *resource, {}, request_options, nullptr);
    const auto* response = std::get_if<http::HttpResponse>(&result);
    if (response && response->status == 200) {
      auto parsed = ParseSha256File(response->body);
      if (!parsed) {
        *why = "it does not start with a SHA-256 in hex";
        return ProbeOutcome::kFailed;
      }
      *digest = *parsed;
      return ProbeOutcome::kFound;
    }
    *why = Describe(result);
    if (response && IsMissing(response->status)) return ProbeOutcome::kMissing;
    if (!WaitToRetry(response, attempt, options)) return ProbeOutcome::kFailed;
  }
}

}  // namespace

bool DiscoverArchive(http::HttpClient& client, const std::vector<std::string>& candidates,
                     const DiscoveryOptions& options, RemoteArchive* archive, std::string* error,
                     const Log& log) {
  std::string tried;
  for (const std::string& url : candidates) {
    RemoteArchive found;
    found.url = url;
    std::string why;
    std::string shown = url;
    if (auto r = ParseResource(url, &why)) shown = r->ForLog();
    const ProbeOutcome probe = Probe(client, url, options, &found, &why);
    if (probe == ProbeOutcome::kFound) {
      const ProbeOutcome sum = FetchChecksum(client, url + ".sha256", options, &found.sha256, &why);
      if (sum == ProbeOutcome::kFound) {
        *archive = std::move(found);
        return true;
      }
      why = "its checksum " + shown + ".sha256: " + why;
      if (sum == ProbeOutcome::kFailed) {
        *error = "chainstate archive " + shown + ": " + why;
        return false;
      }
    } else if (probe == ProbeOutcome::kFailed) {
      *error = "chainstate archive " + shown + ": " + why;
      return false;
    }
    log("chainstate: " + shown + " is not available (" + why + ")");
    tried += (tried.empty() ? "" : "; ") + shown + ": " + why;
  }
  *error = "no chainstate archive found: " + tried;
  return false;
}

}  // namespace sr::chainstate
