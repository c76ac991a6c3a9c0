#include "cli/keys_commands.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "aws/secretsmanager.h"
#include "aws/session.h"
#include "cli/exit_codes.h"
#include "keys/address.h"
#include "keys/bytes.h"
#include "keys/key.h"
#include "keys/secrets.h"

namespace sr::cli {
namespace {

using keys::Network;
using keys::PrivateKey;
using keys::PublicKey;
using json = nlohmann::ordered_json;

// ---- Reading a secret --------------------------------------------------------------------

std::string Trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  size_t begin = 0, end = text.size();
  while (begin < end && space(text[begin])) ++begin;
  while (end > begin && space(text[end - 1])) --end;
  return std::string(text.substr(begin, end - begin));
}

// The terminal settings to put back if a signal ends the process while echo is off.
struct termios g_saved_termios;
volatile sig_atomic_t g_echo_off_fd = -1;
constexpr int kRestoreSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

void RestoreTerminalAndReraise(int signal_number) {
  if (g_echo_off_fd >= 0) ::tcsetattr(g_echo_off_fd, TCSAFLUSH, &g_saved_termios);
  struct sigaction default_action {};
  default_action.sa_handler = SIG_DFL;
  ::sigemptyset(&default_action.sa_mask);
  ::sigaction(signal_number, &default_action, nullptr);
  ::raise(signal_number);
}

bool ReadHiddenLine(int fd, const std::string& prompt, std::string* text, std::string* error) {
  if (::tcgetattr(fd, &g_saved_termios) != 0) {
    *error = std::string("cannot read the terminal's settings: ") + std::strerror(errno);
    return false;
  }
  struct sigaction handler {};
  handler.sa_handler = RestoreTerminalAndReraise;
  ::sigemptyset(&handler.sa_mask);
  struct sigaction previous[std::size(kRestoreSignals)];
  for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
    ::sigaction(kRestoreSignals[i], &handler, &previous[i]);
  }
  struct termios hidden = g_saved_termios;
  hidden.c_lflag &= ~static_cast<tcflag_t>(ECHO);
  hidden.c_lflag |= ECHONL;  // the newline still shows, so the next output starts on a new line
  g_echo_off_fd = fd;
  bool ok = ::tcsetattr(fd, TCSAFLUSH, &hidden) == 0;
  if (!ok) *error = std::string("cannot turn the terminal's echo off: ") + std::strerror(errno);
  keys::WipedString line;
  line.get().reserve(4096);
  if (ok) {
    const std::string shown = prompt + " (input hidden): ";
    if (::write(STDERR_FILENO, shown.data(), shown.size()) < 0) {
      // Nothing to do: the prompt is a courtesy.
    }
    char c = 0;
    while (true) {
      const ssize_t n = ::read(fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || c == '\n') break;
      if (line.get().size() >= 4096) {
        ok = false;
        *error = "more than 4096 characters on the terminal";
        break;
      }
      line.get() += c;
    }
    c = 0;
  }
  ::tcsetattr(fd, TCSAFLUSH, &g_saved_termios);
  g_echo_off_fd = -1;
  for (size_t i = 0; i < std::size(kRestoreSignals); ++i) {
    ::sigaction(kRestoreSignals[i], &previous[i], nullptr);
  }
  if (!ok) return false;
  *text = Trim(line.get());
  return true;
}

bool ReadAllOfStdin(std::string* text, std::string* error) {
  constexpr size_t kLimit = 64 * 1024;
  keys::WipedString all;
  all.get().reserve(kLimit + 1);
  char buffer[4096];
  while (true) {
    const ssize_t n = ::read(STDIN_FILENO, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      *error = std::string("cannot read stdin: ") + std::strerror(errno);
      keys::Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer), sizeof buffer));
      return false;
    }
    if (n == 0) break;
    if (all.get().size() + static_cast<size_t>(n) > kLimit) {
      *error = "more than 64 KiB on stdin";
      keys::Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer), sizeof buffer));
      return false;
    }
    all.get().append(buffer, static_cast<size_t>(n));
  }
  keys::Wipe(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer), sizeof buffer));
  *text = Trim(all.get());
  return true;
}

// ---- Keys and addresses ------------------------------------------------------------------

constexpr char kNetworks[] = "accepted: mainnet, testnet";

