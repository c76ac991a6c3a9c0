#include "aws/credentials.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

namespace sr::aws {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

const util::Clock::TimePoint kNow = std::chrono::sys_days{std::chrono::year{2026} / 11 / 24};

class FakeMetadata : public MetadataSource {
 public:
  std::map<std::string, std::string> paths;
  int calls = 0;
  AwsResult<std::string> Get(const std::string& path) override {
    ++calls;
    auto it = paths.find(path);
    if (it == paths.end()) {
      return MakeError(AwsError::Kind::kTransport, "Unreachable", "connection refused");
    }
    return it->second;
  }
};

class FakeProcesses : public util::ProcessRunner {
 public:
  util::ProcessResult result;
  std::vector<std::string> last_argv;
  util::ProcessResult Run(const std::vector<std::string>& argv,
                          std::chrono::milliseconds) override {
    last_argv = argv;
    return result;
  }
};

struct Fixture {
  SharedConfig config;
  FakeMetadata metadata;
  FakeProcesses processes;
  util::FakeClock clock{kNow};
  std::vector<std::pair<Credentials, AssumeRoleRequest>> assumed;
  CredentialsContext context;

  explicit Fixture(Environment env, std::string credentials_file = "", std::string config_file = "")
      : config(SharedConfig::FromText(credentials_file, config_file)) {
    config.credentials_path = "~/.aws/credentials";
    config.config_path = "~/.aws/config";
    context.env = env;
    context.config = &config;
    context.profile = ProfileName(env);
    context.processes = &processes;
    context.metadata = &metadata;
    context.clock = &clock;
    context.assume_role = [this](const Credentials& source,
                                 const AssumeRoleRequest& request) -> AwsResult<TimedCredentials> {
      assumed.emplace_back(source, request);
      return TimedCredentials{{"ASIAASSUMED", "assumed-secret", "assumed-token"}, kNow + 1h, ""};
    };
  }
  AwsResult<TimedCredentials> Fetch() { return MakeDefaultCredentialsChain(context)->Fetch(); }
};

TEST(Credentials, EnvironmentComesFirst) {
  Fixture f({{"AWS_ACCESS_KEY_ID", "AKIDENV"},
             {"AWS_SECRET_ACCESS_KEY", "envsecret"},
             {"AWS_SESSION_TOKEN", "envtoken"},
             {"AWS_PROFILE", "dev"}},
            "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n");
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(c->credentials.session_token, "envtoken");
  EXPECT_EQ(c->source, "the environment");
}

TEST(Credentials, HalfSetEnvironmentIsAnError) {
  Fixture f(Environment{{"AWS_ACCESS_KEY_ID", "AKIDENV"}});
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message, HasSubstr("AWS_SECRET_ACCESS_KEY is not"));
}

TEST(Credentials, DefaultProfileKeys) {
  Fixture f({}, "[default]\naws_access_key_id = AKIDDEF\naws_secret_access_key = defsecret\n");
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->credentials.access_key_id, "AKIDDEF");
  EXPECT_EQ(c->source, "profile default");
  EXPECT_EQ(f.metadata.calls, 0);
}

TEST(Credentials, NamedProfileKeysFromTheConfigFile) {
  Fixture f({{"AWS_PROFILE", "dev"}}, "",
            "[profile dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = devsecret\n");
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->credentials.access_key_id, "AKIDDEV");
}

TEST(Credentials, MissingNamedProfileNeverFallsBack) {
  Fixture f(Environment{{"AWS_PROFILE", "prod"}});
  f.metadata.paths["iam/security-credentials/"] = "role";
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message, HasSubstr("profile prod (from AWS_PROFILE) is not in"));
  EXPECT_EQ(f.metadata.calls, 0);
}

