// A NodeHost in memory for tests: files, users, devices, mounts, commands, downloads and AWS
// signals are recorded and can be arranged to fail.
#ifndef STACKS_RUNNER_TESTING_FAKE_HOST_H_
#define STACKS_RUNNER_TESTING_FAKE_HOST_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "node/host.h"

namespace sr::testing {

class FakeHost : public node::NodeHost {
 public:
  struct File {
    std::string content;
    int mode = 0644;
    std::string owner = "root";
    std::string group = "root";
  };
  struct Http {
    int status = 200;
    std::string body;
    std::string location;  // the URL after redirects; defaults to the one asked for
  };
  struct Signal {
    std::string stack, logical_id, unique_id;
    bool success;
  };

  std::map<std::string, File> files;
  std::set<std::string> directories;
  std::map<std::string, std::string> symlinks;  // link -> target
  std::set<std::string> users;
  std::vector<node::BlockDevice> devices;
  std::map<std::string, std::string> device_links;  // /dev/sdf -> /dev/nvme1n1
  std::map<std::string, node::Filesystem> filesystems;
  std::set<std::string> mounted;
  std::vector<std::vector<std::string>> commands;
  // Decides a command's result; by default every command succeeds.
  std::function<node::CommandResult(const std::vector<std::string>&)> on_command;
  std::string architecture = "x86_64";
  std::string cpu_flags = "fpu vme sse sse2 avx avx2 bmi2";
  std::map<std::string, Http> http;
  std::vector<std::string> http_requests;
  std::optional<std::string> instance_id = "i-0123456789abcdef0";
  std::vector<Signal> signals;
  std::vector<std::pair<std::string, bool>> lifecycle_actions;  // instance, proceed
  std::chrono::milliseconds slept{0};
  int mkfs_count = 0;

  bool Exists(const std::string& path) override {
    return files.count(path) || directories.count(path) || symlinks.count(path);
  }
  std::optional<std::string> ReadFile(const std::string& path) override {
    auto it = files.find(path);
    if (it == files.end()) return std::nullopt;
    return it->second.content;
  }
  node::Status WriteFile(const std::string& path, const std::string& content, int mode,
                         const std::string& owner, const std::string& group) override {
    files[path] = {content, mode, owner, group};
    return node::Status::Ok();
  }
  node::Status MakeDirectory(const std::string& path, int, const std::string&,
                             const std::string&) override {
    directories.insert(path);
    return node::Status::Ok();
  }
  node::Status Symlink(const std::string& target, const std::string& link) override {
    symlinks[link] = target;
    return node::Status::Ok();
  }
  node::Status AppendToFile(const std::string& path, std::string_view bytes) override {
    files[path].content.append(bytes);
    return node::Status::Ok();
  }
  node::Status RemoveFile(const std::string& path) override {
    files.erase(path);
    return node::Status::Ok();
  }
  bool UserExists(const std::string& name) override { return users.count(name) > 0; }
  node::Status CreateSystemUser(const std::string& name) override {
    users.insert(name);
    return node::Status::Ok();
  }
  std::vector<node::BlockDevice> BlockDevices() override { return devices; }
  std::optional<std::string> ResolveDevice(const std::string& path) override {
    auto it = device_links.find(path);
    if (it != device_links.end()) return it->second;
    for (const auto& d : devices) {
      if (d.path == path) return path;
    }
    return std::nullopt;
  }
  node::Filesystem ProbeFilesystem(const std::string& device) override {
    auto it = filesystems.find(device);
    return it == filesystems.end() ? node::Filesystem{} : it->second;
  }
  node::Status MakeFilesystem(const std::string& device, const std::string&) override {
    ++mkfs_count;
    filesystems[device] = {"xfs",
                           "5e2a0d1c-0000-4000-8000-" + std::to_string(mkfs_count) + "00000000000"};
    return node::Status::Ok();
  }
  bool IsMounted(const std::string& point) override { return mounted.count(point) > 0; }
  node::Status Mount(const std::string& point) override {
    mounted.insert(point);
    return node::Status::Ok();
  }
  node::CommandResult Run(const std::vector<std::string>& argv, std::chrono::seconds) override {
    commands.push_back(argv);
    if (on_command) return on_command(argv);
    return {0, ""};
  }
  std::string Architecture() override { return architecture; }
  std::string CpuFlags() override { return cpu_flags; }
  void Sleep(std::chrono::milliseconds d) override { slept += d; }
  HttpResult HttpGet(const std::string& url,
                     const std::function<bool(std::string_view)>& sink) override {
    http_requests.push_back(url);
    auto it = http.find(url);
    if (it == http.end()) return {404, "", url, ""};
    HttpResult r{it->second.status, "", it->second.location.empty() ? url : it->second.location,
                 ""};
    if (sink) {
      // In pieces, as a network would.
      const std::string& body = it->second.body;
      for (size_t i = 0; i < body.size(); i += 4096) {
        if (!sink(std::string_view(body).substr(i, 4096))) {
          r.error = "aborted";
          break;
        }
      }
    } else {
      r.body = it->second.body;
    }
    return r;
  }
  // PUTs as they were sent (url, body); answered 200, or `put_status` when set.
  std::vector<std::pair<std::string, std::string>> puts;
  int put_status = 200;
  HttpResult HttpPut(const std::string& url, const std::string& body) override {
    puts.emplace_back(url, body);
    return {put_status, "", url, ""};
  }
  std::optional<std::string> InstanceId() override { return instance_id; }
  node::Status SignalResource(const std::string& stack, const std::string& logical_id,
                              const std::string& unique_id, bool success) override {
    signals.push_back({stack, logical_id, unique_id, success});
    return node::Status::Ok();
  }
  node::Status CompleteLifecycleAction(const std::string&, const std::string&,
                                       const std::string& instance, bool proceed) override {
    lifecycle_actions.emplace_back(instance, proceed);
    return node::Status::Ok();
  }

  bool Ran(const std::vector<std::string>& argv) const {
    for (const auto& c : commands) {
      if (c == argv) return true;
    }
    return false;
  }
};

}  // namespace sr::testing

#endif  // STACKS_RUNNER_TESTING_FAKE_HOST_H_
