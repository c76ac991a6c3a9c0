// deploy, diff, status and destroy as whole processes against the fake AWS endpoints (every
// request's SigV4 signature checked with botocore, parameters validated against the API models).
#include <fnmatch.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "testing/fake_aws.h"

namespace sr::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

class AwsCommands : public ::testing::Test {
 protected:
  void SetUp() override { StartFake({}); }

  void StartFake(const std::vector<std::string>& args) {
    aws_.reset();
    std::vector<std::string> all = {"--tick-ms", "10"};
    all.insert(all.end(), args.begin(), args.end());
    aws_ = std::make_unique<testing::FakeAws>(all);
    dir_ = fs::temp_directory_path() /
           ("stacks-runner-aws-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "dist");
    std::ofstream(dir_ / "dist/stacks-runner-linux-x86_64") << "a node runtime binary";
    env_ = {{"AWS_ENDPOINT_URL", aws_->url()},
            {"AWS_ACCESS_KEY_ID", testing::kFakeAccessKey},
            {"AWS_SECRET_ACCESS_KEY", testing::kFakeSecretKey},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"HOME", dir_.string()},
            {"STACKS_RUNNER_DIST_DIR", (dir_ / "dist").string()},
            {"STACKS_RUNNER_POLL_INTERVAL_MS", "50"}};
  }
  void TearDown() override {
    aws_.reset();
    fs::remove_all(dir_);
  }

  testing::CliResult Run(const std::string& args) { return testing::RunCli(dir_, args, env_); }
  testing::CliResult Deploy(const std::string& stacks, const std::string& extra = "") {
    return Run("deploy " + stacks + " --env '" + Sample() + "' --require-approval never " + extra);
  }
  static std::string Sample() {
    return std::string(STACKS_RUNNER_SOURCE_DIR) + "/sample-configs/mainnet-follower.env";
  }
  // Requests as the fake saw them, each with its operation and whether its signature was valid.
  std::vector<json> Requests(const std::string& operation = "") {
    std::vector<json> out;
    for (const auto& r : aws_->Requests()) {
      if (operation.empty() || r.value("operation", "") == operation) out.push_back(r);
    }
    return out;
  }

