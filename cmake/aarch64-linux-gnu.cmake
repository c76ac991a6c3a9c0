# Cross-compiling for aarch64 (AWS Graviton) on Debian with its cross toolchain and multiarch
# libraries, no sysroot:
#   apt-get install g++-aarch64-linux-gnu          (crossbuild-essential-arm64)
#   dpkg --add-architecture arm64 && apt-get update
#   apt-get install libssl-dev:arm64 libpugixml-dev:arm64
# The cross compiler finds the arm64 headers and libraries in /usr/include/aarch64-linux-gnu and
# /usr/lib/aarch64-linux-gnu itself; CMake's find_* look in <prefix>/lib/aarch64-linux-gnu (and
# never in .../x86_64-linux-gnu). The header-only dependencies (nlohmann-json, CLI11: arch "all";
# Boost 1.74: its amd64 headers, found by FindBoost) are shared with the native build.
# Used by scripts/dist.sh (`make dist`).

set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(STACKS_RUNNER_CROSS_TRIPLET aarch64-linux-gnu)
set(CMAKE_C_COMPILER ${STACKS_RUNNER_CROSS_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${STACKS_RUNNER_CROSS_TRIPLET}-g++)
set(CMAKE_LIBRARY_ARCHITECTURE ${STACKS_RUNNER_CROSS_TRIPLET})

# FindOpenSSL asks pkg-config first and searches its answer before anything else: make it read
# the arm64 .pc files, or it hands back the amd64 libssl.a.
set(ENV{PKG_CONFIG_LIBDIR}
    "/usr/lib/${STACKS_RUNNER_CROSS_TRIPLET}/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")

# Programs (code generators, if any) are the build machine's; packages and libraries the
# target's. No CMAKE_FIND_ROOT_PATH: Debian's multiarch layout shares /usr with the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
