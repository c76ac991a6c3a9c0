// FetchChainstate end to end against tests/chainstate/range_server.py on 127.0.0.1: archives
// generated here (zstd and gzip), faults injected by the server (dropped and stalled
// connections, 503s, no range support, a corrupted byte, a wrong checksum), hostile entries, a
// truncated archive, a full disk (simulated and, as root, a real 1 MiB tmpfs), a leftover tree
// of a killed run. Every failure must leave neither the <mode>/ tree nor the marker.
#include "chainstate/fetch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>

#include "chainstate/test_archives.h"
#include "http/beast_http_client.h"
#include "testing/test_support.h"

namespace sr::chainstate {
namespace {

namespace fs = std::filesystem;
using ::testing::AllOf;
using ::testing::AnyOf;
using ::testing::HasSubstr;
using namespace std::chrono_literals;
using testing::Format;
using testing::Publish;
using testing::RangeServer;
using testing::TarEntry;

constexpr char kVersioned[] = "mainnet-stacks-blockchain-4.0.2-latest";
constexpr char kArchiveDir[] = "mainnet/stacks-blockchain";

class FakeSpace final : public FreeSpaceProbe {
 public:
  explicit FakeSpace(uint64_t bytes) : bytes_(bytes) {}
  std::optional<uint64_t> Available(const std::string&, std::string*) override { return bytes_; }

 private:
  uint64_t bytes_;
};

class RecordingProgress final : public ProgressSink {
 public:
  void Update(const Progress& p) override {
    std::lock_guard lock(mu_);
    phases.push_back(p.phase);
    last = p;
  }
  std::vector<Phase> phases;
  Progress last;