  std::unique_ptr<testing::FakeAws> aws_;
  fs::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(AwsCommands, DeployAllThreeStacksWritesTheOutputsFile) {
  const auto r =
      Deploy("stacks-common stacks-single-node stacks-ha-nodes", "--outputs-file out.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::ifstream in(dir_ / "out.json");
  const json outputs = json::parse(in);
  EXPECT_THAT(outputs["stacks-single-node-follower"]["nodeinstanceid"].get<std::string>(),
              ::testing::StartsWith("i-"));
  EXPECT_EQ(outputs["stacks-single-node-follower"]["region"], "us-east-1");
  EXPECT_THAT(outputs["stacks-ha-nodes-follower"]["alburl"].get<std::string>(),
              HasSubstr(".elb.amazonaws.com"));
  // The seed's jq lines, `..|.nodeinstanceid? | select(. != null)`, find exactly one value.
  int found = 0;
  for (const auto& [stack, values] : outputs.items()) found += values.contains("nodeinstanceid");
  EXPECT_EQ(found, 1);
  // Every request was signed as AWS checks it; assets went up once each.
  const auto requests = Requests();
  ASSERT_FALSE(requests.empty());
  for (const auto& req : requests) {
    EXPECT_TRUE(req.value("signature_ok", false)) << req.dump();
  }
  EXPECT_EQ(Requests("PutObject").size(), 2u);  // the node binary and the settings
  std::ifstream synthesized(dir_ / "stacks.out/stacks-single-node.template.json");
  const size_t resources = json::parse(synthesized)["Resources"].size();
  EXPECT_THAT(
      r.err, HasSubstr("stacks-single-node-follower: CREATE_COMPLETE (" +
                       std::to_string(resources) + "/" + std::to_string(resources) + " resources"));
  EXPECT_THAT(r.out, HasSubstr("nodeinstanceid = i-"));
}

TEST_F(AwsCommands, NodeStackDeploysCommonFirstWhenItIsMissing) {
  const auto r = Deploy("stacks-single-node");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("stacks-common is not deployed in us-east-1; deploying it first"));
  EXPECT_THAT(r.err, HasSubstr("stacks-nodes-common: CREATE_COMPLETE"));
  EXPECT_THAT(r.err, HasSubstr("stacks-single-node-follower: CREATE_COMPLETE"));
}

TEST_F(AwsCommands, DeployingAgainChangesNothingAndUploadsNothing) {
  ASSERT_EQ(Deploy("stacks-common stacks-single-node").exit_code, 0);
  aws_->Control("DELETE", "/__fake/requests");
  const auto again = Deploy("stacks-common stacks-single-node");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_THAT(again.err, HasSubstr("stacks-nodes-common: no changes"));
  EXPECT_THAT(again.err, HasSubstr("stacks-single-node-follower: no changes"));
  EXPECT_TRUE(Requests("PutObject").empty());
  EXPECT_TRUE(Requests("ExecuteChangeSet").empty());
  // The AMI and the placement were kept as deployed.
  bool kept_ami = false;
  for (const auto& req : Requests("CreateChangeSet")) {
    for (const auto& p : req["params"].value("Parameters", json::array())) {
      if (p.value("ParameterKey", "") == "ImageId") kept_ami = p.value("UsePreviousValue", false);
    }
  }
  EXPECT_TRUE(kept_ami);
}

TEST_F(AwsCommands, DiffIsZeroWhenEqualAndOneWithTheChanges) {
  ASSERT_EQ(Deploy("stacks-common stacks-single-node").exit_code, 0);
  auto same = Run("diff stacks-single-node --env '" + Sample() + "'");
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_THAT(same.out, HasSubstr("no differences"));
  env_["STACKS_INSTANCE_TYPE"] = "m5.xlarge";
  auto changed = Run("diff stacks-single-node --env '" + Sample() + "'");
  EXPECT_EQ(changed.exit_code, 1) << changed.err;
  EXPECT_THAT(changed.out, HasSubstr("[~] AWS::EC2::Instance NodeInstance"));
  EXPECT_THAT(changed.out, HasSubstr("~ Properties.InstanceType: \"m5.large\" -> \"m5.xlarge\""));
  auto missing = Run("diff stacks-ha-nodes --env '" + Sample() + "'");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_THAT(missing.out, HasSubstr("is not deployed"));
}

TEST_F(AwsCommands, StatusShowsStacksOutputsAndInstances) {
  ASSERT_EQ(Deploy("stacks-common stacks-single-node").exit_code, 0);
  const auto r = Run("status --env '" + Sample() + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("stacks-nodes-common  CREATE_COMPLETE"));
  EXPECT_THAT(r.out, HasSubstr("stacks-single-node-follower  CREATE_COMPLETE"));
  EXPECT_THAT(r.out, HasSubstr("nodeinstanceid = i-"));
  EXPECT_THAT(r.out, HasSubstr("instance i-"));
  EXPECT_THAT(r.out, HasSubstr("running  m5.large  us-east-1a"));
  EXPECT_THAT(r.out, HasSubstr("stacks-ha-nodes-follower  not deployed"));
}

TEST_F(AwsCommands, ThrottlingServerErrorsAndDroppedConnectionsAreRetried) {
  aws_->Fault("cloudformation", "DescribeStacks", "throttle", 2);
  aws_->Fault("cloudformation", "CreateChangeSet", "500", 1);
  aws_->Fault("cloudformation", "DescribeChangeSet", "drop", 1);
  aws_->Fault("s3", "PutObject", "503", 1);
  const auto r = Deploy("stacks-common stacks-single-node");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  int throttled = 0, failed = 0;
  for (const auto& req : Requests()) {
    if (req.value("error_code", json()) == "Throttling") ++throttled;
    if (req["status"].is_number() && req["status"].get<int>() >= 500) ++failed;
    if (!req["fault"].is_null() && req["fault"] == "drop") ++failed;
  }
  EXPECT_EQ(throttled, 2);
  EXPECT_GE(failed, 2);
}

TEST_F(AwsCommands, PersistentThrottlingFailsWithTheAwsError) {
  aws_->Fault("sts", "GetCallerIdentity", "throttle", 10);
  env_["AWS_MAX_ATTEMPTS"] = "2";
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("STS GetCallerIdentity: Throttling"));
  EXPECT_THAT(r.err, HasSubstr("gave up after 2 attempts"));
}

