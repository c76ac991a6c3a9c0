#include "cli/agent_command.h"

#include <pthread.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>

#include "agent/agent.h"
#include "agent/aws_gateway.h"
#include "aws/session.h"
#include "cli/exit_codes.h"
#include "config/load.h"
#include "config/ports.h"
#include "http/beast_http_client.h"
#include "http/ca_bundle.h"
#include "http/proxy.h"
#include "node/layout.h"
#include "node/stacks_configs.h"

namespace sr::cli {
namespace {

using std::chrono::milliseconds;

milliseconds Ms(double seconds) {
  return milliseconds(static_cast<long>(std::llround(seconds * 1000.0)));
}

std::optional<http::Url> Url(const std::string& text, const char* what, std::ostream& err) {
  std::string error;
  auto url = http::ParseUrl(text, &error);
  if (!url) err << "node agent: " << what << " \"" << text << "\": " << error << "\n";
  return url;
}

// "ADDRESS:PORT", "[IPV6]:PORT"; false when malformed.
bool ParseListen(const std::string& text, std::string* address, uint16_t* port) {
  const size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon + 1 >= text.size()) return false;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  if (host.empty()) host = "0.0.0.0";
  int value = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || value > 65535) return false;
    value = value * 10 + (c - '0');
  }
  if (value > 65535) return false;
  *address = host;
  *port = static_cast<uint16_t>(value);
  return true;
}

milliseconds SinceBoot() {
  timespec ts{};
  ::clock_gettime(CLOCK_BOOTTIME, &ts);
  return std::chrono::duration_cast<milliseconds>(std::chrono::seconds(ts.tv_sec) +
                                                  std::chrono::nanoseconds(ts.tv_nsec));
}

}  // namespace

