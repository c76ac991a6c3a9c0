#include "keys/bytes.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace sr::keys {
namespace {

TEST(KeyBytes, HexBothWays) {
  EXPECT_EQ(ToHex(Bytes{0x00, 0x1f, 0xab, 0xff}), "001fabff");
  EXPECT_EQ(FromHex("001FabFF"), (Bytes{0x00, 0x1f, 0xab, 0xff}));
  EXPECT_EQ(FromHex(""), Bytes{});
  EXPECT_FALSE(FromHex("abc"));
  EXPECT_FALSE(FromHex("0g"));
  EXPECT_FALSE(FromHex(" 00"));
}

TEST(KeyBytes, WipeEmptiesAndOverwrites) {
  std::string s = "a secret value that is long enough to live on the heap";
  const char* data = s.data();
  const size_t size = s.size();
  Wipe(s);
  EXPECT_TRUE(s.empty());
  // The buffer is still the string's own (clear keeps the capacity), so reading it is defined.
  for (size_t i = 0; i < size; ++i) EXPECT_EQ(data[i], '\0') << i;
  Bytes b = {1, 2, 3};
  Wipe(b);
  EXPECT_TRUE(b.empty());
}

TEST(KeyBytes, RandomHexAndUuids) {
  std::set<std::string> seen;
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  for (int i = 0; i < 50; ++i) {
    const std::string u = RandomUuid();
    EXPECT_TRUE(std::regex_match(u, uuid)) << u;
    seen.insert(u);
    const std::string h = RandomHex(32);
    EXPECT_EQ(h.size(), 64u);
    seen.insert(h);
  }
  EXPECT_EQ(seen.size(), 100u);
}

}  // namespace
}  // namespace sr::keys