 private:
  std::mutex mu_;
};

class FetchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = sr::testing::TestTempDir("chainstate");
    www_ = dir_ / "www";
    fs::create_directories(www_ / kArchiveDir);
    dest_ = dir_ / "root/var/lib/stacks/node";
    entries_ = testing::ChainstateEntries();
  }
  void TearDown() override {
    if (mounted_) ::umount2((dir_ / "root/var/lib/stacks").c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }

  // The network profile with its archives on the local server.
  FetchRequest Request(const RangeServer& server) {
    network_ = config::MainnetProfile();
    base_ = server.Url("/" + std::string(kArchiveDir) + "/");
    network_.archive_base = base_;
    FetchRequest r;
    r.network = &network_;
    r.stacks_version = "4.0.2";
    r.destination = dest_.string();
    r.marker_path = (dest_ / ".stacks-runner-chainstate-ready").string();
    r.connections = 4;
    r.chunk_size = 64 << 10;     // many ranges, even for a few MB
    r.buffer_limit = 256 << 10;  // 4 ranges
    r.request_timeout = 2s;
    r.max_attempts = 4;
    r.backoff_initial = 10ms;
    r.backoff_max = 50ms;
    r.sync_before_marker = false;
    return r;
  }
  Dependencies Deps() {
    Dependencies d;
    d.make_http_client = [] {
      return std::make_unique<http::BeastHttpClient>(http::ClientOptions{});
    };
    d.progress = &progress_;
    return d;
  }
  void PublishVersioned(const std::string& archive, Format format,
                        const std::string* checksummed = nullptr) {
    Publish(www_ / kArchiveDir,
            std::string(kVersioned) + (format == Format::kZstd ? ".tar.zst" : ".tar.gz"), archive,
            checksummed);
  }
  bool Fetch(const FetchRequest& request, std::string* error, FetchStats* stats = nullptr,
             FreeSpaceProbe* space = nullptr) {
    Dependencies deps = Deps();
    deps.free_space = space;
    return FetchChainstate(
        request, deps, error,
        [this](const std::string& line) {
          std::lock_guard lock(log_mu_);
          log_ += line + "\n";
        },
        stats);
  }
  nlohmann::json ServerLog(const RangeServer& server) {
    http::BeastHttpClient client({});
    aws::HttpRequest r;
    r.method = "GET";
    r.host = "127.0.0.1:" + std::to_string(server.port());
    r.path = "/_log";
    std::string error;
    auto result = client.Send(*http::ParseUrl(server.Url(""), &error), r, {});
    return nlohmann::json::parse(std::get<http::HttpResponse>(result).body);
  }
  void ExpectExtracted() {
    for (const TarEntry& e : entries_) {
      if (e.type != TarEntry::kFile) continue;
      EXPECT_EQ(testing::ReadFile(dest_ / e.name), e.content) << e.name;
    }
    EXPECT_TRUE(fs::exists(dest_ / ".stacks-runner-chainstate-ready"));
    EXPECT_EQ(progress_.phases.back(), Phase::kDone);
  }
  void ExpectNothingLeft() {
    EXPECT_FALSE(fs::exists(dest_ / "mainnet"));
    EXPECT_FALSE(fs::exists(dest_ / ".stacks-runner-chainstate-ready"));
    EXPECT_FALSE(fs::exists(dest_ / ".stacks-runner-chainstate-ready.tmp"));
    if (fs::exists(dest_)) {
      EXPECT_TRUE(fs::is_empty(dest_)) << "left in " << dest_;
    }
    EXPECT_EQ(progress_.phases.back(), Phase::kFailed);
  }

  fs::path dir_, www_, dest_;
  std::vector<TarEntry> entries_;
  config::NetworkProfile network_ = config::MainnetProfile();
  std::string base_;
  RecordingProgress progress_;
  std::mutex log_mu_;
  std::string log_;
  bool mounted_ = false;
};

TEST_F(FetchTest, GoodZstdArchiveExtractsAndVerifiesOverParallelRanges) {
  const std::string archive = testing::MakeArchive(entries_, Format::kZstd);
  PublishVersioned(archive, Format::kZstd);
  RangeServer server(www_);
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_EQ(stats.compression, "zstd");
  EXPECT_EQ(stats.connections, 4);
  EXPECT_EQ(stats.sha256, util::Sha256Hex(archive));
  EXPECT_EQ(stats.archive_bytes, archive.size());
  EXPECT_LE(stats.peak_buffer_bytes, 256u << 10);  // the memory bound held
  EXPECT_THAT(testing::ReadFile(dest_ / ".stacks-runner-chainstate-ready"),
              HasSubstr("sha256 " + util::Sha256Hex(archive)));
  EXPECT_EQ(progress_.last.bytes_done, archive.size());
  // Many range requests, none for more than a range.
  int ranges = 0;
  for (const auto& r : ServerLog(server)) {
    if (r["range"].is_string() && r["path"].get<std::string>().ends_with(".tar.zst")) ++ranges;
  }
  EXPECT_GT(ranges, static_cast<int>(archive.size() / (64 << 10)));
}

TEST_F(FetchTest, GoodGzipArchiveExtractsAndVerifies) {
  const std::string archive = testing::MakeArchive(entries_, Format::kGzip);
  PublishVersioned(archive, Format::kGzip);
  RangeServer server(www_);
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_EQ(stats.compression, "gzip");
  EXPECT_EQ(stats.url, base_ + std::string(kVersioned) + ".tar.gz");
}

TEST_F(FetchTest, PrefersTheVersionedZstdArchiveAndFallsBackToLatest) {
  const std::string zst = testing::MakeArchive(entries_, Format::kZstd);
  const std::string gz = testing::MakeArchive(entries_, Format::kGzip);
  Publish(www_ / kArchiveDir, "mainnet-stacks-blockchain-latest.tar.gz", gz);
  RangeServer server(www_);
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  EXPECT_EQ(stats.url, base_ + "mainnet-stacks-blockchain-latest.tar.gz");
  EXPECT_THAT(log_, HasSubstr(std::string(kVersioned) + ".tar.zst is not available (HTTP 404)"));

  // With the versioned .tar.zst there, it wins (a fresh destination).
  fs::remove_all(dest_);
  PublishVersioned(zst, Format::kZstd);
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  EXPECT_EQ(stats.url, base_ + std::string(kVersioned) + ".tar.zst");
}

TEST_F(FetchTest, ExplicitUrlComesFirst) {
  const std::string archive = testing::MakeArchive(entries_, Format::kZstd);
  PublishVersioned(archive, Format::kZstd);
  Publish(www_ / "mirror", "snapshot.tar.zst", archive);
  RangeServer server(www_);
  FetchRequest request = Request(server);
  request.explicit_url = server.Url("/mirror/snapshot.tar.zst");
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(request, &error, &stats)) << error;
  EXPECT_EQ(stats.url, request.explicit_url);
}

