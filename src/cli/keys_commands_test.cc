// keys generate, address and import: in process (import against the fake AWS endpoints, every
// request's signature checked), and as whole processes for what only a process has: the command
// line, stdin, and a terminal whose echo must be off while a key is typed.
#include "cli/keys_commands.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "aws/secretsmanager.h"
#include "aws/service.h"
#include "cli/exit_codes.h"
#include "http/beast_http_client.h"
#include "keys/address.h"
#include "keys/key.h"
#include "keys/secrets.h"
#include "testing/fake_aws.h"
#include "testing/test_support.h"
#include "util/clock.h"
#include "util/process.h"

namespace sr::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Section 8 vectors (see keys/address_test.cc).
constexpr char kSignerKey[] = "73a2f291df5a8ce3ceb668a25ac7af45639513af7596d710ddf59f64f484fd2801";
constexpr char kSignerMainnet[] = "SP10J81WVGVB3M4PHQN4Q4G0R8586TBJH948RESDR";
constexpr char kSignerTestnet[] = "ST10J81WVGVB3M4PHQN4Q4G0R8586TBJH94CGRESQ";
constexpr char kOtherKey[] = "b8d99fd45da58038d630d9855d3ca2466e8e0f89d3894c4724f0efc9ff4b51f001";
constexpr char kOtherMainnet[] = "SP2ZRX0K27GW0SP3GJCEMHD95TQGJMKB7GB36ZAR0";
constexpr char kPlainKey[] = "edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc";
constexpr char kPlainMainnet[] = "SPZG6BAY4JVR9RNAB1HY92B7Q208ZYY4HZEA9PX5";
constexpr char kPlainCompressedMainnet[] = "SPAW66WC3G8WA5F28JVNG1NTRJ6H76E7EN5H6QQD";
constexpr char kPlainPublic[] =
    "04ef788b3830c00abe8f64f62dc32fc863bc0b2cafeb073b6c8e1c7657d9c2c3ab5b435d20ea91337cdd8c30dd"
    "7427bb098a5355e9c9bfad43797899b8137237cf";
// 66 hex that is both a compressed public key (of the secret 1255628) and a compressed private
// key; addresses derived with Python's `cryptography`.
constexpr char kAmbiguous[] = "0294180d81396f1d4d02a1ee2f71220e52e844135cc72421d0052acf4b80b36501";
constexpr char kAmbiguousAsPublic[] = "SP1DVY3Q7D55HZH6ZHHA36B8J5848JGHCNFR20N9X";
constexpr char kAmbiguousAsPrivate[] = "SP8K0Y81CC0MB7M9YS1E6NWHB64P2PCE29ZJZTW8";

SecretReader Gives(std::string text) {
  return [text](const std::string&, std::string* out, std::string*) {
    *out = text;
    return true;
  };
}

class KeysCommandsTest : public ::testing::Test {
 protected:
  KeysCommandsTest() {
    ctx_.fs = &fs_;
    ctx_.out = &out_;
    ctx_.err = &err_;
    ctx_.clock = &clock_;
    ctx_.processes = &processes_;
    ctx_.random = [] { return 0.5; };
    ctx_.http = [this]() -> aws::AwsResult<http::HttpClient*> { return &http_; };
  }
  void Reset() {
    out_.str("");
    err_.str("");
  }

  testing::FakeFileSystem fs_;
  std::ostringstream out_, err_;
  util::SystemClock clock_;
  util::SystemProcessRunner processes_;
  http::BeastHttpClient http_{{}};
  Context ctx_;
};

// ---- generate ----------------------------------------------------------------------------

