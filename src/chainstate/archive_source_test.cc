#include "chainstate/archive_source.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::chainstate {
namespace {

using ::testing::ElementsAre;

TEST(ArchiveSource, CandidatesFollowHiroNamingBestFirst) {
  const std::string base = "https://archive.hiro.so/mainnet/stacks-blockchain/";
  EXPECT_THAT(CandidateUrls(config::MainnetProfile(), "4.0.2", ""),
              ElementsAre(base + "mainnet-stacks-blockchain-4.0.2-latest.tar.zst",
                          base + "mainnet-stacks-blockchain-4.0.2-latest.tar.gz",
                          base + "mainnet-stacks-blockchain-latest.tar.zst",
                          base + "mainnet-stacks-blockchain-latest.tar.gz"));
  EXPECT_THAT(CandidateUrls(config::TestnetProfile(), "latest", "https://m.example/a.tar.zst"),
              ElementsAre("https://m.example/a.tar.zst",
                          "https://archive.hiro.so/testnet/stacks-blockchain/"
                          "testnet-stacks-blockchain-latest.tar.zst",
                          "https://archive.hiro.so/testnet/stacks-blockchain/"
                          "testnet-stacks-blockchain-latest.tar.gz"));
}

TEST(ArchiveSource, ChecksumFiles) {
  const std::string digest(64, 'a');
  EXPECT_EQ(ParseSha256File(digest + "  mainnet.tar.zst\n"), digest);
  EXPECT_EQ(ParseSha256File("  " + std::string(64, 'F') + "\n"), std::string(64, 'f'));
  EXPECT_EQ(ParseSha256File(digest), digest);
  EXPECT_FALSE(ParseSha256File(std::string(63, 'a') + "  x"));
  EXPECT_FALSE(ParseSha256File(std::string(64, 'g')));
  EXPECT_FALSE(ParseSha256File("<html>not found</html>"));
  EXPECT_FALSE(ParseSha256File(""));
}

TEST(ArchiveSource, ContentRange) {
  auto r = ParseContentRange("bytes 0-0/321000000000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->total, 321000000000u);
  r = ParseContentRange("bytes 100-199/200");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 100u);
  EXPECT_EQ(r->last, 199u);
  EXPECT_FALSE(ParseContentRange("bytes */200"));
  EXPECT_FALSE(ParseContentRange("bytes 0-200/200"));
  EXPECT_FALSE(ParseContentRange("items 0-1/2"));
}

TEST(ArchiveSource, ResourcesKeepTheirQueryAndHideItInLogs) {
  std::string error;
  auto r = ParseResource("https://storage.example/b/a.tar.zst?X-Sig=ab%2Fc&x=1", &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->target, "/b/a.tar.zst?X-Sig=ab%2Fc&x=1");
  EXPECT_EQ(r->ForLog(), "https://storage.example/b/a.tar.zst");
  auto moved = ResolveLocation(*r, "/other/path.tar.zst", &error);
  ASSERT_TRUE(moved);
  EXPECT_EQ(moved->ToString(), "https://storage.example/other/path.tar.zst");
  EXPECT_FALSE(ParseResource("ftp://x/y", &error));
  EXPECT_FALSE(ParseResource("https://host", &error));
}

}  // namespace
}  // namespace sr::chainstate
