// What a command needs from the outside world, passed in so tests can supply fakes.
#ifndef STACKS_RUNNER_CLI_CONTEXT_H_
#define STACKS_RUNNER_CLI_CONTEXT_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>

#include "aws/error.h"
#include "aws/session.h"
#include "http/http_client.h"
#include "util/clock.h"
#include "util/file_system.h"
#include "util/process.h"

namespace sr::cli {

struct Context {
  util::FileSystem* fs = nullptr;
  std::ostream* out = nullptr;  // results: plans, tables, JSON
  std::ostream* err = nullptr;  // diagnostics and progress
  std::map<std::string, std::string> environment;
  std::string dist_dir;  // where `make dist` puts the node binaries

  // For the commands that talk to AWS.
  util::Clock* clock = nullptr;
  util::ProcessRunner* processes = nullptr;
  // The HTTP client for AWS calls, made on first use (it needs the CA bundle and proxy settings);
  // fails with a message when, say, no CA bundle can be found.
  std::function<aws::AwsResult<http::HttpClient*>()> http;
  // The HTTP client for the instance metadata service (no proxy, no TLS).
  std::function<http::HttpClient*()> imds_http;
  std::function<double()> random;  // retry jitter
  // --profile of the AWS commands: the shared config profile, over AWS_PROFILE and the
  // environment's keys (as in the AWS CLI). Empty: the AWS CLI's rules.
  std::string aws_profile;
  bool terminal = false;  // stderr is a terminal: redraw progress in place
  // Asks a yes/no question on the terminal; false when there is no terminal to ask on.
  std::function<bool(const std::string& question)> confirm;
};

// What an AWS session needs from the context: its environment, file system, processes, clock,
// IMDS client and jitter, with `http` for the AWS calls and `profile` (--profile; empty: the
// AWS CLI's rules).
aws::SessionDeps SessionDepsOf(Context& ctx, http::HttpClient* http, std::string profile = "");

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_CONTEXT_H_
