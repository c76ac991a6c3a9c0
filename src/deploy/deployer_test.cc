// The deployer against the fake AWS endpoints, for what the CLI tests cannot reach: templates over
// CloudFormation's inline limit, which go through the assets bucket.
#include "deploy/deployer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "http/beast_http_client.h"
#include "http/url.h"
#include "testing/fake_aws.h"
#include "testing/test_support.h"
#include "util/clock.h"
#include "util/process.h"
#include "util/sha256.h"

namespace sr::deploy {
namespace {

using templates::StackKind;
using ::testing::HasSubstr;

std::string SampleText() {
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs/mainnet-follower.env");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class DeployerAgainstFake : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = testing::ConfigFrom(SampleText());
    fs_.files[binary_.path] = "a node runtime binary";
    binary_.sha256 = util::Sha256Hex(fs_.files[binary_.path]);
    assembly_ =
        templates::Synthesize(config_, {StackKind::kCommon, StackKind::kSingleNode}, binary_);
  }

  aws::AwsResult<std::map<std::string, std::map<std::string, std::string>>> Deploy(
      std::vector<StackKind> stacks, size_t inline_limit) {
    aws::SessionDeps deps;
    deps.env = {{"AWS_ENDPOINT_URL", fake_.url()},
                {"AWS_ACCESS_KEY_ID", testing::kFakeAccessKey},
                {"AWS_SECRET_ACCESS_KEY", testing::kFakeSecretKey},
                {"AWS_EC2_METADATA_DISABLED", "true"},
                {"AWS_CONFIG_FILE", "/nonexistent/config"},
                {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}};
    deps.fs = &fs_;
    deps.processes = &processes_;
    deps.clock = &clock_;
    deps.http = &http_;
    deps.random = [] { return 0.5; };
    auto services = AwsServices::Create(std::move(deps), config_.region);
    if (!services) return services.error();
    DeployRequest request;
    request.config = &config_;
    request.assembly = &assembly_;
    request.node_binary = &binary_;
    request.stacks = std::move(stacks);
    request.exclusively = true;
    request.approval = Approval::kNever;
    request.inline_template_limit = inline_limit;
    Ui ui;
    ui.out = &out_;
    ui.err = &err_;
    Timing timing;
    timing.clock = &clock_;
    timing.poll_interval = std::chrono::milliseconds(20);
    return deploy::Deploy(request, *services, fs_, ui, timing);
  }

  std::string TemplateOf(StackKind kind) const {
    const std::string name = templates::IdentityOf(kind, config_.role).template_file;
    for (const auto& f : assembly_.files) {
      if (f.path == name) return f.content;
    }
    ADD_FAILURE() << "no " << name;
    return "";
  }

