// The deployer against the fake AWS endpoints, for what the CLI tests cannot reach: templates over
// CloudFormation's inline limit, which go through the assets bucket.
#include "deploy/deployer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "http/beast_http_client.h"
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

// docs/iam/cloudformation-execution.json grants what CloudFormation needs to manage each resource
// type: one statement per type, named after it ("AWS::EC2::Instance" -> "AWSEC2Instance"), so a
// new resource type in a template cannot ship without its permissions.
TEST(ExecutionRolePolicy, HasAStatementForEveryResourceTypeOfEverySample) {
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) +
                   "/docs/iam/cloudformation-execution.json");
  const auto policy = nlohmann::json::parse(in);
  std::set<std::string> sids;
  for (const auto& statement : policy["Statement"]) sids.insert(statement.value("Sid", ""));

  int samples = 0, template_count = 0;
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
    const auto assembly = templates::Synthesize(config, stacks, binary);
    for (const auto& f : assembly.files) {
      if (f.path.find(".template.json") == std::string::npos) continue;
      const auto parsed = nlohmann::json::parse(f.content);
      ASSERT_TRUE(parsed.contains("Resources")) << f.path;
      ++template_count;
      for (const auto& [id, resource] : parsed["Resources"].items()) {
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
  EXPECT_GE(template_count, 3 * samples - 2);
}

}  // namespace
}  // namespace sr::deploy
