#include "chainstate/bootstrap_hook.h"

#include <pwd.h>
#include <unistd.h>

#include "http/beast_http_client.h"
#include "http/ca_bundle.h"
#include "http/proxy.h"
#include "node/layout.h"

namespace sr::chainstate {
namespace {

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

}  // namespace

std::string UnderRoot(const std::string& root, const std::string& path) {
  if (root.empty() || root == "/") return path;
  std::string r = root;
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return r + path;
}

bool MakeHttpClientFactory(const std::map<std::string, std::string>& environment,
                           std::function<std::unique_ptr<http::HttpClient>()>* factory,
                           std::string* error) {
  http::ClientOptions options;
  std::string bundle_error;
  // Without a bundle, https fails with a certificate error naming the cause; http still works.
  if (auto bundle = http::FindCaBundle(environment, http::DefaultCaBundlePaths(), &bundle_error)) {
    options.ca_bundle_file = *bundle;
  }
  auto proxy = http::ProxySettingsFromEnvironment(environment, error);
  if (!proxy) return false;
  options.proxy = *proxy;
  *factory = [options] { return std::make_unique<http::BeastHttpClient>(options); };
  return true;
}

bool FetchForNode(const config::Config& config, const std::string& installed_version,
                  const NodeFetchOptions& options, std::string* error, const Log& log,
                  FetchStats* stats) {
  FetchRequest request;
  request.network = config.network;
  request.stacks_version = installed_version.empty() ? config.stacks_version : installed_version;
  request.explicit_url = options.url.empty() ? config.chainstate_archive : options.url;
  request.destination = UnderRoot(options.root, node::paths::kNodeWorkingDir);
  request.marker_path = UnderRoot(options.root, node::paths::kChainstateReady);
  if (options.connections > 0) request.connections = options.connections;
  request.sync_before_marker = options.sync;
  if ((options.root.empty() || options.root == "/") && ::geteuid() == 0) {
    // The node runs as the stacks user and writes into its chainstate.
    if (const struct passwd* pw = ::getpwnam(node::paths::kNodeUser)) {
      request.uid = pw->pw_uid;
      request.gid = pw->pw_gid;
    }
  }
  if (options.adjust_request) options.adjust_request(request);

  Dependencies deps;
  deps.make_http_client = options.make_http_client;
  if (!deps.make_http_client &&
      !MakeHttpClientFactory(options.environment, &deps.make_http_client, error)) {
    return false;
  }
  deps.free_space = options.free_space;

  if (options.dry_run) {
    auto client = deps.make_http_client();
    DiscoveryOptions discovery;
    RemoteArchive archive;
    if (!DiscoverArchive(
            *client, CandidateUrls(*request.network, request.stacks_version, request.explicit_url),
            discovery, &archive, error, log)) {
      return false;
    }
    log("chainstate: dry run: would restore " + archive.location.ForLog() + " (" +
        FormatBytes(static_cast<double>(archive.size)) + ", sha256 " + archive.sha256 + ") into " +
        request.destination);
    return true;
  }

  ProgressFanOut progress;
  if (options.terminal) {
    progress.Add(std::make_unique<TerminalProgress>(*options.terminal));
  } else {
    progress.Add(std::make_unique<LogProgress>(log, std::chrono::seconds(30)));
  }
  progress.Add(std::make_unique<JsonProgressFile>(
      UnderRoot(options.root, node::paths::kChainstateProgress), std::chrono::seconds(2)));
  deps.progress = &progress;
  return FetchChainstate(request, deps, error, log, stats);
}

std::function<bool(node::NodeHost&, const config::Config&, std::string*, const Log&)>
MakeBootstrapHook(NodeFetchOptions options) {
  return [options = std::move(options)](node::NodeHost& host, const config::Config& config,
                                        std::string* error, const Log& log) {
    const std::string version = Trimmed(host.ReadFile(node::paths::kInstalledVersion).value_or(""));
    return FetchForNode(config, version, options, error, log);
  };
}

}  // namespace sr::chainstate
