#include "node/node_secrets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>

#include "aws/session.h"
#include "http/beast_http_client.h"
#include "keys/address.h"
#include "keys/key.h"
#include "keys/secrets.h"
#include "testing/fake_aws.h"
#include "testing/test_support.h"
#include "util/clock.h"
#include "util/process.h"

namespace sr::node {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A signer key of the facts sheet's vectors (section 8) and its address.
constexpr char kSignerKey[] = "edf9aee84d9b7abc145504dde6726c64f369d37ee34ded868fabd876c26570bc01";

class MemoryStore : public SecretStore {
 public:
  std::map<std::string, std::optional<std::string>> values;  // absent: no such secret
  std::map<std::string, std::string> tokens;                 // token -> value stored with it
  int puts = 0;
  bool lose_put_answer = false;  // stores, then fails as a dropped connection would

  aws::AwsResult<std::optional<std::string>> Get(const std::string& id) override {
    auto it = values.find(id);
    if (it == values.end()) {
      return aws::MakeError(aws::AwsError::Kind::kService, "ResourceNotFoundException",
                            "Secrets Manager can't find the specified secret.");
    }
    return it->second;
  }
  aws::AwsResult<aws::Unit> Put(const std::string& id, const std::string& value,
                                const std::string& token) override {
    ++puts;
    if (auto t = tokens.find(token); t != tokens.end()) {
      if (t->second != value) {
        return aws::MakeError(aws::AwsError::Kind::kService, "ResourceExistsException",
                              "You can't modify an existing version.");
      }
      return aws::Unit{};
    }
    tokens[token] = value;
    values[id] = value;
    if (lose_put_answer) {
      lose_put_answer = false;
      return aws::MakeError(aws::AwsError::Kind::kTransport, "ConnectionDropped",
                            "the connection closed before the answer");
    }
    return aws::Unit{};
  }
};

config::Config Signer() {
  return testing::ConfigFrom(
      "STACKS_NETWORK=mainnet\nSTACKS_NODE_CONFIGURATION=signer\nBITCOIN_PEER_HOST=btc.internal\n");
}
config::Config Miner() {
  return testing::ConfigFrom(
      "STACKS_NETWORK=testnet\nSTACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:btc\n");
}

struct LoadRun {
  std::optional<LoadedSecrets> loaded;
  std::string error;
  std::string log;
};

LoadRun Load(SecretStore& store, const config::Config& c, const SecretIds& ids,
             const std::string& instance = "i-0123456789abcdef0") {
  LoadRun r;
  r.loaded = LoadNodeSecrets(store, c, ids, instance, &r.error,
                             [&](const std::string& line) { r.log += line + "\n"; });
  return r;
}

TEST(NodeSecrets, SignerSecretWithAKeyIsUsedAsIs) {
  MemoryStore store;
  store.values["signer"] = std::string(R"({"private_key":")") + kSignerKey +
                           R"(","auth_password":"a-long-enough-password-1234"})";
  const LoadRun r = Load(store, Signer(), {"signer", "", ""});
  ASSERT_TRUE(r.loaded) << r.error;
  EXPECT_EQ(r.loaded->secrets.signer_private_key, kSignerKey);
  EXPECT_EQ(r.loaded->secrets.auth_token, "a-long-enough-password-1234");
  std::string error;
  const auto key = keys::PrivateKey::FromHex(kSignerKey, &error);
  EXPECT_EQ(r.loaded->identity.signer_address,
            keys::SignerAddressOf(keys::Network::kMainnet, *key));
  EXPECT_EQ(r.loaded->identity.signer_public_key, key->Public().Compressed().Hex());
  EXPECT_EQ(store.puts, 0);
  // The log names the address and public key, never the key or the password.
  EXPECT_THAT(r.log, HasSubstr(r.loaded->identity.signer_address));
  EXPECT_THAT(r.log, Not(HasSubstr(kSignerKey)));
  EXPECT_THAT(r.log, Not(HasSubstr("a-long-enough-password")));
}

