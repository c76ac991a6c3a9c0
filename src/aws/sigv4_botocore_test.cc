// Cross-check of the SigV4 signer against botocore, an independent implementation: realistic
// requests of every service the tool calls, with and without a session token, are signed here and
// by tests/sigv4/botocore_sign.py (one run for all), and must carry the same Authorization and the
// same headers. Needs python3 with botocore (Debian: python3-botocore); without it the tests fail.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "aws/sigv4.h"

namespace sr::aws {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using nlohmann::json;

const std::chrono::system_clock::time_point kTime =
    std::chrono::sys_days{std::chrono::year{2026} / 3 / 14} + 15h + 9min + 26s;
const Credentials kLongTermKeys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                ""};
constexpr char kSessionToken[] =
    "IQoJb3JpZ2luX2VjEXAMPLE//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+session/token=padding==";
constexpr char kUserAgent[] = "stacks-runner/0.1.0";

struct CrossCheckCase {
  std::string name;
  HttpRequest request;
  SigningParams params;
  Credentials credentials;
};

HttpRequest MakeRequest(std::string method, std::string host, std::string path = "/") {
  HttpRequest request;
  request.method = std::move(method);
  request.host = std::move(host);
  request.path = std::move(path);
  request.headers = {{"User-Agent", kUserAgent}};  // left unsigned by both sides
  return request;
}

SigningParams MakeParams(std::string service, std::string region = "us-east-1") {
  SigningParams params;
  params.region = std::move(region);
  params.service = std::move(service);
  params.time = kTime;
  params.s3 = params.service == "s3";
  return params;
}

// Query protocol (CloudFormation, EC2, STS, CloudWatch, Auto Scaling): a form-encoded POST.
HttpRequest QueryCall(std::string host, const NameValueList& form) {
  HttpRequest request = MakeRequest("POST", std::move(host));
  request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.body = EncodeQuery(form);
  return request;
}

// JSON 1.1 protocol (SSM, Secrets Manager, CloudWatch Logs): a JSON POST naming its operation.
HttpRequest JsonCall(std::string host, std::string target, std::string body) {
  HttpRequest request = MakeRequest("POST", std::move(host));
  request.headers.emplace_back("Content-Type", "application/x-amz-json-1.1");
  request.headers.emplace_back("X-Amz-Target", std::move(target));
  request.body = std::move(body);
  return request;
}

std::string S3Path(std::string_view key) { return "/" + UriEncode(key, /*keep_slash=*/true); }

constexpr char kTemplateBody[] =
    R"json({"AWSTemplateFormatVersion":"2010-09-09",)json"
    R"json("Description":"Stacks node — déploiement ✓ 🚀 (a+b=c&d)",)json"
    R"json("Parameters":{"StacksNetwork":{"Type":"String","Default":"mainnet"}},)json"
    R"json("Resources":{"Bucket":{"Type":"AWS::S3::Bucket","Properties":{"Tags":)json"
    R"json([{"Key":"Name","Value":"stacks node\n\"quoted\"\ttab"}]}}}})json";

