# shellcheck shell=bash
# Installs what stacks-runner needs from Debian 12 packages (and, for the tests, the pinned npm
# packages in tests/cfn-spec and tests/cdk-nag). Only missing packages are installed; a machine that has them all
# is not touched. Sourced by ./run, which sets $root to the repository.

# Packages needed to build the binary.
DEPS_BUILD=(
  cmake g++ make ninja-build ccache pkg-config
  nlohmann-json3-dev libcli11-dev libssl-dev libpugixml-dev libarchive-dev
  libboost1.74-dev libsecp256k1-dev
  libzstd-dev zlib1g-dev
)

# Packages needed to run the whole test suite, in addition to the build packages.
DEPS_TEST=(
  libgtest-dev libgmock-dev python3 python3-botocore libtomlplusplus-dev openssl
  shellcheck systemd libfaketime
  nginx-light zstd wget curl
)

# Packages needed by `make dist` (scripts/dist.sh), in addition to the build packages: Debian's
# cross compiler for aarch64 (Graviton) and the arm64 static libraries, from dpkg's arm64
# architecture (deps_install dist adds it). The header-only libraries serve both architectures:
# nlohmann-json3-dev and libcli11-dev are Architecture: all (Multi-Arch: foreign), and the
# headers of the amd64 libboost1.74-dev (Multi-Arch: same) are those of arm64 too.
# The static link also needs the static libraries that libarchive depends on, for both.
DEPS_DIST=(
  g++-aarch64-linux-gnu binutils-aarch64-linux-gnu
  libssl-dev:arm64 libpugixml-dev:arm64 libarchive-dev:arm64 libsecp256k1-dev:arm64
  zlib1g-dev libbz2-dev liblzma-dev libzstd-dev liblz4-dev nettle-dev libacl1-dev
  zlib1g-dev:arm64 libbz2-dev:arm64 liblzma-dev:arm64 libzstd-dev:arm64 liblz4-dev:arm64
  nettle-dev:arm64 libacl1-dev:arm64
)

# Packages needed by the dist tests (tests/dist), in addition to the dist packages: a Debian 11
# root (debootstrap) to run the x86_64 binary in, qemu-user for the arm64 one, ELF tools.
DEPS_DIST_TEST=(
  debootstrap qemu-user file binutils strace
)

deps__sudo() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    echo "run: installing packages needs root: run as root or install sudo" >&2
    return 1
  fi
}

# The packages not installed, of those given as NAME (the native architecture's, or arch "all")
# or NAME:ARCH. dpkg-query lists every architecture's instance of a Multi-Arch: same package.
deps__missing() {
  local pkg arch native status
  native=$(dpkg --print-architecture)
  for pkg in "$@"; do
    arch=$native
    [[ $pkg == *:* ]] && arch=${pkg#*:}
    status=$(dpkg-query -W -f='${Status} ${Architecture}\n' "$pkg" 2>/dev/null || true)
    if ! grep -qE "^install ok installed ($arch|all)\$" <<<"$status"; then
      printf '%s\n' "$pkg"
    fi
  done
}

deps__apt() {
  local missing
  mapfile -t missing < <(deps__missing "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "run: installing ${missing[*]}" >&2
  deps__sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
  deps__sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
    "${missing[@]}" >/dev/null
}

# Adds a foreign architecture to dpkg once; deps__apt then finds its packages missing, updates
# the package lists (once) and installs them.
deps__foreign_arch() {
  if ! dpkg --print-foreign-architectures | grep -qx "$1"; then
    echo "run: adding the $1 architecture to dpkg (arm64 libraries for the cross build)" >&2
    deps__sudo dpkg --add-architecture "$1"
  fi
}

deps__node() {
  # Any Node.js >= 18 with npm will do (Debian 12 ships 18); install Debian's when there is none.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    deps__apt nodejs npm
  fi
  local cfn_spec="${root:?}/tests/cfn-spec"
  if [ ! -f "$cfn_spec/node_modules/.package-lock.json" ] ||
    ! cmp -s "$cfn_spec/package-lock.json" "$cfn_spec/.installed-lock.json" 2>/dev/null; then
    echo "run: installing the pinned CloudFormation resource specification (npm ci)" >&2
    (cd "$cfn_spec" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$cfn_spec/package-lock.json" "$cfn_spec/.installed-lock.json"
  fi
  # The real cdk-nag (2.x) and aws-cdk-lib, pinned, for tests/cdk-nag.
  local cdk_nag="${root:?}/tests/cdk-nag"
  if [ ! -f "$cdk_nag/node_modules/.package-lock.json" ] ||
    ! cmp -s "$cdk_nag/package-lock.json" "$cdk_nag/.installed-lock.json" 2>/dev/null; then
    echo "run: installing the pinned cdk-nag and aws-cdk-lib (npm ci)" >&2
    (cd "$cdk_nag" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    cp "$cdk_nag/package-lock.json" "$cdk_nag/.installed-lock.json"
  fi
}

# deps_install build|dist|test
deps_install() {
  case "$1" in
    build) deps__apt "${DEPS_BUILD[@]}" ;;
    dist)
      deps__foreign_arch arm64
      deps__apt "${DEPS_BUILD[@]}" "${DEPS_DIST[@]}"
      ;;
    test)
      deps__foreign_arch arm64
      deps__apt "${DEPS_BUILD[@]}" "${DEPS_TEST[@]}" "${DEPS_DIST[@]}" "${DEPS_DIST_TEST[@]}"
      deps__node
      ;;
  esac
}