TEST_F(FetchTest, NoArchiveAnywhereNamesEveryCandidate) {
  RangeServer server(www_);
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, AllOf(HasSubstr("no chainstate archive found"),
                           HasSubstr("4.0.2-latest.tar.zst: HTTP 404"),
                           HasSubstr("mainnet-stacks-blockchain-latest.tar.gz: HTTP 404")));
  ExpectNothingLeft();
}

TEST_F(FetchTest, CorruptedByteFailsAndLeavesNothing) {
  const std::string archive = testing::MakeArchive(entries_, Format::kZstd);
  PublishVersioned(archive, Format::kZstd);
  RangeServer server(www_, {"--corrupt-at", std::to_string(archive.size() / 2)});
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, AnyOf(HasSubstr("SHA-256 mismatch"), HasSubstr("zstd"), HasSubstr("tar")));
  ExpectNothingLeft();
}

TEST_F(FetchTest, WrongChecksumFailsAfterExtractingAndLeavesNothing) {
  PublishVersioned(testing::MakeArchive(entries_, Format::kGzip), Format::kGzip);
  RangeServer server(www_, {"--wrong-sha256"});
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, HasSubstr("SHA-256 mismatch"));
  ExpectNothingLeft();
}

TEST_F(FetchTest, TruncatedArchiveFailsEvenWithAMatchingChecksum) {
  for (Format format : {Format::kZstd, Format::kGzip}) {
    std::string archive = testing::MakeArchive(entries_, format);
    archive.resize(archive.size() * 6 / 10);
    fs::remove_all(www_);
    PublishVersioned(archive, format);  // its .sha256 is the truncated file's
    RangeServer server(www_);
    std::string error;
    EXPECT_FALSE(Fetch(Request(server), &error));
    EXPECT_THAT(error, AnyOf(HasSubstr("truncated"), HasSubstr("Truncated")));
    ExpectNothingLeft();
  }
}

struct Hostile {
  const char* what;
  std::vector<TarEntry> entries;
  const char* reason;
};

TEST_F(FetchTest, EscapingEntriesAreRefusedAndNothingIsLeft) {
  const std::string outside = (dir_ / "outside").string();
  const std::vector<Hostile> cases = {
      {"dot-dot", {{"mainnet/../../../outside", TarEntry::kFile, "x", ""}}, "'..' component"},
      {"absolute", {{outside, TarEntry::kFile, "x", ""}}, "absolute path"},
      {"symlink to /etc", {{"mainnet/etc", TarEntry::kSymlink, "", "/etc"}}, "points outside"},
      {"symlink climbing out",
       {{"mainnet/chainstate/up", TarEntry::kSymlink, "", "../../../outside"}},
       "points outside"},
      {"hard link out",
       {{"mainnet/passwd", TarEntry::kHardlink, "", "../../etc/passwd"}},
       "points outside"},
      {"write through a link",
       {{"mainnet/tmp", TarEntry::kSymlink, "", "chainstate"},
        {"mainnet/tmp/x", TarEntry::kFile, "x", ""}},
       "symlink"},
      {"another network",
       {{"krypton/headers.sqlite", TarEntry::kFile, "x", ""}},
       "outside mainnet/"},
      {"top-level file", {{"README", TarEntry::kFile, "x", ""}}, "outside mainnet/"},
      {"fifo", {{"mainnet/pipe", TarEntry::kFifo, "", ""}}, "FIFO"},
  };
  for (const Hostile& c : cases) {
    SCOPED_TRACE(c.what);
    // A good entry first: it must be removed too.
    std::vector<TarEntry> entries = {{"mainnet/", TarEntry::kDirectory, "", ""},
                                     {"mainnet/chainstate/", TarEntry::kDirectory, "", ""},
                                     {"mainnet/headers.sqlite", TarEntry::kFile, "h", ""}};
    entries.insert(entries.end(), c.entries.begin(), c.entries.end());
    fs::remove_all(www_);
    PublishVersioned(testing::MakeArchive(entries, Format::kZstd), Format::kZstd);
    RangeServer server(www_);
    std::string error;
    EXPECT_FALSE(Fetch(Request(server), &error));
    EXPECT_THAT(error, HasSubstr(c.reason));
    ExpectNothingLeft();
    EXPECT_FALSE(fs::exists(outside));
    EXPECT_FALSE(fs::exists(dir_ / "root/var/lib/outside"));
  }
}

