#include "node/linux_host.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "aws/autoscaling.h"
#include "aws/cloudformation.h"

namespace sr::node {
namespace fs = std::filesystem;

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t b = 0;
  while (b < s.size() && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  return s.substr(b);
}

std::optional<std::string> Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Status Errno(const std::string& what, const std::string& path) {
  return Status::Error(what + " " + path + ": " + std::strerror(errno));
}

std::string Join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a;
  return out;
}

}  // namespace

LinuxHost::LinuxHost(LinuxHostOptions options) : options_(std::move(options)) {
  if (options_.root.empty()) options_.root = "/";
  while (options_.root.size() > 1 && options_.root.back() == '/') options_.root.pop_back();
}

std::string LinuxHost::Real(const std::string& path) const {
  return options_.root == "/" ? path : options_.root + path;
}

void LinuxHost::DryRunLog(const std::string& what) {
  if (options_.log) options_.log("dry run: " + what);
}

Status LinuxHost::Own(const std::string& path, int mode, const std::string& owner,
                      const std::string& group) {
  const std::string real = Real(path);
  if (::chmod(real.c_str(), static_cast<mode_t>(mode)) != 0) return Errno("cannot chmod", real);
  // Ownership is the system's business: a dry run or a foreign root records the modes only.
  if (options_.dry_run || options_.root != "/") return Status::Ok();
  const passwd* pw = ::getpwnam(owner.c_str());
  const struct group* gr = ::getgrnam(group.c_str());
  if (pw == nullptr || gr == nullptr) {
    return Status::Error("cannot give " + path + " to " + owner + ":" + group +
                         ": no such user or group");
  }
  if (::chown(real.c_str(), pw->pw_uid, gr->gr_gid) != 0) return Errno("cannot chown", real);
  return Status::Ok();
}

bool LinuxHost::Exists(const std::string& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(Real(path), ec));
}

std::optional<std::string> LinuxHost::ReadFile(const std::string& path) {
  return Slurp(Real(path));
}

Status LinuxHost::WriteFile(const std::string& path, const std::string& content, int mode,
                            const std::string& owner, const std::string& group) {
  const fs::path real = Real(path);
  std::error_code ec;
  fs::create_directories(real.parent_path(), ec);
  if (ec)
    return Status::Error("cannot create " + real.parent_path().string() + ": " + ec.message());
  const std::string tmp = real.string() + ".stacks-runner-tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Errno("cannot write", tmp);
  size_t done = 0;
  while (done < content.size()) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      ::unlink(tmp.c_str());
      return Errno("cannot write", tmp);
    }
    done += static_cast<size_t>(n);
  }
  // Configuration and binaries must survive a crash right after bootstrap wrote them.
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(tmp.c_str());
    return Errno("cannot write", tmp);
  }
  if (::rename(tmp.c_str(), real.c_str()) != 0) return Errno("cannot replace", real.string());
  return Own(path, mode, owner, group);
}

Status LinuxHost::MakeDirectory(const std::string& path, int mode, const std::string& owner,
                                const std::string& group) {
  std::error_code ec;
  fs::create_directories(Real(path), ec);
  if (ec) return Status::Error("cannot create " + Real(path) + ": " + ec.message());
  return Own(path, mode, owner, group);
}

Status LinuxHost::Symlink(const std::string& target, const std::string& link) {
  const std::string real = Real(link);
  const std::string tmp = real + ".stacks-runner-tmp";
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) return Errno("cannot link", tmp);
  if (::rename(tmp.c_str(), real.c_str()) != 0) return Errno("cannot replace", real);
  return Status::Ok();
}

