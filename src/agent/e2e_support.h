// For the agent's end-to-end tests only (header-only, so it stays out of the core library): the
// fake node of tests/agent/fake_node.py as a child process, the stacks-runner binary running
// `node agent` as another, and small HTTP helpers, all on 127.0.0.1.
#ifndef STACKS_RUNNER_AGENT_E2E_SUPPORT_H_
#define STACKS_RUNNER_AGENT_E2E_SUPPORT_H_

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "http/beast_http_client.h"

namespace sr::agent::e2e {

using Json = nlohmann::json;
using namespace std::chrono_literals;

struct Reply {
  int status = 0;  // 0: no answer
  std::string body;
  Json json() const { return Json::parse(body, nullptr, false); }
};

inline Reply HttpCall(int port, const std::string& method, const std::string& path,
                      const Json& body = nullptr) {
  http::BeastHttpClient client({});
  std::string error;
  const auto url = http::ParseUrl("http://127.0.0.1:" + std::to_string(port), &error);
  if (!url || port == 0) return {};
  aws::HttpRequest r;
  r.method = method;
  r.path = path;
  if (!body.is_null()) {
    r.body = body.dump();
    r.headers = {{"Content-Type", "application/json"}};
  }
  http::RequestOptions options;
  options.timeout = 5s;
  auto sent = client.Send(*url, r, options);
  Reply reply;
  if (auto* response = std::get_if<http::HttpResponse>(&sent)) {
    reply.status = response->status;
    reply.body = response->body;
  }
  return reply;
}

// Polls `condition` every 50 ms until it holds or `limit` passes.
template <typename F>
bool WaitFor(F condition, std::chrono::milliseconds limit) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (condition()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return condition();
}

// tests/agent/fake_node.py: the node, a reference node, bitcoind and a signer.
class FakeNode {
 public:
  FakeNode() {
    int out[2], in[2];
    if (::pipe(out) != 0 || ::pipe(in) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::dup2(in[0], 0);
      ::close(out[0]);
      ::close(out[1]);
      ::close(in[0]);
      ::close(in[1]);
      const std::string script =
          std::string(STACKS_RUNNER_SOURCE_DIR) + "/tests/agent/fake_node.py";
      ::execl("/usr/bin/python3", "python3", script.c_str(), "--exit-with-parent", nullptr);
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(in[0]);
    stdin_ = in[1];
    FILE* f = ::fdopen(out[0], "r");
    char line[256];
    while (std::fgets(line, sizeof line, f) != nullptr) {
      std::string l(line);
      if (l.rfind("READY", 0) == 0) break;
      const size_t space = l.find(' ');
      if (space != std::string::npos) ports_[l.substr(0, space)] = std::stoi(l.substr(space + 1));
    }
    std::fclose(f);
    if (!ports_.count("CONTROL_PORT")) ADD_FAILURE() << "tests/agent/fake_node.py did not start";
  }
  ~FakeNode() {
    ::close(stdin_);
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  FakeNode(const FakeNode&) = delete;
  FakeNode& operator=(const FakeNode&) = delete;

  int port(const std::string& name) const {
    auto it = ports_.find(name + "_PORT");
    return it == ports_.end() ? 0 : it->second;
  }
  void Set(const Json& state) {
    EXPECT_EQ(HttpCall(port("CONTROL"), "POST", "/state", state).status, 200);
  }
  void Freeze(bool freeze) {
    EXPECT_EQ(HttpCall(port("CONTROL"), "POST", "/freeze", Json{{"freeze", freeze}}).status, 200);
  }
  Json State() { return HttpCall(port("CONTROL"), "GET", "/state").json(); }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  std::map<std::string, int> ports_;
};

// The stacks-runner binary running `node agent`, its output in a file of `dir`.
class AgentProcess {
 public:
  AgentProcess(const std::filesystem::path& dir, const std::vector<std::string>& args,
               const std::map<std::string, std::string>& env) {
    log_ = dir / ("agent-" + std::to_string(++count_) + ".log");
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      const int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, 0);
      std::vector<std::string> argv = {STACKS_RUNNER_BINARY, "node", "agent"};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<std::string> envv = {
          "PATH=/usr/bin:/bin", "HOME=" + dir.string(),
          "AWS_CONFIG_FILE=" + (dir / "no-aws-config").string(),
          "AWS_SHARED_CREDENTIALS_FILE=" + (dir / "no-aws-credentials").string()};
      for (const auto& [k, v] : env) envv.push_back(k + "=" + v);
      std::vector<char*> c_argv, c_env;
      for (auto& a : argv) c_argv.push_back(a.data());
      c_argv.push_back(nullptr);
      for (auto& e : envv) c_env.push_back(e.data());
      c_env.push_back(nullptr);
      ::execve(c_argv[0], c_argv.data(), c_env.data());
      ::_exit(127);
    }
    // The port it listens on, from its first log line.
    WaitFor(
        [&] {
          const std::string text = Log();
          const size_t at = text.find("on 127.0.0.1:");
          if (at == std::string::npos) return false;
          port_ = std::stoi(text.substr(at + 13));
          return port_ > 0;
        },
        10s);
    if (port_ == 0) ADD_FAILURE() << "the agent did not start:\n" << Log();
  }
  ~AgentProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  AgentProcess(const AgentProcess&) = delete;
  AgentProcess& operator=(const AgentProcess&) = delete;

  int port() const { return port_; }
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  Reply Get(const std::string& path) const { return HttpCall(port_, "GET", path); }
  Json Status() const { return Get("/status").json(); }
  std::string State() const {
    const Json s = Status();
    return s.is_object() ? s.value("state", "") : "";
  }

  // SIGTERM, then the exit status (-1: still running after `limit`, then killed).
  int Terminate(std::chrono::milliseconds limit, rusage* usage = nullptr) {
    ::kill(pid_, SIGTERM);
    const auto end = std::chrono::steady_clock::now() + limit;
    int status = 0;
    rusage ru{};
    while (std::chrono::steady_clock::now() < end) {
      const pid_t r = ::wait4(pid_, &status, WNOHANG, &ru);
      if (r == pid_) {
        pid_ = -1;
        if (usage != nullptr) *usage = ru;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

 private:
  static inline int count_ = 0;
  std::filesystem::path log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "stacks-runner-agent-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name) << content;
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace sr::agent::e2e

#endif  // STACKS_RUNNER_AGENT_E2E_SUPPORT_H_