TEST_F(KeysCommandsTest, GenerateJsonRoundTripsThroughParseAndAddress) {
  for (const char* network : {"mainnet", "testnet"}) {
    Reset();
    ASSERT_EQ(RunKeysGenerate(ctx_, {network, true}), kExitOk) << err_.str();
    const json j = json::parse(out_.str());
    EXPECT_EQ(j.size(), 4u);
    EXPECT_EQ(j["network"], network);
    const std::string private_hex = j["private_key"];
    ASSERT_EQ(private_hex.size(), 66u);
    EXPECT_EQ(private_hex.substr(64), "01");
    std::string error;
    auto key = keys::PrivateKey::FromHex(private_hex, &error);
    ASSERT_TRUE(key) << error;
    EXPECT_EQ(j["public_key"], key->Public().Hex());
    const auto n = *keys::ParseNetwork(network);
    EXPECT_EQ(j["address"], keys::AddressOf(n, *key));
    auto parsed = keys::ParseAddress(j["address"].get<std::string>(), &error);
    ASSERT_TRUE(parsed) << error;
    EXPECT_EQ(parsed->version, keys::SingleSigVersion(n));
    EXPECT_THAT(err_.str(), HasSubstr("warning: the private key is printed above"));

    // And `keys address` of the generated key gives the same address.
    const std::string address = j["address"];
    Reset();
    KeysAddressOptions a;
    a.key = "-";
    a.network = network;
    // About one generated key in 128 starts with 02 or 03 and could also be a public key.
    a.is_private = true;
    ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(private_hex)), kExitOk) << err_.str();
    EXPECT_THAT(out_.str(), HasSubstr("Address:        " + address + " (" + network + ")"));
  }
}

TEST_F(KeysCommandsTest, GenerateForPeople) {
  ASSERT_EQ(RunKeysGenerate(ctx_, {"testnet", false}), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr("Private key: "));
  EXPECT_THAT(out_.str(), HasSubstr("Public key:  0"));
  EXPECT_THAT(out_.str(), HasSubstr("Address:     ST"));
  EXPECT_THAT(err_.str(), HasSubstr("`stacks-runner keys import --secret-id SECRET --kind "
                                    "signer|miner`\n  reads it from the terminal without echo"));
}

TEST_F(KeysCommandsTest, NetworkIsRequiredAndNotEchoed) {
  EXPECT_EQ(RunKeysGenerate(ctx_, {"", false}), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("keys generate: --network is required; accepted: mainnet, "
                                    "testnet"));
  Reset();
  EXPECT_EQ(RunKeysGenerate(ctx_, {kSignerKey, false}), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--network: not a network; accepted: mainnet, testnet"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("73a2f291")));
  EXPECT_TRUE(out_.str().empty());
}

// ---- address -----------------------------------------------------------------------------

TEST_F(KeysCommandsTest, AddressOfEveryFormFromStdin) {
  struct Case {
    std::string key;
    std::string network;
    std::string address;
  };
  const std::vector<Case> cases = {
      {kSignerKey, "mainnet", kSignerMainnet},
      {kSignerKey, "testnet", kSignerTestnet},
      {kPlainKey, "mainnet", kPlainMainnet},
      {std::string(kPlainKey) + "01", "mainnet", kPlainCompressedMainnet},
      {kPlainPublic, "mainnet", kPlainMainnet},
      {kOtherKey, "mainnet", kOtherMainnet},
  };
  for (const auto& c : cases) {
    Reset();
    KeysAddressOptions a;
    a.key = "-";
    a.network = c.network;
    a.json = true;
    ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(c.key)), kExitOk) << err_.str();
    const json j = json::parse(out_.str());
    EXPECT_EQ(j["address"], c.address) << c.key;
    EXPECT_EQ(j["network"], c.network);
    EXPECT_TRUE(err_.str().empty()) << err_.str();  // no warning: the key came on stdin
    if (c.key != kPlainPublic) {
      EXPECT_THAT(out_.str(), Not(HasSubstr(c.key.substr(0, 64))));
    }
  }
}

