#include <unistd.h>

#include <iostream>
#include <memory>
#include <random>

#include "cli/cli.h"
#include "config/load.h"
#include "http/beast_http_client.h"
#include "http/ca_bundle.h"
#include "http/proxy.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/name_services.h"
#include "util/process.h"

namespace {

// Asks on the terminal; without one (CI, pipes) nobody can answer and the answer is no.
bool ConfirmOnTerminal(const std::string& question) {
  if (!::isatty(STDIN_FILENO) || !::isatty(STDERR_FILENO)) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

int main(int argc, char** argv) {
  sr::util::PinNameServicesToBuiltins();  // static build only: see util/name_services.h
  sr::util::DiskFileSystem fs;
  sr::util::SystemClock clock;
  sr::util::SystemProcessRunner processes;
  std::mt19937_64 rng(std::random_device{}());
  std::uniform_real_distribution<double> uniform(0.0, 1.0);

  sr::cli::Context ctx;
  ctx.fs = &fs;
  ctx.out = &std::cout;
  ctx.err = &std::cerr;
  ctx.environment = sr::config::ProcessEnvironment();
  ctx.dist_dir = sr::cli::DefaultDistDir(ctx.environment);
  ctx.clock = &clock;
  ctx.processes = &processes;
  ctx.random = [&] { return uniform(rng); };
  ctx.terminal = ::isatty(STDERR_FILENO) != 0;
  ctx.confirm = ConfirmOnTerminal;

  std::unique_ptr<sr::http::BeastHttpClient> http;
  ctx.http = [&]() -> sr::aws::AwsResult<sr::http::HttpClient*> {
    if (http) return http.get();
    sr::http::ClientOptions options;
    std::string error;
    auto bundle = sr::http::FindCaBundle(ctx.environment, sr::http::DefaultCaBundlePaths(), &error);
    if (!bundle) return sr::aws::MakeError(sr::aws::AwsError::Kind::kConfig, "NoCaBundle", error);
    options.ca_bundle_file = *bundle;
    auto proxy = sr::http::ProxySettingsFromEnvironment(ctx.environment, &error);
    if (!proxy) return sr::aws::MakeError(sr::aws::AwsError::Kind::kConfig, "InvalidProxy", error);
    options.proxy = *proxy;
    http = std::make_unique<sr::http::BeastHttpClient>(options);
    return http.get();
  };
  std::unique_ptr<sr::http::BeastHttpClient> imds_http;
  ctx.imds_http = [&]() -> sr::http::HttpClient* {
    if (!imds_http) {
      sr::http::ClientOptions options;
      options.connect_timeout = std::chrono::seconds(1);
      imds_http = std::make_unique<sr::http::BeastHttpClient>(options);
    }
    return imds_http.get();
  };
  return sr::cli::Run(ctx, argc, argv);
}
