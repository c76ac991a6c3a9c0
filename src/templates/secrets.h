// The Secrets Manager secrets of a signer or miner in the single-node stack, the instance role's
// grants on them, and the wait condition through which the node's first boot reports its public
// identity (signer address and public key, miner address) as a stack output.
//
// A secret the configuration names (STACKS_SIGNER_SECRET_ARN, STACKS_MINER_SECRET_ARN,
// STACKS_BITCOIN_SECRET_ARN) is used as it is. A signer or miner secret it does not name is created
// here without a value: neither SecretString nor GenerateSecretString, which CloudFormation
// documents as "you create an empty secret", so no stack update can ever write a value over the
// key. The first boot generates the key and stores it once (src/node/node_secrets.h). Created
// secrets are retained when the stack is deleted or the resource replaced: losing a signer key is
// the worst thing this tool could do. The bitcoind secret is never created: the operator fills it.
#ifndef STACKS_RUNNER_TEMPLATES_SECRETS_H_
#define STACKS_RUNNER_TEMPLATES_SECRETS_H_

#include <string>
#include <vector>

#include "config/config.h"
#include "templates/cfn.h"

namespace sr::templates {

// One secret of the node: created by this stack (a logical id), named by the configuration (an
// ARN), or not used by the role (both empty).
struct SecretRef {
  std::string logical_id;
  std::string arn;

  bool used() const { return !logical_id.empty() || !arn.empty(); }
  bool created() const { return !logical_id.empty(); }
  // Ref of the created secret (its ARN), or the configured ARN.
  Json Value() const;
  // The same for the text of an Fn::Sub: "${SignerSecret}", or the ARN itself.
  std::string SubText() const;
};

struct NodeSecretRefs {
  SecretRef signer;
  SecretRef miner;
  SecretRef bitcoind;
  std::vector<const SecretRef*> All() const { return {&signer, &miner, &bitcoind}; }
};

// Which secrets the role uses, and where they are; adds nothing.
NodeSecretRefs NodeSecretsOf(const config::Config& config);

// Adds the signer and miner secrets `refs` says this stack creates.
void AddNodeSecrets(Template& t, const config::Config& config, const NodeSecretRefs& refs);

// IAM Resource patterns for a secret named by ARN. IAM matches a secret's full ARN, which ends
// in "-" and 6 random characters; an ARN given by name only ("...:secret:btc") matches it with
// "-??????". An ARN whose name already ends in "-" and 6 letters or digits may be either (the
// full ARN of "btc", or a secret named "btc-AbCdEf"): both patterns are granted.
std::vector<std::string> SecretArnPatterns(const std::string& arn);

// The node role's statements on its secrets: GetSecretValue and DescribeSecret (which tells a
// secret without a value from a missing one) on each, PutSecretValue (the first boot's key) on
// the ones the stack created. None for a follower.
std::vector<Json> SecretStatements(const NodeSecretRefs& refs);

// How many public values the first boot of the role reports: 2 for a signer (address, public
// key), 3 for a miner (and its miner address), 0 for a follower.
int IdentitySignalCount(config::Role role);

// Adds the wait condition handle and the wait condition (after the instance, for
// IdentitySignalCount signals within the bootstrap timeout); nothing for a follower.
void AddIdentityWaitCondition(Template& t, const config::Config& config);

// The outputs of a signer or miner: its identity, and the ARNs of its secrets.
void AddSignerMinerOutputs(Template& t, const config::Config& config, const NodeSecretRefs& refs);

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_SECRETS_H_
