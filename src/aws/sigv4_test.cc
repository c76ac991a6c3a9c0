// The SigV4 signer against both copies of AWS's test suite in tests/data/sigv4-suite (one named
// test per vector), and unit tests of each step.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <tuple>

namespace sr::aws {
namespace {

namespace fs = std::filesystem;
using std::chrono::sys_days;
using namespace std::chrono_literals;

const fs::path kSuiteDir = fs::path(STACKS_RUNNER_SOURCE_DIR) / "tests/data/sigv4-suite";

// The suite's constants (SOURCE.txt of each layout).
constexpr char kSuiteAccessKey[] = "AKIDEXAMPLE";
constexpr char kSuiteSecret[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kSuiteRegion[] = "us-east-1";
constexpr char kSuiteService[] = "service";
const std::chrono::system_clock::time_point kSuiteTime =
    sys_days{std::chrono::year{2015} / 8 / 30} + 12h + 36min;

// AWS's documentation examples (S3 API reference, "Signature Calculations for the Authorization
// Header").
const Credentials kDocCredentials{"AKIAIOSFODNN7EXAMPLE",
                                  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const std::chrono::system_clock::time_point kDocTime = sys_days{std::chrono::year{2013} / 5 / 24};

HttpRequest MakeRequest(std::string method, std::string host, std::string path = "/") {
  HttpRequest request;
  request.method = std::move(method);
  request.host = std::move(host);
  request.path = std::move(path);
  return request;
}

SigningParams MakeParams(std::string region, std::string service,
                         std::chrono::system_clock::time_point time, bool s3 = false) {
  SigningParams params;
  params.region = std::move(region);
  params.service = std::move(service);
  params.time = time;
  params.s3 = s3;
  return params;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// ---------------------------------------------------------------------------------------------
// Raw HTTP requests as the suites write them: "METHOD target HTTP/1.1", "Name:value" lines (a
// line starting with a blank continues the previous value), a blank line, the body. The target
// may contain spaces and raw UTF-8.

struct RawRequest {
  std::string method;
  std::string target;
  NameValueList headers;
  std::string body;
};

RawRequest ParseRawRequest(std::string_view text) {
  RawRequest raw;
  const size_t blank = text.find("\n\n");
  std::string_view head = text.substr(0, blank);
  if (blank != std::string_view::npos) raw.body = text.substr(blank + 2);
  bool first = true;
  while (!head.empty()) {
    const size_t eol = head.find('\n');
    const std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 1);
    if (first) {
      const size_t method_end = line.find(' ');
      const size_t version_start = line.rfind(' ');
      raw.method = line.substr(0, method_end);
      raw.target = line.substr(method_end + 1, version_start - method_end - 1);
      first = false;
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !raw.headers.empty()) {
      raw.headers.back().second += '\n';
      raw.headers.back().second += line;
    } else {
      const size_t colon = line.find(':');
      raw.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
    }
  }
  return raw;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
        HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

NameValueList ParseQuery(std::string_view query) {
  NameValueList pairs;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    const std::string_view name = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    pairs.emplace_back(PercentDecode(name), PercentDecode(value));
  }
  return pairs;
}

HttpRequest ToHttpRequest(const RawRequest& raw) {
  HttpRequest request;
  request.method = raw.method;
  const size_t question = raw.target.find('?');
  request.path = raw.target.substr(0, question);
  if (question != std::string::npos) request.query = ParseQuery(raw.target.substr(question + 1));
  request.headers = raw.headers;
  if (const std::string* host = FindHeader(request, "Host")) request.host = *host;
  request.body = raw.body;
  return request;
}

// Lowercase names with their values, sorted: header order is not part of a signed request.
NameValueList SortedHeaders(const NameValueList& headers) {
  NameValueList sorted;
  for (const auto& [name, value] : headers) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sorted.emplace_back(lower, value);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return sorted;
}

std::string TestName(std::string text) {
  for (char& c : text) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// botocore layout: <case>/<case>.req with .creq, .sts and .authz to match exactly, some cases
// nested one level (normalize-path/, post-sts-token/). The .sreq files are not checked: the
// suite's get-vanilla-with-session-token.sreq carries the signature of get-vanilla, not the
// one of its own .authz.

std::vector<std::string> BotocoreCases() {
  std::vector<std::string> cases;
  const fs::path root = kSuiteDir / "botocore";
  if (!fs::is_directory(root)) return cases;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::path& p = entry.path();
    if (p.extension() == ".req" && p.stem() == p.parent_path().filename()) {
      cases.push_back(fs::relative(p.parent_path(), root).generic_string());
    }
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

class Sigv4BotocoreVector : public ::testing::TestWithParam<std::string> {};

TEST_P(Sigv4BotocoreVector, MatchesCanonicalRequestStringToSignAndAuthorization) {
  const fs::path dir = kSuiteDir / "botocore" / GetParam();
  const fs::path stem = dir / dir.filename();
  const auto req = ReadFile(stem.string() + ".req");
  const auto creq = ReadFile(stem.string() + ".creq");
  const auto sts = ReadFile(stem.string() + ".sts");
  const auto authz = ReadFile(stem.string() + ".authz");
  ASSERT_TRUE(req && creq && sts && authz) << "incomplete vector " << dir;

  // The session token of the token cases is the value of the .creq's x-amz-security-token line.
  Credentials credentials{kSuiteAccessKey, kSuiteSecret, ""};
  constexpr std::string_view kTokenLine = "\nx-amz-security-token:";
  if (const size_t at = creq->find(kTokenLine); at != std::string::npos) {
    const size_t start = at + kTokenLine.size();
    credentials.session_token = creq->substr(start, creq->find('\n', start) - start);
  }
  const SigningParams params = MakeParams(kSuiteRegion, kSuiteService, kSuiteTime);

  SigningTrace trace;
  const HttpRequest signed_request =
      Sign(ToHttpRequest(ParseRawRequest(*req)), credentials, params, &trace);
  EXPECT_EQ(trace.canonical_request, *creq);
  EXPECT_EQ(trace.string_to_sign, *sts);
  const std::string* authorization = FindHeader(signed_request, "Authorization");
  ASSERT_NE(authorization, nullptr);
  EXPECT_EQ(*authorization, *authz);
}

INSTANTIATE_TEST_SUITE_P(Sigv4Suite, Sigv4BotocoreVector, ::testing::ValuesIn(BotocoreCases()),
                         [](const auto& p) { return TestName(p.param); });

// ---------------------------------------------------------------------------------------------
// aws-c-auth layout: <case>/request.txt and context.json, then header-*.txt for signing in the
// Authorization header and query-*.txt for presigned URLs (X-Amz-* query parameters). Presigning
// is not implemented (the tool signs every request in its Authorization header), so each case's
// query variant is a test that is skipped, with that reason: 38 skipped tests.

struct AwsCAuthVector {
  std::string name;
  bool query_signing = false;
};

std::vector<AwsCAuthVector> AwsCAuthCases() {
  std::vector<AwsCAuthVector> cases;
  const fs::path root = kSuiteDir / "aws-c-auth";
  if (!fs::is_directory(root)) return cases;
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!fs::is_regular_file(entry.path() / "request.txt")) continue;
    cases.push_back({entry.path().filename().string(), false});
    cases.push_back({entry.path().filename().string(), true});
  }
  std::sort(cases.begin(), cases.end(), [](const auto& a, const auto& b) {
    return std::tie(a.name, a.query_signing) < std::tie(b.name, b.query_signing);
  });
  return cases;
}

std::chrono::system_clock::time_point ParseIsoTime(const std::string& text) {
  int year = 0;
  unsigned month = 0, day = 0;
  int hour = 0, minute = 0, second = 0;
  if (std::sscanf(text.c_str(), "%d-%u-%uT%d:%d:%dZ", &year, &month, &day, &hour, &minute,
                  &second) != 6) {
    ADD_FAILURE() << "bad timestamp " << text;
  }
  return sys_days{std::chrono::year{year} / std::chrono::month{month} / std::chrono::day{day}} +
         std::chrono::hours{hour} + std::chrono::minutes{minute} + std::chrono::seconds{second};
}

class Sigv4AwsCAuthVector : public ::testing::TestWithParam<AwsCAuthVector> {};

TEST_P(Sigv4AwsCAuthVector, Matches) {
  if (GetParam().query_signing) {
    GTEST_SKIP() << "presigned-URL (query-string) signing is not implemented";
  }
  const fs::path dir = kSuiteDir / "aws-c-auth" / GetParam().name;
  const auto context_text = ReadFile(dir / "context.json");
  const auto request_text = ReadFile(dir / "request.txt");
  const auto creq = ReadFile(dir / "header-canonical-request.txt");
  const auto sts = ReadFile(dir / "header-string-to-sign.txt");
  const auto signature = ReadFile(dir / "header-signature.txt");
  const auto signed_text = ReadFile(dir / "header-signed-request.txt");
  ASSERT_TRUE(context_text && request_text && creq && sts && signature && signed_text)
      << "incomplete vector " << dir;

  const nlohmann::json context = nlohmann::json::parse(*context_text);
  const nlohmann::json& keys = context.at("credentials");
  Credentials credentials{keys.at("access_key_id"), keys.at("secret_access_key"),
                          keys.value("token", "")};
  // omit_session_token: the token goes into the request after signing, outside the signature.
  const bool token_after_signing = context.value("omit_session_token", false);
  const std::string token = credentials.session_token;
  if (token_after_signing) credentials.session_token.clear();
  SigningParams params = MakeParams(context.at("region"), context.at("service"),
                                    ParseIsoTime(context.at("timestamp")));
  params.add_content_sha256 = context.at("sign_body").get<bool>();
  params.normalize_path = context.at("normalize").get<bool>();

  const RawRequest raw = ParseRawRequest(*request_text);
  SigningTrace trace;
  HttpRequest signed_request = Sign(ToHttpRequest(raw), credentials, params, &trace);
  if (token_after_signing) SetHeader(signed_request, "X-Amz-Security-Token", token);
  EXPECT_EQ(trace.canonical_request, *creq);
  EXPECT_EQ(trace.string_to_sign, *sts);
  EXPECT_EQ(trace.signature, *signature);

  const RawRequest expected = ParseRawRequest(*signed_text);
  EXPECT_EQ(signed_request.method, expected.method);
  EXPECT_EQ(raw.target, expected.target);
  EXPECT_EQ(SortedHeaders(signed_request.headers), SortedHeaders(expected.headers));
  EXPECT_EQ(signed_request.body, expected.body);
}

INSTANTIATE_TEST_SUITE_P(Sigv4Suite, Sigv4AwsCAuthVector, ::testing::ValuesIn(AwsCAuthCases()),
                         [](const auto& p) {
                           return TestName(p.param.name) +
                                  (p.param.query_signing ? "_QuerySigning" : "_HeaderSigning");
                         });

// Guards against a suite silently shrinking (a missing folder instantiates no test at all).
TEST(Sigv4Suite, HasEveryVector) {
  EXPECT_EQ(BotocoreCases().size(), 34u) << kSuiteDir;
  EXPECT_EQ(AwsCAuthCases().size(), 2 * 38u) << kSuiteDir;
}

// ---------------------------------------------------------------------------------------------
// The steps.

TEST(Sigv4UriEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(UriEncode("AZaz09-._~"), "AZaz09-._~");
  EXPECT_EQ(UriEncode("a b+c*d%e=f&g/h"), "a%20b%2Bc%2Ad%25e%3Df%26g%2Fh");
  EXPECT_EQ(UriEncode("a b/c", /*keep_slash=*/true), "a%20b/c");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4"), "%E1%88%B4");  // UTF-8 bytes, uppercase hex
  EXPECT_EQ(UriEncode(std::string("\0\xff", 2)), "%00%FF");
}

TEST(Sigv4UriEncode, FormBodiesUsePercentTwentyForSpaces) {
  EXPECT_EQ(EncodeQuery({{"Action", "DescribeStacks"}, {"StackName", "my stack+1"}, {"E", ""}}),
            "Action=DescribeStacks&StackName=my%20stack%2B1&E=");
  HttpRequest request = MakeRequest("GET", "h", "/p");
  request.query = {{"a", "1 2"}};
  EXPECT_EQ(RequestTarget(request), "/p?a=1%202");
  request.query.clear();
  EXPECT_EQ(RequestTarget(request), "/p");
}

TEST(Sigv4Path, NormalizesLikeBotocore) {
  EXPECT_EQ(NormalizePath(""), "/");
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePath("//"), "/");
  EXPECT_EQ(NormalizePath("/./"), "/");
  EXPECT_EQ(NormalizePath("/a/b/../.."), "/");
  EXPECT_EQ(NormalizePath("/../a"), "/a");
  EXPECT_EQ(NormalizePath("//a//b//"), "/a/b/");
  EXPECT_EQ(NormalizePath("/a/./b/."), "/a/b");
}

TEST(Sigv4Path, EncodesTwiceExceptForS3) {
  const PathRules service = PathRulesFor(MakeParams("us-east-1", "cloudformation", kDocTime));
  const PathRules s3 = PathRulesFor(MakeParams("us-east-1", "s3", kDocTime, /*s3=*/true));
  EXPECT_EQ(CanonicalUri("/a%20b/%E1%88%B4", service), "/a%2520b/%25E1%2588%25B4");
  EXPECT_EQ(CanonicalUri("/a%20b/%E1%88%B4", s3), "/a%20b/%E1%88%B4");
  EXPECT_EQ(CanonicalUri("/bucket//a/./b/../c", s3), "/bucket//a/./b/../c");
  EXPECT_EQ(CanonicalUri("/x//a/./b/../c", service), "/x/a/c");
  EXPECT_EQ(CanonicalUri("", service), "/");
  EXPECT_EQ(CanonicalUri("/a/../b", PathRules{.normalize = false, .encode = true}), "/a/../b");
}

TEST(Sigv4Query, SortsByEncodedNameThenValue) {
  EXPECT_EQ(CanonicalQuery({}), "");
  EXPECT_EQ(CanonicalQuery({{"b", "2"}, {"a", "z"}, {"a", "y"}, {"B", ""}}), "B=&a=y&a=z&b=2");
  // Sorted after encoding: "%20" < "%2B" < "_", and "%" sorts before letters.
  EXPECT_EQ(CanonicalQuery({{"a_b", "3"}, {"a+b", "2"}, {"a b", "1"}, {"\xC3\xA9", "4"}}),
            "%C3%A9=4&a%20b=1&a%2Bb=2&a_b=3");
  EXPECT_EQ(CanonicalQuery({{"prefix", "a/b c"}, {"empty", ""}}), "empty=&prefix=a%2Fb%20c");
}

TEST(Sigv4Headers, TrimsAndCollapsesWhitespace) {
  EXPECT_EQ(CanonicalHeaderValue("  value1  "), "value1");
  EXPECT_EQ(CanonicalHeaderValue("\"a   b   c\""), "\"a b c\"");
  EXPECT_EQ(CanonicalHeaderValue("value1\n  value2\n\t value3\r\n"), "value1 value2 value3");
  EXPECT_EQ(CanonicalHeaderValue(""), "");
  EXPECT_EQ(CanonicalHeaderValue(" \t "), "");
}

TEST(Sigv4Headers, SignsEveryHeaderButHopByHopOnes) {
  HttpRequest request = MakeRequest("POST", "sts.amazonaws.com");
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"User-Agent", "stacks-runner/0.1"},
                     {"Expect", "100-continue"},
                     {"X-Amzn-Trace-Id", "Root=1"},
                     {"Connection", "keep-alive"},
                     {"Transfer-Encoding", "chunked"},
                     {"Authorization", "old"},
                     {"X-Amz-Target", "A.B"},
                     {"x-amz-target", "C"}};
  EXPECT_EQ(SignedHeaderNames(request),
            (std::vector<std::string>{"content-type", "host", "x-amz-target"}));
}

TEST(Sigv4Headers, HostHeaderWinsOverRequestHost) {
  HttpRequest request = MakeRequest("GET", "127.0.0.1:4566");
  const std::string without = CanonicalRequest(request, {"host"}, "h", PathRules{});
  EXPECT_NE(without.find("\nhost:127.0.0.1:4566\n"), std::string::npos) << without;
  request.headers = {{"Host", "localhost.localstack.cloud:4566"}};
  const std::string with = CanonicalRequest(request, {"host"}, "h", PathRules{});
  EXPECT_NE(with.find("\nhost:localhost.localstack.cloud:4566\n"), std::string::npos) << with;
}

TEST(Sigv4Date, FormatsUtcSecondsAndScope) {
  EXPECT_EQ(AmzDate(std::chrono::system_clock::time_point{}), "19700101T000000Z");
  EXPECT_EQ(AmzDate(kSuiteTime + 999ms), "20150830T123600Z");
  EXPECT_EQ(AmzDate(sys_days{std::chrono::year{2024} / 2 / 29} + 23h + 59min + 59s),
            "20240229T235959Z");
  EXPECT_EQ(CredentialScope("20150830T123600Z", "eu-west-1", "ssm"),
            "20150830/eu-west-1/ssm/aws4_request");
}

// AWS's documented key-derivation example (secret of the suite, 20120215, us-east-1, iam).
TEST(Sigv4Key, DerivesTheDocumentedSigningKey) {
  EXPECT_EQ(util::HexEncode(SigningKey(kSuiteSecret, "20120215T000000Z", "us-east-1", "iam")),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

// The GET Object example of the S3 API reference (header-based auth, hashed empty payload).
TEST(Sigv4S3, SignsTheDocumentedGetObject) {
  HttpRequest request = MakeRequest("GET", "examplebucket.s3.amazonaws.com", "/test.txt");
  request.headers = {{"Range", "bytes=0-9"}};
  const HttpRequest signed_request =
      Sign(request, kDocCredentials, MakeParams("us-east-1", "s3", kDocTime, /*s3=*/true));
  EXPECT_EQ(*FindHeader(signed_request, "x-amz-content-sha256"), util::Sha256Hex(""));
  EXPECT_EQ(*FindHeader(signed_request, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

// The PUT Object example of the same reference: hashed body, '$' in the key, a Date header.
TEST(Sigv4S3, SignsTheDocumentedPutObjectWithAHashedBody) {
  HttpRequest request = MakeRequest("PUT", "examplebucket.s3.amazonaws.com",
                                    "/" + UriEncode("test$file.text", /*keep_slash=*/true));
  request.headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                     {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
  request.body = "Welcome to Amazon S3.";
  SigningTrace trace;
  const HttpRequest signed_request =
      Sign(request, kDocCredentials, MakeParams("us-east-1", "s3", kDocTime, /*s3=*/true), &trace);
  EXPECT_TRUE(trace.canonical_request.starts_with("PUT\n/test%24file.text\n\n"));
  EXPECT_EQ(*FindHeader(signed_request, "x-amz-content-sha256"),
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(*FindHeader(signed_request, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class, "
            "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(Sigv4S3, UnsignedPayloadIsSignedAsTheLiteralAndSentInTheHeader) {
  HttpRequest request = MakeRequest("PUT", "bucket.s3.eu-west-1.amazonaws.com",
                                    "/" + UriEncode("chainstate/a b+c.tar.gz", true));
  request.body = "large body";
  SigningParams params = MakeParams("eu-west-1", "s3", kDocTime, /*s3=*/true);
  params.unsigned_payload = true;
  SigningTrace trace;
  const HttpRequest signed_request = Sign(request, kDocCredentials, params, &trace);
  EXPECT_EQ(*FindHeader(signed_request, "X-Amz-Content-Sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_TRUE(trace.canonical_request.starts_with("PUT\n/chainstate/a%20b%2Bc.tar.gz\n\n"))
      << trace.canonical_request;
  EXPECT_TRUE(
      trace.canonical_request.ends_with("\nhost;x-amz-content-sha256;x-amz-date\nUNSIGNED-PAYLOAD"))
      << trace.canonical_request;
  EXPECT_EQ(signed_request.body, "large body");
}

TEST(Sigv4Sign, ContentSha256ForOtherServicesOnlyWhenAsked) {
  HttpRequest request = MakeRequest("POST", "ssm.us-east-1.amazonaws.com");
  request.body = "{}";
  SigningParams params = MakeParams("us-east-1", "ssm", kDocTime);
  EXPECT_EQ(FindHeader(Sign(request, kDocCredentials, params), "x-amz-content-sha256"), nullptr);
  params.add_content_sha256 = true;
  SigningTrace trace;
  const HttpRequest signed_request = Sign(request, kDocCredentials, params, &trace);
  EXPECT_EQ(*FindHeader(signed_request, "x-amz-content-sha256"), util::Sha256Hex("{}"));
  EXPECT_TRUE(trace.canonical_request.ends_with("x-amz-date\n" + util::Sha256Hex("{}")));
}

TEST(Sigv4Sign, SessionTokenIsSentAndSigned) {
  HttpRequest request = MakeRequest("POST", "sts.amazonaws.com");
  request.headers = {{"x-amz-security-token", "stale"}};
  Credentials credentials = kDocCredentials;
  credentials.session_token = "FwoGZXIvYXdzEXAMPLE//+token==";
  SigningTrace trace;
  const HttpRequest signed_request =
      Sign(request, credentials, MakeParams("us-east-1", "sts", kDocTime), &trace);
  int token_headers = 0;
  for (const auto& header : signed_request.headers) {
    if (EqualsIgnoreCase(header.first, "x-amz-security-token")) ++token_headers;
  }
  EXPECT_EQ(token_headers, 1);
  EXPECT_EQ(*FindHeader(signed_request, "X-Amz-Security-Token"), credentials.session_token);
  EXPECT_NE(trace.canonical_request.find("\nx-amz-security-token:" + credentials.session_token),
            std::string::npos);
  EXPECT_NE(FindHeader(signed_request, "Authorization")->find("x-amz-date;x-amz-security-token"),
            std::string::npos);
}

TEST(Sigv4Sign, ResigningReplacesTheSigningHeaders) {
  const SigningParams params = MakeParams("us-east-1", "sts", kDocTime);
  HttpRequest request = MakeRequest("POST", "sts.amazonaws.com");
  request.body = "Action=X";
  const HttpRequest once = Sign(request, kDocCredentials, params);
  SigningParams later = params;
  later.time += 5min;
  const HttpRequest twice = Sign(once, kDocCredentials, later);
  const HttpRequest fresh = Sign(request, kDocCredentials, later);
  EXPECT_EQ(SortedHeaders(twice.headers), SortedHeaders(fresh.headers));
  EXPECT_EQ(twice.headers.size(), 2u);  // X-Amz-Date, Authorization
  EXPECT_EQ(*FindHeader(twice, "X-Amz-Date"), "20130524T000500Z");
}

TEST(Sigv4Sign, NeverReturnsTheSecret) {
  HttpRequest request = MakeRequest("POST", "secretsmanager.us-east-1.amazonaws.com");
  request.headers = {{"X-Amz-Target", "secretsmanager.GetSecretValue"}};
  request.body = R"({"SecretId":"stacks"})";
  Credentials credentials = kDocCredentials;
  credentials.session_token = "token";
  SigningTrace trace;
  const HttpRequest signed_request =
      Sign(request, credentials, MakeParams("us-east-1", "secretsmanager", kDocTime), &trace);
  for (const std::string& text : {trace.canonical_request, trace.string_to_sign, trace.signature}) {
    EXPECT_EQ(text.find(credentials.secret_access_key), std::string::npos) << text;
  }
  for (const auto& [name, value] : signed_request.headers) {
    EXPECT_EQ(value.find(credentials.secret_access_key), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace sr::aws
