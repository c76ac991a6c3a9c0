# shellcheck shell=bash
# Shared by the dist tests (test_x86_64.sh, test_arm64.sh): checks of the static node binaries
# that scripts/dist.sh puts into dist/, and of the check programs it builds with --checks.

set -euo pipefail

dist__failures=0
dist__passed=0

# The sample the tests synthesize, and the host name the resolution checks map in /etc/hosts.
# shellcheck disable=SC2034  # used by the scripts that source this file
readonly DIST_SAMPLE=mainnet-follower.env DIST_HOSTS_NAME=stacks-runner-dist-check.test

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# check DESCRIPTION COMMAND...: runs COMMAND, counts and reports the result, goes on.
check() {
  local what=$1
  shift
  if "$@"; then
    echo "ok: $what"
    dist__passed=$((dist__passed + 1))
  else
    echo "FAIL: $what" >&2
    dist__failures=$((dist__failures + 1))
  fi
}

finish() {
  echo "$dist__passed passed, $dist__failures failed"
  [ "$dist__failures" -eq 0 ]
}

need_tools() {
  local tool missing=()
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    fail "missing ${missing[*]}: ./run test installs the dist test packages (scripts/deps.sh)"
  fi
}

need_file() {
  [ -f "$1" ] || fail "$1 not found: $2"
}

# is_static FILE: an ELF executable with no program interpreter and no shared library needed.
is_static() {
  local headers
  headers=$(readelf -ldW "$1") || return 1
  if grep -qE 'INTERP|\(NEEDED\)' <<<"$headers"; then
    grep -E 'interpreter|\(NEEDED\)' <<<"$headers" >&2
    return 1
  fi
}

# file_says FILE PATTERN...: `file FILE` matches every (extended) regular expression.
file_says() {
  local description pattern
  description=$(file -b "$1")
  for pattern in "${@:2}"; do
    if ! grep -qE "$pattern" <<<"$description"; then
      echo "file: $description" >&2
      return 1
    fi
  done
}

# has_symbol FILE SYMBOL: the (unstripped) ELF file defines SYMBOL (any architecture).
has_symbol() {
  readelf -sW "$1" | awk -v symbol="$2" '$8 == symbol { found = 1 } END { exit !found }'
}

# synth_outputs_ok DIR: what `synth` of the sample writes, each file there and not empty, each
# JSON file valid.
synth_outputs_ok() {
  local dir=$1 file
  for file in manifest.json stacks-common.template.json stacks-single-node.template.json \
    assets/node-settings.env; do
    if [ ! -s "$dir/$file" ]; then
      echo "missing or empty: $dir/$file" >&2
      return 1
    fi
  done
  for file in "$dir"/*.json; do
    python3 -m json.tool "$file" >/dev/null || return 1
  done
}

# same_tree A B: both directories hold the same files with the same bytes.
same_tree() {
  diff -r "$1" "$2" >&2
}

# native_synth NATIVE_BINARY SAMPLE OUT: the reference output, from the build's own binary. No
# node binaries (STACKS_RUNNER_DIST_DIR points nowhere), as in the root and under qemu.
native_synth() {
  rm -rf "$3"
  env -i PATH=/usr/bin:/bin HOME="${HOME:-/root}" STACKS_RUNNER_DIST_DIR=/nonexistent \
    "$1" synth --env "$2" --out "$3" >/dev/null
}
