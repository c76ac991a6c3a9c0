#!/usr/bin/env bash
# The x86_64 node binary (dist/stacks-runner-linux-x86_64) on a system older than the one that
# built it and without its libraries: a Debian 11 root (glibc 2.31; the build has Debian 12's
# 2.36, Amazon Linux 2023 has 2.34), made once with debootstrap from this machine's Debian mirror
# and kept in ROOT_DIR, entered with chroot in a mount namespace of its own (its /proc goes
# away with the test, whatever happens).
#
#   test_x86_64.sh SOURCE_DIR NATIVE_BINARY ROOT_DIR
#
# SOURCE_DIR: the repository, with dist/ and build-dist-x86_64/ made by `scripts/dist.sh --checks`
# NATIVE_BINARY: the build's own stacks-runner, whose synth output is the reference
# ROOT_DIR: where the Debian 11 root is kept (made when missing; the mirror is the first Debian
#   one in /etc/apt, or STACKS_RUNNER_DEBIAN_MIRROR)
# Needs root (chroot, unshare): CI runs as root.
# shellcheck source=tests/dist/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[ $# -eq 3 ] || fail "usage: $0 SOURCE_DIR NATIVE_BINARY ROOT_DIR"
src=$1
native=$2
rootfs=$3
binary="$src/dist/stacks-runner-linux-x86_64"
unstripped="$src/build-dist-x86_64/stacks-runner"
resolve_check="$src/build-dist-x86_64/stacks-runner-resolve-check"

if [ "$(id -u)" -ne 0 ]; then
  fail "the x86_64 dist test runs the binary in a Debian 11 root with chroot, which needs root" \
    "(CI runs as root): run ./run test as root"
fi
need_tools debootstrap chroot unshare flock findmnt file ldd readelf strace python3 diff
need_file "$binary" "run make dist (./run test builds it)"
need_file "$resolve_check" "run scripts/dist.sh --checks x86_64 (./run test does)"
need_file "$native" "build the project first (./run test does)"

