# shellcheck shell=bash
# Installs what stacks-runner needs from Debian 12 packages (and, for the tests, the pinned npm
# packages in tests/cfn-spec). Only missing packages are installed; a machine that has them all
# is not touched. Sourced by ./run, which sets $root to the repository.

# Packages needed to build the binary.
DEPS_BUILD=(
  cmake g++ ninja-build ccache pkg-config
  nlohmann-json3-dev libcli11-dev libssl-dev libpugixml-dev
  libboost1.74-dev
)

# Packages needed to run the whole test suite, in addition to the build packages.
DEPS_TEST=(
  libgtest-dev libgmock-dev python3 python3-botocore libtomlplusplus-dev openssl
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

deps__missing() {
  local pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q '^install ok installed$'; then
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
}

# deps_install build|test
deps_install() {
  case "$1" in
    build) deps__apt "${DEPS_BUILD[@]}" ;;
    test)
      deps__apt "${DEPS_BUILD[@]}" "${DEPS_TEST[@]}"
      deps__node
      ;;
  esac
}
