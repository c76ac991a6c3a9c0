// Everything `node bootstrap` does to the machine and the world, behind one interface: files,
// users, block devices, commands (package installs, systemctl, check-config), downloads and the
// CloudFormation / Auto Scaling signals. The real host is linux_host.h; tests use a fake, and
// `--root DIR --dry-run` roots files in a directory and only logs commands.
#ifndef STACKS_RUNNER_NODE_HOST_H_
#define STACKS_RUNNER_NODE_HOST_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sr::node {

// Success, or why not.
struct Status {
  bool ok = true;
  std::string error;
  static Status Ok() { return {}; }
  static Status Error(std::string message) { return {false, std::move(message)}; }
  explicit operator bool() const { return ok; }
};

struct BlockDevice {
  std::string path;    // /dev/nvme1n1
  std::string model;   // "Amazon Elastic Block Store", "Amazon EC2 NVMe Instance Storage"
  std::string serial;  // EBS: the volume id without its dash ("vol0123456789abcdef0")
  uint64_t size_bytes = 0;
  bool has_partitions = false;
  bool is_root = false;  // holds the root filesystem
};

struct Filesystem {
  std::string type;  // "xfs", "ext4", ... empty when the device holds no filesystem
  std::string uuid;
};

struct CommandResult {
  int exit_code = -1;  // -1: could not run, or killed
  std::string output;  // stdout and stderr, for the log
};

class NodeHost {
 public:
  virtual ~NodeHost() = default;

  // Files. Paths are absolute as on the instance.
  virtual bool Exists(const std::string& path) = 0;
  virtual std::optional<std::string> ReadFile(const std::string& path) = 0;
  // Written whole (temporary file, then rename), parents created root-owned 0755.
  virtual Status WriteFile(const std::string& path, const std::string& content, int mode,
                           const std::string& owner, const std::string& group) = 0;
  virtual Status MakeDirectory(const std::string& path, int mode, const std::string& owner,
                               const std::string& group) = 0;
  // Points `link` at `target`, replacing what `link` pointed at.
  virtual Status Symlink(const std::string& target, const std::string& link) = 0;
  // For streamed downloads: an empty file the caller fills through AppendToFile.
  virtual Status AppendToFile(const std::string& path, std::string_view bytes) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;

  // Users and groups.
  virtual bool UserExists(const std::string& name) = 0;
  // A system user with its own group, no login shell and no home directory of its own.
  virtual Status CreateSystemUser(const std::string& name) = 0;

  // Block devices and filesystems.
  virtual std::vector<BlockDevice> BlockDevices() = 0;
  // A device path after following symbolic links (/dev/sdf -> /dev/nvme1n1); nothing if absent.
  virtual std::optional<std::string> ResolveDevice(const std::string& path) = 0;
  virtual Filesystem ProbeFilesystem(const std::string& device) = 0;
  virtual Status MakeFilesystem(const std::string& device, const std::string& label) = 0;
  virtual bool IsMounted(const std::string& mount_point) = 0;
  // Mounts what /etc/fstab says for the mount point.
  virtual Status Mount(const std::string& mount_point) = 0;

  // Commands (no shell), with their output for the log.
  virtual CommandResult Run(const std::vector<std::string>& argv, std::chrono::seconds timeout) = 0;

  // The machine.
  virtual std::string Architecture() = 0;  // "x86_64", "aarch64"
  virtual std::string CpuFlags() = 0;      // the flags line of /proc/cpuinfo
  virtual void Sleep(std::chrono::milliseconds duration) = 0;

  // The network: an HTTP(S) GET; redirects are followed. `sink` takes the body in pieces
  // (nothing is kept in memory) and returns false to abort.
  struct HttpResult {
    int status = 0;
    std::string error;     // transport failure, or empty
    std::string location;  // the final URL after redirects
    std::string body;      // kept when no sink is given
  };
  virtual HttpResult HttpGet(const std::string& url,
                             const std::function<bool(std::string_view)>& sink) = 0;
  // An HTTP(S) PUT of `body` as it is, with no Content-Type (a presigned S3 URL, such as a
  // CloudFormation wait condition handle, is signed without one); redirects are not followed.
  virtual HttpResult HttpPut(const std::string& url, const std::string& body) = 0;

  // AWS, as the instance's role.
  virtual std::optional<std::string> InstanceId() = 0;
  virtual Status SignalResource(const std::string& stack, const std::string& logical_id,
                                const std::string& unique_id, bool success) = 0;
  virtual Status CompleteLifecycleAction(const std::string& group, const std::string& hook,
                                         const std::string& instance_id, bool proceed) = 0;
};

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_HOST_H_
