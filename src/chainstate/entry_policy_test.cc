#include "chainstate/entry_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::chainstate {
namespace {

using ::testing::HasSubstr;

std::string Normalized(std::string_view name) {
  std::string out, error;
  EXPECT_TRUE(NormalizeMemberName(name, &out, &error)) << error;
  return out;
}

std::string Refused(std::string_view name, EntryKind kind, std::string_view target = "") {
  EntryDecision d;
  std::string error;
  EXPECT_FALSE(CheckEntry("mainnet", name, kind, target, &d, &error)) << name;
  return error;
}

bool Accepted(std::string_view name, EntryKind kind, std::string_view target = "") {
  EntryDecision d;
  std::string error;
  const bool ok = CheckEntry("mainnet", name, kind, target, &d, &error);
  EXPECT_TRUE(ok) << name << ": " << error;
  return ok;
}

TEST(EntryPolicy, NormalizesNames) {
  EXPECT_EQ(Normalized("./mainnet//chainstate/./x/"), "mainnet/chainstate/x");
  EXPECT_EQ(Normalized("./"), "");
  EXPECT_EQ(Normalized("."), "");
  std::string out, error;
  EXPECT_FALSE(NormalizeMemberName("/etc/passwd", &out, &error));
  EXPECT_THAT(error, HasSubstr("absolute"));
  EXPECT_FALSE(NormalizeMemberName("mainnet/../x", &out, &error));
  EXPECT_THAT(error, HasSubstr("'..'"));
  EXPECT_FALSE(NormalizeMemberName("", &out, &error));
}

TEST(EntryPolicy, EverythingUnderTheModeDirectory) {
  EXPECT_TRUE(Accepted("mainnet/", EntryKind::kDirectory));
  EXPECT_TRUE(Accepted("mainnet/headers.sqlite", EntryKind::kFile));
  EntryDecision d;
  std::string error;
  ASSERT_TRUE(CheckEntry("mainnet", "./", EntryKind::kDirectory, "", &d, &error));
  EXPECT_TRUE(d.skip);
  EXPECT_THAT(Refused("krypton/x", EntryKind::kFile), HasSubstr("another network"));
  EXPECT_THAT(Refused("mainnet-old/x", EntryKind::kFile), HasSubstr("outside mainnet/"));
  EXPECT_THAT(Refused("README", EntryKind::kFile), HasSubstr("outside mainnet/"));
  EXPECT_THAT(Refused(".", EntryKind::kFile), HasSubstr("not a directory"));
  EXPECT_THAT(Refused("mainnet", EntryKind::kFile), HasSubstr("must be a directory"));
  EXPECT_THAT(Refused("mainnet/dev", EntryKind::kOther), HasSubstr("device"));
}

TEST(EntryPolicy, SymbolicLinksStayInside) {
  EXPECT_TRUE(Accepted("mainnet/a", EntryKind::kSymlink, "chainstate/x"));
  EXPECT_TRUE(Accepted("mainnet/a/b/c", EntryKind::kSymlink, "../../x"));
  EXPECT_TRUE(Accepted("mainnet/a/b", EntryKind::kSymlink, "./../x"));
  EXPECT_TRUE(Accepted("mainnet/a", EntryKind::kSymlink, "."));
  EXPECT_THAT(Refused("mainnet/a", EntryKind::kSymlink, "/etc"), HasSubstr("points outside"));
  EXPECT_THAT(Refused("mainnet/a", EntryKind::kSymlink, ".."), HasSubstr("points outside"));
  EXPECT_THAT(Refused("mainnet/a/b", EntryKind::kSymlink, "../../x"), HasSubstr("outside"));
  // ".." after a name could climb out through another link: refused even when it looks inside.
  EXPECT_THAT(Refused("mainnet/a/b", EntryKind::kSymlink, "c/../x"), HasSubstr("outside"));
  EXPECT_THAT(Refused("mainnet/a", EntryKind::kSymlink, ""), HasSubstr("outside"));
}

TEST(EntryPolicy, HardLinksStayInside) {
  EXPECT_TRUE(Accepted("mainnet/b", EntryKind::kHardlink, "./mainnet/a"));
  EXPECT_THAT(Refused("mainnet/b", EntryKind::kHardlink, "/etc/passwd"), HasSubstr("outside"));
  EXPECT_THAT(Refused("mainnet/b", EntryKind::kHardlink, "mainnet/../x"), HasSubstr("outside"));
  EXPECT_THAT(Refused("mainnet/b", EntryKind::kHardlink, "krypton/a"), HasSubstr("outside"));
  EXPECT_THAT(Refused("mainnet/b", EntryKind::kHardlink, "mainnet"), HasSubstr("outside"));
}

}  // namespace
}  // namespace sr::chainstate