TEST_F(AwsCommands, FailedResourceRollsBackAndSaysWhatToDo) {
  ASSERT_EQ(Deploy("stacks-common").exit_code, 0);
  aws_->Control("POST", "/__fake/resource-failures",
                {{"stack", "stacks-single-node-follower"},
                 {"logical_id", "NodeInstance"},
                 {"reason", "Received 1 FAILURE signal(s) out of 1."}});
  const auto r = Deploy("stacks-single-node");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("stacks-single-node-follower ended in ROLLBACK_COMPLETE"));
  EXPECT_THAT(r.err, HasSubstr("NodeInstance (AWS::EC2::Instance) CREATE_FAILED: Received 1 "
                               "FAILURE signal(s) out of 1."));
  EXPECT_THAT(r.err, HasSubstr("stacks-runner destroy stacks-single-node-follower"));
  const auto again = Deploy("stacks-single-node");
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_THAT(again.err, HasSubstr("is in ROLLBACK_COMPLETE"));
  EXPECT_THAT(again.err, HasSubstr("Delete it with `stacks-runner destroy"));
}

TEST_F(AwsCommands, RegionWithoutDefaultVpc) {
  StartFake({"--fixture", "no-default-vpc"});
  const auto r = Deploy("stacks-common stacks-single-node");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("this region has no default VPC: create one with `aws ec2 "
                               "create-default-vpc`, or set STACKS_VPC_ID and STACKS_SUBNET_IDS"));
}

TEST_F(AwsCommands, NoCredentialsSaysWhereItLooked) {
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("no AWS credentials found; looked at the environment"));
  EXPECT_THAT(r.err, HasSubstr("profile default in " + dir_.string() + "/.aws/credentials"));
  EXPECT_THAT(r.err, HasSubstr("instance metadata"));
  EXPECT_TRUE(Requests().empty());
}