// --network as given; on a bad or missing value, the message (the value is not repeated: a
// key pasted in the wrong place must not be printed).
std::optional<Network> NetworkOption(Context& ctx, const char* command, const std::string& value) {
  if (value.empty()) {
    *ctx.err << command << ": --network is required; " << kNetworks << "\n";
    return std::nullopt;
  }
  auto network = keys::ParseNetwork(value);
  if (!network) *ctx.err << command << ": --network: not a network; " << kNetworks << "\n";
  return network;
}

std::string WithNetwork(const std::string& address, Network network) {
  return address + " (" + std::string(keys::NetworkName(network)) + ")";
}

}  // namespace

SecretReader StdinSecretReader() {
  return [](const std::string& prompt, std::string* text, std::string* error) {
    if (::isatty(STDIN_FILENO)) return ReadHiddenLine(STDIN_FILENO, prompt, text, error);
    return ReadAllOfStdin(text, error);
  };
}

int RunKeysGenerate(Context& ctx, const KeysGenerateOptions& options) {
  const auto network = NetworkOption(ctx, "keys generate", options.network);
  if (!network) return kExitInvalidInput;
  std::string error;
  auto key = PrivateKey::Generate(&error);
  if (!key) {
    *ctx.err << "keys generate: " << error << "\n";
    return kExitFailure;
  }
  const PublicKey public_key = key->Public();
  const std::string address = keys::AddressOf(*network, *key);
  keys::WipedString private_hex(key->Hex());
  if (options.json) {
    json out = json::object();
    out["network"] = std::string(keys::NetworkName(*network));
    out["private_key"] = private_hex.get();
    out["public_key"] = public_key.Hex();
    out["address"] = address;
    keys::WipedString text(out.dump(2));
    keys::Wipe(out["private_key"].get_ref<std::string&>());
    *ctx.out << text.get() << "\n";
  } else {
    *ctx.out << "Private key: " << private_hex.get() << "\n"
             << "Public key:  " << public_key.Hex() << "\n"
             << "Address:     " << WithNetwork(address, *network) << "\n";
  }
  ctx.out->flush();
  *ctx.err
      << "warning: the private key is printed above: whoever reads it controls the address.\n"
         "  Keep it only in AWS Secrets Manager: `stacks-runner keys import --secret-id SECRET "
         "--kind signer|miner`\n"
         "  reads it from the terminal without echo. Then clear the terminal's scrollback.\n";
  return kExitOk;
}

int RunKeysAddress(Context& ctx, const KeysAddressOptions& options, const SecretReader& read) {
  constexpr char kCommand[] = "keys address";
  const auto network = NetworkOption(ctx, kCommand, options.network);
  if (!network) return kExitInvalidInput;
  if (options.is_private && options.is_public) {
    *ctx.err << kCommand << ": --private and --public exclude each other\n";
    return kExitInvalidInput;
  }
  if (options.key.empty()) {
    *ctx.err << kCommand
             << ": give the key: - to read it from stdin (best for a private key), or a public "
                "key as the argument\n";
    return kExitInvalidInput;
  }
  const bool from_stdin = options.key == "-";
  keys::WipedString text;
  if (from_stdin) {
    std::string error;
    if (!read("Private or public key", &text.get(), &error)) {
      *ctx.err << kCommand << ": " << error << "\n";
      return kExitInvalidInput;
    }
  } else {
    text.get() = options.key;
  }
  const char* where = from_stdin ? "the key on stdin" : "KEY";
  const keys::KeyTextForm form = keys::ClassifyKeyText(text.get());
  std::string private_error, public_error;
  std::optional<PrivateKey> private_key;
  std::optional<PublicKey> public_key;
  if (!options.is_public) private_key = PrivateKey::FromHex(text.get(), &private_error);
  if (!options.is_private) public_key = PublicKey::FromHex(text.get(), &public_error);
  if (!from_stdin && (private_key || (form.may_be_private && !public_key))) {
    *ctx.err << "warning: a private key given as an argument can be read by other users of this "
                "machine (ps, /proc/PID/cmdline) and stays in the shell history: give it on stdin "
                "with `stacks-runner keys address - --network ...` instead\n";
  }
  if (private_key && public_key) {
    *ctx.err << kCommand << ": " << where
             << " is both a valid compressed private key (66 hex ending in 01) and a valid "
                "compressed public key (66 hex starting 02 or 03): say which with --private or "
                "--public\n";
    return kExitInvalidInput;
  }
  if (!private_key && !public_key) {
    *ctx.err << kCommand << ": " << where << " is not a key: ";
    if (options.is_private || (!options.is_public && form.may_be_private)) {
      *ctx.err << private_error << "\n";
    } else if (options.is_public || form.may_be_public) {
      *ctx.err << public_error << "\n";
    } else {
      *ctx.err << "a private key is 64 hex characters, or 66 ending in 01; a public key 66 hex "
                  "starting 02 or 03, or 130 starting 04\n";
    }
    return kExitInvalidInput;
  }
  const PublicKey key = private_key ? private_key->Public() : *public_key;
  const std::string address = keys::AddressOf(*network, key);
  const PublicKey compressed = key.Compressed();
  const std::string signer_address = keys::AddressOf(*network, compressed);
  if (options.json) {
    json out = json::object();
    out["network"] = std::string(keys::NetworkName(*network));
    out["public_key"] = key.Hex();
    out["compressed"] = key.compressed();
    out["address"] = address;
    out["signer_address"] = signer_address;
    *ctx.out << out.dump(2) << "\n";
    return kExitOk;
  }
  *ctx.out << "Address:        " << WithNetwork(address, *network) << "\n"
           << "Public key:     " << key.Hex() << "\n";
  if (!key.compressed()) {
    *ctx.out << "Signer address: " << WithNetwork(signer_address, *network)
             << "  (stacks-signer derives its address from the compressed public key "
             << compressed.Hex() << ")\n";
  }
  return kExitOk;
}

