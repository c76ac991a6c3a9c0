// Names that must stay stable across versions: stack ids and names (as the blueprint named
// them), exports, logical ids, tags and metric namespaces. Changing one of these replaces or
// orphans deployed resources.
#ifndef STACKS_RUNNER_TEMPLATES_NAMES_H_
#define STACKS_RUNNER_TEMPLATES_NAMES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace sr::templates {

enum class StackKind { kCommon, kSingleNode, kHaNodes };

struct StackIdentity {
  StackKind kind;
  std::string id;          // "stacks-single-node", as `synth` and `deploy` take it
  std::string stack_name;  // "stacks-single-node-follower", as CloudFormation knows it
  std::string template_file;
};

StackIdentity IdentityOf(StackKind kind, config::Role role);
std::vector<StackKind> AllStackKinds();
// Accepts an id ("stacks-ha-nodes") or a CloudFormation name ("stacks-ha-nodes-follower").
std::optional<StackKind> ParseStackKind(std::string_view name, config::Role role);

// Exports of the common stack that node stacks import.
inline constexpr std::string_view kExportRoleArn = "StacksNodeInstanceRoleArn";  // blueprint's
inline constexpr std::string_view kExportRoleName = "StacksNodeInstanceRoleName";
inline constexpr std::string_view kExportInstanceProfileName = "StacksNodeInstanceProfileName";
inline constexpr std::string_view kExportInstanceProfileArn = "StacksNodeInstanceProfileArn";
inline constexpr std::string_view kExportAssetsBucket = "StacksNodeAssetsBucketName";

// Metric namespace of the node agent; PutMetricData is limited to it and the CloudWatch agent's.
inline constexpr std::string_view kMetricNamespace = "StacksRunner";
inline constexpr std::string_view kCloudWatchAgentNamespace = "CWAgent";

// Metrics the node agent publishes in kMetricNamespace, dimensioned by InstanceId (and
// AutoScalingGroupName in HA).
namespace metrics {
inline constexpr char kStacksTipHeight[] = "StacksTipHeight";
inline constexpr char kBurnBlockHeight[] = "BurnBlockHeight";
inline constexpr char kStacksBlocksBehind[] = "StacksBlocksBehind";
inline constexpr char kBurnBlocksBehind[] = "BurnBlocksBehind";
inline constexpr char kSynced[] = "Synced";  // 1 when synced, else 0
inline constexpr char kPeers[] = "Peers";
inline constexpr char kAgentHeartbeat[] = "AgentHeartbeat";
inline constexpr char kStalled[] = "Stalled";  // 1 when behind with no progress for the stall time
inline constexpr char kNodeUp[] = "NodeUp";    // 1 when the node's RPC answers usably
inline constexpr char kSignerHeartbeat[] = "SignerHeartbeat";  // signers: 1 when /heartbeat is OK
inline constexpr char kDataDiskUsedPercent[] = "DataDiskUsedPercent";  // the data volume's use
// While the chainstate restore runs: the share of the archive downloaded and verified.
inline constexpr char kChainstateRestorePercent[] = "ChainstateRestorePercent";
}  // namespace metrics

// Where the data volume is mounted on the instance.
inline constexpr std::string_view kDataMountPath = "/var/lib/stacks";

// Tag on every taggable resource, as the blueprint tagged them.
inline constexpr std::string_view kProjectTagKey = "Project";
inline constexpr std::string_view kProjectTagValue = "AWSStacks";

