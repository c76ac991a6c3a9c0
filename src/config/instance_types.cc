#include "config/instance_types.h"

#include <array>
#include <cctype>
#include <charconv>

namespace sr::config {
namespace {

bool AllOf(std::string_view s, bool (*pred)(char)) {
  for (char c : s) {
    if (!pred(c)) return false;
  }
  return !s.empty();
}
bool IsLowerAlnumDash(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// x86_64 generations older than Haswell: no AVX2, so no stacks-node release runs on them.
constexpr std::array<std::string_view, 15> kNoAvx2Families = {
    "m1", "m2", "m3", "c1", "c3", "cc1", "cc2", "cg1", "cr1", "hi1", "hs1", "i2", "r3", "t1", "g2"};

// Series whose every member has NVMe or SSD instance store, beyond the `d` attribute (m5d, c6gd).
constexpr std::array<std::string_view, 7> kStorageSeries = {"i", "im", "is", "d", "h", "dl", "x"};

std::optional<int> VcpusOf(std::string_view series, std::string_view size) {
  if (size == "nano" || size == "micro" || size == "small") return series == "t" ? 2 : 1;
  if (size == "medium") return series == "t" ? 2 : 1;
  if (size == "large") return 2;
  if (size == "xlarge") return 4;
  if (size.ends_with("xlarge")) {
    int n = 0;
    auto digits = size.substr(0, size.size() - 6);
    auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec == std::errc() && ptr == digits.data() + digits.size() && n > 0) return 4 * n;
  }
  return std::nullopt;  // metal and odd sizes
}

std::optional<double> MemoryOf(std::string_view series, std::string_view size,
                               std::optional<int> vcpus) {
  if (series == "t") {
    if (size == "nano") return 0.5;
    if (size == "micro") return 1;
    if (size == "small") return 2;
    if (size == "medium") return 4;
  }
  if (!vcpus) return std::nullopt;
  double per_vcpu = 0;
  if (series == "c" || series == "a") per_vcpu = 2;
  if (series == "m" || series == "t") per_vcpu = 4;
  if (series == "r" || series == "z" || series == "i" || series == "d") per_vcpu = 8;
  if (series == "x") per_vcpu = 16;
  if (per_vcpu == 0) return std::nullopt;
  return per_vcpu * *vcpus;
}

}  // namespace

std::string_view CpuArchName(CpuArch arch) { return arch == CpuArch::kArm64 ? "arm64" : "x86_64"; }

std::optional<InstanceTypeInfo> ParseInstanceType(std::string_view name) {
  const size_t dot = name.find('.');
  if (dot == std::string_view::npos) return std::nullopt;
  std::string_view family = name.substr(0, dot);
  std::string_view size = name.substr(dot + 1);
  if (!AllOf(family, IsLowerAlnumDash) || !AllOf(size, IsLowerAlnumDash)) return std::nullopt;
  if (family.starts_with("mac")) return std::nullopt;  // macOS hosts only

  InstanceTypeInfo info;
  info.family = std::string(family);
  info.size = std::string(size);

  if (family.starts_with("u-")) {  // high-memory u-6tb1 and friends: x86_64, no instance store
    info.vcpus = VcpusOf("u", size);
    return info;
  }
  // FAMILY = series letters, generation digits, attribute letters (m6gd: m, 6, gd).
  size_t i = 0;
  while (i < family.size() && std::islower(static_cast<unsigned char>(family[i]))) ++i;
  const std::string_view series = family.substr(0, i);
  const size_t gen_start = i;
  while (i < family.size() && std::isdigit(static_cast<unsigned char>(family[i]))) ++i;
  if (series.empty() || i == gen_start) return std::nullopt;
  const std::string_view attributes = family.substr(i);
  const std::string_view series_gen = family.substr(0, i);

  const std::string_view attribute_letters = attributes.substr(0, attributes.find('-'));
  info.arch = (series_gen == "a1" || attribute_letters.find('g') != std::string_view::npos)
                  ? CpuArch::kArm64
                  : CpuArch::kX86_64;
  for (auto s : kStorageSeries) {
    if (series == s) info.has_instance_store = true;
  }
  if (attribute_letters.find('d') != std::string_view::npos) info.has_instance_store = true;
  for (auto f : kNoAvx2Families) {
    if (family == f) info.has_avx2 = false;
  }
  info.vcpus = VcpusOf(series, size);
  info.memory_gib = MemoryOf(series, size, info.vcpus);
  return info;
}

}  // namespace sr::config
