#!/usr/bin/env bash
# Proves the security checks against the real cdk-nag (run by CTest as cdk_nag_agreement):
#
#   tests/cdk-nag/check_agreement.sh STACKS_RUNNER NAG_CHECK SOURCE_DIR
#
# 1. synthesizes every sample configuration (sample-configs/*.env) and a few clean variants:
#    synth must exit 0, and neither stacks-runner's checks nor cdk-nag may report an
#    unsuppressed error;
# 2. builds deliberately insecure variants, from configuration where it allows them (RPC open to
#    the world, io2 at 64,000 IOPS) and by patching synthesized templates where it does not
#    (patch_variants.py: encryption off, IMDSv1, wildcard IAM, every port open, a password in user
#    data, open buckets, no access logs, ...): each must be reported by the rules named for it;
# 3. runs nag_check (our rules) and run_cdk_nag.js (cdk-nag 2.x AwsSolutionsChecks over CfnInclude,
#    one Node.js process for every template) and requires the same AwsSolutions findings from
#    both (compare.py).
# Needs Node.js and the npm packages of tests/cdk-nag, which `./run test` installs (npm ci).
set -euo pipefail

if [ "$#" -ne 3 ]; then
  echo "usage: $0 STACKS_RUNNER NAG_CHECK SOURCE_DIR" >&2
  exit 2
fi
binary=$1
nag_check=$2
src=$3
here="$src/tests/cdk-nag"
base_env="$src/sample-configs/mainnet-follower.env"
me=check_agreement.sh

for tool in "$binary" "$nag_check"; do
  if [ ! -x "$tool" ]; then
    echo "$me: $tool is not an executable: build the tests first" >&2
    exit 1
  fi
done
if ! command -v node >/dev/null 2>&1 || [ ! -d "$here/node_modules/cdk-nag" ]; then
  echo "$me: Node.js or $here/node_modules is missing: run ./run test" \
    "(it installs the pinned cdk-nag and aws-cdk-lib with npm ci)" >&2
  exit 1
fi

# The process environment overrides configuration files: start from none of ours.
while IFS= read -r name; do
  unset "$name"
done < <(compgen -e | grep -E '^(STACKS_|BITCOIN_|AWS_)' || true)

work=$(mktemp -d "${TMPDIR:-/tmp}/cdk-nag.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0
echo '{}' >"$work/expected-env.json"

# synth CASE EXPECT_EXIT ENV_FILE [VAR=VALUE...] [-- SYNTH_ARGS...]
synth() {
  local name=$1 expect=$2 env_file=$3
  shift 3
  local -a overrides=() args=()
  while [ "$#" -gt 0 ]; do
    if [ "$1" = -- ]; then
      shift
      args=("$@")
      break
    fi
    overrides+=("$1")
    shift
  done
  local rc=0
  env "${overrides[@]}" "$binary" synth --env "$env_file" --out "$work/$name" "${args[@]}" \
    >"$work/$name.log" 2>&1 || rc=$?
  if [ "$rc" -ne "$expect" ]; then
    echo "$me: $name: synth --env $env_file ${overrides[*]} ${args[*]} exited $rc, not $expect:"
    sed 's/^/    /' "$work/$name.log"
    failures=$((failures + 1))
  fi
}

# expect CASE RULE... : the rules that must report the case
expect() {
  local name=$1
  shift
  python3 - "$work/expected-env.json" "$name" "$@" <<'PY'
import json, sys
path, name, rules = sys.argv[1], sys.argv[2], sys.argv[3:]
with open(path) as f:
    expected = json.load(f)
expected[name] = rules
with open(path, "w") as f:
    json.dump(expected, f)
PY
}

shopt -s nullglob
for env_file in "$src"/sample-configs/*.env; do
  synth "sample-$(basename "$env_file" .env)" 0 "$env_file"
done
shopt -u nullglob
synth clean-signer 0 "$base_env" STACKS_NODE_CONFIGURATION=signer -- stacks-common stacks-single-node
# Signers and miners: secrets created (SMG4 suppressed on them) or named, the identity wait condition.
synth clean-signer-own-bitcoind 0 "$base_env" STACKS_NODE_CONFIGURATION=signer \
  BITCOIN_PEER_HOST=10.0.0.5 -- stacks-common stacks-single-node
synth clean-signer-named-secret 0 "$base_env" STACKS_NODE_CONFIGURATION=signer \
  BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_SIGNER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:my-signer \
  -- stacks-common stacks-single-node
synth clean-miner 0 "$base_env" STACKS_NODE_CONFIGURATION=miner BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf \
  -- stacks-common stacks-single-node
synth clean-miner-testnet 0 "$base_env" STACKS_NETWORK=testnet STACKS_NODE_CONFIGURATION=miner \
  BITCOIN_PEER_HOST=10.0.0.5 \
  STACKS_BITCOIN_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:btc-AbCdEf \
  STACKS_MINER_SECRET_ARN=arn:aws:secretsmanager:us-east-1:123456789012:secret:miner \
  -- stacks-common stacks-single-node
synth clean-instance-store 0 "$base_env" STACKS_DATA_VOL_TYPE=instance-store STACKS_INSTANCE_TYPE=i4i.xlarge
synth clean-rpc-cidrs 0 "$base_env" STACKS_RPC_ALLOWED_CIDRS=10.0.0.0/8,192.168.0.0/16

synth variant-rpc-open 3 "$base_env" STACKS_RPC_ALLOWED_CIDRS=0.0.0.0/0
expect variant-rpc-open AwsSolutions-EC23 StacksRunner-RpcNotPublic StacksRunner-OnlyP2pPublic
synth variant-io2-64k 0 "$base_env" STACKS_DATA_VOL_TYPE=io2 STACKS_DATA_VOL_IOPS=64000
expect variant-io2-64k StacksRunner-ProvisionedIops

if [ -d "$work/sample-mainnet-follower" ]; then
  python3 "$here/patch_variants.py" "$work/sample-mainnet-follower" "$work"
else
  echo "$me: sample-mainnet-follower was not synthesized: no patched variants"
  failures=$((failures + 1))
  echo '{}' >"$work/expected.json"
fi

templates=()
while IFS= read -r t; do templates+=("$t"); done < <(find "$work" -name '*.template.json' | sort)
"$nag_check" "${templates[@]}" >"$work/ours.json"
(cd "$here" && node run_cdk_nag.js "$work/cdk-nag.json" "$work/cdk.out" "${templates[@]}") \
  >"$work/cdk-nag.log" 2>&1 || {
  echo "$me: run_cdk_nag.js failed:"
  sed 's/^/    /' "$work/cdk-nag.log"
  exit 1
}
python3 "$here/compare.py" "$work/ours.json" "$work/cdk-nag.json" "$work/expected.json" \
  "$work/expected-env.json" || failures=$((failures + 1))

echo "$me: ${#templates[@]} templates checked by both, $failures failure(s)"
[ "$failures" -eq 0 ]
