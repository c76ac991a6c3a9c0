// `stacks-runner keys`: generate a signer or miner key, derive the address of a key, and import
// a key into a Secrets Manager secret without it passing through the command line
// (docs/secrets.md).
#ifndef STACKS_RUNNER_CLI_KEYS_COMMANDS_H_
#define STACKS_RUNNER_CLI_KEYS_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "cli/context.h"

namespace sr::cli {

// Reads one secret: true with the text (surrounding whitespace removed), or false with the
// reason. `prompt` is shown when a person is asked.
using SecretReader =
    std::function<bool(const std::string& prompt, std::string* text, std::string* error)>;
// From the terminal with echo off when stdin is one (the prompt goes to stderr and the terminal
// is restored even on Ctrl-C), otherwise all of stdin (at most 64 KiB).
SecretReader StdinSecretReader();

struct KeysGenerateOptions {
  std::string network;
  bool json = false;
};
int RunKeysGenerate(Context& ctx, const KeysGenerateOptions& options);

struct KeysAddressOptions {
  std::string key;  // a private or public key, or "-": read it with the reader
  std::string network;
  bool json = false;
  bool is_private = false;  // --private: KEY is a private key (when its form could be both)
  bool is_public = false;   // --public
};
int RunKeysAddress(Context& ctx, const KeysAddressOptions& options, const SecretReader& read);

struct KeysImportOptions {
  std::string secret_id;  // ARN or name
  std::string kind;       // signer | miner
  std::string network;    // optional: only which addresses are printed
  std::string region;
  std::string profile;
  bool overwrite = false;
};
int RunKeysImport(Context& ctx, const KeysImportOptions& options, const SecretReader& read);

// Adds `keys` and its subcommands to the command line; Run runs the one that was given.
class KeysCommands {
 public:
  explicit KeysCommands(CLI::App& app, SecretReader reader = StdinSecretReader());
  bool parsed() const { return keys_->parsed(); }
  int Run(Context& ctx);

 private:
  CLI::App* keys_;
  CLI::App* generate_;
  CLI::App* address_;
  CLI::App* import_;
  KeysGenerateOptions generate_options_;
  KeysAddressOptions address_options_;
  KeysImportOptions import_options_;
  SecretReader reader_;
};

}  // namespace sr::cli

#endif  // STACKS_RUNNER_CLI_KEYS_COMMANDS_H_