TEST_F(AwsCommands, CredentialsFromAProfileFile) {
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  fs::create_directories(dir_ / ".aws");
  std::ofstream(dir_ / ".aws/credentials")
      << "[deployer]\naws_access_key_id = " << testing::kFakeAccessKey
      << "\naws_secret_access_key = " << testing::kFakeSecretKey << "\n";
  env_["AWS_PROFILE"] = "deployer";
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// Which access keys signed the requests of an operation (every one with a valid signature).
std::set<std::string> SigningKeys(const std::vector<json>& requests) {
  std::set<std::string> keys;
  for (const auto& r : requests) {
    EXPECT_TRUE(r.value("signature_ok", false)) << r.dump();
    keys.insert(r.value("access_key_id", ""));
  }
  return keys;
}

TEST_F(AwsCommands, AssumedRoleProfileDeploysWithTheRolesCredentials) {
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  fs::create_directories(dir_ / ".aws");
  std::ofstream(dir_ / ".aws/credentials")
      << "[base]\naws_access_key_id = " << testing::kFakeAccessKey
      << "\naws_secret_access_key = " << testing::kFakeSecretKey << "\n";
  std::ofstream(dir_ / ".aws/config")
      << "[profile deployer]\nrole_arn = arn:aws:iam::111111111111:role/StacksDeployer\n"
         "source_profile = base\nrole_session_name = ci-deploy\n";
  const auto r = Deploy("stacks-common", "--profile deployer");
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto assumed = Requests("AssumeRole");
  ASSERT_EQ(assumed.size(), 1u);  // once for the whole run, not per call
  EXPECT_EQ(assumed[0]["params"]["RoleArn"], "arn:aws:iam::111111111111:role/StacksDeployer");
  EXPECT_EQ(assumed[0]["params"]["RoleSessionName"], "ci-deploy");
  EXPECT_EQ(SigningKeys(assumed), std::set<std::string>{testing::kFakeAccessKey});
  const auto keys = SigningKeys(Requests("CreateChangeSet"));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys.begin()->rfind("ASIA", 0), 0u) << *keys.begin();  // the role's temporary keys

  aws_->Control("POST", "/__fake/state", {{"settings", {{"deny_assume_role", true}}}});
  const auto denied = Run("status --profile deployer --env '" + Sample() + "'");
  EXPECT_EQ(denied.exit_code, 1);
  EXPECT_THAT(denied.err, HasSubstr("arn:aws:iam::111111111111:role/StacksDeployer"));
  EXPECT_THAT(denied.err, Not(HasSubstr(testing::kFakeSecretKey)));
}

TEST_F(AwsCommands, CredentialProcessProfileDeploysWithItsTemporaryCredentials) {
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  aws_->Control("POST", "/__fake/credentials",
                {{"access_key_id", "ASIAPROCESSEXAMPLE01"},
                 {"secret_access_key", "process-secret-value-0123456789abcdefghij"},
                 {"session_token", "process-session-token"},
                 {"expires_in_seconds", 3600}});
  fs::create_directories(dir_ / ".aws");
  {
    std::ofstream script(dir_ / "creds.sh");
    script << "#!/bin/sh\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROCESSEXAMPLE01\", "
              "\"SecretAccessKey\": \"process-secret-value-0123456789abcdefghij\", "
              "\"SessionToken\": \"process-session-token\", \"Expiration\": "
              "\"2099-01-01T00:00:00Z\"}'\n";
  }
  fs::permissions(dir_ / "creds.sh", fs::perms::owner_all);
  std::ofstream(dir_ / ".aws/config")
      << "[profile sso-wrapper]\ncredential_process = " << (dir_ / "creds.sh").string() << "\n";
  const auto r = Deploy("stacks-common", "--profile sso-wrapper");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(SigningKeys(Requests("CreateChangeSet")),
            std::set<std::string>{"ASIAPROCESSEXAMPLE01"});
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("process-secret-value")));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("process-session-token")));
}

TEST_F(AwsCommands, InstanceRoleCredentialsFromTheMetadataService) {
  StartFake({"--imds-port", "0"});
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  env_.erase("AWS_EC2_METADATA_DISABLED");
  env_["AWS_EC2_METADATA_SERVICE_ENDPOINT"] =
      "http://127.0.0.1:" + std::to_string(aws_->imds_port());
  const auto r = Deploy("stacks-common");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto keys = SigningKeys(Requests("CreateChangeSet"));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys.begin()->rfind("ASIA", 0), 0u) << *keys.begin();
  // IMDSv2: a token first, then the role's credentials with it.
  const auto imds = aws_->Control("GET", "/__fake/requests", nullptr, aws_->imds_port());
  ASSERT_FALSE(imds.empty());
  EXPECT_EQ(imds[0].value("method", ""), "PUT") << imds.dump();
  EXPECT_EQ(imds[0].value("path", ""), "/latest/api/token");
}

TEST_F(AwsCommands, RejectedCredentialsAreExplainedWithoutTheSecret) {
  env_["AWS_SECRET_ACCESS_KEY"] = "not-the-right-secret-value-0000000000000";
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("SignatureDoesNotMatch"));
  EXPECT_THAT(r.err, HasSubstr("AWS does not accept these credentials"));
  EXPECT_THAT(r.err + r.out, Not(HasSubstr("not-the-right-secret-value")));
}

