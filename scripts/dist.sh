#!/usr/bin/env bash
# Builds the node binaries that `synth` and `deploy` look for in <repo>/dist/:
#
#   dist/stacks-runner-linux-x86_64        static PIE for x86_64, stripped
#   dist/stacks-runner-linux-arm64         static PIE for aarch64 (Graviton), stripped
#   dist/stacks-runner-linux-*.debug       their debug information (line tables), for
#                                          `gdb`/`addr2line` on a core or a backtrace
#
# Release (-O2) builds with STACKS_RUNNER_STATIC=ON and no tests, in build-dist-x86_64 and
# build-dist-arm64 (the arm64 one with Debian's cross compiler, cmake/aarch64-linux-gnu.cmake).
# Needs the packages of `deps_install dist` (scripts/deps.sh); ./run dist and make dist install
# them first. The linker's "Using 'getaddrinfo' in statically linked applications requires at
# runtime the shared libraries..." warnings are expected: main() pins glibc's NSS to the modules
# built into the static libc (src/util/name_services.h), so none is loaded at run time.
#
#   scripts/dist.sh [--checks] [x86_64|arm64]...    default: both architectures
#     --checks   also build the check programs of tests/dist (./run test does)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${STACKS_RUNNER_JOBS:-$(nproc 2>/dev/null || echo 2)}

checks=false
arches=()
for arg in "$@"; do
  case "$arg" in
    --checks) checks=true ;;
    x86_64 | arm64) arches+=("$arg") ;;
    *)
      echo "dist: unknown argument '$arg' (accepted: --checks, x86_64, arm64)" >&2
      exit 2
      ;;
  esac
done
[ "${#arches[@]}" -gt 0 ] || arches=(x86_64 arm64)

# ccache cannot cache a compilation that uses a precompiled header (every file of the core
# library) unless told that the header's macros and __TIME__ may be ignored. The base directory
# and the prefix map make the cache (and the binaries) independent of where the tree is checked
# out.
export CCACHE_SLOPPINESS=pch_defines,time_macros
export CCACHE_BASEDIR="$root"
release_flags="-O2 -g1 -DNDEBUG -ffile-prefix-map=$root/="

need() {
  local tool
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      echo "dist: '$tool' not found: run ./run dist (or make dist), which installs what is missing" >&2
      exit 1
    fi
  done
}

# A static executable has no program interpreter and needs no shared library.
check_static() {
  local file=$1 headers
  headers=$(readelf -ldW "$file")
  if grep -q 'INTERP' <<<"$headers" || grep -q '(NEEDED)' <<<"$headers"; then
    echo "dist: $file is not statically linked:" >&2
    grep -E 'INTERP|NEEDED|interpreter' <<<"$headers" >&2
    exit 1
  fi
}

build_arch() {
  local arch=$1 dir="$root/build-dist-$1" prefix="" name="stacks-runner-linux-$1"
  local -a configure=(-G Ninja -DCMAKE_BUILD_TYPE=Release "-DCMAKE_CXX_FLAGS_RELEASE=$release_flags"
    -DSTACKS_RUNNER_STATIC=ON -DSTACKS_RUNNER_TESTS=OFF)
  if [ "$arch" = arm64 ]; then
    prefix=aarch64-linux-gnu-
    configure+=("-DCMAKE_TOOLCHAIN_FILE=$root/cmake/aarch64-linux-gnu.cmake")
  fi
  need cmake ninja readelf "${prefix}g++" "${prefix}objcopy" "${prefix}strip"

  local -a targets=(stacks-runner)
  $checks && targets+=(stacks-runner-resolve-check)
  echo "dist: building $name in ${dir#"$root"/}" >&2
  cmake -S "$root" -B "$dir" "${configure[@]}" >/dev/null
  cmake --build "$dir" --parallel "$jobs" --target "${targets[@]}"

  # Strip into dist/ with a link to the separate debug file; replace the old files only when
  # both are complete, so dist/ never holds a half-written binary.
  local staging="$root/dist/.staging-$arch"
  rm -rf "$staging"
  mkdir -p "$staging"
  check_static "$dir/stacks-runner"
  "${prefix}objcopy" --only-keep-debug --compress-debug-sections "$dir/stacks-runner" \
    "$staging/$name.debug"
  "${prefix}strip" --strip-all -o "$staging/$name" "$dir/stacks-runner"
  (cd "$staging" && "${prefix}objcopy" --add-gnu-debuglink="$name.debug" "$name")
  local out="$root/dist/$name"
  chmod 644 "$staging/$name.debug"
  mv -f "$staging/$name.debug" "$out.debug"
  mv -f "$staging/$name" "$out"
  rmdir "$staging"
  echo "dist: $(du -h "$out" | cut -f1) $out" >&2
}

for arch in "${arches[@]}"; do
  build_arch "$arch"
done
(cd "$root/dist" && for arch in "${arches[@]}"; do sha256sum "stacks-runner-linux-$arch"; done)
