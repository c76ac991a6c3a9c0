#include "node/data_volume.h"

#include <sstream>

#include "config/validators.h"
#include "node/layout.h"

namespace sr::node {
namespace {

constexpr char kEbsModel[] = "Amazon Elastic Block Store";
constexpr char kInstanceStoreModel[] = "Amazon EC2 NVMe Instance Storage";
constexpr char kFstab[] = "/etc/fstab";

bool Fail(std::string* error, std::string message) {
  *error = std::move(message);
  return false;
}

std::optional<BlockDevice> FindOnce(NodeHost& host, const DataVolumeRequest& r) {
  if (r.kind == DataVolumeRequest::Kind::kDevicePath) {
    // Amazon Linux's udev rules link the block device mapping name (/dev/sdf) to the NVMe device.
    for (std::string candidate : {r.value, "/dev/xvd" + r.value.substr(r.value.size() - 1)}) {
      if (auto resolved = host.ResolveDevice(candidate)) {
        for (auto& d : host.BlockDevices()) {
          if (d.path == *resolved) return d;
        }
      }
    }
    return std::nullopt;
  }
  const std::string serial = r.kind == DataVolumeRequest::Kind::kEbsVolumeId
                                 ? "vol" + r.value.substr(4)  // vol-0abc -> vol0abc
                                 : "";
  for (auto& d : host.BlockDevices()) {
    if (d.is_root) continue;
    if (r.kind == DataVolumeRequest::Kind::kEbsVolumeId && d.model.find(kEbsModel) == 0 &&
        d.serial == serial) {
      return d;
    }
    if (r.kind == DataVolumeRequest::Kind::kInstanceStore &&
        d.model.find(kInstanceStoreModel) == 0) {
      return d;
    }
  }
  return std::nullopt;
}

std::string Describe(const DataVolumeRequest& r) {
  switch (r.kind) {
    case DataVolumeRequest::Kind::kEbsVolumeId:
      return "EBS volume " + r.value;
    case DataVolumeRequest::Kind::kDevicePath:
      return "the device mapped at " + r.value;
    case DataVolumeRequest::Kind::kInstanceStore:
      break;
  }
  return "an NVMe instance store";
}

// The fstab with exactly one line for the mount point, by UUID; `changed` when it differs.
std::string WithFstabEntry(const std::string& fstab, const std::string& line, bool* changed) {
  std::istringstream in(fstab);
  std::string out;
  bool present = false;
  for (std::string l; std::getline(in, l);) {
    std::istringstream fields(l);
    std::string source, point;
    fields >> source >> point;
    if (!source.empty() && source[0] != '#' && point == paths::kDataMount) {
      if (l == line && !present) {
        present = true;
        out += l + "\n";
      }
      continue;  // a stale or duplicate entry for our mount point
    }
    out += l + "\n";
  }
  if (!present) out += line + "\n";
  *changed = out != fstab;
  return out;
}

}  // namespace

bool ParseDataVolume(const std::string& data_volume, const std::string& data_device,
                     DataVolumeRequest* r, std::string* error) {
  if (!data_device.empty()) {
    if (data_device.rfind("/dev/", 0) != 0) return Fail(error, "--data-device must be a /dev path");
    r->kind = DataVolumeRequest::Kind::kDevicePath;
    r->value = data_device;
    return true;
  }
  if (data_volume == "instance-store") {
    r->kind = DataVolumeRequest::Kind::kInstanceStore;
    return true;
  }
  if (config::IsResourceId(data_volume, "vol")) {
    r->kind = DataVolumeRequest::Kind::kEbsVolumeId;
    r->value = data_volume;
    return true;
  }
  return Fail(error, "--data-volume \"" + data_volume +
                         "\": accepted: an EBS volume id (vol-...) or instance-store");
}

bool PrepareDataVolume(NodeHost& host, const DataVolumeRequest& r, bool* changed,
                       std::string* error, const Log& log) {
  *changed = false;
  std::optional<BlockDevice> device;
  const auto step = std::chrono::seconds(5);
  for (auto waited = std::chrono::seconds(0);; waited += step) {
    device = FindOnce(host, r);
    if (device || waited >= r.wait) break;
    host.Sleep(step);
  }
  if (!device) {
    return Fail(error, "no block device for " + Describe(r) + " appeared within " +
                           std::to_string(r.wait.count()) + " s");
  }
  if (device->is_root || device->has_partitions) {
    return Fail(error, device->path + " (" + Describe(r) +
                           ") has partitions or holds the root "
                           "filesystem: refusing to use it as the data volume");
  }
  log("data volume: " + Describe(r) + " is " + device->path);

  Filesystem fs = host.ProbeFilesystem(device->path);
  if (fs.type.empty()) {
    log("data volume: " + device->path + " holds no filesystem: formatting it as xfs");
    if (auto s = host.MakeFilesystem(device->path, "stacks-data"); !s) return Fail(error, s.error);
    fs = host.ProbeFilesystem(device->path);
    if (fs.type.empty() || fs.uuid.empty()) {
      return Fail(error, "formatting " + device->path + " left no filesystem on it");
    }
    *changed = true;
  } else {
    log("data volume: " + device->path + " holds a " + fs.type + " filesystem (UUID " + fs.uuid +
        "): keeping its data");
  }
  if (fs.uuid.empty()) return Fail(error, device->path + " has a filesystem without a UUID");

  const std::string line =
      "UUID=" + fs.uuid + " " + paths::kDataMount + " " + fs.type + " defaults,noatime,nofail 0 2";
  bool fstab_changed = false;
  const std::string fstab =
      WithFstabEntry(host.ReadFile(kFstab).value_or(""), line, &fstab_changed);
  if (fstab_changed) {
    if (auto s = host.WriteFile(kFstab, fstab, 0644, "root", "root"); !s) {
      return Fail(error, s.error);
    }
    *changed = true;
  }
  if (auto s = host.MakeDirectory(paths::kDataMount, 0755, "root", "root"); !s) {
    return Fail(error, s.error);
  }
  if (!host.IsMounted(paths::kDataMount)) {
    if (auto s = host.Mount(paths::kDataMount); !s) return Fail(error, s.error);
    *changed = true;
  }
  return true;
}

}  // namespace sr::node
