// Preparing the data volume: found by its identity (an EBS volume id through the NVMe serial, the
// /dev/sdX name udev links to the NVMe device, or the instance store), formatted only when it
// holds no filesystem, mounted at /var/lib/stacks by UUID through /etc/fstab. A volume that holds
// data is never formatted.
#ifndef STACKS_RUNNER_NODE_DATA_VOLUME_H_
#define STACKS_RUNNER_NODE_DATA_VOLUME_H_

#include <chrono>
#include <string>

#include "node/host.h"
#include "node/release.h"

namespace sr::node {

struct DataVolumeRequest {
  enum class Kind { kEbsVolumeId, kDevicePath, kInstanceStore };
  Kind kind = Kind::kEbsVolumeId;
  std::string value;  // "vol-0123456789abcdef0", "/dev/sdf"; empty for the instance store
  // How long to wait for the device to appear (attachments can lag the boot).
  std::chrono::seconds wait{300};
};

// Parses the bootstrap arguments: --data-volume vol-... | instance-store, or --data-device PATH.
bool ParseDataVolume(const std::string& data_volume, const std::string& data_device,
                     DataVolumeRequest* request, std::string* error);

bool PrepareDataVolume(NodeHost& host, const DataVolumeRequest& request, bool* changed,
                       std::string* error, const Log& log);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_DATA_VOLUME_H_