TEST_F(FetchTest, SafeLinksAndDotSlashNamesAreAccepted) {
  entries_ = {{"./", TarEntry::kDirectory, "", ""},
              {"./mainnet/", TarEntry::kDirectory, "", ""},
              {"./mainnet/chainstate/vm/index.sqlite", TarEntry::kFile, "index", ""},
              {"./mainnet/chainstate/current", TarEntry::kSymlink, "", "vm/index.sqlite"},
              {"./mainnet/chainstate/vm/up", TarEntry::kSymlink, "", "../../headers.sqlite"},
              {"./mainnet/headers.sqlite", TarEntry::kFile, "headers", ""},
              {"./mainnet/headers-link.sqlite", TarEntry::kHardlink, "", "mainnet/headers.sqlite"}};
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_);
  std::string error;
  ASSERT_TRUE(Fetch(Request(server), &error)) << error;
  EXPECT_EQ(testing::ReadFile(dest_ / "mainnet/chainstate/current"), "index");
  EXPECT_EQ(testing::ReadFile(dest_ / "mainnet/chainstate/vm/up"), "headers");
  EXPECT_EQ(testing::ReadFile(dest_ / "mainnet/headers-link.sqlite"), "headers");
}

TEST_F(FetchTest, FullDiskIsRefusedBeforeAnyArchiveByteIsFetched) {
  const std::string archive = testing::MakeArchive(entries_, Format::kZstd);
  PublishVersioned(archive, Format::kZstd);
  RangeServer server(www_);
  FakeSpace space(archive.size() * 2);
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error, nullptr, &space));
  EXPECT_THAT(error, AllOf(HasSubstr("not enough free space"), HasSubstr("extracts to about 3.5")));
  ExpectNothingLeft();
  // Only the one-byte probe and the checksum were asked for.
  for (const auto& r : ServerLog(server)) {
    if (r["path"].get<std::string>().ends_with(".tar.zst")) {
      EXPECT_EQ(r["range"], "bytes=0-0");
    }
  }
}

TEST_F(FetchTest, RealFullDiskFailsCleanly) {
  if (::geteuid() != 0) GTEST_SKIP() << "mounting a tmpfs needs root";
  const fs::path volume = dir_ / "root/var/lib/stacks";
  fs::create_directories(volume);
  if (::mount("tmpfs", volume.c_str(), "tmpfs", 0, "size=1m") != 0) {
    GTEST_SKIP() << "cannot mount a tmpfs here: " << std::strerror(errno);
  }
  mounted_ = true;
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_);
  FakeSpace lying(100ull << 30);  // the check passes; the disk fills up anyway
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error, nullptr, &lying));
  EXPECT_THAT(error, HasSubstr("No space left on device"));
  ExpectNothingLeft();
}

// The byte a range went on from after its connection failed at `cut`: strictly inside the range
// (the client hands the body over in pieces of 64 KiB, so the bytes of a piece that a drop cuts
// short are fetched again), never its start.
uint64_t ResumedFrom(const nlohmann::json& log, uint64_t range_begin, uint64_t range_end) {
  const std::string suffix = "-" + std::to_string(range_end - 1);
  for (const auto& r : log) {
    if (!r["range"].is_string()) continue;
    const std::string range = r["range"];
    if (!range.ends_with(suffix)) continue;
    const uint64_t from = std::stoull(range.substr(6, range.find('-') - 6));
    if (from > range_begin) return from;
  }
  return 0;
}