std::vector<CrossCheckCase> ServiceCalls() {
  std::vector<CrossCheckCase> calls;
  auto add = [&calls](std::string name, HttpRequest request, SigningParams params) {
    calls.push_back({std::move(name), std::move(request), std::move(params), kLongTermKeys});
  };

  add("CloudFormationCreateChangeSet",
      QueryCall("cloudformation.us-east-1.amazonaws.com",
                {{"Action", "CreateChangeSet"},
                 {"Version", "2010-05-15"},
                 {"StackName", "stacks-node-mainnet"},
                 {"ChangeSetName", "stacks-runner-20260314T150926Z"},
                 {"ChangeSetType", "CREATE"},
                 {"TemplateBody", kTemplateBody},
                 {"Parameters.member.1.ParameterKey", "StacksNetwork"},
                 {"Parameters.member.1.ParameterValue", "mainnet"},
                 {"Parameters.member.2.ParameterKey", "BitcoinRpcPassword"},
                 {"Parameters.member.2.UsePreviousValue", "true"},
                 {"Parameters.member.3.ParameterKey", "AllowedCidr"},
                 {"Parameters.member.3.ParameterValue", "203.0.113.0/24"},
                 {"Capabilities.member.1", "CAPABILITY_NAMED_IAM"},
                 {"Tags.member.1.Key", "Project"},
                 {"Tags.member.1.Value", "stacks runner ✓"}}),
      MakeParams("cloudformation"));
  HttpRequest events = MakeRequest("GET", "cloudformation.eu-central-1.amazonaws.com");
  events.query = {{"Action", "DescribeStackEvents"},
                  {"StackName", "stacks-node-mainnet"},
                  {"NextToken", "AAAA/bbb+CCC=="},
                  {"Version", "2010-05-15"}};
  add("CloudFormationDescribeStackEventsGet", events, MakeParams("cloudformation", "eu-central-1"));
  add("CloudFormationOnLocalStack",
      QueryCall("127.0.0.1:4566", {{"Action", "DescribeStacks"},
                                   {"Version", "2010-05-15"},
                                   {"StackName", "stacks-node-testnet"}}),
      MakeParams("cloudformation"));
  add("Ec2DescribeVpcs",
      QueryCall("ec2.us-west-2.amazonaws.com", {{"Action", "DescribeVpcs"},
                                                {"Version", "2016-11-15"},
                                                {"Filter.1.Name", "tag:Name"},
                                                {"Filter.1.Value.1", "stacks-node *"},
                                                {"Filter.2.Name", "is-default"},
                                                {"Filter.2.Value.1", "false"}}),
      MakeParams("ec2", "us-west-2"));
  add("StsGetCallerIdentity",
      QueryCall("sts.us-east-1.amazonaws.com",
                {{"Action", "GetCallerIdentity"}, {"Version", "2011-06-15"}}),
      MakeParams("sts"));
  add("StsAssumeRole",
      QueryCall("sts.amazonaws.com",
                {{"Action", "AssumeRole"},
                 {"Version", "2011-06-15"},
                 {"RoleArn", "arn:aws:iam::123456789012:role/stacks-runner/deploy"},
                 {"RoleSessionName", "stacks-runner@build-host"},
                 {"DurationSeconds", "3600"}}),
      MakeParams("sts"));

  const std::string bucket_host = "stacks-runner-artifacts-123456789012.s3.us-east-1.amazonaws.com";
  HttpRequest put_unsigned =
      MakeRequest("PUT", bucket_host, S3Path("chainstate/mainnet 2026+03/übersicht/ñ (1).tar.gz"));
  put_unsigned.headers.emplace_back("Content-Type", "application/gzip");
  put_unsigned.body = std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff\0binary", 17);
  SigningParams unsigned_payload = MakeParams("s3");
  unsigned_payload.unsigned_payload = true;
  add("S3PutObjectUnsignedPayload", put_unsigned, unsigned_payload);
  HttpRequest put_hashed = MakeRequest("PUT", bucket_host, S3Path("scripts/bootstrap node.sh"));
  put_hashed.headers.emplace_back("Content-Type", "text/x-shellscript");
  put_hashed.headers.emplace_back("x-amz-server-side-encryption", "aws:kms");
  put_hashed.body = "#!/bin/bash\necho 'stacks node ✓'\n";
  add("S3PutObjectHashedPayload", put_hashed, MakeParams("s3"));
  add("S3HeadObject", MakeRequest("HEAD", bucket_host, S3Path("config/node settings+v2.toml")),
      MakeParams("s3"));
  HttpRequest list = MakeRequest("GET", bucket_host);
  list.query = {{"list-type", "2"},
                {"prefix", "chainstate/mainnet 2026+03/"},
                {"delimiter", "/"},
                {"continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="}};
  add("S3ListObjectsV2", list, MakeParams("s3"));
  add("S3PathStyleOnLocalStack",
      MakeRequest("GET", "127.0.0.1:4566", S3Path("stacks-artifacts/a//b/./c d.txt")),
      MakeParams("s3"));

  add("SsmGetParameter",
      JsonCall("ssm.us-east-1.amazonaws.com", "AmazonSSM.GetParameter",
               R"({"Name":"/stacks-runner/mainnet/bitcoin-rpc-password","WithDecryption":true})"),
      MakeParams("ssm"));
  add("CloudWatchPutMetricData",
      QueryCall("monitoring.us-east-1.amazonaws.com",
                {{"Action", "PutMetricData"},
                 {"Version", "2010-08-01"},
                 {"Namespace", "StacksRunner/Node"},
                 {"MetricData.member.1.MetricName", "BlockHeight"},
                 {"MetricData.member.1.Dimensions.member.1.Name", "Network"},
                 {"MetricData.member.1.Dimensions.member.1.Value", "mainnet"},
                 {"MetricData.member.1.Value", "812345"},
                 {"MetricData.member.1.Unit", "Count"},
                 {"MetricData.member.1.Timestamp", "2026-03-14T15:09:26Z"}}),
      MakeParams("monitoring"));
  add("AutoScalingCompleteLifecycleAction",
      QueryCall("autoscaling.us-east-1.amazonaws.com",
                {{"Action", "CompleteLifecycleAction"},
                 {"Version", "2011-01-01"},
                 {"AutoScalingGroupName", "stacks-node-mainnet-asg"},
                 {"LifecycleHookName", "drain-before-terminate"},
                 {"LifecycleActionResult", "CONTINUE"},
                 {"InstanceId", "i-0123456789abcdef0"}}),
      MakeParams("autoscaling"));
  add("SecretsManagerGetSecretValue",
      JsonCall("secretsmanager.us-east-1.amazonaws.com", "secretsmanager.GetSecretValue",
               R"({"SecretId":"stacks-runner/mainnet/signer-key"})"),
      MakeParams("secretsmanager"));
  add("SecretsManagerPutSecretValue",
      JsonCall("secretsmanager.us-east-1.amazonaws.com", "secretsmanager.PutSecretValue",
               R"({"SecretId":"stacks-runner/mainnet/signer-key",)"
               R"("SecretString":"{\"key\":\"p@ss w0rd+/=\\n✓\"}",)"
               R"("ClientRequestToken":"6f1e1c2a-7d7b-4b8e-9c55-0d2f3a4b5c6d"})"),
      MakeParams("secretsmanager"));
  add("CloudWatchLogsPutLogEvents",
      JsonCall("logs.us-east-1.amazonaws.com", "Logs_20140328.PutLogEvents",
               R"({"logGroupName":"/stacks-runner/node","logStreamName":"i-0123/stacks-node",)"
               R"("logEvents":[{"timestamp":1773500966000,"message":"Synced block 812345 ✓"}]})"),
      MakeParams("logs"));

  // Not a real call: the path, query and header rules at their edges, for a non-S3 service.
  HttpRequest edges =
      MakeRequest("GET", "cloudformation.us-east-1.amazonaws.com", "/a%20b/./c//d/../%E1%88%B4/");
  edges.query = {{"b", "2"}, {"a", ""}, {"a", "z y"}, {"a", "x"}, {"A", "é"}, {"a_b", "+"}};
  edges.headers.emplace_back("X-Custom", "  one   two\tthree  ");
  edges.headers.emplace_back("x-custom", "four");
  edges.headers.emplace_back("X-Amzn-Trace-Id", "Root=1-00000000-000000000000000000000000");
  add("EdgesOfPathQueryAndHeaders", edges, MakeParams("cloudformation"));
  SigningParams content_sha256 = MakeParams("ssm");
  content_sha256.add_content_sha256 = true;
  add("ContentSha256ForANonS3Service",
      JsonCall("ssm.us-east-1.amazonaws.com", "AmazonSSM.DescribeParameters", "{}"),
      content_sha256);
  return calls;
}