Status LinuxHost::AppendToFile(const std::string& path, std::string_view bytes) {
  const std::string real = Real(path);
  const int fd = ::open(real.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Errno("cannot append to", real);
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return Errno("cannot append to", real);
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  return Status::Ok();
}

Status LinuxHost::RemoveFile(const std::string& path) {
  const std::string real = Real(path);
  if (::unlink(real.c_str()) != 0 && errno != ENOENT) return Errno("cannot remove", real);
  return Status::Ok();
}

bool LinuxHost::UserExists(const std::string& name) {
  if (!options_.dry_run && options_.root == "/") return ::getpwnam(name.c_str()) != nullptr;
  std::istringstream passwd(ReadFile("/etc/passwd").value_or(""));
  for (std::string line; std::getline(passwd, line);) {
    if (line.rfind(name + ":", 0) == 0) return true;
  }
  return false;
}

Status LinuxHost::CreateSystemUser(const std::string& name) {
  if (options_.dry_run || options_.root != "/") {
    DryRunLog("useradd --system " + name);
    const std::string line = name + ":x:990:990:" + name + ":/nonexistent:/sbin/nologin\n";
    if (!Exists("/etc/passwd")) return WriteFile("/etc/passwd", line, 0644, "root", "root");
    return AppendToFile("/etc/passwd", line);
  }
  // A system user with its own group; no home, no login shell, in no other group (no sudo).
  const CommandResult r = Run({"useradd", "--system", "--user-group", "--no-create-home",
                               "--home-dir", "/nonexistent", "--shell", "/sbin/nologin", name},
                              std::chrono::seconds(60));
  if (r.exit_code != 0) return Status::Error("useradd " + name + " failed: " + Trim(r.output));
  return Status::Ok();
}

std::vector<BlockDevice> LinuxHost::BlockDevices() {
  std::vector<BlockDevice> devices;
  // The disk that holds "/": from /proc/mounts on the instance, recorded in a dry run.
  std::string root_disk;
  if (options_.dry_run || options_.root != "/") {
    root_disk = Trim(ReadFile("/.dry-run/root-device").value_or(""));
  } else if (auto mounts = Slurp("/proc/mounts")) {
    std::istringstream in(*mounts);
    for (std::string source, point, rest; in >> source >> point && std::getline(in, rest);) {
      if (point != "/") continue;
      std::error_code ec;
      root_disk = fs::canonical(source, ec).string();
    }
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(Real("/sys/block"), ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("loop", 0) == 0 || name.rfind("ram", 0) == 0 || name.rfind("zram", 0) == 0) {
      continue;
    }
    BlockDevice d;
    d.path = "/dev/" + name;
    d.model = Trim(Slurp(entry.path() / "device/model").value_or(""));
    d.serial = Trim(Slurp(entry.path() / "device/serial").value_or(""));
    d.size_bytes =
        std::strtoull(Slurp(entry.path() / "size").value_or("0").c_str(), nullptr, 10) * 512;
    for (const auto& child : fs::directory_iterator(entry.path(), ec)) {
      const std::string part = child.path().filename().string();
      if (part.rfind(name, 0) == 0 && part != name) {
        d.has_partitions = true;
        if (!root_disk.empty() && "/dev/" + part == root_disk) d.is_root = true;
      }
    }
    if (!root_disk.empty() && d.path == root_disk) d.is_root = true;
    devices.push_back(std::move(d));
  }
  std::sort(devices.begin(), devices.end(),
            [](const BlockDevice& a, const BlockDevice& b) { return a.path < b.path; });
  return devices;
}

std::optional<std::string> LinuxHost::ResolveDevice(const std::string& path) {
  std::error_code ec;
  const fs::path resolved = fs::canonical(Real(path), ec);
  if (ec) return std::nullopt;
  std::string out = resolved.string();
  if (options_.root != "/" && out.rfind(options_.root, 0) == 0)
    out = out.substr(options_.root.size());
  return out;
}

Filesystem LinuxHost::ProbeFilesystem(const std::string& device) {
  Filesystem fs_info;
  std::string text;
  if (options_.dry_run || options_.root != "/") {
    text = ReadFile("/.dry-run/filesystems/" + fs::path(device).filename().string()).value_or("");
  } else {
    // blkid exits 2 when it finds no filesystem signature.
    text = Run({"blkid", "-o", "export", device}, std::chrono::seconds(30)).output;
  }
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("TYPE=", 0) == 0) fs_info.type = Trim(line.substr(5));
    if (line.rfind("UUID=", 0) == 0) fs_info.uuid = Trim(line.substr(5));
  }
  return fs_info;
}

