#!/usr/bin/env bash
# Synthesizes every sample configuration (sample-configs/*.env, picked up as they are added) and a
# few variants of the mainnet follower, then validates every template written against the
# CloudFormation resource specification (validate.mjs beside this script).
#
#   tests/cfn-spec/synth_and_validate.sh STACKS_RUNNER_BINARY SOURCE_DIR
#
# Run by CTest as cfn_spec_templates; needs the npm packages that `./run test` installs.
set -euo pipefail

if [ "$#" -ne 2 ]; then
  echo "usage: $0 STACKS_RUNNER_BINARY SOURCE_DIR" >&2
  exit 2
fi
binary=$1
src=$2
spec_dir="$src/tests/cfn-spec"
base_env="$src/sample-configs/mainnet-follower.env"
me=synth_and_validate.sh

if [ ! -x "$binary" ]; then
  echo "$me: $binary is not an executable: build stacks-runner first" >&2
  exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "$me: node is not installed: run ./run test (it installs Node.js and the specification)" >&2
  exit 1
fi
if [ ! -d "$spec_dir/node_modules/@aws-cdk/aws-service-spec" ]; then
  echo "$me: $spec_dir/node_modules is missing: run ./run test" \
    "(it installs the pinned CloudFormation resource specification with npm ci)" >&2
  exit 1
fi

# Variables in the process environment override the configuration file: start from none, so a
# developer's own STACKS_*, BITCOIN_* or AWS_* variables cannot change what is tested.
while IFS= read -r name; do
  unset "$name"
done < <(compgen -e | grep -E '^(STACKS_|BITCOIN_|AWS_)' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/cfn-spec.XXXXXX")
trap 'rm -rf "$work"' EXIT

failures=0
synthesized=0
templates=() # relative to $work: NAME/STACK.template.json

# synth NAME ENV_FILE [VAR=VALUE...] [-- STACK...]
# Synthesizes ENV_FILE, with the VAR=VALUE overrides in the environment, into $work/NAME, and
# queues the templates written for validation.
synth() {
  local name=$1 env_file=$2
  shift 2
  local -a overrides=() stacks=()
  while [ "$#" -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      stacks=("$@")
      break
    fi
    overrides+=("$1")
    shift
  done
  local out="$work/$name" rc=0
  env "${overrides[@]}" "$binary" synth --env "$env_file" --out "$out" "${stacks[@]}" \
    >"$work/$name.log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "$me: $name: stacks-runner synth --env $env_file ${overrides[*]} failed (exit $rc):"
    sed 's/^/    /' "$work/$name.log"
    failures=$((failures + 1))
    return
  fi
  local -a written=()
  local file
  for file in "$out"/*.template.json; do
    [ -f "$file" ] && written+=("${file#"$work/"}")
  done
  if [ "${#written[@]}" -eq 0 ]; then
    echo "$me: $name: stacks-runner synth wrote no template into $out"
    failures=$((failures + 1))
    return
  fi
  if [ "${#stacks[@]}" -gt 0 ] && [ "${#written[@]}" -ne "${#stacks[@]}" ]; then
    echo "$me: $name: asked for ${stacks[*]}, got ${written[*]}"
    failures=$((failures + 1))
  fi
  synthesized=$((synthesized + 1))
  templates+=("${written[@]}")
}

# Every sample configuration, as shipped.
shopt -s nullglob
samples=("$src"/sample-configs/*.env)
shopt -u nullglob
if [ "${#samples[@]}" -eq 0 ]; then
  echo "$me: no sample configuration in $src/sample-configs" >&2
  exit 1
fi
for env_file in "${samples[@]}"; do
  synth "$(basename "$env_file" .env)" "$env_file"
done

# Variants of the mainnet follower that change the shape of the templates.
if [ ! -f "$base_env" ]; then
  echo "$me: $base_env is missing: the variants are built on it" >&2
  exit 1
fi
synth variant-testnet "$base_env" STACKS_NETWORK=testnet
synth variant-io2 "$base_env" STACKS_DATA_VOL_TYPE=io2 STACKS_DATA_VOL_IOPS=20000
synth variant-instance-store "$base_env" STACKS_DATA_VOL_TYPE=instance-store \
  STACKS_INSTANCE_TYPE=i4i.xlarge
synth variant-graviton "$base_env" STACKS_INSTANCE_TYPE=m7g.large
synth variant-rpc-cidrs "$base_env" STACKS_RPC_ALLOWED_CIDRS=10.0.0.0/8,192.168.0.0/16
# A signer runs as a single node only (HA is refused for signers).
synth variant-signer "$base_env" STACKS_NODE_CONFIGURATION=signer -- stacks-common stacks-single-node
# Signers and miners with their own bitcoind: secrets created or named, the identity wait condition.
synth variant-signer-own-bitcoind "$base_env" STACKS_NODE_CONFIGURATION=signer \
  BITCOIN_PEER_HOST=10.0.0.5 -- stacks-common stacks-single-node
synth variant-signer-named-secret "$base_env" STACKS_NETWORK=testnet \
  STACKS_NODE_CONFIGURATION=signer BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_SIGNER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:my-signer \
  -- stacks-common stacks-single-node
synth variant-miner "$base_env" STACKS_NODE_CONFIGURATION=miner BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf \
  -- stacks-common stacks-single-node
synth variant-miner-testnet-named "$base_env" STACKS_NETWORK=testnet \
  STACKS_NODE_CONFIGURATION=miner BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf \
  STACKS_MINER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:miner \
  -- stacks-common stacks-single-node
synth variant-own-vpc "$base_env" STACKS_VPC_ID=vpc-0123456789abcdef0 \
  STACKS_SUBNET_IDS=subnet-0123456789abcdef0,subnet-0123456789abcdef1
# The alarm topic's email subscription, and the signer's heartbeat alarm with it.
synth variant-alarm-email "$base_env" STACKS_ALARM_EMAIL=ops@example.com
synth variant-signer-alarm-email "$base_env" STACKS_NODE_CONFIGURATION=signer \
  STACKS_ALARM_EMAIL=ops@example.com -- stacks-common stacks-single-node

if [ "${#templates[@]}" -gt 0 ]; then
  (cd "$work" && node "$spec_dir/validate.mjs" "${templates[@]}") || failures=$((failures + 1))
fi

echo "$me: $synthesized configurations synthesized, ${#templates[@]} templates validated," \
  "$failures failure(s)"
[ "$failures" -eq 0 ]
