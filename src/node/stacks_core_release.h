// What a stacks-core release accepts and needs, kept as versioned data: the configuration keys
// stacks-node and stacks-signer accept (both refuse unknown keys), and the public testnet's
// consensus settings (genesis balances, epochs, PoX lengths, pox-5 contracts), which must match
// the release exactly. A new release or a testnet reset is a new entry here.
#ifndef STACKS_RUNNER_NODE_STACKS_CORE_RELEASE_H_
#define STACKS_RUNNER_NODE_STACKS_CORE_RELEASE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace sr::node {

struct GenesisBalance {
  std::string_view address;
  uint64_t amount;  // µSTX
};

struct Epoch {
  std::string_view name;
  int64_t start_height;
};

struct TestnetConsensus {
  std::vector<GenesisBalance> balances;
  std::vector<Epoch> epochs;
  int pox_prepare_length;
  int pox_reward_length;
  std::string_view pox_5_sbtc_contract;
  std::string_view pox_5_sbtc_registry_contract;
  std::string_view pox_5_bond_admin;
};

// Keys accepted per TOML table. "" is the top level; "events_observer" and "ustx_balance" are
// arrays of tables; a table listed in `free_form` takes any key (block_rejection_timeout_steps).
struct Allowlist {
  std::map<std::string, std::set<std::string>> tables;
  std::set<std::string> free_form;
};

struct StacksCoreRelease {
  std::string_view version;
  TestnetConsensus testnet;
  Allowlist node_keys;
  Allowlist signer_keys;  // the signer file is flat: everything is in ""
  // Assets of the GitHub release.
  std::string_view linux_x64_zip;
  std::string_view linux_arm64_zip;
};

// The release whose data this stacks-runner carries (4.0.2); releases named in STACKS_VERSION
// that are newer use it too (their check-config step catches a key they no longer accept).
const StacksCoreRelease& ReleaseData(std::string_view version);

}  // namespace sr::node

#endif  // STACKS_RUNNER_NODE_STACKS_CORE_RELEASE_H_
