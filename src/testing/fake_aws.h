// The fake AWS endpoints of tests/fakeaws, started for a test on 127.0.0.1, and the stacks-runner
// binary run against them as a whole process.
#ifndef STACKS_RUNNER_TESTING_FAKE_AWS_H_
#define STACKS_RUNNER_TESTING_FAKE_AWS_H_

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/beast_http_client.h"

namespace sr::testing {

inline constexpr char kFakeAccessKey[] = "AKIDEXAMPLE";
inline constexpr char kFakeSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

class FakeAws {
 public:
  // Starts tests/fakeaws/server.py with `args`; fails the test when it does not come up.
  explicit FakeAws(const std::vector<std::string>& args = {}) {
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::close(fds[0]);
      ::close(fds[1]);
      std::vector<std::string> argv = {
          "/usr/bin/python3", std::string(STACKS_RUNNER_SOURCE_DIR) + "/tests/fakeaws/server.py",
          "--port", "0", "--exit-with-parent"};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> c;
      for (auto& a : argv) c.push_back(a.data());
      c.push_back(nullptr);
      ::execv(c[0], c.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    FILE* out = ::fdopen(fds[0], "r");
    char line[256];
    while (std::fgets(line, sizeof line, out) != nullptr) {
      const std::string l(line);
      if (l.rfind("IMDS_PORT ", 0) == 0) imds_port_ = std::stoi(l.substr(10));
      if (l.rfind("PORT ", 0) == 0) {
        port_ = std::stoi(l.substr(5));
        break;
      }
    }
    std::fclose(out);
    if (port_ == 0) {
      ADD_FAILURE() << "the fake AWS server did not start (python3-botocore installed?)";
    }
  }
  ~FakeAws() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  FakeAws(const FakeAws&) = delete;
  FakeAws& operator=(const FakeAws&) = delete;

  int port() const { return port_; }
  int imds_port() const { return imds_port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // A call to the control API (/__fake/...); returns the JSON answer.
  nlohmann::json Control(const std::string& method, const std::string& path,
                         const nlohmann::json& body = nullptr, int port = 0) {
    http::BeastHttpClient client({});
    std::string error;
    const auto endpoint =
        http::ParseUrl("http://127.0.0.1:" + std::to_string(port ? port : port_), &error);
    aws::HttpRequest r;
    r.method = method;
    r.path = path;
    if (!body.is_null()) {
      r.body = body.dump();
      r.headers = {{"Content-Type", "application/json"}};
    }
    auto sent = client.Send(*endpoint, r, {});
    auto* response = std::get_if<http::HttpResponse>(&sent);
    if (response == nullptr) {
      ADD_FAILURE() << "control call " << path << " failed";
      return nullptr;
    }
    return nlohmann::json::parse(response->body, nullptr, false);
  }
  nlohmann::json Requests() { return Control("GET", "/__fake/requests"); }
  void Fault(const std::string& service, const std::string& operation, const std::string& kind,
             int count) {
    Control("POST", "/__fake/faults",
            {{"service", service}, {"operation", operation}, {"kind", kind}, {"count", count}});
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int imds_port_ = 0;
};

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the stacks-runner binary in `dir` with only the given environment (plus PATH).
inline CliResult RunCli(const std::filesystem::path& dir, const std::string& args,
                        const std::map<std::string, std::string>& env) {
  std::string command = "cd '" + dir.string() + "' && env -i PATH=/usr/bin:/bin";
  for (const auto& [k, v] : env) command += " '" + k + "=" + v + "'";
  command +=
      " '" + std::string(STACKS_RUNNER_BINARY) + "' " + args + " </dev/null >out.txt 2>err.txt";
  const int status = std::system(command.c_str());
  auto slurp = [&](const char* name) {
    std::ifstream in(dir / name);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  };
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp("out.txt");
  r.err = slurp("err.txt");
  return r;
}

}  // namespace sr::testing

#endif  // STACKS_RUNNER_TESTING_FAKE_AWS_H_
