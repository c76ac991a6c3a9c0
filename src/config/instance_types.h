// What an EC2 instance type name tells us without asking AWS: CPU architecture, instance store,
// AVX2 (stacks-node x86_64 releases are built for x86-64-v3) and a rough memory size.
#ifndef STACKS_RUNNER_CONFIG_INSTANCE_TYPES_H_
#define STACKS_RUNNER_CONFIG_INSTANCE_TYPES_H_

#include <optional>
#include <string>
#include <string_view>

namespace sr::config {

enum class CpuArch { kX86_64, kArm64 };
std::string_view CpuArchName(CpuArch arch);  // "x86_64", "arm64"

struct InstanceTypeInfo {
  std::string family;  // "m5", "c7gd", "u-6tb1"
  std::string size;    // "large", "4xlarge", "metal"
  CpuArch arch = CpuArch::kX86_64;
  bool has_instance_store = false;
  bool has_avx2 = true;  // meaningful for x86_64 only
  std::optional<int> vcpus;
  std::optional<double> memory_gib;  // estimate from family and size; empty when unknown
};

// Returns nothing when `name` is not of the form FAMILY.SIZE with a known family shape, or names
// a family stacks nodes cannot run on (mac).
std::optional<InstanceTypeInfo> ParseInstanceType(std::string_view name);

}  // namespace sr::config

#endif  // STACKS_RUNNER_CONFIG_INSTANCE_TYPES_H_