// ---- keys import --------------------------------------------------------------------------

namespace {

// The region of a secret's ARN (arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME), empty
// for a name; nullopt when it starts like an ARN and is not one.
std::optional<std::string> RegionOfArn(const std::string& id) {
  if (id.rfind("arn:", 0) != 0) return std::string();
  std::vector<std::string> parts;
  size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    const size_t colon = id.find(':', start);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(id.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts[2] != "secretsmanager" || parts[3].empty() || parts[5] != "secret" ||
      start >= id.size()) {
    return std::nullopt;
  }
  return parts[3];
}

std::string ExplainSecretsError(const aws::AwsError& e, const std::string& secret_id,
                                const std::string& region) {
  std::string out = e.kind == aws::AwsError::Kind::kService ? e.Describe() : e.message;
  if (e.code == "ResourceNotFoundException" && e.operation == "DescribeSecret") {
    out += "\n  There is no secret " + secret_id + " in " + region +
           ": create it first (the node stack creates the secrets it names; or `aws "
           "secretsmanager create-secret --name NAME`), or give its region with --region.";
  } else if (e.IsAccessDenied()) {
    out += "\n  The credentials lack secretsmanager:" + e.operation + " on " + secret_id +
           " (and kms:Decrypt / kms:GenerateDataKey when the secret uses a customer managed KMS "
           "key).";
  } else if (e.code == "ExpiredToken" || e.code == "ExpiredTokenException") {
    out += "\n  The credentials have expired: get new ones and run again.";
  } else if (e.code == "UnrecognizedClientException" || e.code == "InvalidSignatureException") {
    out += "\n  AWS does not accept these credentials: check the access key and secret.";
  }
  return out;
}

// The addresses a key is known by, for the kind of secret it goes in: a signer's is always that
// of the compressed public key; a miner's follows the key's own form.
std::string AddressesOf(const PrivateKey& key, keys::SecretKind kind,
                        const std::optional<Network>& network) {
  auto one = [&](Network n) {
    return WithNetwork(
        kind == keys::SecretKind::kSigner ? keys::SignerAddressOf(n, key) : keys::AddressOf(n, key),
        n);
  };
  if (network) return one(*network);
  return one(Network::kMainnet) + ", " + one(Network::kTestnet);
}

}  // namespace