// Every call twice: with long-term keys, and with temporary credentials (a session token).
const std::vector<CrossCheckCase>& Cases() {
  static const std::vector<CrossCheckCase> cases = [] {
    std::vector<CrossCheckCase> all;
    for (const CrossCheckCase& call : ServiceCalls()) {
      all.push_back(call);
      all.back().name += "_LongTermKeys";
      all.push_back(call);
      all.back().name += "_SessionToken";
      all.back().credentials.session_token = kSessionToken;
    }
    return all;
  }();
  return cases;
}

json ToJson(const CrossCheckCase& c) {
  return {
      {"method", c.request.method},
      {"host", c.request.host},
      {"path", c.request.path},
      {"query", c.request.query},
      {"headers", c.request.headers},
      {"body_hex", util::HexEncode(c.request.body)},
      {"service", c.params.service},
      {"region", c.params.region},
      {"time",
       std::chrono::duration_cast<std::chrono::seconds>(c.params.time.time_since_epoch()).count()},
      {"access_key_id", c.credentials.access_key_id},
      {"secret_access_key", c.credentials.secret_access_key},
      {"session_token", c.credentials.session_token},
      {"s3", c.params.s3},
      {"unsigned_payload", c.params.unsigned_payload},
      {"add_content_sha256", c.params.add_content_sha256}};
}