TEST(NodeSecrets, EmptySignerSecretGetsOneKeyThatLaterBootsKeep) {
  MemoryStore store;
  store.values["signer"] = std::nullopt;  // created by the stack without a value
  const LoadRun first = Load(store, Signer(), {"signer", "", ""});
  ASSERT_TRUE(first.loaded) << first.error;
  EXPECT_EQ(store.puts, 1);
  std::string error;
  auto stored = keys::ParseSignerSecret(store.values["signer"].value(), &error);
  ASSERT_TRUE(stored) << error;
  EXPECT_EQ(stored->private_key, first.loaded->secrets.signer_private_key);
  EXPECT_EQ(stored->private_key.size(), 66u);  // compressed
  EXPECT_EQ(stored->auth_password, first.loaded->secrets.auth_token);
  EXPECT_THAT(first.log, HasSubstr("generated a new signer key"));

  const LoadRun again = Load(store, Signer(), {"signer", "", ""});
  ASSERT_TRUE(again.loaded) << again.error;
  EXPECT_EQ(store.puts, 1);
  EXPECT_EQ(again.loaded->secrets.signer_private_key, first.loaded->secrets.signer_private_key);
}

TEST(NodeSecrets, LostAnswerToTheFirstStoreDoesNotMakeASecondKey) {
  MemoryStore store;
  store.values["signer"] = std::nullopt;
  store.lose_put_answer = true;
  const LoadRun failed = Load(store, Signer(), {"signer", "", ""});
  EXPECT_FALSE(failed.loaded);
  EXPECT_THAT(failed.error, HasSubstr("cannot store the new key"));
  const std::string stored = store.values["signer"].value();

  // The rerun (bootstrap is idempotent) finds the key stored the first time and uses it.
  const LoadRun rerun = Load(store, Signer(), {"signer", "", ""});
  ASSERT_TRUE(rerun.loaded) << rerun.error;
  EXPECT_EQ(store.values["signer"].value(), stored);
  std::string error;
  EXPECT_EQ(keys::ParseSignerSecret(stored, &error)->private_key,
            rerun.loaded->secrets.signer_private_key);
}

