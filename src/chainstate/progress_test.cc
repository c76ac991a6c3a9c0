#include "chainstate/progress.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sr::chainstate {
namespace {

using ::testing::HasSubstr;

TEST(Progress, FormatsBytesDurationsAndTheBar) {
  EXPECT_EQ(FormatBytes(512), "512 B");
  EXPECT_EQ(FormatBytes(1.5 * (1 << 30)), "1.5 GiB");
  EXPECT_EQ(FormatDuration(42), "42s");
  EXPECT_EQ(FormatDuration(185), "3m05s");
  EXPECT_EQ(FormatDuration(3720), "1h02m");
  EXPECT_EQ(FormatDuration(-1), "?");
  Progress p;
  p.phase = Phase::kDownloading;
  p.bytes_total = 4ull << 30;
  p.bytes_done = 1ull << 30;
  p.rate = 200 << 20;
  p.eta_seconds = 15.4;
  p.retries = 2;
  EXPECT_EQ(FormatProgressLine(p, 8),
            "[##------]  25.0%  1.0 GiB / 4.0 GiB  200.0 MiB/s  ETA 15s  2 retries");
}

TEST(Progress, JsonForTheAgent) {
  Progress p;
  p.phase = Phase::kDownloading;
  p.url = "https://archive.hiro.so/mainnet/x.tar.zst";
  p.bytes_total = 1000;
  p.bytes_done = 412;
  p.rate = 100;
  p.eta_seconds = 5.88;
  const auto j = nlohmann::json::parse(JsonProgressFile::Render(p, "2026-11-24T01:02:03Z"));
  EXPECT_EQ(j["phase"], "downloading");
  EXPECT_EQ(j["bytes_done"], 412);
  EXPECT_EQ(j["percent"], 41.2);
  EXPECT_EQ(j["eta_seconds"], 6);
  EXPECT_EQ(j["rate_bytes_per_second"], 100);
  EXPECT_EQ(j["updated_at"], "2026-11-24T01:02:03Z");
  p.eta_seconds = -1;
  EXPECT_TRUE(nlohmann::json::parse(JsonProgressFile::Render(p, ""))["eta_seconds"].is_null());
}

TEST(Progress, RateOverASlidingWindow) {
  RateMeter meter(std::chrono::seconds(10));
  const auto t0 = std::chrono::steady_clock::time_point{};
  EXPECT_EQ(meter.Add(t0, 0), 0);
  EXPECT_DOUBLE_EQ(meter.Add(t0 + std::chrono::seconds(1), 100), 100);
  for (int s = 2; s <= 30; ++s) meter.Add(t0 + std::chrono::seconds(s), 100);
  EXPECT_DOUBLE_EQ(meter.Add(t0 + std::chrono::seconds(31), 1100), 100);  // the last 10 s only
}

}  // namespace
}  // namespace sr::chainstate
