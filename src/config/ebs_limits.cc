#include "config/ebs_limits.h"

namespace sr::config {

std::optional<EbsLimits> EbsLimitsFor(VolumeType type) {
  switch (type) {
    case VolumeType::kGp3:
      return EbsLimits{1, 65536, true, false, 3000, 80000, 500, true, 125, 2000, 0.25};
    case VolumeType::kGp2:
      return EbsLimits{1, 16384, false, false, 0, 0, 0, false, 0, 0, 0};
    case VolumeType::kIo1:
      return EbsLimits{4, 16384, true, true, 100, 64000, 50, false, 0, 0, 0};
    case VolumeType::kIo2:
      return EbsLimits{4, 65536, true, true, 100, 256000, 1000, false, 0, 0, 0};
    case VolumeType::kInstanceStore:
      break;
  }
  return std::nullopt;
}

}  // namespace sr::config