int RunKeysImport(Context& ctx, const KeysImportOptions& options, const SecretReader& read) {
  constexpr char kCommand[] = "keys import";
  if (options.secret_id.empty()) {
    *ctx.err << kCommand << ": --secret-id is required: the ARN or name of the secret\n";
    return kExitInvalidInput;
  }
  const auto kind = keys::ParseSecretKind(options.kind);
  if (options.kind.empty() || !kind || *kind == keys::SecretKind::kBitcoind) {
    *ctx.err << kCommand << ": --kind " << (options.kind.empty() ? "is required" : "is wrong")
             << "; accepted: signer, miner\n";
    return kExitInvalidInput;
  }
  std::optional<Network> network;
  if (!options.network.empty()) {
    network = NetworkOption(ctx, kCommand, options.network);
    if (!network) return kExitInvalidInput;
  }
  const auto arn_region = RegionOfArn(options.secret_id);
  if (!arn_region) {
    *ctx.err << kCommand
             << ": --secret-id starts with arn: but is not a secret's ARN "
                "(arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)\n";
    return kExitInvalidInput;
  }
  if (!arn_region->empty() && !options.region.empty() && *arn_region != options.region) {
    *ctx.err << kCommand << ": --region " << options.region << " differs from the region of the "
             << "secret's ARN (" << *arn_region << ")\n";
    return kExitInvalidInput;
  }

  // The key, before any AWS call: a typo costs nothing.
  keys::WipedString text;
  std::string error;
  const std::string prompt =
      "Private key of the " + std::string(keys::SecretKindName(*kind)) + ", 64 or 66 hex";
  if (!read(prompt, &text.get(), &error)) {
    *ctx.err << kCommand << ": " << error << "\n";
    return kExitInvalidInput;
  }
  if (text.get().empty()) {
    *ctx.err << kCommand << ": no private key given: type it at the prompt, or pipe it on stdin\n";
    return kExitInvalidInput;
  }
  auto key = PrivateKey::FromHex(text.get(), &error);
  if (!key) {
    *ctx.err << kCommand << ": the private key given is not valid: " << error << "\n";
    return kExitInvalidInput;
  }
  keys::Wipe(text.get());

  auto http = ctx.http();
  if (!http) {
    *ctx.err << "error: " << http.error().message << "\n";
    return kExitFailure;
  }
  const std::string region = options.region.empty() ? *arn_region : options.region;
  // --profile as in the AWS CLI: over AWS_PROFILE and keys in the environment.
  auto session = aws::Session::Create(SessionDepsOf(ctx, *http, options.profile), region);
  if (!session) {
    *ctx.err << "error: " << session.error().message << "\n";
    return kExitFailure;
  }
  auto client = (*session)->Client(aws::SecretsManager());
  if (!client) {
    *ctx.err << "error: " << client.error().message << "\n";
    return kExitFailure;
  }
  const std::string& in_region = (*session)->region();
  auto fail = [&](const aws::AwsError& e) {
    *ctx.err << "error: " << ExplainSecretsError(e, options.secret_id, in_region) << "\n";
    return kExitFailure;
  };

  auto description = aws::DescribeSecret(*client, options.secret_id);
  if (!description) return fail(description.error());
  const std::string& arn = description->arn;
  if (description->deleted) {
    *ctx.err << kCommand << ": " << arn
             << " is scheduled for deletion: restore it first (`aws secretsmanager restore-secret "
                "--secret-id "
             << arn << "`)\n";
    return kExitFailure;
  }

  // What it holds now: a key must not be replaced by mistake.
  const std::optional<std::string> current_version = description->CurrentVersionId();
  keys::ExistingSecret existing;
  if (current_version) {
    auto value = aws::GetSecretValue(*client, arn);
    if (!value) return fail(value.error());
    if (value->binary) {
      existing.state = keys::ExistingSecret::State::kUnreadable;
      existing.problem = "holds a binary value";
    } else {
      existing = keys::InspectExistingSecret(*kind, value->secret_string);
    }
  }
  const std::string new_addresses = AddressesOf(*key, *kind, network);
  std::string old_addresses;
  const std::string kind_name(keys::SecretKindName(*kind));
  switch (existing.state) {
    case keys::ExistingSecret::State::kEmpty:
      break;
    case keys::ExistingSecret::State::kHoldsKey: {
      auto old_key = PrivateKey::FromHex(existing.private_key, nullptr);
      old_addresses = AddressesOf(*old_key, *kind, network);
      if (*old_key == *key &&
          (*kind == keys::SecretKind::kMiner || !existing.auth_password.empty())) {
        *ctx.out << arn << " already holds this " << kind_name << " key (" << new_addresses
                 << "); nothing was written.\n";
        return kExitOk;
      }
      if (!options.overwrite) {
        *ctx.err << kCommand << ": " << arn << " already holds a " << kind_name << " key, for "
                 << old_addresses << ".\n  The key given is for " << new_addresses << ".\n";
        if (old_addresses == new_addresses) {
          *ctx.err << "  (The same secret in its other form: with or without the 01 suffix.)\n";
        }
        *ctx.err << "  Nothing was written. To replace the key, run again with --overwrite.\n";
        return kExitFailure;
      }
      break;
    }
    case keys::ExistingSecret::State::kUnreadable:
      if (!options.overwrite) {
        *ctx.err << kCommand << ": " << arn << " holds a value that is not a " << kind_name
                 << " secret (" << existing.problem
                 << "); nothing was written. To replace it, run again with --overwrite.\n";
        return kExitFailure;
      }
      break;
  }

  std::string secret_json;
  if (*kind == keys::SecretKind::kSigner) {
    keys::SignerSecret secret;
    secret.private_key = key->Hex();
    secret.auth_password =
        existing.auth_password.empty() ? keys::GenerateAuthPassword() : existing.auth_password;
    secret_json = keys::ToJson(secret);
  } else {
    keys::MinerSecret secret;
    secret.private_key = key->Hex();
    secret_json = keys::ToJson(secret);
  }
  keys::WipedString wiped_json(std::move(secret_json));
  auto put = aws::PutSecretValue(*client, arn, wiped_json.get(), keys::RandomUuid());
  if (!put) return fail(put.error());

  const bool replaced = existing.state != keys::ExistingSecret::State::kEmpty;
  *ctx.out << (replaced ? "Replaced" : "Stored") << " the " << kind_name << " key in " << arn
           << " (version " << put->version_id << ").\n";
  if (!old_addresses.empty()) *ctx.out << "Old key's address: " << old_addresses << "\n";
  *ctx.out
      << (replaced ? "New key's address: " : "Address: ") << new_addresses << "\n"
      << "Public key: "
      << (*kind == keys::SecretKind::kSigner ? key->Public().Compressed() : key->Public()).Hex()
      << "\n";
  if (replaced && current_version) {
    *ctx.out << "The previous value stays readable as version " << *current_version
             << " (label AWSPREVIOUS) until the secret changes again.\n";
  }
  return kExitOk;
}

