// Synthesis: a Config and a choice of stacks in, the files of a cloud assembly out (templates,
// manifest, node assets). Pure: the caller reads the node binaries' digests and writes the files.
#ifndef STACKS_RUNNER_TEMPLATES_SYNTH_H_
#define STACKS_RUNNER_TEMPLATES_SYNTH_H_

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "templates/cfn.h"
#include "templates/names.h"

namespace sr::templates {

// The stacks-runner binary that runs on the nodes, per architecture. Built by `make dist`; when
// it is not built yet its digest is unknown and deploy builds or refuses.
struct NodeBinary {
  config::CpuArch arch = config::CpuArch::kX86_64;
  std::string path;                   // where synth looked for it
  std::optional<std::string> sha256;  // empty when it is not there
};

std::string NodeBinaryAssetId(config::CpuArch arch);   // "node-binary-x86_64"
std::string NodeBinaryFileName(config::CpuArch arch);  // "stacks-runner-linux-x86_64"
std::string NodeBinaryKey(config::CpuArch arch, const std::string& sha256);

struct OutputFile {
  std::string path;  // relative to the output directory
  std::string content;
};

struct StackSummary {
  StackIdentity identity;
  size_t resources = 0;
  size_t template_bytes = 0;
  std::vector<std::string> depends_on;         // stack ids
  std::vector<std::string> deploy_parameters;  // parameter names deploy fills in
};

struct SynthResult {
  std::vector<OutputFile> files;  // templates, manifest.json, assets/...
  std::vector<StackSummary> stacks;
  Json manifest;
};

// Which stacks to synthesize: the named ones (ids or CloudFormation names), or by default all
// that apply to the role. Fails with a message for unknown names, and for an HA group of signers
// or miners (exactly one signer may run per key, and a miner needs its own bitcoind wallet).
struct StackSelection {
  std::vector<StackKind> stacks;
  std::string error;
};
StackSelection SelectStacks(const config::Config& config, const std::vector<std::string>& names);

SynthResult Synthesize(const config::Config& config, const std::vector<StackKind>& stacks,
                       const NodeBinary& node_binary);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_SYNTH_H_