int RunNodeAgent(Context& ctx, const NodeAgentOptions& o) {
  std::ostream& err = *ctx.err;
  if (o.asg.empty() != o.lifecycle_hook.empty()) {
    err << "node agent: give both --asg and --lifecycle-hook (an HA group), or neither\n";
    return kExitInvalidInput;
  }
  if (o.max_sync_from != "boot" && o.max_sync_from != "start") {
    err << "node agent: --max-sync-from accepts boot or start\n";
    return kExitInvalidInput;
  }
  agent::AgentOptions options;
  if (!ParseListen(o.listen, &options.listen_address, &options.listen_port)) {
    err << "node agent: --listen \"" << o.listen
        << "\": accepted: ADDRESS:PORT such as 0.0.0.0:" << config::kAgentPort << "\n";
    return kExitInvalidInput;
  }

  // The node's settings, read as bootstrap reads them (the environment does not override them).
  std::string error;
  auto text = ctx.fs->ReadFile(o.settings, &error);
  if (!text) {
    err << "node agent: cannot read the node settings: " << error << "\n";
    return kExitInvalidInput;
  }
  config::LoadResult loaded = config::LoadConfig({o.settings, *text, {}});
  for (const auto& d : loaded.diagnostics) {
    if (d.severity == config::Severity::kError) err << config::FormatDiagnostic(d) << "\n";
  }
  if (!loaded.config) return kExitInvalidInput;
  const config::Config& c = *loaded.config;

  // What to observe.
  agent::ObserverTargets& t = options.targets;
  auto node =
      Url(o.node_url.empty() ? "http://127.0.0.1:" + std::to_string(c.rpc_port) : o.node_url,
          "--node-url", err);
  if (!node) return kExitInvalidInput;
  t.node = *node;
  const std::string reference = o.reference.empty() ? c.monitoring.reference_node : o.reference;
  if (!reference.empty() && reference != "off") {
    auto url = Url(reference, "the reference node", err);
    if (!url) return kExitInvalidInput;
    t.reference = *url;
  }
  options.signer = node::HasSigner(c);
  if (options.signer) {
    auto url =
        Url(o.signer_url.empty() ? "http://127.0.0.1:" + std::to_string(config::kSignerMetricsPort)
                                 : o.signer_url,
            "--signer-url", err);
    if (!url) return kExitInvalidInput;
    t.signer = *url;
  }
  std::string password = c.bitcoin.rpc_password;  // the public bitcoind's published one, if any
  if (!o.bitcoin_password_file.empty()) {
    std::string read_error;
    auto secret = ctx.fs->ReadFile(o.bitcoin_password_file, &read_error);
    if (!secret) {
      err << "node agent: cannot read the bitcoind password file " << o.bitcoin_password_file
          << "; bitcoind's tip is not observed\n";
      password.clear();
    } else {
      password = *secret;
      while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) {
        password.pop_back();
      }
    }
  }
  if (!c.bitcoin.rpc_username.empty() && !password.empty()) {
    auto url = Url(o.bitcoin_rpc_url.empty()
                       ? "http://" + c.bitcoin.host + ":" + std::to_string(c.bitcoin.rpc_port)
                       : o.bitcoin_rpc_url,
                   "the bitcoind RPC URL", err);
    if (!url) return kExitInvalidInput;
    t.bitcoin = agent::BitcoinRpc{*url, c.bitcoin.rpc_username, password};
  }
  t.data_path = o.data_path;
  t.chainstate_progress_path = node::paths::kChainstateProgress;

  options.interval = Ms(o.interval_sec > 0 ? o.interval_sec
                                           : static_cast<double>(c.monitoring.agent_interval_sec));
  t.timeout = o.request_timeout_sec > 0
                  ? Ms(o.request_timeout_sec)
                  : std::min<milliseconds>(std::chrono::seconds(5), options.interval / 5);
  options.sync.tolerance_blocks = c.monitoring.sync_tolerance_blocks;
  options.sync.stall_after = o.stall_sec > 0
                                 ? Ms(o.stall_sec)
                                 : milliseconds(std::chrono::minutes(c.monitoring.stall_min));
  options.buffer_capacity = static_cast<size_t>(std::max(100, o.buffer_capacity));

  agent::AwsWorkerOptions& aws_options = options.aws;
  aws_options.publish = !o.no_cloudwatch;
  aws_options.publish_interval = Ms(o.publish_interval_sec > 0 ? o.publish_interval_sec : 60);
  aws_options.instance_id = o.instance_id;
  aws_options.asg = o.asg;
  aws_options.lifecycle_hook = o.lifecycle_hook;
  aws_options.lifecycle.heartbeat_timeout =
      o.lifecycle_heartbeat_timeout_sec > 0
          ? Ms(o.lifecycle_heartbeat_timeout_sec)
          : milliseconds(std::chrono::minutes(c.ha.lifecycle_heartbeat_min));
  aws_options.lifecycle.max_sync = o.max_sync_sec > 0
                                       ? Ms(o.max_sync_sec)
                                       : milliseconds(std::chrono::minutes(c.ha.max_sync_min));
  const auto started = std::chrono::steady_clock::now();
  if (o.max_sync_from == "boot") {
    aws_options.since_launch = SinceBoot;
  } else {
    aws_options.since_launch = [started] {
      return std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    };
  }
  // Retries within one interval of a fault ending. A call may take longer than an interval: it
  // holds up only the AWS thread.
  aws_options.backoff_base = std::min<milliseconds>(std::chrono::seconds(1), options.interval / 4);
  aws_options.backoff_cap = options.interval;
  aws_options.call_timeout = std::chrono::seconds(10);

  // The observer's own HTTP client (the reference node is https).
  http::ClientOptions observer_client;
  observer_client.connect_timeout = t.timeout;
  // Connections to the node and the reference outlive an interval: no TCP or TLS handshake per
  // cycle (a connection the server closed meanwhile is opened again transparently).
  observer_client.max_idle = 2 * options.interval + std::chrono::seconds(10);
  if (auto bundle = http::FindCaBundle(ctx.environment, http::DefaultCaBundlePaths(), &error)) {
    observer_client.ca_bundle_file = *bundle;
  }
  if (auto proxy = http::ProxySettingsFromEnvironment(ctx.environment, &error)) {
    observer_client.proxy = *proxy;
  }
  http::BeastHttpClient observer_http(observer_client);

  std::mutex log_mu;
  auto log = [&](const std::string& line) {
    std::lock_guard<std::mutex> lock(log_mu);
    err << util::FormatIso8601(ctx.clock->Now()) << " " << line << "\n";
    err.flush();
  };

  std::unique_ptr<agent::SessionGateway> gateway;
  if (aws_options.publish || !o.asg.empty()) {
    auto aws_http = ctx.http();
    if (!aws_http) {
      err << "node agent: " << aws_http.error().message << "\n";
      return kExitFailure;
    }
    gateway = std::make_unique<agent::SessionGateway>(SessionDepsOf(ctx, *aws_http), c.region,
                                                      aws_options.call_timeout);
  }

  // SIGTERM and SIGINT are taken by a thread of their own (blocked everywhere else, threads
  // inherit the mask); a closed connection must not kill the agent with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigset_t previous;
  ::pthread_sigmask(SIG_BLOCK, &signals, &previous);

  agent::AgentDeps deps;
  deps.observer_http = &observer_http;
  deps.gateway = gateway.get();
  deps.wall_clock = ctx.clock;
  deps.log = log;
  deps.random = ctx.random;
  int exit_code = kExitOk;
  {
    agent::Agent agent(options, deps);
    if (!agent.Start(&error)) {
      err << "node agent: " << error << "\n";
      exit_code = kExitFailure;
    } else {
      log("agent: serving /health, /status and /metrics on " + options.listen_address + ":" +
          std::to_string(agent.port()) + "; observing " + t.node.ToString() + " every " +
          std::to_string(options.interval.count()) + " ms" +
          (t.reference ? ", reference " + t.reference->ToString() : ", no reference node") +
          (t.bitcoin ? ", bitcoind " + t.bitcoin->url.ToString() : "") +
          (aws_options.publish ? "" : "; CloudWatch off") +
          (o.asg.empty() ? "" : "; launch hook " + o.lifecycle_hook + " of " + o.asg));
      std::atomic<bool> signalled{false};
      std::thread waiter([&agent, &signals, &log, &signalled] {
        int sig = 0;
        if (::sigwait(&signals, &sig) == 0) {
          signalled = true;
          log(std::string("agent: ") + (sig == SIGTERM ? "SIGTERM" : "SIGINT") + " received");
        }
        agent.Stop();
      });
      agent.Run();
      if (!signalled) ::pthread_kill(waiter.native_handle(), SIGTERM);  // ends the wait
      waiter.join();
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return exit_code;
}

}  // namespace sr::cli
