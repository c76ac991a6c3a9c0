#!/usr/bin/env bash
# The blueprint's monitoring, as bench/agent.sh runs it once per "cron minute": a reconstruction
# of lib/stacks/lib/assets/sync-checker/syncchecker-stacks.sh (shared/reference/blueprint.md: curl
# /v2/info | jq, then two `aws cloudwatch put-metric-data` calls, stacks_tip_height and
# burn_block_height, namespace CWAgent, dimension InstanceId), with the instance id from IMDSv2 as
# the blueprint's scripts read it. Pointed at local fakes only:
#
#   NODE_URL       the fake node's RPC (http://127.0.0.1:PORT)
#   IMDS_URL       the fake instance metadata service (http://127.0.0.1:PORT)
#   CLOUDWATCH_URL the fake AWS endpoint (http://127.0.0.1:PORT), given to the CLI as --endpoint-url
#
# The AWS CLI (Debian's awscli) takes its credentials from the fake IMDS
# (AWS_EC2_METADATA_SERVICE_ENDPOINT), as on an instance, and the fake checks the signatures.
set -euo pipefail

token=$(curl -s -X PUT "$IMDS_URL/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
instance_id=$(curl -s -H "X-aws-ec2-metadata-token: $token" "$IMDS_URL/latest/meta-data/instance-id")
info=$(curl -s "$NODE_URL/v2/info")
stacks_tip_height=$(echo "$info" | jq -r '.stacks_tip_height')
burn_block_height=$(echo "$info" | jq -r '.burn_block_height')
now=$(date -u +%Y-%m-%dT%H:%M:%SZ)

aws cloudwatch put-metric-data --endpoint-url "$CLOUDWATCH_URL" --region us-east-1 \
  --namespace CWAgent --metric-name stacks_tip_height --dimensions "InstanceId=$instance_id" \
  --value "$stacks_tip_height" --timestamp "$now"
aws cloudwatch put-metric-data --endpoint-url "$CLOUDWATCH_URL" --region us-east-1 \
  --namespace CWAgent --metric-name burn_block_height --dimensions "InstanceId=$instance_id" \
  --value "$burn_block_height" --timestamp "$now"