Status LinuxHost::MakeFilesystem(const std::string& device, const std::string& label) {
  if (options_.dry_run || options_.root != "/") {
    DryRunLog("mkfs.xfs -L " + label + " " + device);
    std::mt19937_64 rng(std::random_device{}());
    char uuid[40];
    std::snprintf(uuid, sizeof uuid, "%08x-%04x-4%03x-8%03x-%012llx", static_cast<unsigned>(rng()),
                  static_cast<unsigned>(rng() & 0xffff), static_cast<unsigned>(rng() & 0xfff),
                  static_cast<unsigned>(rng() & 0xfff),
                  static_cast<unsigned long long>(rng() & 0xffffffffffffULL));
    return WriteFile("/.dry-run/filesystems/" + fs::path(device).filename().string(),
                     "TYPE=xfs\nUUID=" + std::string(uuid) + "\n", 0644, "root", "root");
  }
  // No -f: mkfs.xfs refuses a device that already holds a filesystem, a second safety net.
  const CommandResult r = Run({"mkfs.xfs", "-L", label, device}, std::chrono::seconds(600));
  if (r.exit_code != 0) return Status::Error("mkfs.xfs " + device + " failed: " + Trim(r.output));
  return Status::Ok();
}

bool LinuxHost::IsMounted(const std::string& mount_point) {
  const std::string mounts = options_.dry_run || options_.root != "/"
                                 ? ReadFile("/.dry-run/mounts").value_or("")
                                 : Slurp("/proc/mounts").value_or("");
  std::istringstream in(mounts);
  for (std::string source, point, rest; in >> source >> point && std::getline(in, rest);) {
    if (point == mount_point) return true;
  }
  return false;
}

Status LinuxHost::Mount(const std::string& mount_point) {
  if (options_.dry_run || options_.root != "/") {
    DryRunLog("mount " + mount_point);
    const std::string line = "fstab " + mount_point + " xfs\n";
    if (!Exists("/.dry-run/mounts"))
      return WriteFile("/.dry-run/mounts", line, 0644, "root", "root");
    return AppendToFile("/.dry-run/mounts", line);
  }
  const CommandResult r = Run({"mount", mount_point}, std::chrono::seconds(120));
  if (r.exit_code != 0) return Status::Error("mount " + mount_point + " failed: " + Trim(r.output));
  return Status::Ok();
}

CommandResult LinuxHost::Run(const std::vector<std::string>& argv, std::chrono::seconds timeout) {
  if (options_.dry_run) {
    DryRunLog(Join(argv));
    return {0, ""};
  }
  const util::ProcessResult r = options_.processes->Run(argv, timeout);
  if (!r.started) return {-1, r.error};
  return {r.timed_out ? -1 : r.exit_code,
          r.out + r.err +
              (r.timed_out ? "(timed out after " + std::to_string(timeout.count()) + " s)" : "")};
}

std::string LinuxHost::Architecture() {
  utsname u{};
  ::uname(&u);
  return u.machine;
}

std::string LinuxHost::CpuFlags() {
  std::istringstream in(Slurp("/proc/cpuinfo").value_or(""));
  for (std::string line; std::getline(in, line);) {
    // x86: "flags : ...", arm64: "Features : ..."
    if (line.rfind("flags", 0) == 0 || line.rfind("Features", 0) == 0) {
      return " " + Trim(line.substr(line.find(':') + 1)) + " ";
    }
  }
  return "";
}

void LinuxHost::Sleep(std::chrono::milliseconds duration) {
  if (options_.dry_run) return;
  std::this_thread::sleep_for(duration);
}

namespace {

// Where a URL goes: its endpoint (scheme, host, port) and the rest of it as written, a presigned
// query included; the offset of that rest in `url` (npos: none).
struct UrlTarget {
  std::optional<http::Url> endpoint;
  std::string path;
  size_t path_start = std::string::npos;
};

UrlTarget TargetOf(const std::string& url, std::string* error) {
  UrlTarget t;
  const size_t scheme_end = url.find("://");
  t.path_start =
      scheme_end == std::string::npos ? std::string::npos : url.find('/', scheme_end + 3);
  t.endpoint = http::ParseUrl(url.substr(0, t.path_start), error);
  t.path = t.path_start == std::string::npos ? "/" : url.substr(t.path_start);
  return t;
}

}  // namespace