TEST_F(KeysCommandsTest, UncompressedKeysAlsoShowTheSignerAddress) {
  KeysAddressOptions a;
  a.key = "-";
  a.network = "mainnet";
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(kPlainKey)), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Address:        " + std::string(kPlainMainnet)));
  EXPECT_THAT(out_.str(), HasSubstr("Public key:     04ef788b"));
  EXPECT_THAT(out_.str(), HasSubstr("Signer address: " + std::string(kPlainCompressedMainnet) +
                                    " (mainnet)  (stacks-signer derives its address from the "
                                    "compressed public key 03ef788b"));
  Reset();
  a.json = true;
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(kPlainKey)), kExitOk);
  const json j = json::parse(out_.str());
  EXPECT_EQ(j, json::parse(R"({"network":"mainnet","public_key":")" + std::string(kPlainPublic) +
                           R"(","compressed":false,"address":")" + kPlainMainnet +
                           R"(","signer_address":")" + kPlainCompressedMainnet + R"("})"));
}

TEST_F(KeysCommandsTest, PublicKeyAsArgumentAndPrivateKeyArgumentWarns) {
  KeysAddressOptions a;
  a.key = kPlainPublic;
  a.network = "mainnet";
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives("unused")), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(kPlainMainnet));
  EXPECT_TRUE(err_.str().empty());
  Reset();
  a.key = kSignerKey;
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives("unused")), kExitOk);
  EXPECT_THAT(out_.str(), HasSubstr(kSignerMainnet));
  EXPECT_THAT(err_.str(), HasSubstr("warning: a private key given as an argument can be read by "
                                    "other users of this machine"));
}

TEST_F(KeysCommandsTest, AKeyThatIsBothFormsNeedsToBeTold) {
  KeysAddressOptions a;
  a.key = "-";
  a.network = "mainnet";
  EXPECT_EQ(RunKeysAddress(ctx_, a, Gives(kAmbiguous)), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("the key on stdin is both a valid compressed private key"));
  EXPECT_THAT(err_.str(), HasSubstr("say which with --private or --public"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("0294180d")));
  Reset();
  a.is_public = true;
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(kAmbiguous)), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(kAmbiguousAsPublic));
  Reset();
  a.is_public = false;
  a.is_private = true;
  ASSERT_EQ(RunKeysAddress(ctx_, a, Gives(kAmbiguous)), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr(kAmbiguousAsPrivate));
  Reset();
  a.is_public = true;
  EXPECT_EQ(RunKeysAddress(ctx_, a, Gives(kAmbiguous)), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--private and --public exclude each other"));
}

TEST_F(KeysCommandsTest, BadKeysSayWhatIsAcceptedWithoutTheKey) {
  const std::string almost = std::string(kSignerKey).substr(0, 64) + "02";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {std::string(kSignerKey).substr(0, 50),
       "the key on stdin is not a key: a private key is 64 "
       "hex characters, or 66 ending in 01"},
      {almost,
       "the key on stdin is not a key: a private key is 64 hex characters, or 66 ending "
       "in 01"},
      {std::string(64, '0'), "not a valid secp256k1 private key"},
      {"04" + std::string(128, '1'), "not a point on the secp256k1 curve"},
      {"", "the key on stdin is not a key"},
  };
  for (const auto& [text, why] : cases) {
    Reset();
    KeysAddressOptions a;
    a.key = "-";
    a.network = "testnet";
    EXPECT_EQ(RunKeysAddress(ctx_, a, Gives(text)), kExitInvalidInput) << text;
    EXPECT_THAT(err_.str(), HasSubstr(why)) << text;
    EXPECT_THAT(err_.str(), Not(HasSubstr("73a2f291df5a")));
  }
  Reset();
  KeysAddressOptions none;
  none.network = "mainnet";
  EXPECT_EQ(RunKeysAddress(ctx_, none, Gives("")), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("give the key: - to read it from stdin"));
}

// ---- import (in process, against the fake) ---------------------------------------------------