TEST_F(AwsCommands, ExpiredCredentialsSayWhatToDo) {
  aws_->Fault("sts", "GetCallerIdentity", "expired-token", 1);
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("ExpiredToken"));
  EXPECT_THAT(r.err, HasSubstr("The credentials have expired"));
}

TEST_F(AwsCommands, AccessDeniedNamesTheAction) {
  aws_->Fault("cloudformation", "CreateChangeSet", "access-denied", 1);
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("CloudFormation CreateChangeSet: AccessDenied"));
  EXPECT_THAT(r.err, HasSubstr("lack the permission for CloudFormation CreateChangeSet"));
}

TEST_F(AwsCommands, NodeStackBeforeCommonWhenToldNotToDeployIt) {
  const auto r = Deploy("stacks-single-node", "--exclusively");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("the node stacks import from stacks-common (CloudFormation stack "
                               "stacks-nodes-common), which is not deployed in us-east-1: deploy "
                               "it first with `stacks-runner deploy stacks-common`"));
  EXPECT_TRUE(Requests("CreateChangeSet").empty());
}

TEST_F(AwsCommands, WideningNeedsApprovalAndNothingIsLeftWithoutIt) {
  const auto r = Run("deploy stacks-common --env '" + Sample() + "'");  // broadening by default
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, HasSubstr("Security-relevant changes"));
  EXPECT_THAT(r.err, HasSubstr("was not deployed: it widens IAM permissions"));
  EXPECT_TRUE(Requests("ExecuteChangeSet").empty());
  const auto state = aws_->Control("GET", "/__fake/state");
  for (const auto& s : state["stacks"]) {
    EXPECT_EQ(s["StackStatus"], "DELETE_COMPLETE") << s.dump();
  }
}

TEST_F(AwsCommands, WrongAccountIsRefused) {
  env_["AWS_ACCOUNT_ID"] = "222222222222";
  const auto r = Deploy("stacks-common");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("the credentials are for account 111111111111 but AWS_ACCOUNT_ID "
                               "is 222222222222"));
}

TEST_F(AwsCommands, DestroyRefusesCommonWhileNodeStacksImportFromIt) {
  ASSERT_EQ(Deploy("stacks-common stacks-single-node").exit_code, 0);
  const auto refused = Run("destroy stacks-common --force --env '" + Sample() + "'");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_THAT(refused.err, HasSubstr("stacks-nodes-common cannot be deleted while "
                                     "stacks-single-node-follower import its exports"));
  // Without a terminal and without --force, nothing is deleted.
  const auto unconfirmed = Run("destroy stacks-single-node --env '" + Sample() + "'");
  EXPECT_EQ(unconfirmed.exit_code, 1);
  EXPECT_THAT(unconfirmed.err, HasSubstr("not confirmed"));
  EXPECT_TRUE(Requests("DeleteStack").empty());
  // Both at once: the node stack first, then common; the retained buckets are reported.
  const auto both =
      Run("destroy stacks-common stacks-single-node --force --env '" + Sample() + "'");
  ASSERT_EQ(both.exit_code, 0) << both.err;
  EXPECT_THAT(both.err, HasSubstr("stacks-single-node-follower: DELETE_COMPLETE"));
  EXPECT_THAT(both.err, HasSubstr("stacks-nodes-common: DELETE_COMPLETE"));
  EXPECT_THAT(both.out, HasSubstr("kept by its DeletionPolicy: AssetsBucket (AWS::S3::Bucket)"));
  const auto gone = Run("status --env '" + Sample() + "'");
  EXPECT_THAT(gone.out, HasSubstr("stacks-nodes-common  not deployed"));
}