NodeHost::HttpResult LinuxHost::HttpGet(const std::string& url,
                                        const std::function<bool(std::string_view)>& sink) {
  HttpResult result;
  std::string current = url;
  for (int redirects = 0; redirects <= 5; ++redirects) {
    std::string error;
    const UrlTarget target = TargetOf(current, &error);
    const size_t path_start = target.path_start;
    if (!target.endpoint) {
      result.error = "bad URL " + current + ": " + error;
      return result;
    }
    const http::Url& endpoint = *target.endpoint;
    aws::HttpRequest request;
    request.method = "GET";
    request.path = target.path;
    request.host = endpoint.Authority();
    http::RequestOptions transfer;
    transfer.timeout = std::chrono::hours(12);
    if (sink) transfer.on_body_chunk = sink;
    auto sent = options_.http->Send(endpoint, request, transfer);
    if (auto* t = std::get_if<http::TransportError>(&sent)) {
      result.error = t->message;
      return result;
    }
    auto& response = std::get<http::HttpResponse>(sent);
    result.status = response.status;
    result.location = current;
    if (response.status >= 300 && response.status < 400) {
      const std::string* location = response.FindHeader("Location");
      if (location == nullptr) {
        result.error = "HTTP " + std::to_string(response.status) + " without a Location";
        return result;
      }
      if (location->rfind("http", 0) == 0) {
        current = *location;
      } else {  // relative to the server
        current = current.substr(0, path_start == std::string::npos ? current.size() : path_start) +
                  (location->empty() || (*location)[0] != '/' ? "/" : "") + *location;
      }
      continue;
    }
    if (!sink) result.body = std::move(response.body);
    return result;
  }
  result.error = "too many redirects from " + url;
  return result;
}

NodeHost::HttpResult LinuxHost::HttpPut(const std::string& url, const std::string& body) {
  HttpResult result;
  result.location = url;
  std::string error;
  const UrlTarget target = TargetOf(url, &error);
  if (!target.endpoint) {
    // Never the URL itself: a presigned URL is a credential for as long as it is valid.
    result.error = "bad URL: " + error;
    return result;
  }
  const http::Url& endpoint = *target.endpoint;
  if (options_.dry_run) {
    DryRunLog("PUT " + std::to_string(body.size()) + " bytes to " + endpoint.Authority());
    result.status = 200;
    return result;
  }
  aws::HttpRequest request;
  request.method = "PUT";
  request.path = target.path;
  request.host = endpoint.Authority();
  request.body = body;
  http::RequestOptions transfer;
  transfer.timeout = std::chrono::seconds(60);
  auto sent = options_.http->Send(endpoint, request, transfer);
  if (auto* t = std::get_if<http::TransportError>(&sent)) {
    result.error = t->message;
    return result;
  }
  auto& response = std::get<http::HttpResponse>(sent);
  result.status = response.status;
  result.body = std::move(response.body);
  return result;
}

std::optional<std::string> LinuxHost::InstanceId() {
  if (options_.dry_run) return "i-0d0d0d0d0d0d0d0d0";
  auto session = options_.aws();
  if (!session || (*session)->imds() == nullptr) return std::nullopt;
  auto id = (*session)->imds()->Get("instance-id");
  if (!id) return std::nullopt;
  return *id;
}

Status LinuxHost::SignalResource(const std::string& stack, const std::string& logical_id,
                                 const std::string& unique_id, bool success) {
  if (options_.dry_run) {
    DryRunLog(std::string("SignalResource ") + (success ? "SUCCESS" : "FAILURE") + " " + stack +
              "/" + logical_id + " " + unique_id);
    return Status::Ok();
  }
  auto session = options_.aws();
  if (!session) return Status::Error(session.error().message);
  auto client = (*session)->Client(aws::CloudFormation());
  if (!client) return Status::Error(client.error().message);
  aws::CloudFormationApi cfn(std::move(*client));
  auto r = cfn.SignalResource(stack, logical_id, unique_id, success);
  if (!r) return Status::Error(r.error().Describe());
  return Status::Ok();
}

Status LinuxHost::CompleteLifecycleAction(const std::string& group, const std::string& hook,
                                          const std::string& instance_id, bool proceed) {
  if (options_.dry_run) {
    DryRunLog(std::string("CompleteLifecycleAction ") + (proceed ? "CONTINUE" : "ABANDON") + " " +
              group + " " + instance_id);
    return Status::Ok();
  }
  auto session = options_.aws();
  if (!session) return Status::Error(session.error().message);
  auto client = (*session)->Client(aws::AutoScaling());
  if (!client) return Status::Error(client.error().message);
  auto r = aws::CompleteLifecycleAction(*client, group, hook, instance_id, proceed);
  if (!r) return Status::Error(r.error().Describe());
  return Status::Ok();
}

}  // namespace sr::node
