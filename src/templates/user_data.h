// The instance user data: a short script that fetches the node runtime binary and the node
// settings from the assets bucket, checks both against their SHA-256, and hands over to
// `stacks-runner node bootstrap`. It holds no secret. If it fails before the hand-over it reports
// the failure the way the stack waits for it (a FAILURE signal, or an ABANDONed launch), so a
// broken boot fails the deployment in minutes instead of after a timeout.
#ifndef STACKS_RUNNER_TEMPLATES_USER_DATA_H_
#define STACKS_RUNNER_TEMPLATES_USER_DATA_H_

#include <string>

#include "templates/cfn.h"
#include "templates/node_settings.h"

namespace sr::templates {

enum class NodePlacement { kSingleNode, kHaGroup };

struct UserDataInputs {
  NodePlacement placement = NodePlacement::kSingleNode;
  const NodeSettingsAsset* settings = nullptr;
  bool instance_store = false;
  // Signers and miners (single node): their secrets as Fn::Sub text ("${SignerSecret}" or an
  // ARN; empty when the role uses none), and the logical id of the wait condition handle the
  // bootstrap reports the node's public identity to (empty for none).
  std::string signer_secret{};
  std::string miner_secret{};
  std::string bitcoind_secret{};
  std::string identity_handle{};
};

// The script, with CloudFormation ${...} references for Fn::Sub: AWS::Region, AWS::StackName,
// the assets bucket import, the binary parameters and, for a single node, ${DataVolume}; for a
// signer or miner, where its secrets are (never their values) and the identity handle.
std::string UserDataScript(const UserDataInputs& inputs);

// Fn::Base64 of Fn::Sub of the script.
Json UserData(const UserDataInputs& inputs);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_USER_DATA_H_