TEST(Credentials, CredentialProcess) {
  Fixture f({}, "",
            "[default]\ncredential_process = /usr/local/bin/get-creds --account \"my acct\"\n");
  f.processes.result.started = true;
  f.processes.result.exit_code = 0;
  f.processes.result.out =
      R"({"Version":1,"AccessKeyId":"ASIAPROC","SecretAccessKey":"procsecret",
          "SessionToken":"proctoken","Expiration":"2026-11-24T06:00:00Z"})";
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAPROC");
  EXPECT_EQ(c->credentials.session_token, "proctoken");
  ASSERT_TRUE(c->expiration.has_value());
  EXPECT_EQ(*c->expiration, kNow + 6h);
  EXPECT_EQ(f.processes.last_argv,
            (std::vector<std::string>{"/usr/local/bin/get-creds", "--account", "my acct"}));
}

TEST(Credentials, CredentialProcessFailureShowsItsStderrNotItsStdout) {
  Fixture f({}, "", "[default]\ncredential_process = get-creds\n");
  f.processes.result.started = true;
  f.processes.result.exit_code = 3;
  f.processes.result.out = "{\"SecretAccessKey\":\"leaked\"}";
  f.processes.result.err = "token expired, run login\n";
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message, HasSubstr("exited with status 3: token expired, run login"));
  EXPECT_THAT(c.error().message, ::testing::Not(HasSubstr("leaked")));
}

TEST(Credentials, CredentialProcessOutputIsChecked) {
  EXPECT_THAT(ParseCredentialProcessOutput("nope", "p").error().message, HasSubstr("not JSON"));
  EXPECT_THAT(ParseCredentialProcessOutput(R"({"Version":2})", "p").error().message,
              HasSubstr("\"Version\": 1"));
  EXPECT_THAT(
      ParseCredentialProcessOutput(R"({"Version":1,"AccessKeyId":"A"})", "p").error().message,
      HasSubstr("no SecretAccessKey"));
  EXPECT_THAT(
      ParseCredentialProcessOutput(
          R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"S","Expiration":"soon"})", "p")
          .error()
          .message,
      HasSubstr("ISO 8601"));
}

TEST(Credentials, RoleArnWithSourceProfileAssumesTheRole) {
  Fixture f({{"AWS_PROFILE", "deploy"}},
            "[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = basesecret\n",
            "[profile deploy]\nrole_arn = arn:aws:iam::222222222222:role/Deployer\n"
            "source_profile = base\nexternal_id = ext-1\nrole_session_name = me\n"
            "duration_seconds = 7200\n");
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAASSUMED");
  EXPECT_THAT(c->source, HasSubstr("arn:aws:iam::222222222222:role/Deployer"));
  ASSERT_EQ(f.assumed.size(), 1u);
  EXPECT_EQ(f.assumed[0].first.access_key_id, "AKIDBASE");
  EXPECT_EQ(f.assumed[0].second.role_arn, "arn:aws:iam::222222222222:role/Deployer");
  EXPECT_EQ(f.assumed[0].second.external_id, "ext-1");
  EXPECT_EQ(f.assumed[0].second.session_name, "me");
  EXPECT_EQ(f.assumed[0].second.duration_seconds, 7200);
}

TEST(Credentials, ChainedRolesAndCycles) {
  Fixture chained({{"AWS_PROFILE", "b"}},
                  "[base]\naws_access_key_id = K\naws_secret_access_key = S\n",
                  "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = base\n"
                  "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n");
  ASSERT_TRUE(chained.Fetch().ok());
  EXPECT_EQ(chained.assumed.size(), 2u);
  EXPECT_EQ(chained.assumed[1].first.access_key_id, "ASIAASSUMED");

  Fixture cycle({{"AWS_PROFILE", "a"}}, "",
                "[profile a]\nrole_arn = arn:aws:iam::1:role/A\nsource_profile = b\n"
                "[profile b]\nrole_arn = arn:aws:iam::1:role/B\nsource_profile = a\n");
  auto c = cycle.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message, HasSubstr("loops back"));
}