TEST_F(FetchTest, DroppedConnectionResumesItsRange) {
  const std::string archive = testing::MakeArchive(entries_, Format::kZstd);
  PublishVersioned(archive, Format::kZstd);
  constexpr uint64_t kRange = 256 << 10;
  const uint64_t drop_at = kRange * 2 + 150000;  // inside the third range
  RangeServer server(www_, {"--drop-at", std::to_string(drop_at)});
  FetchRequest request = Request(server);
  request.chunk_size = kRange;
  request.buffer_limit = 4 * kRange;
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(request, &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_EQ(stats.retries, 1);
  const uint64_t from = ResumedFrom(ServerLog(server), kRange * 2, kRange * 3);
  EXPECT_GT(from, kRange * 2);
  EXPECT_LE(from, drop_at);
  EXPECT_THAT(log_, HasSubstr("connection closed"));
  EXPECT_THAT(log_, HasSubstr("resuming at byte " + std::to_string(from)));
  EXPECT_LT(stats.downloaded_bytes, archive.size() + kRange);  // not the whole range again
}

TEST_F(FetchTest, StalledConnectionIsGivenUpAndItsRangeResumed) {
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  constexpr uint64_t kRange = 256 << 10;
  const uint64_t stall_at = kRange + 200000;
  RangeServer server(www_, {"--stall-at", std::to_string(stall_at), "--stall-seconds", "30"});
  FetchRequest request = Request(server);
  request.chunk_size = kRange;
  request.buffer_limit = 4 * kRange;
  request.request_timeout = 1s;
  std::string error;
  FetchStats stats;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(Fetch(request, &error, &stats)) << error;
  EXPECT_LT(std::chrono::steady_clock::now() - start, 15s);
  ExpectExtracted();
  EXPECT_THAT(log_, HasSubstr("timed out"));
  const uint64_t from = ResumedFrom(ServerLog(server), kRange, 2 * kRange);
  EXPECT_GT(from, kRange);
  EXPECT_LE(from, stall_at);
}

TEST_F(FetchTest, ServiceUnavailableIsRetriedWithBackoff) {
  PublishVersioned(testing::MakeArchive(entries_, Format::kGzip), Format::kGzip);
  RangeServer server(www_, {"--fail-503", "3"});
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_GE(stats.retries, 3);
}

TEST_F(FetchTest, PersistentFailureGivesUpAndLeavesNothing) {
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_, {"--always-503"});
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, AllOf(HasSubstr("gave up after 4 tries"), HasSubstr("HTTP 503")));
  ExpectNothingLeft();
}

TEST_F(FetchTest, ServerWithoutRangesIsReadAsOneStream) {
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_, {"--no-ranges"});
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_EQ(stats.connections, 1);
  EXPECT_LE(stats.peak_buffer_bytes, 256u << 10);
  EXPECT_THAT(log_, HasSubstr("honours no range requests"));
}

TEST_F(FetchTest, OneStreamDroppedStartsAgainAndSkipsWhatItHas) {
  const std::string archive = testing::MakeArchive(entries_, Format::kGzip);
  PublishVersioned(archive, Format::kGzip);
  RangeServer server(www_, {"--no-ranges", "--drop-at", std::to_string(archive.size() / 3)});
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  ExpectExtracted();
  EXPECT_EQ(stats.retries, 1);
  EXPECT_GT(stats.downloaded_bytes, archive.size());
}

TEST_F(FetchTest, LeftoverTreeOfAKilledRunIsRemovedFirst) {
  testing::WriteFile(dest_ / "mainnet/leftover-of-a-killed-run", "partial");
  testing::WriteFile(dest_ / "mainnet/headers.sqlite", "partial");
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_);
  std::string error;
  ASSERT_TRUE(Fetch(Request(server), &error)) << error;
  ExpectExtracted();
  EXPECT_FALSE(fs::exists(dest_ / "mainnet/leftover-of-a-killed-run"));
  EXPECT_THAT(log_, HasSubstr("left without its ready marker"));
}

TEST_F(FetchTest, NothingIsDoneWhenTheMarkerExists) {
  testing::WriteFile(dest_ / ".stacks-runner-chainstate-ready", "sha256 x\n");
  RangeServer server(www_);
  std::string error;
  FetchStats stats;
  ASSERT_TRUE(Fetch(Request(server), &error, &stats)) << error;
  EXPECT_TRUE(stats.already_done);
  EXPECT_TRUE(ServerLog(server).empty());
}

TEST_F(FetchTest, TheArchiveMustHoldTheModeDirectory) {
  entries_ = {{"./", TarEntry::kDirectory, "", ""}};
  PublishVersioned(testing::MakeArchive(entries_, Format::kZstd), Format::kZstd);
  RangeServer server(www_);
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, HasSubstr("holds no mainnet/ directory"));
}

TEST_F(FetchTest, NeitherZstdNorGzipIsRefused) {
  Publish(www_ / kArchiveDir, std::string(kVersioned) + ".tar.zst", std::string(100000, 'x'));
  RangeServer server(www_);
  std::string error;
  EXPECT_FALSE(Fetch(Request(server), &error));
  EXPECT_THAT(error, HasSubstr("neither zstd nor gzip"));
  ExpectNothingLeft();
}

}  // namespace
}  // namespace sr::chainstate