TEST_F(AwsCommands, NoSecretReachesAwsOrTheTerminal) {
  env_["BITCOIN_PEER_HOST"] = "btc.internal";
  env_["BITCOIN_RPC_USERNAME"] = "op";
  env_["BITCOIN_RPC_PASSWORD"] = "pw-7d3f9a1c-secret";
  const auto r = Deploy("stacks-common stacks-single-node");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("pw-7d3f9a1c-secret")));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr(testing::kFakeSecretKey)));
  EXPECT_THAT(aws_->Requests().dump(), Not(HasSubstr("pw-7d3f9a1c-secret")));
  const auto state = aws_->Control("GET", "/__fake/state?bodies=1");
  EXPECT_THAT(state.dump(), Not(HasSubstr("pw-7d3f9a1c-secret")));
}

// docs/iam/deployer.json allows every call deploy, diff, status and destroy make (with --role-arn,
// the resources are CloudFormation's business: docs/iam/cloudformation-execution.json).
TEST_F(AwsCommands, DeployerPolicyAllowsEveryCallTheCommandsMake) {
  const std::string role = "arn:aws:iam::111111111111:role/StacksRunnerCloudFormation";
  ASSERT_EQ(Deploy("stacks-common stacks-single-node stacks-ha-nodes",
                   "--role-arn " + role + " --outputs-file out.json")
                .exit_code,
            0);
  EXPECT_EQ(Run("diff stacks-single-node --env '" + Sample() + "'").exit_code, 0);
  EXPECT_EQ(Run("status --env '" + Sample() + "'").exit_code, 0);
  ASSERT_EQ(Run("destroy stacks-single-node stacks-ha-nodes stacks-common --force --role-arn " +
                role + " --env '" + Sample() + "'")
                .exit_code,
            0);
  std::ifstream in(std::string(STACKS_RUNNER_SOURCE_DIR) + "/docs/iam/deployer.json");
  const json policy = json::parse(in);
  auto allowed = [&](const std::string& action) {
    for (const auto& statement : policy["Statement"]) {
      json actions = statement["Action"];
      if (!actions.is_array()) actions = json::array({actions});
      for (const auto& a : actions) {
        if (::fnmatch(a.get<std::string>().c_str(), action.c_str(), 0) == 0) return true;
      }
    }
    return false;
  };
  // IAM's action prefixes and names where they differ from the signing name and operation.
  const std::map<std::string, std::string> actions_of = {{"s3:HeadObject", "s3:GetObject"}};
  std::set<std::string> seen;
  for (const auto& r : Requests()) {
    std::string action = r.value("service", "") + ":" + r.value("operation", "");
    if (auto it = actions_of.find(action); it != actions_of.end()) action = it->second;
    if (action == "sts:GetCallerIdentity") continue;  // needs no permission
    seen.insert(action);
    EXPECT_TRUE(allowed(action)) << action << " is not in docs/iam/deployer.json";
  }
  EXPECT_TRUE(seen.count("cloudformation:ExecuteChangeSet"));
  EXPECT_TRUE(seen.count("s3:PutObject"));
  // The service role went with every change set and deletion.
  for (const auto& op : {"CreateChangeSet", "DeleteStack"}) {
    for (const auto& r : Requests(op)) EXPECT_EQ(r["params"].value("RoleARN", ""), role) << op;
  }
  EXPECT_EQ(Run("deploy stacks-common --role-arn not-an-arn --env '" + Sample() + "'").exit_code,
            2);
}

TEST_F(AwsCommands, UnknownStackAndBadFlagsAreBadInput) {
  EXPECT_EQ(Run("deploy stacks-everything --env '" + Sample() + "'").exit_code, 2);
  EXPECT_EQ(Run("deploy --env '" + Sample() + "'").exit_code, 2);
  EXPECT_EQ(
      Run("deploy stacks-common --require-approval sometimes --env '" + Sample() + "'").exit_code,
      2);
}

}  // namespace
}  // namespace sr::cli