// Logical ids.
namespace ids {
inline constexpr char kNodeRole[] = "NodeRole";
inline constexpr char kNodeInstanceProfile[] = "NodeInstanceProfile";
inline constexpr char kAssetsBucket[] = "AssetsBucket";
inline constexpr char kAssetsBucketPolicy[] = "AssetsBucketPolicy";
inline constexpr char kNodeSecurityGroup[] = "NodeSecurityGroup";
inline constexpr char kNodeStackPolicy[] = "NodeStackPolicy";
inline constexpr char kNodeInstance[] = "NodeInstance";
inline constexpr char kDataVolume[] = "DataVolume";
inline constexpr char kDataVolumeAttachment[] = "DataVolumeAttachment";
inline constexpr char kDashboard[] = "Dashboard";
inline constexpr char kAlbSecurityGroup[] = "AlbSecurityGroup";
inline constexpr char kAlbToNodeRpcIngress[] = "AlbToNodeRpcIngress";
inline constexpr char kAlbToNodeRpcEgress[] = "AlbToNodeRpcEgress";
inline constexpr char kLaunchTemplate[] = "LaunchTemplate";
inline constexpr char kAutoScalingGroup[] = "AutoScalingGroup";
inline constexpr char kLaunchLifecycleHook[] = "LaunchLifecycleHook";
inline constexpr char kAlbLogBucket[] = "AlbLogBucket";
inline constexpr char kAlbLogBucketPolicy[] = "AlbLogBucketPolicy";
inline constexpr char kLoadBalancer[] = "LoadBalancer";
inline constexpr char kTargetGroup[] = "TargetGroup";
inline constexpr char kListener[] = "Listener";
inline constexpr char kAlarmTopic[] = "AlarmTopic";
inline constexpr char kAlarmTopicKey[] = "AlarmTopicKey";
inline constexpr char kAlarmTopicPolicy[] = "AlarmTopicPolicy";
inline constexpr char kAlarmEmailSubscription[] = "AlarmEmailSubscription";
inline constexpr char kNodeBehindAlarm[] = "NodeBehindAlarm";
inline constexpr char kNodeStalledAlarm[] = "NodeStalledAlarm";
inline constexpr char kAgentHeartbeatAlarm[] = "AgentHeartbeatAlarm";
inline constexpr char kDataDiskAlarm[] = "DataDiskAlarm";
inline constexpr char kSignerHeartbeatAlarm[] = "SignerHeartbeatAlarm";
inline constexpr char kAgentIngressFromAlb[] = "AlbToNodeAgentIngress";
inline constexpr char kAlbToAgentEgress[] = "AlbToNodeAgentEgress";
// Signers and miners: the secrets the stack creates when the configuration names none, and the
// wait condition through which the first boot reports the node's public identity.
inline constexpr char kSignerSecret[] = "SignerSecret";
inline constexpr char kMinerSecret[] = "MinerSecret";
inline constexpr char kNodeIdentityHandle[] = "NodeIdentityHandle";
inline constexpr char kNodeIdentity[] = "NodeIdentity";
}  // namespace ids

// Outputs of the single-node stack that operators and `stacks-runner` read.
namespace outputs {
inline constexpr char kNodeIdentity[] = "nodeidentity";  // {"signer-address": ..., ...}
inline constexpr char kSignerSecretArn[] = "signersecretarn";
inline constexpr char kMinerSecretArn[] = "minersecretarn";
inline constexpr char kBitcoindSecretArn[] = "bitcoindsecretarn";
// Signers and miners: the ARN of the stack's own node role (ids::kNodeRole), for the key policy
// of a customer managed KMS key that encrypts a secret the configuration names.
inline constexpr char kNodeRoleArn[] = "noderolearn";
}  // namespace outputs

// The UniqueIds of the wait condition signals `node bootstrap --identity-url` sends; each
// signal's Data is the public value, and the stack output shows {UniqueId: Data}.
namespace identity {
inline constexpr char kSignerAddress[] = "signer-address";
inline constexpr char kSignerPublicKey[] = "signer-public-key";
inline constexpr char kMinerAddress[] = "miner-address";
}  // namespace identity

// Parameters filled at deploy time.
namespace params {
inline constexpr char kVpcId[] = "VpcId";
inline constexpr char kVpcCidr[] = "VpcCidr";
inline constexpr char kSubnetId[] = "SubnetId";
inline constexpr char kAvailabilityZone[] = "AvailabilityZone";
inline constexpr char kSubnetIds[] = "SubnetIds";
inline constexpr char kImageId[] = "ImageId";
inline constexpr char kNodeBinaryKey[] = "NodeBinaryKey";
inline constexpr char kNodeBinarySha256[] = "NodeBinarySha256";
}  // namespace params

}  // namespace sr::templates

#endif  // STACKS_RUNNER_TEMPLATES_NAMES_H_
