#include "util/process.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace sr::util {
namespace {

using namespace std::chrono_literals;

TEST(SplitCommandLine, ShellLikeWords) {
  std::vector<std::string> w;
  ASSERT_TRUE(SplitCommandLine(R"(aws sso  'a b' "c \"d\" $e" f\ g)", &w));
  EXPECT_EQ(w, (std::vector<std::string>{"aws", "sso", "a b", "c \"d\" $e", "f g"}));
  EXPECT_FALSE(SplitCommandLine("echo 'open", &w));
  ASSERT_TRUE(SplitCommandLine("  ", &w));
  EXPECT_TRUE(w.empty());
}

TEST(SystemProcessRunner, CapturesOutputAndStatus) {
  SystemProcessRunner runner;
  const ProcessResult r = runner.Run({"sh", "-c", "echo out; echo err >&2; exit 3"}, 5s);
  EXPECT_TRUE(r.started);
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(SystemProcessRunner, MissingProgramAndTimeout) {
  SystemProcessRunner runner;
  const ProcessResult missing = runner.Run({"/nonexistent/program"}, 5s);
  EXPECT_FALSE(missing.started);
  EXPECT_THAT(missing.error, ::testing::HasSubstr("/nonexistent/program"));
  const ProcessResult slow = runner.Run({"sleep", "10"}, 200ms);
  EXPECT_TRUE(slow.timed_out);
  EXPECT_EQ(slow.exit_code, -1);
}

}  // namespace
}  // namespace sr::util