# The first Debian archive URI of this machine's apt sources (one-line or deb822 format).
debian_mirror() {
  if [ -n "${STACKS_RUNNER_DEBIAN_MIRROR:-}" ]; then
    echo "$STACKS_RUNNER_DEBIAN_MIRROR"
    return
  fi
  local uri
  uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -vE '^[[:space:]]*#' | grep -oE '(https?|ftp)://[^[:space:]]+' |
    grep -E '/debian/?$' | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

# Makes the Debian 11 root once. debootstrap runs in a mount namespace of its own, so that the
# /proc and /sys it mounts inside the root are gone when it ends, even if it is killed.
ensure_root() {
  [ -f "$rootfs/.stacks-runner-root" ] && return 0
  mkdir -p "$(dirname "$rootfs")"
  exec 9>"$rootfs.lock"
  flock 9
  [ -f "$rootfs/.stacks-runner-root" ] && return 0
  local partial="$rootfs.partial" mirror
  mirror=$(debian_mirror)
  if [ -e "$partial" ]; then
    if findmnt -rn -o TARGET | grep -qF "$partial"; then
      fail "$partial has something mounted in it: unmount it, then remove it"
    fi
    rm -rf "$partial"
  fi
  if [ -e "$rootfs" ]; then
    fail "$rootfs exists but is not a root made by this test: remove it or choose another" \
      "STACKS_RUNNER_DIST_ROOT"
  fi
  echo "creating a Debian 11 (bullseye) root in $rootfs from $mirror (once; about 200 MB)"
  if ! unshare --mount --propagation private \
    debootstrap --variant=minbase bullseye "$partial" "$mirror" >"$rootfs.log" 2>&1; then
    tail -n 20 "$rootfs.log" >&2
    fail "debootstrap of Debian 11 from $mirror failed (log: $rootfs.log); set" \
      "STACKS_RUNNER_DEBIAN_MIRROR to another Debian mirror (archive.debian.org/debian once" \
      "bullseye has left the main archive)"
  fi
  rm -f "$partial"/var/cache/apt/archives/*.deb
  cp "$partial/etc/nsswitch.conf" "$partial/etc/nsswitch.conf.debian"
  touch "$partial/.stacks-runner-root"
  mv "$partial" "$rootfs"
}

# in_root COMMAND...: runs COMMAND in the root, with a /proc of its own and a clean environment.
in_root() {
  unshare --mount --pid --fork --mount-proc="$rootfs/proc" \
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    STACKS_RUNNER_DIST_DIR=/nonexistent "$@"
}

# traced_in_root LOG COMMAND...: in_root under strace, file opens and program starts in LOG.
traced_in_root() {
  local log=$1
  shift
  unshare --mount --pid --fork --mount-proc="$rootfs/proc" \
    strace -f -qq -e trace=execve,open,openat -o "$log" \
    chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    STACKS_RUNNER_DIST_DIR=/nonexistent "$@"
}

# no_library_opened LOG: after the static program started (its execve from /srv/dist-test), no
# shared object was opened (chroot and env, dynamic programs of the root, come before).
no_library_opened() {
  local opened
  opened=$(awk '/execve\("\/srv\/dist-test\//{started=1} started' "$1" |
    grep -E 'open(at)?\(.*\.so[."]' || true)
  if [ -n "$opened" ]; then
    echo "$opened" >&2
    return 1
  fi
}

# set_nsswitch LINE...: the root's /etc/nsswitch.conf is Debian's with these lines replacing
# those of the same databases.
set_nsswitch() {
  cp "$rootfs/etc/nsswitch.conf.debian" "$rootfs/etc/nsswitch.conf"
  local line
  for line in "$@"; do
    sed -i "s/^${line%%:*}:.*/$line/" "$rootfs/etc/nsswitch.conf"
  done
}

# --- the binary itself
check "file: x86-64 static executable" file_says "$binary" 'ELF 64-bit' 'x86-64' \
  'static(-pie)? linked' 'stripped'
check "readelf: no interpreter, no shared library" is_static "$binary"
check "ldd: not dynamic" eval "ldd '$binary' 2>&1 | grep -qE 'not a dynamic executable|statically linked'"
check "the resolve check program is static too" is_static "$resolve_check"
check "the binary pins NSS to the built-in modules (main calls PinNameServicesToBuiltins)" \
  has_symbol "$unstripped" __nss_configure_lookup

# --- the Debian 11 root
ensure_root
work="$rootfs/srv/dist-test"
rm -rf "$work" "$rootfs/tmp/out" "$rootfs/tmp/out2"
mkdir -p "$work"
cp "$binary" "$work/stacks-runner"
cp "$resolve_check" "$work/resolve-check"
cp "$src/sample-configs/$DIST_SAMPLE" "$work/"
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.0.1\t%s\n' \
  "$DIST_HOSTS_NAME" >"$rootfs/etc/hosts"
set_nsswitch
trap 'set_nsswitch' EXIT

root_glibc=$(in_root /lib/x86_64-linux-gnu/libc.so.6 | head -n 1)
echo "root: $root_glibc; built with: $(ldd --version | head -n 1)"
check "the root has glibc 2.31" grep -q 'version 2\.31' <<<"$root_glibc"

version=$(in_root /srv/dist-test/stacks-runner --version || true)
check "--version in the root: '$version'" grep -qE '^stacks-runner [0-9]+\.[0-9]+\.[0-9]+' <<<"$version"

check "synth of the sample in the root" in_root /srv/dist-test/stacks-runner synth \
  --env "/srv/dist-test/$DIST_SAMPLE" --out /tmp/out
check "synth wrote the templates, manifest and node assets" synth_outputs_ok "$rootfs/tmp/out"
reference=$(mktemp -d)
trap 'set_nsswitch; rm -rf "$reference"' EXIT
native_synth "$native" "$src/sample-configs/$DIST_SAMPLE" "$reference/out"
check "synth output is the native build's, byte for byte" same_tree "$reference/out" "$rootfs/tmp/out"

# --- name resolution through the HTTP client (Asio -> getaddrinfo -> NSS)
# Debian's nsswitch.conf (hosts: files dns): glibc 2.34+ has both modules built into libc.a.
check "HTTP GET via localhost and an /etc/hosts name (hosts: files dns)" \
  in_root /srv/dist-test/resolve-check localhost "$DIST_HOSTS_NAME"

# A module that is not built in and is there, as systemd's myhostname and resolve, sss, mdns are
# on Amazon Linux and Ubuntu: hesiod is the one glibc 2.31 itself ships. Unpinned, the static
# glibc dlopens the root's libnss_hesiod.so.2 with its glibc 2.31 libc.so.6 and aborts: the
# negative control, which shows that this root exercises the problem.
set_nsswitch "hosts: hesiod files dns" "passwd: hesiod files" "group: hesiod files"
aborts_unpinned() {
  local output
  if output=$(in_root /srv/dist-test/resolve-check --no-pin localhost 2>&1); then
    echo "resolve-check --no-pin worked: $output" >&2
    echo "(if glibc now declines foreign NSS modules gracefully, update this control)" >&2
    return 1
  fi
  grep -q 'libc_early_init' <<<"$output" || { echo "$output" >&2; return 1; }
}
check "negative control: unpinned, the foreign NSS module aborts the process (--no-pin)" \
  aborts_unpinned
check "HTTP GET via localhost and an /etc/hosts name (hosts: hesiod files dns), pinned" \
  in_root /srv/dist-test/resolve-check localhost "$DIST_HOSTS_NAME"

trace="$reference/trace"
check "strace: the pinned check opens no shared object" eval \
  "traced_in_root '$trace' /srv/dist-test/resolve-check localhost '$DIST_HOSTS_NAME' >/dev/null && no_library_opened '$trace'"
check "strace: synth opens no shared object" eval \
  "traced_in_root '$trace' /srv/dist-test/stacks-runner synth --env /srv/dist-test/$DIST_SAMPLE --out /tmp/out2 >/dev/null && no_library_opened '$trace'"

finish