  testing::FakeAws fake_{{"--tick-ms", "10"}};
  config::Config config_;
  templates::NodeBinary binary_{config::CpuArch::kX86_64, "/dist/stacks-runner-linux-x86_64", {}};
  templates::SynthResult assembly_;
  testing::FakeFileSystem fs_;
  util::SystemClock clock_;
  util::SystemProcessRunner processes_;
  http::BeastHttpClient http_{{}};
  std::ostringstream out_, err_;
};

TEST_F(DeployerAgainstFake, LargeTemplateGoesThroughTheAssetsBucket) {
  ASSERT_TRUE(Deploy({StackKind::kCommon}, kInlineTemplateLimit)) << err_.str();
  const std::string body = TemplateOf(StackKind::kSingleNode);
  ASSERT_GT(body.size(), 1000u);

  auto deployed = Deploy({StackKind::kSingleNode}, 1000);
  ASSERT_TRUE(deployed) << deployed.error().message << err_.str();

  // The template is in the bucket under its digest, and the change set names it by URL.
  const std::string key = "templates/" + util::Sha256Hex(body) + ".json";
  const auto state = fake_.Control("GET", "/__fake/state");
  bool found = false;
  for (const auto& [bucket, contents] : state["buckets"].items()) {
    if (contents["objects"].contains(key)) {
      found = true;
      EXPECT_EQ(contents["objects"][key]["sha256"], util::Sha256Hex(body));
    }
  }
  EXPECT_TRUE(found) << state["buckets"].dump();
  const auto requests = fake_.Control("GET", "/__fake/requests?operation=CreateChangeSet");
  ASSERT_EQ(requests.size(), 2u);
  const auto& params = requests[1]["params"];
  EXPECT_FALSE(params.contains("TemplateBody")) << params.dump();
  EXPECT_THAT(params.value("TemplateURL", ""), HasSubstr(key));
  for (const auto& s : state["stacks"]) {
    EXPECT_EQ(s["StackStatus"], "CREATE_COMPLETE") << s.dump();
  }
}

TEST_F(DeployerAgainstFake, LargeTemplateWithoutABucketSaysSo) {
  auto deployed = Deploy({StackKind::kCommon}, 1000);
  ASSERT_FALSE(deployed);
  EXPECT_EQ(deployed.error().code, "TemplateTooLarge");
  EXPECT_THAT(deployed.error().message,
              HasSubstr("over CloudFormation's inline limit, and there is no assets bucket"));
}

// A signer end to end: the stack creates the signer secret empty, the node's first boot (played
// here by a thread, as `node bootstrap --identity-url` does it) PUTs its public identity to the
// wait condition handle, and the stack's outputs show it with the secret's ARN.
class SignerDeployAgainstFake : public DeployerAgainstFake {
 protected:
  void SetUp() override {
    config_ = testing::ConfigFrom(
        SampleText(), {{"STACKS_NODE_CONFIGURATION", "signer"}, {"BITCOIN_PEER_HOST", "10.0.0.5"}});
    fs_.files[binary_.path] = "a node runtime binary";
    binary_.sha256 = util::Sha256Hex(fs_.files[binary_.path]);
    assembly_ =
        templates::Synthesize(config_, {StackKind::kCommon, StackKind::kSingleNode}, binary_);
  }