class KeysImport : public KeysCommandsTest {
 protected:
  KeysImport() {
    ctx_.environment = {{"AWS_ENDPOINT_URL", fake_.url()},
                        {"AWS_ACCESS_KEY_ID", testing::kFakeAccessKey},
                        {"AWS_SECRET_ACCESS_KEY", testing::kFakeSecretKey},
                        {"AWS_REGION", "us-east-1"},
                        {"AWS_EC2_METADATA_DISABLED", "true"},
                        {"AWS_MAX_ATTEMPTS", "2"},
                        {"AWS_CONFIG_FILE", "/nonexistent/config"},
                        {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/credentials"}};
  }
  aws::AwsClient Client() {
    std::string error;
    return aws::AwsClient(aws::SecretsManager(), "us-east-1", *http::ParseUrl(fake_.url(), &error),
                          {&http_, &clock_, &credentials_, [] { return 0.5; }});
  }
  // Creates the secret, empty (as CloudFormation does without a SecretString) or with `value`.
  std::string Create(const std::string& name, const std::optional<std::string>& value) {
    json request = {{"Name", name}};
    if (value) request["SecretString"] = *value;
    auto c = Client();
    auto r = c.CallJson("CreateSecret", request);
    EXPECT_TRUE(r) << r.error().Describe();
    return r ? (*r)["ARN"].get<std::string>() : "";
  }
  std::optional<std::string> Value(const std::string& id) {
    auto c = Client();
    auto r = aws::GetSecretValue(c, id);
    if (!r) return std::nullopt;
    return r->secret_string;
  }
  size_t Count(const std::string& operation) {
    size_t n = 0;
    for (const auto& r : fake_.Requests()) {
      EXPECT_TRUE(r.value("signature_ok", false)) << r.dump();
      n += r.value("operation", "") == operation;
    }
    return n;
  }
  int Import(const std::string& secret, const std::string& kind, const std::string& key,
             bool overwrite = false, const std::string& network = "mainnet") {
    Reset();
    KeysImportOptions o;
    o.secret_id = secret;
    o.kind = kind;
    o.network = network;
    o.overwrite = overwrite;
    return RunKeysImport(ctx_, o, Gives(key));
  }
  void ExpectNoKeyIn(const std::string& text) {
    for (const char* k : {kSignerKey, kOtherKey, kPlainKey}) {
      EXPECT_THAT(text, Not(HasSubstr(std::string(k).substr(0, 64))));
    }
  }

  testing::FakeAws fake_;
  aws::CachingCredentials credentials_{
      aws::MakeStaticProvider(
          {{testing::kFakeAccessKey, testing::kFakeSecretKey, ""}, std::nullopt, "test"}),
      &clock_};
};

TEST_F(KeysImport, SignerKeyGoesIntoTheEmptySecretWithANewAuthPassword) {
  const std::string arn = Create("stacks/signer", std::nullopt);
  ASSERT_EQ(Import("stacks/signer", "signer", kSignerKey), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Stored the signer key in " + arn + " (version "));
  EXPECT_THAT(out_.str(), HasSubstr("Address: " + std::string(kSignerMainnet) + " (mainnet)"));
  ExpectNoKeyIn(out_.str() + err_.str());
  auto stored = Value(arn);
  ASSERT_TRUE(stored);
  std::string error;
  auto secret = keys::ParseSignerSecret(*stored, &error);
  ASSERT_TRUE(secret) << error;
  EXPECT_EQ(secret->private_key, kSignerKey);
  EXPECT_EQ(secret->auth_password.size(), 64u);
  // The JSON is exactly the documented shape.
  EXPECT_EQ(*stored, keys::ToJson(*secret));
  // The version id is the random ClientRequestToken.
  const auto puts = fake_.Requests();
  bool saw_token = false;
  for (const auto& r : puts) {
    if (r.value("operation", "") != "PutSecretValue") continue;
    saw_token = r["params"].value("ClientRequestToken", "").size() == 36;
  }
  EXPECT_TRUE(saw_token);

  // The same key again: nothing to do.
  ASSERT_EQ(Import(arn, "signer", kSignerKey), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("already holds this signer key"));
  EXPECT_EQ(Count("PutSecretValue"), 1u);
}

TEST_F(KeysImport, RefusesToReplaceAKeyAndSaysBothAddresses) {
  const std::string password = "0123456789abcdef0123456789abcdef";
  const std::string before = R"({"private_key":")" + std::string(kSignerKey) +
                             R"(","auth_password":")" + password + R"("})";
  const std::string arn = Create("stacks/signer", before);
  EXPECT_EQ(Import(arn, "signer", kOtherKey), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("already holds a signer key, for " +
                                    std::string(kSignerMainnet) + " (mainnet)"));
  EXPECT_THAT(err_.str(), HasSubstr("The key given is for " + std::string(kOtherMainnet)));
  EXPECT_THAT(err_.str(), HasSubstr("Nothing was written. To replace the key, run again with "
                                    "--overwrite."));
  ExpectNoKeyIn(out_.str() + err_.str());
  EXPECT_EQ(Count("PutSecretValue"), 0u);
  EXPECT_EQ(Value(arn), before);
  // The same secret without 01: for a signer the same address, still a different key text.
  EXPECT_EQ(Import(arn, "signer", std::string(kSignerKey).substr(0, 64)), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("(The same secret in its other form"));

  // With --overwrite: replaced, the auth_password kept (the node's auth_token stays right).
  ASSERT_EQ(Import(arn, "signer", kOtherKey, true), kExitOk) << err_.str();
  EXPECT_THAT(out_.str(), HasSubstr("Replaced the signer key in " + arn));
  EXPECT_THAT(out_.str(), HasSubstr("Old key's address: " + std::string(kSignerMainnet)));
  EXPECT_THAT(out_.str(), HasSubstr("New key's address: " + std::string(kOtherMainnet)));
  EXPECT_THAT(out_.str(), HasSubstr("(label AWSPREVIOUS)"));
  ExpectNoKeyIn(out_.str() + err_.str());
  EXPECT_EQ(Value(arn), R"({"private_key":")" + std::string(kOtherKey) + R"(","auth_password":")" +
                            password + R"("})");
}