// ---- Command line -------------------------------------------------------------------------

KeysCommands::KeysCommands(CLI::App& app, SecretReader reader) : reader_(std::move(reader)) {
  keys_ = app.add_subcommand("keys", "Signer and miner keys: generate, address, import");
  keys_->require_subcommand(1);

  generate_ = keys_->add_subcommand(
      "generate", "Make a secp256k1 key (compressed) and print it, its public key and address");
  generate_->add_option("--network", generate_options_.network, "mainnet or testnet");
  generate_->add_flag("--json", generate_options_.json, "Print JSON (docs/secrets.md)");

  address_ = keys_->add_subcommand("address", "Print the Stacks address of a key");
  address_->add_option("key", address_options_.key,
                       "- to read the key from stdin (do this for a private key), or a public "
                       "key (66 or 130 hex)");
  address_->add_option("--network", address_options_.network, "mainnet or testnet");
  address_->add_flag("--json", address_options_.json, "Print JSON (docs/secrets.md)");
  address_->add_flag("--private", address_options_.is_private, "The key is a private key");
  address_->add_flag("--public", address_options_.is_public, "The key is a public key");

  import_ = keys_->add_subcommand(
      "import",
      "Store a private key in a Secrets Manager secret; reads it from the terminal or stdin");
  import_->add_option("--secret-id", import_options_.secret_id, "The secret's ARN or name");
  import_->add_option("--kind", import_options_.kind, "signer or miner");
  import_->add_option("--network", import_options_.network,
                      "mainnet or testnet: which addresses to print (default: both)");
  import_->add_option("--region", import_options_.region, "The secret's region");
  import_->add_option("--profile", import_options_.profile, "The AWS profile to use");
  import_->add_flag("--overwrite", import_options_.overwrite,
                    "Replace a key the secret already holds");

  // Whatever else is given is refused without being repeated: it may be a key.
  for (CLI::App* sub : {generate_, address_, import_}) sub->allow_extras();
}

int KeysCommands::Run(Context& ctx) {
  for (CLI::App* sub : {generate_, address_, import_}) {
    if (sub->parsed() && !sub->remaining().empty()) {
      *ctx.err << "keys " << sub->get_name() << ": " << sub->remaining().size()
               << " unexpected argument(s), not shown (they may hold a key); see `stacks-runner "
                  "keys "
               << sub->get_name() << " --help`\n";
      return kExitInvalidInput;
    }
  }
  if (generate_->parsed()) return RunKeysGenerate(ctx, generate_options_);
  if (address_->parsed()) return RunKeysAddress(ctx, address_options_, reader_);
  if (import_->parsed()) return RunKeysImport(ctx, import_options_, reader_);
  return kExitInvalidInput;
}

}  // namespace sr::cli
