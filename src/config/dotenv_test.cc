#include "config/dotenv.h"

#include <gtest/gtest.h>

namespace sr::config {
namespace {

std::string ValueOf(const DotenvFile& f, const std::string& key) {
  std::string value = "<unset>";
  for (const auto& e : f.entries) {
    if (e.key == key) value = e.value;
  }
  return value;
}

TEST(Dotenv, ReadsTheBlueprintSampleStyle) {
  const DotenvFile f = ParseDotenv(
      "####################\n"
      "# AWS configuration\n"
      "AWS_ACCOUNT_ID=\"xxxxxxxxxxxx\"                               # The AWS account ID\n"
      "AWS_REGION=\"us-west-2\"     # AWS region for deployment. Example: \"us-west-2\"\n"
      "\n"
      "# STACKS_INSTANCE_TYPE=\"m5.large\"   # commented out\n"
      "STACKS_NODE_CONFIGURATION=\"follower\"  # Node configuration type\n"
      "# STACKS_P2P_PORT=20444\n");
  EXPECT_TRUE(f.problems.empty());
  ASSERT_EQ(f.entries.size(), 3u);
  EXPECT_EQ(f.entries[0].key, "AWS_ACCOUNT_ID");
  EXPECT_EQ(f.entries[0].value, "xxxxxxxxxxxx");
  EXPECT_EQ(f.entries[0].line, 3);
  EXPECT_EQ(ValueOf(f, "AWS_REGION"), "us-west-2");
  EXPECT_EQ(f.entries[2].line, 7);
  EXPECT_EQ(ValueOf(f, "STACKS_INSTANCE_TYPE"), "<unset>");
}

TEST(Dotenv, UnquotedValuesStopAtCommentsAndAreTrimmed) {
  const DotenvFile f = ParseDotenv("A=1024   # GiB\nB = spaced value \nC=abc#def\nD=\n");
  EXPECT_EQ(ValueOf(f, "A"), "1024");
  EXPECT_EQ(ValueOf(f, "B"), "spaced value");
  EXPECT_EQ(ValueOf(f, "C"), "abc");  // as dotenv: an unquoted # starts a comment
  EXPECT_EQ(ValueOf(f, "D"), "");
}

TEST(Dotenv, ExportPrefixAndColonForm) {
  const DotenvFile f = ParseDotenv("export STACKS_NETWORK=testnet\nexported=1\nKEY: value\n");
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(ValueOf(f, "STACKS_NETWORK"), "testnet");
  EXPECT_EQ(ValueOf(f, "exported"), "1");
  EXPECT_EQ(ValueOf(f, "KEY"), "value");
}

TEST(Dotenv, QuotesKeepHashesAndDoubleQuotesExpandNewlines) {
  const DotenvFile f = ParseDotenv(
      "A='has # hash'\nB=\"line\\nbreak\"\nC='no\\nexpansion'\nD=`back tick`\n"
      "E=\"with \\\"escaped\\\" quote\"\n");
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(ValueOf(f, "A"), "has # hash");
  EXPECT_EQ(ValueOf(f, "B"), "line\nbreak");
  EXPECT_EQ(ValueOf(f, "C"), "no\\nexpansion");
  EXPECT_EQ(ValueOf(f, "D"), "back tick");
  EXPECT_EQ(ValueOf(f, "E"), "with \\\"escaped\\\" quote");
}

TEST(Dotenv, QuotedValuesMaySpanLinesAndLineNumbersFollow) {
  const DotenvFile f = ParseDotenv("A=\"first\nsecond\"\nB=after\n");
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(ValueOf(f, "A"), "first\nsecond");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(f.entries[1].line, 3);
}

TEST(Dotenv, CrlfLineEndings) {
  const DotenvFile f = ParseDotenv("A=1\r\nB=\"two\"\r\n");
  EXPECT_TRUE(f.problems.empty());
  EXPECT_EQ(ValueOf(f, "A"), "1");
  EXPECT_EQ(ValueOf(f, "B"), "two");
}

TEST(Dotenv, ReportsLinesThatAreNotAssignments) {
  const DotenvFile f = ParseDotenv("A=1\nthis is not an assignment\n=novalue\nB=\"open\n");
  ASSERT_EQ(f.problems.size(), 3u);
  EXPECT_EQ(f.problems[0].line, 2);
  EXPECT_EQ(f.problems[1].line, 3);
  EXPECT_EQ(f.problems[2].line, 4);
  EXPECT_NE(f.problems[2].message.find("unterminated"), std::string::npos);
  EXPECT_EQ(ValueOf(f, "A"), "1");
}

TEST(Dotenv, TextAfterAClosingQuoteIsAProblem) {
  const DotenvFile f = ParseDotenv("A=\"x\" y\n");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 1);
}

TEST(Dotenv, RepeatedKeysAppearOncePerAssignment) {
  const DotenvFile f = ParseDotenv("A=1\nA=2\n");
  ASSERT_EQ(f.entries.size(), 2u);
  EXPECT_EQ(ValueOf(f, "A"), "2");
}

}  // namespace
}  // namespace sr::config