TEST_F(KeysImport, MinerKeyKeepsItsFormAndWithoutNetworkBothAddressesShow) {
  const std::string arn = Create("stacks/miner", "{}");
  ASSERT_EQ(Import(arn, "miner", kPlainKey, false, ""), kExitOk) << err_.str();
  // No 01: the node reads it uncompressed, so the stored key must not gain one.
  EXPECT_EQ(Value(arn), R"({"private_key":")" + std::string(kPlainKey) + R"("})");
  EXPECT_THAT(out_.str(), HasSubstr("Address: " + std::string(kPlainMainnet) +
                                    " (mainnet), STZG6BAY4JVR9RNAB1HY92B7Q208ZYY4HZG8ZXFM "
                                    "(testnet)"));
  EXPECT_THAT(out_.str(), HasSubstr("Public key: 04ef788b"));
}

TEST_F(KeysImport, AValueThatIsNotASecretOfTheKindNeedsOverwrite) {
  const std::string arn = Create("stacks/miner", "hunter2-placeholder");
  EXPECT_EQ(Import(arn, "miner", kSignerKey), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("holds a value that is not a miner secret (is not a JSON "
                                    "object"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("hunter2")));
  EXPECT_EQ(Count("PutSecretValue"), 0u);
  ASSERT_EQ(Import(arn, "miner", kSignerKey, true), kExitOk) << err_.str();
  EXPECT_EQ(Value(arn), R"({"private_key":")" + std::string(kSignerKey) + R"("})");
}

