#include "config/load.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/dotenv.h"
#include "config/ebs_limits.h"
#include "config/ports.h"
#include "config/validators.h"
#include "config/variables.h"
#include "keys/c32.h"

extern char** environ;

namespace sr::config {
namespace {

struct Raw {
  std::string value;
  Origin origin;
};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t comma = s.find(',', start);
    if (comma == std::string_view::npos) comma = s.size();
    std::string item = Trim(s.substr(start, comma - start));
    if (!item.empty()) out.push_back(std::move(item));
    start = comma + 1;
  }
  return out;
}

class Loader {
 public:
  explicit Loader(const LoadInput& input) : input_(input) {}

  LoadResult Run() {
    CollectRawSettings();
    Config config;
    ReadNetworkAndRole(&config);
    ReadAws(&config);
    ReadInstance(&config);
    ReadRelease(&config);
    ReadPorts(&config);
    ReadBitcoin(&config);
    ReadSecrets(&config);
    ReadMiner(&config);
    ReadVolumes(&config);
    ReadHighAvailability(&config);
    ReadPlacement(&config);
    ReadMonitoring(&config);
    // In file order first, then what came from the environment, then from defaults.
    std::stable_sort(
        diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
          auto rank = [](const Origin& o) {
            return o.kind == Origin::Kind::kFile ? 0 : o.kind == Origin::Kind::kEnvironment ? 1 : 2;
          };
          return std::pair(rank(a.origin), a.origin.line) <
                 std::pair(rank(b.origin), b.origin.line);
        });
    LoadResult result;
    result.diagnostics = std::move(diagnostics_);
    if (!HasErrors(result.diagnostics)) result.config = std::move(config);
    return result;
  }

 private:
  // --- Raw settings -------------------------------------------------------------------------

  void CollectRawSettings() {
    if (!input_.env_path.empty()) {
      DotenvFile file = ParseDotenv(input_.env_text);
      for (const auto& problem : file.problems) {
        diagnostics_.push_back({Severity::kError, Origin::File(input_.env_path, problem.line), "",
                                "", problem.message});
      }
      std::map<std::string, int> first_line;
      for (const auto& entry : file.entries) {
        auto [it, inserted] = first_line.emplace(entry.key, entry.line);
        if (!inserted) {
          Report(
              Severity::kWarning, Origin::File(input_.env_path, entry.line), entry.key, entry.value,
              "already set on line " + std::to_string(it->second) + "; the last assignment wins");
        }
        CheckKnown(entry);
        raw_[entry.key] = {entry.value, Origin::File(input_.env_path, entry.line)};
      }
    }
    // As with dotenv, a variable already in the environment wins over the file.
    for (const auto& spec : AllVariables()) {
      auto it = input_.environment.find(std::string(spec.name));
      if (it != input_.environment.end()) {
        raw_[std::string(spec.name)] = {it->second, Origin::Environment()};
      }
    }
  }

  void CheckKnown(const DotenvEntry& entry) {
    if (FindVariable(entry.key) != nullptr) return;
    const Origin origin = Origin::File(input_.env_path, entry.line);
    if (IsOurPrefix(entry.key)) {
      std::string message = "unknown variable";
      const std::string suggestion = SuggestVariable(entry.key);
      if (!suggestion.empty()) message += "; did you mean " + suggestion + "?";
      message += " (every variable is listed in docs/configuration.md)";
      Report(Severity::kError, origin, entry.key, entry.value, message);
    } else {
      Report(Severity::kWarning, origin, entry.key, entry.value,
             "not a stacks-runner variable; ignored");
    }
  }

  // A variable set to the empty string counts as unset, as `process.env.X || default` did.
  const Raw* Get(std::string_view name) const {
    auto it = raw_.find(std::string(name));
    if (it == raw_.end() || Trim(it->second.value).empty()) return nullptr;
    return &it->second;
  }
  bool IsSet(std::string_view name) const { return Get(name) != nullptr; }
  Origin OriginOf(std::string_view name) const {
    const Raw* raw = Get(name);
    return raw ? raw->origin : Origin::Default();
  }
  std::string ValueOf(std::string_view name) const {
    const Raw* raw = Get(name);
    return raw ? Trim(raw->value) : std::string();
  }

  // --- Reporting ----------------------------------------------------------------------------

  void Report(Severity severity, Origin origin, std::string_view name, std::string_view value,
              std::string message) {
    diagnostics_.push_back({severity, std::move(origin), std::string(name), ShownValue(name, value),
                            std::move(message)});
  }
  // Reports against a variable; `effective` is shown when the variable is not set (a default).
  void Problem(Severity severity, std::string_view name, std::string_view effective,
               std::string message) {
    const Raw* raw = Get(name);
    Report(severity, OriginOf(name), name, raw ? Trim(raw->value) : std::string(effective),
           std::move(message));
  }
  void Error(std::string_view name, std::string_view effective, std::string message) {
    Problem(Severity::kError, name, effective, std::move(message));
  }
  void Warn(std::string_view name, std::string_view effective, std::string message) {
    Problem(Severity::kWarning, name, effective, std::move(message));
  }

  // --- Typed readers: return the default when unset or invalid (invalid is reported) --------

  std::string String(std::string_view name, std::string_view fallback) const {
    return IsSet(name) ? ValueOf(name) : std::string(fallback);
  }

  int Int(std::string_view name, int fallback, int min, int max, std::string_view unit = "") {
    if (!IsSet(name)) return fallback;
    const std::string text = ValueOf(name);
    int value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const std::string range = std::to_string(min) + "-" + std::to_string(max) +
                              (unit.empty() ? "" : " ") + std::string(unit);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      Error(name, text, "not a whole number; accepted: " + range);
      return fallback;
    }
    if (value < min || value > max) {
      Error(name, text, "out of range; accepted: " + range);
      return fallback;
    }
    return value;
  }

  bool Bool(std::string_view name, bool fallback) {
    if (!IsSet(name)) return fallback;
    const std::string v = Lower(ValueOf(name));
    if (v == "true" || v == "1" || v == "yes") return true;
    if (v == "false" || v == "0" || v == "no") return false;
    Error(name, ValueOf(name), "not a boolean; accepted: true, false");
    return fallback;
  }

  int Port(std::string_view name, int fallback) { return Int(name, fallback, 1, 65535); }

  // --- Sections -----------------------------------------------------------------------------

  void ReadNetworkAndRole(Config* config) {
    config->network = &MainnetProfile();
    if (IsSet("STACKS_NETWORK")) {
      const std::string v = Lower(ValueOf("STACKS_NETWORK"));
      if (v == "mainnet") {
        config->network = &MainnetProfile();
      } else if (v == "testnet" || v == "krypton") {
        config->network = &TestnetProfile();
      } else if (v == "xenon") {
        Error("STACKS_NETWORK", v,
              "xenon is the retired testnet on Bitcoin testnet3; the public Stacks testnet now "
              "runs in krypton mode on Hiro's regtest bitcoind; accepted: mainnet, testnet");
      } else if (v == "helium" || v == "mocknet") {
        Error("STACKS_NETWORK", v,
              "local development networks have no public peers to deploy a node for; "
              "accepted: mainnet, testnet");
      } else {
        Error("STACKS_NETWORK", v, "unknown network; accepted: mainnet, testnet");
      }
    }
    if (IsSet("STACKS_NODE_CONFIGURATION")) {
      const std::string v = Lower(ValueOf("STACKS_NODE_CONFIGURATION"));
      if (v == "follower") {
        config->role = Role::kFollower;
      } else if (v == "signer") {
        config->role = Role::kSigner;
      } else if (v == "miner") {
        config->role = Role::kMiner;
      } else {
        Error("STACKS_NODE_CONFIGURATION", v, "unknown role; accepted: follower, signer, miner");
      }
    }
  }

  void ReadAws(Config* config) {
    if (IsSet("AWS_ACCOUNT_ID")) {
      const std::string v = ValueOf("AWS_ACCOUNT_ID");
      if (IsAccountId(v)) {
        config->account_id = v;
      } else if (std::all_of(v.begin(), v.end(), [](char c) { return c == 'x' || c == 'X'; })) {
        Warn("AWS_ACCOUNT_ID", v,
             "placeholder left in; synth needs no account, deploy uses the account of your "
             "credentials");
      } else {
        Error("AWS_ACCOUNT_ID", v, "not an AWS account id; accepted: 12 digits");
      }
    }
    if (IsSet("AWS_REGION")) {
      const std::string v = ValueOf("AWS_REGION");
      if (IsRegion(v)) {
        config->region = v;
      } else {
        Error("AWS_REGION", v, "not an AWS region name; accepted: names such as us-east-1");
      }
    }
  }

  void ReadInstance(Config* config) {
    const bool heavy = config->role != Role::kFollower;
    const std::string default_type = heavy ? "m5.xlarge" : "m5.large";
    config->instance_type = String("STACKS_INSTANCE_TYPE", default_type);
    auto info = ParseInstanceType(config->instance_type);
    if (!info) {
      Error("STACKS_INSTANCE_TYPE", config->instance_type,
            "not an EC2 instance type that can run Linux; accepted: FAMILY.SIZE such as "
            "m5.large, m7g.xlarge, c6id.2xlarge");
      return;
    }
    config->arch = info->arch;
    if (IsSet("STACKS_CPU_TYPE")) {
      const std::string v = Lower(ValueOf("STACKS_CPU_TYPE"));
      std::optional<CpuArch> arch;
      if (v == "x86_64" || v == "x86-64" || v == "amd64") arch = CpuArch::kX86_64;
      if (v == "arm_64" || v == "arm64" || v == "aarch64") arch = CpuArch::kArm64;
      if (!arch) {
        Error("STACKS_CPU_TYPE", v, "unknown CPU type; accepted: x86_64, ARM_64");
      } else if (*arch != info->arch) {
        Error("STACKS_CPU_TYPE", v,
              "does not match STACKS_INSTANCE_TYPE=" + config->instance_type + ", which is " +
                  std::string(CpuArchName(info->arch)) + "; set " +
                  (info->arch == CpuArch::kArm64 ? "ARM_64" : "x86_64") +
                  " or pick an instance type of the other architecture");
      }
    }
    if (info->arch == CpuArch::kX86_64 && !info->has_avx2) {
      Error("STACKS_INSTANCE_TYPE", config->instance_type,
            "this generation has no AVX2, which stacks-node x86_64 releases require "
            "(x86-64-v3); pick a current generation such as m5, m6i, m7i or a Graviton type");
    }
    const double min_memory = 8;
    if (info->memory_gib && *info->memory_gib < min_memory) {
      Warn("STACKS_INSTANCE_TYPE", config->instance_type,
           "has about " + FormatNumber(*info->memory_gib) +
               " GiB of memory; a Stacks node needs at least 8 GiB");
    }
    if (heavy && info->vcpus && *info->vcpus < 4) {
      Warn("STACKS_INSTANCE_TYPE", config->instance_type,
           "a " + std::string(RoleName(config->role)) +
               " needs at least 4 vCPUs and 8 GiB of memory (stacks docs)");
    }
    instance_info_ = *info;
  }

  void ReadRelease(Config* config) {
    const NetworkProfile& net = *config->network;
    config->stacks_version = String("STACKS_VERSION", kDefaultStacksVersion);
    const std::string& v = config->stacks_version;
    if (Lower(v) == "latest") {
      config->stacks_version = "latest";
      Warn("STACKS_VERSION", v,
           "the newest release is looked up at each node's first boot, so nodes launched "
           "later can run a newer release than the others; pin a release such as " +
               std::string(kDefaultStacksVersion));
    } else if (!IsStacksVersion(v)) {
      Error("STACKS_VERSION", v,
            "not a stacks-core release; accepted: latest or a release such as " +
                std::string(kDefaultStacksVersion));
    } else if (CompareVersions(v, net.min_stacks_version) < 0) {
      Error("STACKS_VERSION", v,
            "too old for " + std::string(net.name) + ": " +
                std::string(net.min_stacks_version_reason) +
                "; accepted: " + std::string(net.min_stacks_version) + " or newer");
    } else if (CompareVersions(v, kDefaultStacksVersion) > 0) {
      Warn("STACKS_VERSION", v,
           "newer than " + std::string(kDefaultStacksVersion) +
               ", the release whose configuration keys this stacks-runner checks; the node's "
               "check-config step will catch keys it no longer accepts");
    }
    if (Bool("STACKS_BUILD_FROM_SOURCE", false)) {
      Warn("STACKS_BUILD_FROM_SOURCE", "true",
           "not supported; stacks-runner installs the release binaries, verified against the "
           "release's CHECKSUMS.txt");
    }
    config->download_chainstate =
        Bool("STACKS_DOWNLOAD_CHAINSTATE", net.download_chainstate_by_default);

    if (IsSet("STACKS_BOOTSTRAP_NODE")) {
      for (const std::string& node : SplitList(ValueOf("STACKS_BOOTSTRAP_NODE"))) {
        if (!IsBootstrapNode(node)) {
          Error("STACKS_BOOTSTRAP_NODE", node,
                "not a peer address; accepted: PUBKEY@HOST:PORT (a 66-hex compressed public "
                "key), comma-separated");
        } else {
          config->bootstrap_nodes.push_back(node);
        }
      }
    }
    if (IsSet("STACKS_CHAINSTATE_ARCHIVE")) {
      const std::string url = ValueOf("STACKS_CHAINSTATE_ARCHIVE");
      if (!IsArchiveUrl(url)) {
        Error("STACKS_CHAINSTATE_ARCHIVE", url,
              "not an archive URL; accepted: an https:// URL ending in .tar.zst or .tar.gz");
      } else {
        config->chainstate_archive = url;
        if (url.starts_with("http://")) {
          Warn("STACKS_CHAINSTATE_ARCHIVE", url,
               "plain HTTP: the archive and its checksum can be altered in transit; use https");
        }
        if (!config->download_chainstate) {
          Warn("STACKS_CHAINSTATE_ARCHIVE", url,
               "ignored because STACKS_DOWNLOAD_CHAINSTATE is false");
        }
      }
    }
  }

  void ReadPorts(Config* config) {
    config->p2p_port = Int("STACKS_P2P_PORT", 20444, 1024, 65535);
    config->rpc_port = Int("STACKS_RPC_PORT", 20443, 1024, 65535);
    if (config->p2p_port == config->rpc_port) {
      Error("STACKS_RPC_PORT", std::to_string(config->rpc_port),
            "same as STACKS_P2P_PORT; the two need different ports");
    }
    struct Reserved {
      int port;
      std::string_view use;
    };
    const Reserved reserved[] = {{kPrometheusPort, "the node's Prometheus metrics"},
                                 {kSignerEventPort, "the signer's event endpoint"},
                                 {kSignerMetricsPort, "the signer's metrics"},
                                 {kAgentPort, "the stacks-runner agent"}};
    for (const auto& r : reserved) {
      for (std::string_view name : {"STACKS_P2P_PORT", "STACKS_RPC_PORT"}) {
        const int port = name == "STACKS_P2P_PORT" ? config->p2p_port : config->rpc_port;
        if (port == r.port) {
          Error(name, std::to_string(port),
                "port " + std::to_string(r.port) + " is taken by " + std::string(r.use) +
                    " on the instance; pick another");
        }
      }
    }
  }

  void ReadBitcoin(Config* config) {
    const NetworkProfile& net = *config->network;
    BitcoinNode& btc = config->bitcoin;
    const bool own_host = IsSet("BITCOIN_PEER_HOST");
    btc.host = String("BITCOIN_PEER_HOST", net.bitcoin_host);
    if (own_host && !IsHost(btc.host)) {
      Error("BITCOIN_PEER_HOST", btc.host, "not a host name or IPv4 address");
    }
    if (net.id == NetworkId::kTestnet &&
        (btc.host == "bitcoin.testnet.stacks.org" || btc.host == "bitcoind.testnet.stacks.co")) {
      Error("BITCOIN_PEER_HOST", btc.host,
            "served the retired xenon testnet (Bitcoin testnet3); the public Stacks testnet runs "
            "on Hiro's regtest bitcoind; accepted: bitcoin.regtest.hiro.so or your own regtest "
            "bitcoind peered with it");
    }
    btc.rpc_port = Port("BITCOIN_RPC_PORT", net.bitcoin_rpc_port);
    btc.p2p_port = Port("BITCOIN_P2P_PORT", net.bitcoin_p2p_port);
    if (btc.rpc_port == btc.p2p_port) {
      Error("BITCOIN_RPC_PORT", std::to_string(btc.rpc_port),
            "same as BITCOIN_P2P_PORT; bitcoind serves RPC and P2P on different ports");
    }
    // The public bitcoind's published credentials apply only to it.
    const bool public_host = btc.host == net.bitcoin_host;
    btc.rpc_username = String("BITCOIN_RPC_USERNAME", public_host ? net.bitcoin_rpc_username : "");
    btc.rpc_password = String("BITCOIN_RPC_PASSWORD", public_host ? net.bitcoin_rpc_password : "");
    if (std::any_of(btc.rpc_username.begin(), btc.rpc_username.end(), [](char ch) {
          return ch == '"' || ch == '\\' || ch == ':' ||
                 std::iscntrl(static_cast<unsigned char>(ch));
        })) {
      Error("BITCOIN_RPC_USERNAME", btc.rpc_username,
            "bitcoind user names cannot hold quotes, backslashes, colons or control characters");
    }
    if (IsSet("BITCOIN_RPC_PASSWORD") && config->role == Role::kMiner) {
      Error("BITCOIN_RPC_PASSWORD", "",
            "a miner's bitcoind credentials live only in the bitcoind secret, never in .env: "
            "remove this line and put {\"username\": ..., \"password\": ...} into the secret "
            "STACKS_BITCOIN_SECRET_ARN names (docs/secrets.md)");
    } else if (IsSet("BITCOIN_RPC_PASSWORD") && btc.rpc_username.empty()) {
      Error("BITCOIN_RPC_PASSWORD", "", "set without BITCOIN_RPC_USERNAME; set both or neither");
    } else if (IsSet("BITCOIN_RPC_PASSWORD") && config->role == Role::kSigner) {
      Warn("BITCOIN_RPC_PASSWORD", "",
           "ignored: a signer's node reads Bitcoin over P2P and is given no RPC credentials; "
           "only miners use bitcoind's RPC, with credentials from the bitcoind secret");
    }
    if (config->role != Role::kFollower && public_host) {
      Warn("BITCOIN_PEER_HOST", btc.host,
           "a " + std::string(RoleName(config->role)) +
               " on a shared public bitcoind is the usual reason a Stacks node falls behind; "
               "run your own bitcoind and set BITCOIN_PEER_HOST");
    }
  }

  void ReadSecrets(Config* config) {
    const bool miner = config->role == Role::kMiner;
    for (std::string_view name :
         {"STACKS_SIGNER_SECRET_ARN", "STACKS_MINER_SECRET_ARN", "STACKS_BITCOIN_SECRET_ARN"}) {
      std::string value = String(name, "none");
      if (Lower(value) == "none") value.clear();
      bool valid = true;
      if (!value.empty() && !IsSecretArn(value)) {
        Error(name, value,  // shown only when it starts like an ARN (ShownValue)
              "not a Secrets Manager secret ARN; accepted: none or "
              "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME");
        value.clear();
        valid = false;
      }
      const bool signer_arn = name == "STACKS_SIGNER_SECRET_ARN";
      const bool bitcoind_arn = name == "STACKS_BITCOIN_SECRET_ARN";
      const bool used = signer_arn ? config->role == Role::kSigner || miner : miner;
      if (!value.empty() && !used) {
        Warn(name, value,
             "ignored: a " + std::string(RoleName(config->role)) + " does not use this secret");
      }
      if (signer_arn) {
        config->signer_secret_arn = value;
      } else if (!bitcoind_arn) {
        config->miner_secret_arn = value;
      } else {
        // Ignored means ignored: nothing grants or reads a secret the role does not use.
        config->bitcoind_secret_arn = used ? value : std::string();
        if (miner && valid && value.empty()) {
          Error(name, "none",
                "a miner needs the RPC credentials of its own bitcoind, and they live only in "
                "AWS Secrets Manager: create a secret holding {\"username\": ..., "
                "\"password\": ...} and set its ARN here; accepted: "
                "arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME (docs/secrets.md)");
        }
      }
    }
  }

  // Bitcoin Core wallet names as stacks-node 4.0.2 accepts them (validate_wallet_name): ASCII
  // letters, digits and . _ - /, no "..", not empty.
  static bool IsWalletName(std::string_view s) {
    if (s.empty() || s.size() > 64 || s.find("..") != std::string_view::npos) return false;
    return std::all_of(s.begin(), s.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '_' || ch == '-' ||
             ch == '/';
    });
  }

  // A standard principal of `net` (SP.../SM... or ST.../SN...) with a valid checksum, optionally
  // followed by .CONTRACT-NAME.
  static bool IsPrincipal(std::string_view s, const NetworkProfile& net) {
    std::string_view address = s.substr(0, s.find('.'));
    if (address.size() < 5 || address[0] != 'S') return false;
    std::string error;
    auto decoded = keys::C32CheckDecode(address.substr(1), &error);
    if (!decoded || decoded->data.size() != 20) return false;
    const bool mainnet = net.id == NetworkId::kMainnet;
    const uint8_t single = mainnet ? 22 : 26, multi = mainnet ? 20 : 21;
    if (decoded->version != single && decoded->version != multi) return false;
    if (address.size() == s.size()) return true;
    const std::string_view name = s.substr(address.size() + 1);
    if (name.empty() || name.size() > 40 || !std::isalpha(static_cast<unsigned char>(name[0]))) {
      return false;
    }
    return std::all_of(name.begin(), name.end(), [](char ch) {
      return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_';
    });
  }

  // An optional whole number: unset stays unset (stacks-node's default applies).
  std::optional<int> OptionalInt(std::string_view name, int min, int max, std::string_view unit) {
    if (!IsSet(name)) return std::nullopt;
    const int sentinel = min - 1;
    const int v = Int(name, sentinel, min, max, unit);
    if (v == sentinel) return std::nullopt;
    return v;
  }

  void ReadMiner(Config* config) {
    MinerSettings& m = config->miner;
    const bool miner = config->role == Role::kMiner;
    if (!miner) {
      for (const auto& spec : AllVariables()) {
        if (spec.name.starts_with("STACKS_MINER_") && spec.name != "STACKS_MINER_SECRET_ARN" &&
            IsSet(spec.name)) {
          Warn(spec.name, "",
               "ignored: only a miner uses it (STACKS_NODE_CONFIGURATION is " +
                   std::string(RoleName(config->role)) + ")");
        }
      }
      return;  // ignored means not checked either: only warnings for a setting nothing uses
    }
    m.wallet_name = String("STACKS_MINER_WALLET_NAME", "stacks-miner");
    if (!IsWalletName(m.wallet_name)) {
      Error("STACKS_MINER_WALLET_NAME", m.wallet_name,
            "not a wallet name stacks-node accepts; accepted: 1-64 ASCII letters, digits and "
            ". _ - /, without \"..\" (the name of an existing wallet on the miner's bitcoind)");
    }
    m.mock_mining = Bool("STACKS_MINER_MOCK_MINING", false);
    // The fee settings docs/mining.md shows, with stacks-node's defaults.
    m.burn_fee_cap =
        Int("STACKS_MINER_BURN_FEE_CAP", 20000, 1000, 100000000, "satoshis (at most 1 BTC)");
    m.satoshis_per_byte = Int("STACKS_MINER_SATOSHIS_PER_BYTE", 50, 1, 10000, "sat/vB");
    m.rbf_fee_increment = Int("STACKS_MINER_RBF_FEE_INCREMENT", 5, 1, 10000, "sat/vB");
    m.max_rbf = Int("STACKS_MINER_MAX_RBF", 150, 100, 1000, "percent of the fee rate");
    // stacks-core's docs/mining.md: "at least three fee increments within the max_rbf limit".
    if (miner &&
        m.satoshis_per_byte * m.max_rbf < 100 * (m.satoshis_per_byte + 3 * m.rbf_fee_increment)) {
      Warn("STACKS_MINER_MAX_RBF", std::to_string(m.max_rbf),
           "allows fewer than three replace-by-fee increments of " +
               std::to_string(m.rbf_fee_increment) + " sat/vB over " +
               std::to_string(m.satoshis_per_byte) +
               " sat/vB; a miner that cannot replace an outdated block commit mines on a stale "
               "tip (stacks-core docs/mining.md): raise STACKS_MINER_MAX_RBF or lower "
               "STACKS_MINER_RBF_FEE_INCREMENT");
    }
    // docs/mining.md's miner configuration sets 20 s (stacks-node's own default is 5 s).
    m.nakamoto_attempt_time_ms =
        Int("STACKS_MINER_NAKAMOTO_ATTEMPT_TIME_MS", 20000, 1000, 600000, "milliseconds");
    // Below 1000 ms, blocks share their parent's timestamp second and signers reject them.
    m.min_time_between_blocks_ms =
        OptionalInt("STACKS_MINER_MIN_TIME_BETWEEN_BLOCKS_MS", 1000, 600000, "milliseconds");
    m.block_commit_delay_ms =
        OptionalInt("STACKS_MINER_BLOCK_COMMIT_DELAY_MS", 0, 600000, "milliseconds");
    // At least the co-located signer's block_proposal_timeout_ms (120 s, its default), or the
    // signers reject the tenure extend.
    m.tenure_extend_wait_timeout_ms =
        OptionalInt("STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS", 120000, 3600000,
                    "milliseconds (at least the signers' "
                    "block_proposal_timeout_ms, 120000)");
    // Above the signers' tenure idle timeout and its buffer (32 s) and the extend wait.
    m.tenure_timeout_secs =
        OptionalInt("STACKS_MINER_TENURE_TIMEOUT_SECS", 33, 3600,
                    "seconds (more than the signers' idle timeout and buffer, 32 s)");
    const int extend_wait_ms = m.tenure_extend_wait_timeout_ms.value_or(120000);
    if (m.tenure_timeout_secs && *m.tenure_timeout_secs * 1000 <= extend_wait_ms) {
      Error("STACKS_MINER_TENURE_TIMEOUT_SECS", std::to_string(*m.tenure_timeout_secs),
            "must be longer than the tenure extend wait (" + std::to_string(extend_wait_ms) +
                " ms, STACKS_MINER_TENURE_EXTEND_WAIT_TIMEOUT_MS); accepted: " +
                std::to_string(extend_wait_ms / 1000 + 1) + "-3600 seconds");
    }
    m.tenure_cost_limit_per_block_percentage =
        OptionalInt("STACKS_MINER_TENURE_COST_LIMIT_PER_BLOCK_PERCENTAGE", 1, 100, "percent");
    if (IsSet("STACKS_MINER_BLOCK_REWARD_RECIPIENT")) {
      const std::string v = ValueOf("STACKS_MINER_BLOCK_REWARD_RECIPIENT");
      if (!IsPrincipal(v, *config->network)) {
        const bool mainnet = config->network->id == NetworkId::kMainnet;
        Error("STACKS_MINER_BLOCK_REWARD_RECIPIENT", v,
              "not a " + std::string(config->network->name) +
                  " Stacks principal; accepted: an address (" +
                  (mainnet ? "SP... or SM..." : "ST... or SN...") +
                  ", with a valid checksum) or ADDRESS.contract-name");
      } else {
        m.block_reward_recipient = v;
      }
    }
  }

  void ReadVolumes(Config* config) {
    const NetworkProfile& net = *config->network;
    DataVolume& vol = config->data_volume;
    if (IsSet("STACKS_DATA_VOL_TYPE")) {
      const std::string v = Lower(ValueOf("STACKS_DATA_VOL_TYPE"));
      if (v == "gp3")
        vol.type = VolumeType::kGp3;
      else if (v == "gp2")
        vol.type = VolumeType::kGp2;
      else if (v == "io1")
        vol.type = VolumeType::kIo1;
      else if (v == "io2")
        vol.type = VolumeType::kIo2;
      else if (v == "instance-store")
        vol.type = VolumeType::kInstanceStore;
      else {
        Error("STACKS_DATA_VOL_TYPE", v,
              "unknown volume type; accepted: gp3, gp2, io1, io2, instance-store");
      }
    }
    config->root_volume_gib = Int("STACKS_ROOT_VOL_SIZE", 46, 8, 16384, "GiB");

    const auto limits = EbsLimitsFor(vol.type);
    if (!limits) {  // instance store
      for (std::string_view name :
           {"STACKS_DATA_VOL_SIZE", "STACKS_DATA_VOL_IOPS", "STACKS_DATA_VOL_THROUGHPUT"}) {
        if (IsSet(name)) {
          Warn(name, "",
               "ignored: the instance store's size and speed come with the instance type");
        }
      }
      if (instance_info_ && !instance_info_->has_instance_store) {
        Error("STACKS_DATA_VOL_TYPE", "instance-store",
              "STACKS_INSTANCE_TYPE=" + config->instance_type +
                  " has no instance store; pick a type with local NVMe (i4i, m6id, c7gd, ...) "
                  "or an EBS type");
      }
      Warn("STACKS_DATA_VOL_TYPE", "instance-store",
           "instance store is erased when the instance stops or is replaced; the node then "
           "restores or resyncs its chainstate");
      return;
    }
    vol.size_gib = Int("STACKS_DATA_VOL_SIZE", net.default_data_volume_gib, limits->min_size_gib,
                       limits->max_size_gib, "GiB");
    if (vol.size_gib < net.min_data_volume_gib) {
      Error("STACKS_DATA_VOL_SIZE", std::to_string(vol.size_gib),
            "too small for " + std::string(net.name) + ": " + std::string(net.data_volume_reason) +
                "; accepted: " + std::to_string(net.min_data_volume_gib) + "-" +
                std::to_string(limits->max_size_gib) + " GiB (default " +
                std::to_string(net.default_data_volume_gib) + ")");
    }

    const std::string type_name(VolumeTypeName(vol.type));
    if (limits->iops_settable) {
      const int default_iops = std::min(12000, limits->max_iops_per_gib * vol.size_gib);
      vol.iops = Int("STACKS_DATA_VOL_IOPS", std::max(default_iops, limits->min_iops),
                     limits->min_iops, limits->max_iops, "IOPS for " + type_name);
      const long allowed = static_cast<long>(limits->max_iops_per_gib) * vol.size_gib;
      if (*vol.iops > allowed) {
        Error("STACKS_DATA_VOL_IOPS", std::to_string(*vol.iops),
              type_name + " allows at most " + std::to_string(limits->max_iops_per_gib) +
                  " IOPS per GiB: " + std::to_string(vol.size_gib) + " GiB allows " +
                  std::to_string(allowed) + "; raise STACKS_DATA_VOL_SIZE or lower the IOPS");
      }
    } else if (IsSet("STACKS_DATA_VOL_IOPS")) {
      Error("STACKS_DATA_VOL_IOPS", ValueOf("STACKS_DATA_VOL_IOPS"),
            type_name + " volumes have no settable IOPS; remove it, or use gp3, io1 or io2");
    }
    if (limits->throughput_settable) {
      vol.throughput = Int("STACKS_DATA_VOL_THROUGHPUT", 700, limits->min_throughput,
                           limits->max_throughput, "MiB/s for " + type_name);
      const double allowed = limits->max_throughput_per_iops * vol.iops.value_or(0);
      if (*vol.throughput > allowed) {
        Error("STACKS_DATA_VOL_THROUGHPUT", std::to_string(*vol.throughput),
              type_name + " allows at most " + FormatNumber(limits->max_throughput_per_iops) +
                  " MiB/s per provisioned IOPS: " + std::to_string(vol.iops.value_or(0)) +
                  " IOPS allow " + FormatNumber(allowed) +
                  " MiB/s; raise STACKS_DATA_VOL_IOPS or lower the throughput");
      }
    } else if (IsSet("STACKS_DATA_VOL_THROUGHPUT")) {
      Error("STACKS_DATA_VOL_THROUGHPUT", ValueOf("STACKS_DATA_VOL_THROUGHPUT"),
            "throughput is set only for gp3 volumes; remove it or use gp3");
    }

    const int default_timeout =
        config->download_chainstate && net.id == NetworkId::kMainnet ? 240 : 30;
    config->bootstrap_timeout_min = Int("STACKS_BOOTSTRAP_TIMEOUT_MIN", default_timeout, 5, 720,
                                        "minutes (CloudFormation waits at most 12 hours)");
  }

  void ReadHighAvailability(Config* config) {
    HighAvailability& ha = config->ha;
    ha.health_check_grace_min =
        Int("STACKS_HA_ALB_HEALTHCHECK_GRACE_PERIOD_MIN", 10, 0, 1440, "minutes");
    ha.lifecycle_heartbeat_min =
        Int("STACKS_HA_NODES_HEARTBEAT_DELAY_MIN", config->network->default_lifecycle_heartbeat_min,
            1, 120, "minutes (the lifecycle hook allows 30 s to 2 h)");
    ha.nodes = Int("STACKS_HA_NUMBER_OF_NODES", 2, 1, 20, "nodes");
    if (ha.nodes == 1 && IsSet("STACKS_HA_NUMBER_OF_NODES")) {
      Warn("STACKS_HA_NUMBER_OF_NODES", "1",
           "one node behind a load balancer is not highly available; use 2 or more");
    }
  }

  void ReadMonitoring(Config* config) {
    const NetworkProfile& net = *config->network;
    Monitoring& m = config->monitoring;
    m.reference_node = std::string(net.reference_api);
    if (IsSet("STACKS_REFERENCE_NODE")) {
      std::string v = ValueOf("STACKS_REFERENCE_NODE");
      if (Lower(v) == "off" || Lower(v) == "none") {
        m.reference_node.clear();
      } else if (!IsBaseUrl(v)) {
        Error("STACKS_REFERENCE_NODE", v,
              "not a node URL; accepted: off, or an http(s) URL such as " +
                  std::string(net.reference_api) + " (the agent reads <URL>/v2/info)");
      } else {
        while (v.ends_with('/')) v.pop_back();
        m.reference_node = v;
        if (v.starts_with("http://") && v.find("://127.") == std::string::npos &&
            v.find("://localhost") == std::string::npos) {
          Warn("STACKS_REFERENCE_NODE", v,
               "plain HTTP: the heights the health check relies on can be altered in transit; "
               "use https");
        }
      }
    }
    m.sync_tolerance_blocks = Int("STACKS_SYNC_TOLERANCE_BLOCKS", 10, 1, 1000, "blocks");
    m.stall_min = Int("STACKS_STALL_MIN", 20, 5, 1440, "minutes");
    m.agent_interval_sec = Int("STACKS_AGENT_INTERVAL_SEC", 30, 10, 300, "seconds");
    m.alarm_behind_min = Int("STACKS_ALARM_BEHIND_MIN", 30, 5, 1440, "minutes");
    if (m.alarm_behind_min * 60 < 2 * m.agent_interval_sec) {
      Error("STACKS_ALARM_BEHIND_MIN", std::to_string(m.alarm_behind_min),
            "shorter than two agent intervals (STACKS_AGENT_INTERVAL_SEC=" +
                std::to_string(m.agent_interval_sec) + "); accepted: " +
                std::to_string((2 * m.agent_interval_sec + 59) / 60) + "-1440 minutes");
    }
    if (IsSet("STACKS_ALARM_EMAIL")) {
      const std::string v = ValueOf("STACKS_ALARM_EMAIL");
      if (!IsEmailAddress(v)) {
        Error("STACKS_ALARM_EMAIL", v,
              "not an email address; accepted: one address such as ops@example.com");
      } else {
        m.alarm_email = v;
      }
    }

    // A launch lifecycle action ends after 48 hours, or after 100 heartbeat timeouts if that
    // comes first, whatever the agent does: the wait for a new node must end before.
    HighAvailability& ha = config->ha;
    const int hook_limit = std::min(2880, 100 * ha.lifecycle_heartbeat_min);
    const int default_max_sync = config->download_chainstate     ? 480
                                 : net.id == NetworkId::kMainnet ? 2880
                                                                 : 720;
    ha.max_sync_min = Int("STACKS_HA_MAX_SYNC_MIN", std::min(default_max_sync, hook_limit), 10,
                          2880, "minutes (a launch lifecycle action lasts at most 48 hours)");
    if (ha.max_sync_min > hook_limit) {
      Error("STACKS_HA_MAX_SYNC_MIN", std::to_string(ha.max_sync_min),
            "longer than EC2 Auto Scaling keeps a launch waiting: 100 heartbeat timeouts "
            "(STACKS_HA_NODES_HEARTBEAT_DELAY_MIN=" +
                std::to_string(ha.lifecycle_heartbeat_min) + "); accepted: 10-" +
                std::to_string(hook_limit) + " minutes");
    }
  }

  void ReadPlacement(Config* config) {
    Placement& p = config->placement;
    if (IsSet("STACKS_VPC_ID")) {
      p.vpc_id = ValueOf("STACKS_VPC_ID");
      if (!IsResourceId(p.vpc_id, "vpc")) {
        Error("STACKS_VPC_ID", p.vpc_id, "not a VPC id; accepted: vpc-0123456789abcdef0");
        p.vpc_id.clear();
      }
    }
    if (IsSet("STACKS_SUBNET_IDS")) {
      for (const std::string& subnet : SplitList(ValueOf("STACKS_SUBNET_IDS"))) {
        if (!IsResourceId(subnet, "subnet")) {
          Error("STACKS_SUBNET_IDS", subnet,
                "not a subnet id; accepted: subnet-0123456789abcdef0, comma-separated");
        } else {
          p.subnet_ids.push_back(subnet);
        }
      }
      if (!IsSet("STACKS_VPC_ID")) {
        Error("STACKS_SUBNET_IDS", ValueOf("STACKS_SUBNET_IDS"),
              "set STACKS_VPC_ID as well: subnets are checked against their VPC");
      }
    }
    if (IsSet("STACKS_RPC_ALLOWED_CIDRS")) {
      const std::string v = ValueOf("STACKS_RPC_ALLOWED_CIDRS");
      if (Lower(v) != "vpc") {
        for (const std::string& cidr : SplitList(v)) {
          if (!IsIpv4Cidr(cidr)) {
            Error("STACKS_RPC_ALLOWED_CIDRS", cidr,
                  "not an IPv4 CIDR block; accepted: vpc, or blocks such as 10.0.0.0/16, "
                  "comma-separated");
          } else {
            p.rpc_allowed_cidrs.push_back(cidr);
            if (cidr.ends_with("/0")) {
              Warn("STACKS_RPC_ALLOWED_CIDRS", cidr,
                   "opens the node's RPC port to the whole internet; put a rate-limiting proxy "
                   "in front or allow only your clients");
            }
          }
        }
      }
    }
  }

  static std::string FormatNumber(double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }

  const LoadInput& input_;
  std::map<std::string, Raw> raw_;
  std::vector<Diagnostic> diagnostics_;
  std::optional<InstanceTypeInfo> instance_info_;
};

}  // namespace

std::string_view RoleName(Role role) {
  switch (role) {
    case Role::kSigner:
      return "signer";
    case Role::kMiner:
      return "miner";
    case Role::kFollower:
      break;
  }
  return "follower";
}

std::string_view VolumeTypeName(VolumeType type) {
  switch (type) {
    case VolumeType::kGp2:
      return "gp2";
    case VolumeType::kIo1:
      return "io1";
    case VolumeType::kIo2:
      return "io2";
    case VolumeType::kInstanceStore:
      return "instance-store";
    case VolumeType::kGp3:
      break;
  }
  return "gp3";
}

LoadResult LoadConfig(const LoadInput& input) { return Loader(input).Run(); }

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    env.emplace(std::string(entry.substr(0, eq)), std::string(entry.substr(eq + 1)));
  }
  return env;
}

}  // namespace sr::config
