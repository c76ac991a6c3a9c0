// For the tests of src/http only (header-only, so that it stays out of the core library): the
// Python helper servers of tests/http/ as child processes that die with the test, and a
// throwaway PKI made with the openssl command in a temporary directory.
#ifndef STACKS_RUNNER_HTTP_TEST_SERVERS_H_
#define STACKS_RUNNER_HTTP_TEST_SERVERS_H_

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

extern char** environ;

namespace sr::http::testing {

// A temporary directory, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "stacks-runner-http-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return (path_ / name).string(); }
  std::string Write(const std::string& name, const std::string& content) const {
    std::ofstream(path_ / name, std::ios::binary) << content;
    return File(name);
  }

 private:
  std::filesystem::path path_;
};

// `python3 tests/http/<script> <args>`, listening on 127.0.0.1:port(). The child exits when
// its standard input closes and is killed and reaped by the destructor.
class HelperServer {
 public:
  HelperServer(const std::string& script, const std::vector<std::string>& args = {}) {
    std::vector<std::string> argv = {
        "python3", std::string(STACKS_RUNNER_SOURCE_DIR) + "/tests/http/" + script};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> c_argv;
    for (std::string& a : argv) c_argv.push_back(a.data());
    c_argv.push_back(nullptr);

    int in[2], out[2];
    if (::pipe2(in, O_CLOEXEC) != 0 || ::pipe2(out, O_CLOEXEC) != 0) {
      throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], 0);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    const int rc = ::posix_spawnp(&pid_, "python3", &actions, nullptr, c_argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(in[0]);
    ::close(out[1]);
    stdin_ = in[1];
    stdout_ = out[0];
    if (rc != 0) {
      pid_ = -1;
      throw std::runtime_error("cannot start python3");
    }
    port_ = ReadPort();
  }
  ~HelperServer() {
    ::close(stdin_);
    ::close(stdout_);
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  HelperServer(const HelperServer&) = delete;
  HelperServer& operator=(const HelperServer&) = delete;

  int port() const { return port_; }

 private:
  // The "PORT <n>" line, waited for at most 10 s.
  int ReadPort() {
    std::string line;
    while (line.find('\n') == std::string::npos) {
      pollfd pfd{stdout_, POLLIN, 0};
      char buf[64];
      if (::poll(&pfd, 1, 10000) <= 0) break;
      const ssize_t n = ::read(stdout_, buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    if (line.rfind("PORT ", 0) != 0) throw std::runtime_error("helper server did not start");
    return std::stoi(line.substr(5));
  }

  pid_t pid_ = -1;
  int stdin_ = -1;
  int stdout_ = -1;
  int port_ = 0;
};

// A test CA and certificates, made with the openssl command (EC P-256 keys: quick).
//   ca.pem             the test CA
//   server.pem/.key    signed by it for localhost, sr-test.invalid and 127.0.0.1
//   other.pem/.key     signed by it for other.invalid only (host name mismatch)
//   unrelated-ca.pem   another CA, which signed nothing used here
class TestPki {
 public:
  TestPki() {
    MakeCa("ca", "stacks-runner test CA");
    MakeCa("unrelated-ca", "unrelated test CA");
    MakeLeaf("server", "DNS:localhost,DNS:sr-test.invalid,IP:127.0.0.1");
    MakeLeaf("other", "DNS:other.invalid");
  }
  std::string File(const std::string& name) const { return dir_.File(name); }

 private:
  void Run(const std::string& command) const {
    const std::string full = command + " >" + dir_.File("openssl.log") + " 2>&1";
    if (std::system(full.c_str()) != 0) {
      std::ifstream log(dir_.File("openssl.log"));
      throw std::runtime_error("openssl failed: " + command + "\n" +
                               std::string(std::istreambuf_iterator<char>(log), {}));
    }
  }
  void MakeCa(const std::string& name, const std::string& cn) const {
    const std::string config = dir_.Write(name + ".cnf",
                                          "[req]\ndistinguished_name = dn\nprompt = no\n"
                                          "x509_extensions = ext\n[dn]\nCN = " +
                                              cn +
                                              "\n[ext]\nbasicConstraints = critical,CA:TRUE\n"
                                              "keyUsage = critical,keyCertSign,cRLSign\n"
                                              "subjectKeyIdentifier = hash\n");
    Run("openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2"
        " -config " +
        config + " -keyout " + File(name + ".key") + " -out " + File(name + ".pem"));
  }
  void MakeLeaf(const std::string& name, const std::string& alt_names) {
    const std::string config = dir_.Write(
        name + ".cnf",
        "[req]\ndistinguished_name = dn\nprompt = no\n[dn]\nCN = " + name +
            "\n[ext]\nbasicConstraints = CA:FALSE\nkeyUsage = critical,digitalSignature\n"
            "extendedKeyUsage = serverAuth\nsubjectAltName = " +
            alt_names + "\n");
    Run("openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -config " +
        config + " -keyout " + File(name + ".key") + " -out " + File(name + ".csr"));
    Run("openssl x509 -req -days 2 -set_serial " + std::to_string(++serial_) + " -in " +
        File(name + ".csr") + " -CA " + File("ca.pem") + " -CAkey " + File("ca.key") +
        " -extfile " + config + " -extensions ext -out " + File(name + ".pem"));
  }

  TempDir dir_;
  int serial_ = 1000;
};

}  // namespace sr::http::testing

#endif  // STACKS_RUNNER_HTTP_TEST_SERVERS_H_