TEST_F(KeysImport, BadInputStopsBeforeAnyAwsCall) {
  Create("stacks/signer", std::nullopt);
  fake_.Control("DELETE", "/__fake/requests");
  EXPECT_EQ(Import("stacks/signer", "signer", "73a2f291df5a8ce3ce"), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("keys import: the private key given is not valid: 18 "
                                    "characters: a private key is 64 hex characters"));
  EXPECT_THAT(err_.str(), Not(HasSubstr("73a2f291")));
  EXPECT_EQ(Import("stacks/signer", "signer", ""), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("no private key given"));
  EXPECT_EQ(Import("stacks/signer", "bitcoind", kSignerKey), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--kind is wrong; accepted: signer, miner"));
  EXPECT_EQ(Import("stacks/signer", "", kSignerKey), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--kind is required"));
  EXPECT_EQ(Import("", "signer", kSignerKey), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--secret-id is required"));
  EXPECT_EQ(Import("arn:aws:s3:::bucket", "signer", kSignerKey), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("is not a secret's ARN"));
  EXPECT_EQ(Import("stacks/signer", "signer", kSignerKey, false, "regtest"), kExitInvalidInput);
  Reset();
  KeysImportOptions o;
  o.secret_id = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:x-AbCdEf";
  o.kind = "signer";
  o.region = "us-east-1";
  EXPECT_EQ(RunKeysImport(ctx_, o, Gives(kSignerKey)), kExitInvalidInput);
  EXPECT_THAT(err_.str(), HasSubstr("--region us-east-1 differs from the region of the secret's "
                                    "ARN (eu-west-1)"));
  EXPECT_TRUE(fake_.Requests().empty());
}

TEST_F(KeysImport, AwsProblemsAreExplained) {
  EXPECT_EQ(Import("stacks/nowhere", "signer", kSignerKey), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("Secrets Manager DescribeSecret: ResourceNotFoundException"));
  EXPECT_THAT(err_.str(), HasSubstr("There is no secret stacks/nowhere in us-east-1: create it "
                                    "first"));

  const std::string arn = Create("stacks/signer", std::nullopt);
  fake_.Fault("secretsmanager", "PutSecretValue", "access-denied", 1);
  EXPECT_EQ(Import(arn, "signer", kSignerKey), kExitFailure);
  EXPECT_THAT(err_.str(),
              HasSubstr("The credentials lack secretsmanager:PutSecretValue on " + arn));
  ExpectNoKeyIn(err_.str());

  auto c = Client();
  ASSERT_TRUE(c.CallJson("DeleteSecret", {{"SecretId", arn}}));
  EXPECT_EQ(Import(arn, "signer", kSignerKey), kExitFailure);
  EXPECT_THAT(err_.str(), HasSubstr("is scheduled for deletion: restore it first"));
}

// ---- Whole processes: the command line, stdin, a terminal ------------------------------------

class KeysProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("stacks-runner-keys-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    env_ = {{"AWS_ENDPOINT_URL", fake_.url()},
            {"AWS_ACCESS_KEY_ID", testing::kFakeAccessKey},
            {"AWS_SECRET_ACCESS_KEY", testing::kFakeSecretKey},
            {"AWS_REGION", "us-east-1"},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"HOME", dir_.string()}};
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs the binary with `input` on stdin (a file, not a terminal).
  testing::CliResult Run(const std::string& args, const std::string& input) {
    std::ofstream(dir_ / "in.txt") << input;
    std::string command = "cd '" + dir_.string() + "' && env -i PATH=/usr/bin:/bin";
    for (const auto& [k, v] : env_) command += " '" + k + "=" + v + "'";
    command +=
        " '" + std::string(STACKS_RUNNER_BINARY) + "' " + args + " <in.txt >out.txt 2>err.txt";
    const int status = std::system(command.c_str());
    auto slurp = [&](const char* name) {
      std::ifstream in(dir_ / name);
      std::stringstream s;
      s << in.rdbuf();
      return s.str();
    };
    testing::CliResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = slurp("out.txt");
    r.err = slurp("err.txt");
    return r;
  }

  testing::FakeAws fake_;
  fs::path dir_;
  std::map<std::string, std::string> env_;
};

TEST_F(KeysProcess, CommandLine) {
  auto generated = Run("keys generate --network testnet --json", "");
  ASSERT_EQ(generated.exit_code, 0) << generated.err;
  const json j = json::parse(generated.out);
  EXPECT_THAT(j["address"].get<std::string>(), StartsWith("ST"));

  auto address = Run("keys address - --network mainnet", std::string(kSignerKey) + "\n");
  ASSERT_EQ(address.exit_code, 0) << address.err;
  EXPECT_THAT(address.out, HasSubstr(kSignerMainnet));
  EXPECT_TRUE(address.err.empty()) << address.err;

  // What is not understood is refused without being repeated: it may be a key.
  auto extra = Run(std::string("keys address - --network mainnet ") + kOtherKey, "");
  EXPECT_EQ(extra.exit_code, 2);
  EXPECT_THAT(extra.err, HasSubstr("keys address: 1 unexpected argument(s), not shown"));
  EXPECT_THAT(extra.err, Not(HasSubstr("b8d99fd4")));
  auto positional = Run(std::string("keys import --secret-id s --kind signer ") + kOtherKey, "");
  EXPECT_EQ(positional.exit_code, 2);
  EXPECT_THAT(positional.err, Not(HasSubstr("b8d99fd4")));
  auto option = Run(std::string("keys generate --network mainnet --key=") + kOtherKey, "");
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_THAT(option.err, Not(HasSubstr("b8d99fd4")));
  EXPECT_EQ(Run("keys", "").exit_code, 2);
  EXPECT_TRUE(fake_.Requests().empty());
}

TEST_F(KeysProcess, ImportFromStdin) {
  auto created = fake_.Control("POST", "/__fake/state", {{"secrets", {{"stacks/miner", "{}"}}}});
  auto r = Run("keys import --secret-id stacks/miner --kind miner --network testnet",
               std::string(kOtherKey) + "\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("Stored the miner key in arn:aws:secretsmanager:us-east-1:"));
  EXPECT_THAT(r.out, HasSubstr("ST2ZRX0K27GW0SP3GJCEMHD95TQGJMKB7G9Y0X1MH (testnet)"));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("b8d99fd4")));
  for (const auto& req : fake_.Requests()) {
    EXPECT_TRUE(req.value("signature_ok", false)) << req.dump();
  }
}

