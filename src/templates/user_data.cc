#include "templates/user_data.h"

#include "templates/names.h"

namespace sr::templates {
namespace {

// "  --signer-secret '...' \\\n" and the like, for the flags that apply.
std::string SignerMinerFlags(const UserDataInputs& in) {
  std::string flags;
  auto add = [&flags](const char* flag, const std::string& value) {
    if (!value.empty()) flags += std::string("  ") + flag + " '" + value + "' \\\n";
  };
  add("--signer-secret", in.signer_secret);
  add("--miner-secret", in.miner_secret);
  add("--bitcoind-secret", in.bitcoind_secret);
  if (!in.identity_handle.empty()) add("--identity-url", "${" + in.identity_handle + "}");
  return flags;
}

}  // namespace

std::string UserDataScript(const UserDataInputs& in) {
  const bool single = in.placement == NodePlacement::kSingleNode;
  std::string s = R"(#!/bin/bash
# stacks-runner: fetch the node runtime and this node's settings from the assets bucket, check
# both against their SHA-256, and hand over to `stacks-runner node bootstrap`.
set -euo pipefail
export AWS_DEFAULT_REGION='${AWS::Region}'
bucket='${AssetsBucket}'
bin=/opt/stacks-runner/bin/stacks-runner
settings=/etc/stacks-runner/node.env

imds() {
  local token
  token=$(curl -sSf -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' \
    http://169.254.169.254/latest/api/token)
  curl -sSf -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}

# Report a failed boot the way the stack waits for it, so the deployment fails now, with a cause
# in this instance's console output, instead of after a timeout.
fail() {
  trap - ERR
  echo "stacks-runner: boot failed: $1" >&2
  local instance
  instance=$(imds instance-id) || exit 1
)";
  if (single) {
    s += R"(  aws cloudformation signal-resource --stack-name '${AWS::StackName}' \
    --logical-resource-id )" +
         std::string(ids::kNodeInstance) + R"( --unique-id "$instance" --status FAILURE || true
)";
  } else {
    s +=
        R"(  aws autoscaling complete-lifecycle-action --auto-scaling-group-name '${AWS::StackName}' \
    --lifecycle-hook-name '${AWS::StackName}' --instance-id "$instance" \
    --lifecycle-action-result ABANDON || true
)";
  }
  s += R"(  exit 1
}
trap 'fail "user data line $LINENO"' ERR

fetch() {  # KEY SHA256 DESTINATION
  aws s3 cp --only-show-errors "s3://$bucket/$1" "$3.part"
  if ! echo "$2  $3.part" | sha256sum --check --status; then
    rm -f "$3.part"
    fail "s3://$bucket/$1 does not match its SHA-256"
  fi
  mv "$3.part" "$3"
}

install -d -m 0755 /opt/stacks-runner/bin /etc/stacks-runner
fetch '${NodeBinaryKey}' '${NodeBinarySha256}' "$bin"
chmod 0755 "$bin"
fetch ')" +
       in.settings->key + "' '" + in.settings->sha256 + R"(' "$settings"
exec "$bin" node bootstrap --settings "$settings" \
)";
  if (single) {
    s += "  --cfn-stack '${AWS::StackName}' --cfn-resource " + std::string(ids::kNodeInstance) +
         " \\\n";
    s += SignerMinerFlags(in);
    s += in.instance_store ? "  --data-volume instance-store\n"
                           : "  --data-volume '${" + std::string(ids::kDataVolume) + "}'\n";
  } else {
    s += "  --asg '${AWS::StackName}' --lifecycle-hook '${AWS::StackName}' \\\n";
    s += in.instance_store ? "  --data-volume instance-store\n" : "  --data-device /dev/sdf\n";
  }
  return s;
}

Json UserData(const UserDataInputs& inputs) {
  return cfn::Base64(cfn::Sub(UserDataScript(inputs),
                              Json{{"AssetsBucket", cfn::ImportValue(kExportAssetsBucket)}}));
}

}  // namespace sr::templates
