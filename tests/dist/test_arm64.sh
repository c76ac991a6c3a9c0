#!/usr/bin/env bash
# The aarch64 (Graviton) node binary, dist/stacks-runner-linux-arm64, under qemu-user: it has no
# program interpreter to load and qemu is given no arm64 library directory (-L points at a
# directory holding only the /etc files of the test), and qemu's -strace shows that it opens
# no shared object.
#
#   test_arm64.sh SOURCE_DIR NATIVE_BINARY
#
# SOURCE_DIR: the repository, with dist/ and build-dist-arm64/ made by `scripts/dist.sh --checks`
# NATIVE_BINARY: the build's own stacks-runner, whose synth output is the reference
# shellcheck source=tests/dist/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 2 ] || fail "usage: $0 SOURCE_DIR NATIVE_BINARY"
src=$1
native=$2
binary="$src/dist/stacks-runner-linux-arm64"
unstripped="$src/build-dist-arm64/stacks-runner"
resolve_check="$src/build-dist-arm64/stacks-runner-resolve-check"

need_tools qemu-aarch64 file readelf python3 diff
need_file "$binary" "run make dist (./run test builds it)"
need_file "$resolve_check" "run scripts/dist.sh --checks arm64 (./run test does)"
need_file "$native" "build the project first (./run test does)"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# qemu-user opens a path under the -L prefix when it exists there, else the real one: the prefix
# holds only an /etc/hosts with the test's name (no lib/, no ld-linux-aarch64.so.1).
prefix="$work/prefix"
mkdir -p "$prefix/etc"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t%s\n' \
  "$DIST_HOSTS_NAME" >"$prefix/etc/hosts"
printf 'passwd: files\ngroup: files\nhosts: files dns\n' >"$prefix/etc/nsswitch.conf"

arm64() {
  env -i PATH=/usr/bin:/bin HOME="$work" STACKS_RUNNER_DIST_DIR=/nonexistent \
    qemu-aarch64 -L "$prefix" "$@"
}

# no_library_opened COMMAND...: runs it under qemu's -strace; no shared object may be opened.
no_library_opened() {
  local log="$work/strace" opened
  arm64 -strace "$@" >/dev/null 2>"$log" || { tail -n 5 "$log" >&2; return 1; }
  opened=$(grep -E 'open(at)?\(.*\.so[."]' "$log" || true)
  if [ -n "$opened" ]; then
    echo "$opened" >&2
    return 1
  fi
}

# --- the binary itself
check "file: ARM aarch64 static executable" file_says "$binary" 'ELF 64-bit' 'ARM aarch64' \
  'static(-pie)? linked' 'stripped'
check "readelf: no interpreter, no shared library" is_static "$binary"
check "the resolve check program is static too" is_static "$resolve_check"
check "the binary pins NSS to the built-in modules (main calls PinNameServicesToBuiltins)" \
  has_symbol "$unstripped" __nss_configure_lookup

# --- under qemu-user
version=$(arm64 "$binary" --version || true)
check "--version under qemu-aarch64: '$version'" \
  grep -qE '^stacks-runner [0-9]+\.[0-9]+\.[0-9]+' <<<"$version"

cp "$src/sample-configs/$DIST_SAMPLE" "$work/"
check "synth of the sample under qemu-aarch64" \
  arm64 "$binary" synth --env "$work/$DIST_SAMPLE" --out "$work/out"
check "synth wrote the templates, manifest and node assets" synth_outputs_ok "$work/out"
native_synth "$native" "$src/sample-configs/$DIST_SAMPLE" "$work/reference"
check "synth output is the native x86_64 build's, byte for byte" same_tree "$work/reference" "$work/out"

check "HTTP GET via localhost and an /etc/hosts name under qemu-aarch64" \
  arm64 "$resolve_check" localhost "$DIST_HOSTS_NAME"
check "qemu -strace: --version opens no shared object" no_library_opened "$binary" --version
check "qemu -strace: synth opens no shared object" \
  no_library_opened "$binary" synth --env "$work/$DIST_SAMPLE" --out "$work/out2"
check "qemu -strace: the resolve check opens no shared object" \
  no_library_opened "$resolve_check" localhost "$DIST_HOSTS_NAME"

finish
