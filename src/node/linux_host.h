// The real NodeHost: a Linux instance. With a root other than "/", every path is taken under that
// directory (block devices are read from <root>/sys/block); with dry_run, nothing outside the root
// changes: commands are logged instead of run, users go to <root>/etc/passwd, filesystems and
// mounts are recorded under <root>/.dry-run/, and signals are logged.
#ifndef STACKS_RUNNER_NODE_LINUX_HOST_H_
#define STACKS_RUNNER_NODE_LINUX_HOST_H_

#include <functional>
#include <memory>
#include <string>

#include "aws/session.h"
#include "http/http_client.h"
#include "node/host.h"
#include "node/release.h"
#include "util/process.h"

namespace sr::node {

struct LinuxHostOptions {
  std::string root = "/";
  bool dry_run = false;
  util::ProcessRunner* processes = nullptr;
  http::HttpClient* http = nullptr;  // downloads (releases, archives)
  // AWS as the instance role; made on first use (not needed in a dry run).
  std::function<aws::AwsResult<aws::Session*>()> aws;
  Log log;  // where dry-run actions are reported
};

class LinuxHost : public NodeHost {
 public:
  explicit LinuxHost(LinuxHostOptions options);

  bool Exists(const std::string& path) override;
  std::optional<std::string> ReadFile(const std::string& path) override;
  Status WriteFile(const std::string& path, const std::string& content, int mode,
                   const std::string& owner, const std::string& group) override;
  Status MakeDirectory(const std::string& path, int mode, const std::string& owner,
                       const std::string& group) override;
  Status Symlink(const std::string& target, const std::string& link) override;
  Status AppendToFile(const std::string& path, std::string_view bytes) override;
  Status RemoveFile(const std::string& path) override;
  bool UserExists(const std::string& name) override;
  Status CreateSystemUser(const std::string& name) override;
  std::vector<BlockDevice> BlockDevices() override;
  std::optional<std::string> ResolveDevice(const std::string& path) override;
  Filesystem ProbeFilesystem(const std::string& device) override;
  Status MakeFilesystem(const std::string& device, const std::string& label) override;
  bool IsMounted(const std::string& mount_point) override;
  Status Mount(const std::string& mount_point) override;
  CommandResult Run(const std::vector<std::string>& argv, std::chrono::seconds timeout) override;
  std::string Architecture() override;
  std::string CpuFlags() override;
  void Sleep(std::chrono::milliseconds duration) override;
  HttpResult HttpGet(const std::string& url,
                     const std::function<bool(std::string_view)>& sink) override;
  HttpResult HttpPut(const std::string& url, const std::string& body) override;
  std::optional<std::string> InstanceId() override;
  Status SignalResource(const std::string& stack, const std::string& logical_id,
                        const std::string& unique_id, bool success) override;
  Status CompleteLifecycleAction(const std::string& group, const std::string& hook,
                                 const std::string& instance_id, bool proceed) override;

 private:
  std::string Real(const std::string& path) const;  // the path under the root
  Status Own(const std::string& path, int mode, const std::string& owner, const std::string& group);
  void DryRunLog(const std::string& what);

  LinuxHostOptions options_;
};

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_LINUX_HOST_H_
