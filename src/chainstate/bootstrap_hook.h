// fetch-chainstate for a node: the request built from the node's settings and paths (under a
// root directory, as `node bootstrap --root` does), the real HTTP clients, statvfs and the
// progress sinks (a bar on a terminal, log lines, the JSON file for the agent); and the hook
// that `node bootstrap` calls for its chainstate step.
#ifndef STACKS_RUNNER_CHAINSTATE_BOOTSTRAP_HOOK_H_
#define STACKS_RUNNER_CHAINSTATE_BOOTSTRAP_HOOK_H_

#include <functional>
#include <map>
#include <memory>
#include <ostream>
#include <string>

#include "chainstate/fetch.h"
#include "config/config.h"
#include "http/http_client.h"
#include "node/host.h"

namespace sr::chainstate {

struct NodeFetchOptions {
  std::string root = "/";  // every path below is taken under it
  // The process environment: AWS_CA_BUNDLE, HTTPS_PROXY / HTTP_PROXY / NO_PROXY.
  std::map<std::string, std::string> environment;
  std::string url;      // tried first; default: the configuration's STACKS_CHAINSTATE_ARCHIVE
  int connections = 0;  // 0: kDefaultConnections
  std::ostream* terminal = nullptr;  // when set, a progress bar is drawn there
  // Nothing is downloaded: the archive is looked up and what would happen is logged.
  bool dry_run = false;
  bool sync = true;  // FetchRequest::sync_before_marker
  // Tests: other HTTP clients, a fake disk, smaller ranges.
  std::function<std::unique_ptr<http::HttpClient>()> make_http_client;
  FreeSpaceProbe* free_space = nullptr;
  std::function<void(FetchRequest&)> adjust_request;
};

// `path` (absolute) under `root`.
std::string UnderRoot(const std::string& root, const std::string& path);

// HTTP clients for the restore: BeastHttpClient with the CA bundle and proxy settings of
// `environment`; false with `error` for an unusable proxy setting.
bool MakeHttpClientFactory(const std::map<std::string, std::string>& environment,
                           std::function<std::unique_ptr<http::HttpClient>()>* factory,
                           std::string* error);

// Restores the chainstate of the node `config` describes into <root>/var/lib/stacks/node,
// writing <root>/var/lib/stacks/node/.stacks-runner-chainstate-ready once verified. The archive
// names use `installed_version` (the release bootstrap installed) or, when empty, the
// configuration's STACKS_VERSION. Run as root with root "/", the tree is given to the stacks
// user.
bool FetchForNode(const config::Config& config, const std::string& installed_version,
                  const NodeFetchOptions& options, std::string* error, const Log& log,
                  FetchStats* stats = nullptr);

// For node::BootstrapHooks::fetch_chainstate: reads the installed version through the host.
std::function<bool(node::NodeHost&, const config::Config&, std::string*, const Log&)>
MakeBootstrapHook(NodeFetchOptions options);

}  // namespace sr::chainstate

#endif  // STACKS_RUNNER_CHAINSTATE_BOOTSTRAP_HOOK_H_