TEST(Credentials, RoleWithCredentialSourceEnvironment) {
  Fixture f({{"AWS_PROFILE", "r"}}, "",
            "[profile r]\nrole_arn = arn:aws:iam::1:role/R\ncredential_source = Environment\n");
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());  // the environment has no keys
  EXPECT_THAT(c.error().message, HasSubstr("its source credentials failed"));
}

TEST(Credentials, FailedAssumeRoleNamesTheRole) {
  Fixture f({{"AWS_PROFILE", "deploy"}},
            "[base]\naws_access_key_id = K\naws_secret_access_key = S\n",
            "[profile deploy]\nrole_arn = arn:aws:iam::1:role/D\nsource_profile = base\n");
  f.context.assume_role = [](const Credentials&,
                             const AssumeRoleRequest&) -> AwsResult<TimedCredentials> {
    AwsError e = MakeError(AwsError::Kind::kService, "AccessDenied", "not authorized to assume");
    return e;
  };
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "AccessDenied");
  EXPECT_THAT(c.error().message, HasSubstr("assuming arn:aws:iam::1:role/D failed"));
}

TEST(Credentials, InstanceMetadataIsTheLastResort) {
  Fixture f({});
  f.metadata.paths["iam/security-credentials/"] = "stacks-node-role\n";
  f.metadata.paths["iam/security-credentials/stacks-node-role"] =
      R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"imdssecret",
          "Token":"imdstoken","Expiration":"2026-11-24T06:00:00Z"})";
  auto c = f.Fetch();
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->credentials.access_key_id, "ASIAIMDS");
  EXPECT_EQ(c->source, "instance metadata (role stacks-node-role)");
}

TEST(Credentials, NoneFoundListsEveryPlaceLooked) {
  Fixture f({});
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "NoCredentials");
  EXPECT_THAT(c.error().message, HasSubstr("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
  EXPECT_THAT(c.error().message, HasSubstr("profile default in ~/.aws/credentials"));
  EXPECT_THAT(c.error().message, HasSubstr("instance metadata (connection refused)"));
}

TEST(Credentials, UnsupportedSsoProfileSaysWhatToDo) {
  Fixture f({{"AWS_PROFILE", "sso"}}, "", "[profile sso]\nsso_session = corp\n");
  auto c = f.Fetch();
  ASSERT_FALSE(c.ok());
  EXPECT_THAT(c.error().message, HasSubstr("export-credentials"));
}

class CountingProvider : public CredentialsProvider {
 public:
  util::FakeClock* clock;
  int fetches = 0;
  bool fail = false;
  explicit CountingProvider(util::FakeClock* c) : clock(c) {}
  AwsResult<TimedCredentials> Fetch() override {
    ++fetches;
    if (fail) return MakeError(AwsError::Kind::kTransport, "Unreachable", "down");
    return TimedCredentials{{"K" + std::to_string(fetches), "S", "T"}, clock->Now() + 1h, "x"};
  }
};

TEST(CachingCredentials, RefreshesBeforeExpiry) {
  util::FakeClock clock(kNow);
  auto provider = std::make_unique<CountingProvider>(&clock);
  CountingProvider* p = provider.get();
  CachingCredentials cache(std::move(provider), &clock, 5min);
  EXPECT_EQ(cache.Get()->credentials.access_key_id, "K1");
  clock.Advance(50min);
  EXPECT_EQ(cache.Get()->credentials.access_key_id, "K1");
  clock.Advance(6min);  // 4 minutes left: refresh
  EXPECT_EQ(cache.Get()->credentials.access_key_id, "K2");
  EXPECT_EQ(p->fetches, 2);
  // A failed refresh keeps the old credentials while they are still valid...
  clock.Advance(56min);
  p->fail = true;
  EXPECT_EQ(cache.Get()->credentials.access_key_id, "K2");
  // ...and fails once they have expired.
  clock.Advance(5min);
  EXPECT_FALSE(cache.Get().ok());
  cache.Invalidate();
  p->fail = false;
  EXPECT_EQ(cache.Get()->credentials.access_key_id, "K5");
}

}  // namespace
}  // namespace sr::aws
