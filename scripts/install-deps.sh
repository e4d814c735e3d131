#!/bin/sh
# Installs the Debian packages the build and the tests need.
#   scripts/install-deps.sh          build + unit/CLI tests
#   scripts/install-deps.sh e2e      also what the real-Xen e2e tests need
set -eu

# clang and its compiler-rt build the libFuzzer targets that make check
# runs for a few seconds each (tests/fuzz); configure skips them without
pkgs="build-essential autoconf automake pkg-config autoconf-archive
      libxen-dev libfdt-dev device-tree-compiler libyajl-dev
      check libsubunit-dev python3 clang libclang-rt-dev"
if [ "${1:-}" = e2e ]; then
    pkgs="$pkgs qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
          libc6-dev-arm64-cross cpio flex bison autotools-dev acpica-tools
          dpkg-dev bc xz-utils"
fi

missing=
for p in $pkgs; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
    echo "install-deps: need root to install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing >/dev/null