// ---------------------------------------------------------------------------------------------
// Running the script.

constexpr char kInstallHint[] =
    "The SigV4 cross-check needs python3 with botocore: install Debian's python3-botocore "
    "(apt-get install python3-botocore; the project's setup script does).";

// Debian's python3-botocore is installed for /usr/bin/python3, which may not be the python3 first
// on PATH (pyenv, venvs). STACKS_RUNNER_BOTOCORE_PYTHON overrides the choice.
std::string PythonInterpreter() {
  if (const char* chosen = std::getenv("STACKS_RUNNER_BOTOCORE_PYTHON"); chosen && *chosen) {
    return chosen;
  }
  if (access("/usr/bin/python3", X_OK) == 0) return "/usr/bin/python3";
  return "python3";
}

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

struct BotocoreRun {
  std::string error;  // empty when `results` holds one object per case
  json results;
};

BotocoreRun RunBotocore(const std::vector<CrossCheckCase>& cases) {
  json input = json::array();
  for (const CrossCheckCase& c : cases) input.push_back(ToJson(c));
  const fs::path dir =
      fs::temp_directory_path() / ("sr_sigv4_botocore_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "in.json", std::ios::binary) << input.dump();

  const std::string python = PythonInterpreter();
  const std::string script =
      (fs::path(STACKS_RUNNER_SOURCE_DIR) / "tests/sigv4/botocore_sign.py").string();
  const std::string command = ShellQuote(python) + " " + ShellQuote(script) + " < " +
                              ShellQuote((dir / "in.json").string()) + " > " +
                              ShellQuote((dir / "out.json").string()) + " 2> " +
                              ShellQuote((dir / "err.txt").string());
  const int status = std::system(command.c_str());
  const std::string out = ReadFile(dir / "out.json");
  const std::string err = ReadFile(dir / "err.txt");
  fs::remove_all(dir);

  BotocoreRun run;
  const int exit_code = (status != -1 && WIFEXITED(status)) ? WEXITSTATUS(status) : -1;
  if (exit_code == 127) {
    run.error = python + " was not found. " + kInstallHint;
  } else if (exit_code != 0) {
    run.error = "`" + python + " " + script + "` failed (exit " + std::to_string(exit_code) +
                "): " + err + kInstallHint;
  } else {
    run.results = json::parse(out, nullptr, /*allow_exceptions=*/false);
    if (!run.results.is_array() || run.results.size() != cases.size()) {
      run.error = "botocore_sign.py printed no result list of the expected size: " + out + err;
    }
  }
  return run;
}

const BotocoreRun& Botocore() {
  static const BotocoreRun run = RunBotocore(Cases());
  return run;
}

NameValueList SortedHeaders(const NameValueList& headers) {
  NameValueList sorted;
  for (auto [name, value] : headers) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    sorted.emplace_back(std::move(name), std::move(value));
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return sorted;
}

class Sigv4Botocore : public ::testing::TestWithParam<size_t> {};

TEST_P(Sigv4Botocore, SameAuthorizationAndHeaders) {
  const BotocoreRun& botocore = Botocore();
  ASSERT_TRUE(botocore.error.empty()) << botocore.error;
  const CrossCheckCase& c = Cases()[GetParam()];
  const json& theirs = botocore.results[GetParam()];

  SigningTrace trace;
  const HttpRequest ours = Sign(c.request, c.credentials, c.params, &trace);
  const std::string* authorization = FindHeader(ours, "Authorization");
  ASSERT_NE(authorization, nullptr);
  EXPECT_EQ(*authorization, theirs.at("authorization").get<std::string>())
      << "canonical request, ours:\n"
      << trace.canonical_request << "\n\nbotocore's:\n"
      << theirs.at("canonical_request").get<std::string>();
  // botocore adds no Host header either: both leave it to the HTTP client.
  EXPECT_EQ(SortedHeaders(ours.headers), SortedHeaders(theirs.at("headers").get<NameValueList>()));
}

INSTANTIATE_TEST_SUITE_P(Sigv4, Sigv4Botocore, ::testing::Range<size_t>(0, Cases().size()),
                         [](const auto& p) { return Cases()[p.param].name; });

}  // namespace
}  // namespace sr::aws