TEST(NodeSecrets, SignerKeyWithoutItsPasswordKeepsTheKey) {
  MemoryStore store;
  store.values["signer"] = std::string(R"({"private_key":")") + kSignerKey + R"("})";
  const LoadRun r = Load(store, Signer(), {"signer", "", ""});
  ASSERT_TRUE(r.loaded) << r.error;
  EXPECT_EQ(r.loaded->secrets.signer_private_key, kSignerKey);
  EXPECT_EQ(r.loaded->secrets.auth_token.size(), 64u);
  EXPECT_THAT(store.values["signer"].value(), HasSubstr(kSignerKey));
}

TEST(NodeSecrets, UnreadableSecretIsNeverOverwritten) {
  MemoryStore store;
  store.values["signer"] = R"({"privat_key":"0123"})";
  const LoadRun r = Load(store, Signer(), {"signer", "", ""});
  EXPECT_FALSE(r.loaded);
  EXPECT_THAT(r.error, HasSubstr("signer secret signer"));
  EXPECT_THAT(r.error, HasSubstr("docs/secrets.md"));
  EXPECT_THAT(r.error, Not(HasSubstr("0123")));
  EXPECT_EQ(store.puts, 0);
}

TEST(NodeSecrets, MissingSecretOrIdSaysWhich) {
  MemoryStore store;
  EXPECT_THAT(Load(store, Signer(), {"", "", ""}).error, HasSubstr("needs its signer secret"));
  EXPECT_THAT(Load(store, Signer(), {"gone", "", ""}).error,
              HasSubstr("cannot read the signer secret gone: "));
}

TEST(NodeSecrets, MinerGetsItsKeyItsSignerAndItsBitcoindCredentials) {
  MemoryStore store;
  store.values["signer"] = std::nullopt;
  store.values["miner"] = std::nullopt;
  store.values["btc"] = R"({"username":"miner","password":"rpc-pass-1"})";
  const LoadRun r = Load(store, Miner(), {"signer", "miner", "btc"});
  ASSERT_TRUE(r.loaded) << r.error;
  EXPECT_EQ(r.loaded->secrets.miner_seed, r.loaded->secrets.mining_key);
  EXPECT_EQ(r.loaded->secrets.miner_seed.size(), 66u);
  EXPECT_NE(r.loaded->secrets.miner_seed, r.loaded->secrets.signer_private_key);
  EXPECT_EQ(r.loaded->secrets.bitcoin_rpc_username, "miner");
  EXPECT_EQ(r.loaded->secrets.bitcoin_rpc_password, "rpc-pass-1");
  EXPECT_EQ(r.loaded->identity.miner_address.rfind("ST", 0), 0u);  // testnet
  EXPECT_EQ(store.puts, 2);
  EXPECT_THAT(r.log, Not(HasSubstr("rpc-pass-1")));
  EXPECT_THAT(r.log, Not(HasSubstr(r.loaded->secrets.miner_seed)));
}

TEST(NodeSecrets, MinerNeedsAFilledBitcoindSecret) {
  MemoryStore store;
  store.values["signer"] = std::nullopt;
  store.values["miner"] = std::nullopt;
  store.values["btc"] = std::nullopt;
  EXPECT_THAT(Load(store, Miner(), {"signer", "miner", "btc"}).error,
              HasSubstr("the bitcoind secret btc is empty"));
  EXPECT_THAT(Load(store, Miner(), {"signer", "miner", ""}).error,
              HasSubstr("no bitcoind secret was given"));
  store.values["btc"] = R"({"username":"miner","password":"has#hash"})";
  const LoadRun bad = Load(store, Miner(), {"signer", "miner", "btc"});
  EXPECT_THAT(bad.error, HasSubstr("the bitcoind secret btc: "));
  EXPECT_THAT(bad.error, Not(HasSubstr("has#hash")));
}

// A session against the fake AWS endpoints, with the fake's keys.
struct FakeSession {
  util::SystemClock clock;
  util::SystemProcessRunner processes;
  testing::FakeFileSystem fs;
  http::BeastHttpClient client{http::ClientOptions{}};
  std::unique_ptr<aws::Session> session;

  explicit FakeSession(const std::string& url) {
    aws::SessionDeps deps;
    deps.env = {{"AWS_ENDPOINT_URL", url},
                {"AWS_ACCESS_KEY_ID", sr::testing::kFakeAccessKey},
                {"AWS_SECRET_ACCESS_KEY", sr::testing::kFakeSecretKey},
                {"AWS_EC2_METADATA_DISABLED", "true"},
                {"AWS_CONFIG_FILE", "/nonexistent"},
                {"AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"}};
    deps.fs = &fs;
    deps.processes = &processes;
    deps.clock = &clock;
    deps.http = &client;
    deps.random = [] { return 0.5; };
    auto created = aws::Session::Create(std::move(deps), "us-east-1");
    if (created) session = std::move(*created);
  }
  std::function<aws::AwsResult<aws::Session*>()> Provider() {
    return [this]() -> aws::AwsResult<aws::Session*> { return session.get(); };
  }
};

// The hook bootstrap uses, against the fake Secrets Manager: the ids from the flags where given,
// else the settings' ARNs; signed calls; the public identity filled; only public values logged.
TEST(NodeSecretsAgainstFake, BootstrapHookReadsTheGivenSecretsOrTheSettingsOnes) {
  sr::testing::FakeAws fake;
  fake.Control("POST", "/__fake/state",
               {{"secrets",
                 {{"stacks/signer", nullptr},
                  {"stacks/miner", nullptr},
                  {"stacks/bitcoind", R"({"username":"miner","password":"rpc-pw-31f0"})"}}}});
  FakeSession s(fake.url());
  ASSERT_TRUE(s.session);
  // The miner secret from the settings (a partial ARN, as Secrets Manager accepts), the others
  // from the flags.
  const config::Config miner = testing::ConfigFrom(
      "STACKS_NETWORK=testnet\nSTACKS_NODE_CONFIGURATION=miner\nBITCOIN_PEER_HOST=btc.internal\n"
      "STACKS_MINER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:stacks/miner\n"
      "STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:nothing\n");
  std::string log;
  const SecretsHook hook = SecretsManagerHook(
      s.Provider(), {"stacks/signer", "", "stacks/bitcoind"},
      [] { return std::optional<std::string>("i-0123456789abcdef0"); },
      [&](const std::string& line) { log += line + "\n"; });
  NodeSecrets secrets;
  PublicIdentity identity;
  std::string error;
  ASSERT_TRUE(hook(miner, &secrets, &identity, &error)) << error;
  EXPECT_EQ(secrets.bitcoin_rpc_password, "rpc-pw-31f0");
  EXPECT_EQ(secrets.miner_seed.size(), 66u);
  EXPECT_EQ(identity.signer_address.rfind("ST", 0), 0u);
  EXPECT_EQ(identity.miner_address.rfind("ST", 0), 0u);
  EXPECT_EQ(identity.signer_public_key.size(), 66u);
  EXPECT_THAT(log, HasSubstr(identity.signer_address));
  for (const std::string& secret : {secrets.signer_private_key, secrets.auth_token,
                                    secrets.miner_seed, secrets.bitcoin_rpc_password}) {
    EXPECT_THAT(log, Not(HasSubstr(secret)));
  }
  const auto state = fake.Control("GET", "/__fake/state")["secrets"];
  EXPECT_EQ(state["stacks/signer"]["versions"], 1);
  EXPECT_EQ(state["stacks/miner"]["versions"], 1);
  const auto requests = fake.Control("GET", "/__fake/requests?service=secretsmanager");
  EXPECT_FALSE(requests.empty());
  for (const auto& request : requests) {
    EXPECT_TRUE(request.value("signature_ok", false)) << request.dump();
  }

  // Without an instance id there is no first-boot token: nothing is read or stored.
  const SecretsHook blind = SecretsManagerHook(
      s.Provider(), {}, [] { return std::optional<std::string>(); }, [](const std::string&) {});
  EXPECT_FALSE(blind(miner, &secrets, &identity, &error));
  EXPECT_THAT(error, HasSubstr("instance id"));
}

// The same against the fake Secrets Manager: a secret created empty (as the node stack creates
// it), its value stored with a signed PutSecretValue, and read back on the next boot.
TEST(NodeSecretsAgainstFake, EmptySecretFilledOnceThroughSecretsManager) {
  sr::testing::FakeAws fake;
  fake.Control("POST", "/__fake/state", {{"secrets", {{"stacks/signer", nullptr}}}});
  FakeSession fake_session(fake.url());
  ASSERT_TRUE(fake_session.session);
  auto client = fake_session.session->Client(aws::SecretsManager());
  ASSERT_TRUE(client);
  SecretsManagerStore store(&*client);

  const LoadRun first = Load(store, Signer(), {"stacks/signer", "", ""});
  ASSERT_TRUE(first.loaded) << first.error;
  const LoadRun second = Load(store, Signer(), {"stacks/signer", "", ""});
  ASSERT_TRUE(second.loaded) << second.error;
  EXPECT_EQ(first.loaded->secrets.signer_private_key, second.loaded->secrets.signer_private_key);
  const auto puts = fake.Control("GET", "/__fake/requests?operation=PutSecretValue");
  ASSERT_EQ(puts.size(), 1u) << puts.dump();
  EXPECT_TRUE(puts[0].value("signature_ok", false));
  EXPECT_EQ(fake.Control("GET", "/__fake/state")["secrets"]["stacks/signer"]["versions"], 1);
}

}  // namespace
}  // namespace sr::node