// Reads what the child writes to the terminal until `marker` shows or `timeout` passes.
std::string ReadUntil(int fd, const std::string& marker, std::chrono::milliseconds timeout) {
  std::string seen;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!marker.empty() && seen.find(marker) != std::string::npos) break;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buffer[1024];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n <= 0) break;  // EIO: the child closed the terminal
    seen.append(buffer, static_cast<size_t>(n));
  }
  return seen;
}

TEST_F(KeysProcess, ATypedKeyIsNotEchoedByTheTerminal) {
  fake_.Control("POST", "/__fake/state", {{"secrets", {{"stacks/signer", "{}"}}}});
  std::vector<std::string> args = {
      STACKS_RUNNER_BINARY, "keys",   "import", "--secret-id", "stacks/signer", "--kind", "signer",
      "--network",          "mainnet"};
  std::vector<std::string> env = {"PATH=/usr/bin:/bin"};
  for (const auto& [k, v] : env_) env.push_back(k + "=" + v);
  int master = -1;
  const pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::vector<char*> a, e;
    for (auto& s : args) a.push_back(s.data());
    a.push_back(nullptr);
    for (auto& s : env) e.push_back(s.data());
    e.push_back(nullptr);
    ::execve(a[0], a.data(), e.data());
    ::_exit(127);
  }
  std::string seen = ReadUntil(master, "(input hidden): ", std::chrono::seconds(20));
  EXPECT_THAT(seen, HasSubstr("Private key of the signer, 64 or 66 hex (input hidden): "));
  const std::string typed = std::string(kSignerKey) + "\n";
  ASSERT_EQ(::write(master, typed.data(), typed.size()), static_cast<ssize_t>(typed.size()));
  seen += ReadUntil(master, "", std::chrono::seconds(20));
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << seen;
  EXPECT_THAT(seen, HasSubstr("Stored the signer key in"));
  EXPECT_THAT(seen, HasSubstr(kSignerMainnet));
  EXPECT_THAT(seen, Not(HasSubstr("73a2f291")));  // the terminal never showed what was typed
}

}  // namespace
}  // namespace sr::cli