  // PUTs a wait condition signal to a handle's presigned URL, as the bootstrap does.
  int PutSignal(const std::string& url, const nlohmann::json& signal) {
    const size_t path_start = url.find('/', url.find("://") + 3);
    const size_t query_start = url.find('?');
    std::string error;
    const auto endpoint = http::ParseUrl(url.substr(0, path_start), &error);
    if (!endpoint) return -1;
    aws::HttpRequest r;
    r.method = "PUT";
    r.path = url.substr(path_start, query_start - path_start);
    std::stringstream query(url.substr(query_start + 1));
    for (std::string pair; std::getline(query, pair, '&');) {
      const size_t eq = pair.find('=');
      std::string value = pair.substr(eq + 1);
      for (size_t i = 0; (i = value.find("%2F", i)) != std::string::npos;) value.replace(i, 3, "/");
      r.query.emplace_back(pair.substr(0, eq), value);
    }
    r.body = signal.dump();
    http::BeastHttpClient client({});  // its own: the deploy uses http_ meanwhile
    auto sent = client.Send(*endpoint, r, {});
    auto* response = std::get_if<http::HttpResponse>(&sent);
    return response == nullptr ? -1 : response->status;
  }
};

TEST_F(SignerDeployAgainstFake, CreatesTheSecretAndShowsTheIdentityTheFirstBootReports) {
  // Real signals only: the fake's made-up ones would come long after these.
  fake_.Control("POST", "/__fake/state", {{"settings", {{"auto_signal_ticks", 30}}}});
  const std::string stack = "stacks-single-node-signer";
  std::atomic<bool> stop{false};
  std::vector<int> statuses;
  std::thread first_boot([&] {
    while (!stop) {
      const auto state = fake_.Control("GET", "/__fake/state");
      for (const auto& s : state["stacks"]) {
        const auto& handle = s["Resources"].value("NodeIdentityHandle", nlohmann::json::object());
        if (s["StackName"] != stack ||
            !handle.value("PhysicalResourceId", nlohmann::json()).is_string()) {
          continue;
        }
        const std::string url = handle["PhysicalResourceId"];
        for (const auto& [id, value] :
             {std::pair{"signer-address", "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7"},
              std::pair{"signer-public-key", "02a1b2c3"}}) {
          statuses.push_back(PutSignal(url, {{"Status", "SUCCESS"},
                                             {"Reason", "public identity"},
                                             {"UniqueId", id},
                                             {"Data", value}}));
        }
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  auto deployed = Deploy({StackKind::kCommon, StackKind::kSingleNode}, kInlineTemplateLimit);
  stop = true;
  first_boot.join();
  ASSERT_TRUE(deployed) << deployed.error().message << err_.str();
  EXPECT_EQ(statuses, (std::vector<int>{200, 200}));

  const auto& outputs = deployed->at(stack);
  const auto identity = nlohmann::json::parse(outputs.at("nodeidentity"));
  EXPECT_EQ(identity,
            (nlohmann::json{{"signer-address", "SP2J6ZY48GV1EZ5V2V5RB9MP66SW86PYKKNRV9EJ7"},
                            {"signer-public-key", "02a1b2c3"}}));
  EXPECT_THAT(outputs.at("signersecretarn"), ::testing::StartsWith("arn:aws:secretsmanager:"));
  EXPECT_THAT(outputs.at("signersecretarn"), HasSubstr(":secret:" + stack + "/signer-key-"));
  // Created without a value: the first boot's key is the first one it ever holds.
  const auto secrets = fake_.Control("GET", "/__fake/state")["secrets"];
  ASSERT_TRUE(secrets.contains(stack + "/signer-key")) << secrets.dump();
  EXPECT_EQ(secrets[stack + "/signer-key"]["versions"], 0);
  EXPECT_EQ(secrets[stack + "/signer-key"]["arn"], outputs.at("signersecretarn"));
}

// docs/iam/cloudformation-execution.json grants what CloudFormation needs to manage each resource
// type: one statement per type, named after it ("AWS::EC2::Instance" -> "AWSEC2Instance"), so a
// new resource type in a template cannot ship without its permissions. The wait condition types
// are CloudFormation's own, managed without calling any service: they need no permission.
TEST(ExecutionRolePolicy, HasAStatementForEveryResourceTypeOfEverySample) {
  const std::set<std::string> needs_no_permission = {"AWS::CloudFormation::WaitCondition",
                                                     "AWS::CloudFormation::WaitConditionHandle"};
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) +
                   "/docs/iam/cloudformation-execution.json");
  const auto policy = nlohmann::json::parse(in);
  std::set<std::string> sids;
  for (const auto& statement : policy["Statement"]) sids.insert(statement.value("Sid", ""));

  int samples = 0, template_count = 0, expected_templates = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs")) {
    if (entry.path().extension() != ".env") continue;
    ++samples;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    const config::Config config = testing::ConfigFrom(text.str());
    const templates::NodeBinary binary{config.arch, "/dist/x", std::string(64, 'a')};
    std::vector<StackKind> stacks = {StackKind::kCommon, StackKind::kSingleNode};
    if (config.role == config::Role::kFollower) stacks.push_back(StackKind::kHaNodes);
    expected_templates += static_cast<int>(stacks.size());
    const auto assembly = templates::Synthesize(config, stacks, binary);
    for (const auto& f : assembly.files) {
      if (f.path.find(".template.json") == std::string::npos) continue;
      const auto parsed = nlohmann::json::parse(f.content);
      ASSERT_TRUE(parsed.contains("Resources")) << f.path;
      ++template_count;
      for (const auto& [id, resource] : parsed["Resources"].items()) {
        if (needs_no_permission.count(resource["Type"].get<std::string>())) continue;
        std::string sid;
        for (char c : resource["Type"].get<std::string>()) {
          if (std::isalnum(static_cast<unsigned char>(c))) sid += c;
        }
        EXPECT_TRUE(sids.count(sid)) << entry.path().filename() << " " << f.path << " " << id
                                     << ": no statement " << sid << " in the execution policy";
      }
    }
  }
  EXPECT_GE(samples, 4);
  EXPECT_EQ(template_count, expected_templates);  // signers and miners: no stacks-ha-nodes
}

// Whether `name` matches the IAM pattern `pattern` ('*' any run of characters, '?' one).
bool IamMatch(const std::string& pattern, const std::string& name) {
  if (pattern.empty()) return name.empty();
  if (pattern[0] == '*') {
    for (size_t i = 0; i <= name.size(); ++i) {
      if (IamMatch(pattern.substr(1), name.substr(i))) return true;
    }
    return false;
  }
  return !name.empty() && (pattern[0] == '?' || pattern[0] == name[0]) &&
         IamMatch(pattern.substr(1), name.substr(1));
}

// Every role and instance profile a sample's stacks create, as CloudFormation names them
// ("<stack name>-<logical id>-<random>"), may be created, given its policies and passed to EC2:
// the single-node stack of a signer or miner has its own.
TEST(ExecutionRolePolicy, CoversTheNamesOfEveryRoleAndInstanceProfileTheStacksCreate) {
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) +
                   "/docs/iam/cloudformation-execution.json");
  const auto policy = nlohmann::json::parse(in);
  auto allows = [&](const std::string& sid, const std::string& arn) {
    for (const auto& statement : policy["Statement"]) {
      if (statement.value("Sid", "") != sid) continue;
      const nlohmann::json resources = statement["Resource"].is_array()
                                           ? statement["Resource"]
                                           : nlohmann::json::array({statement["Resource"]});
      for (const auto& r : resources) {
        if (IamMatch(r.get<std::string>(), arn)) return true;
      }
    }
    return false;
  };
  int roles = 0, own_roles = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs")) {
    if (entry.path().extension() != ".env") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    const config::Config config = testing::ConfigFrom(text.str());
    const templates::NodeBinary binary{config.arch, "/dist/x", std::string(64, 'a')};
    for (StackKind kind : {StackKind::kCommon, StackKind::kSingleNode}) {
      const auto identity = templates::IdentityOf(kind, config.role);
      const auto assembly = templates::Synthesize(config, {kind}, binary);
      for (const auto& f : assembly.files) {
        if (f.path.find(identity.template_file) == std::string::npos) continue;
        const auto parsed = nlohmann::json::parse(f.content);
        for (const auto& [id, resource] : parsed["Resources"].items()) {
          const std::string physical = identity.stack_name + "-" + id + "-AbCdEfGhIjKl";
          if (resource["Type"] == "AWS::IAM::Role") {
            ++roles;
            own_roles += kind == StackKind::kSingleNode;
            const std::string arn = "arn:aws:iam::111111111111:role/" + physical;
            for (const char* sid : {"AWSIAMRole", "AWSIAMPolicy", "PassTheNodeRoleToInstances"}) {
              EXPECT_TRUE(allows(sid, arn)) << entry.path().filename() << " " << sid << " " << arn;
            }
          } else if (resource["Type"] == "AWS::IAM::InstanceProfile") {
            const std::string arn = "arn:aws:iam::111111111111:instance-profile/" + physical;
            EXPECT_TRUE(allows("AWSIAMInstanceProfile", arn))
                << entry.path().filename() << " " << arn;
          }
        }
      }
    }
  }
  EXPECT_GT(roles, 0);
  EXPECT_GT(own_roles, 0);  // the signer and miner samples
}

}  // namespace
}  // namespace sr::deploy
