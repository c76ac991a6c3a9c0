// EBS volume limits per type, as EC2 documents them for CreateVolume (checked 2026-11):
// gp3 1 GiB-64 TiB, 3,000-80,000 IOPS at most 500 per GiB, 125-2,000 MiB/s at most 0.25 MiB/s
// per IOPS; io1 4 GiB-16 TiB, 100-64,000 IOPS at most 50 per GiB; io2 4 GiB-64 TiB,
// 100-256,000 IOPS at most 1,000 per GiB; gp2 1 GiB-16 TiB with no settable IOPS.
#ifndef STACKS_RUNNER_CONFIG_EBS_LIMITS_H_
#define STACKS_RUNNER_CONFIG_EBS_LIMITS_H_

#include <optional>

#include "config/config.h"

namespace sr::config {

struct EbsLimits {
  int min_size_gib;
  int max_size_gib;
  bool iops_settable;
  bool iops_required;
  int min_iops;
  int max_iops;
  int max_iops_per_gib;
  bool throughput_settable;
  int min_throughput;
  int max_throughput;
  double max_throughput_per_iops;
};

// Limits for an EBS type; nothing for instance-store.
std::optional<EbsLimits> EbsLimitsFor(VolumeType type);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_EBS_LIMITS_H_
