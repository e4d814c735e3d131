#!/bin/sh
# Installs the Debian packages the build and the tests need.
#   scripts/install-deps.sh          the build (scripts/run-example)
#   scripts/install-deps.sh test     also the tests (scripts/run-tests)
#   scripts/install-deps.sh e2e      also what the real-Xen e2e tests need
set -eu

# the build: the program, its man pages (pod2man, in perl), its completion
pkgs="build-essential autoconf automake pkg-config autoconf-archive
      libxen-dev libfdt-dev device-tree-compiler libyajl-dev perl"
case ${1:-} in
test|e2e)
    # make check (check), the totals (python3); clang and its
    # compiler-rt build the libFuzzer targets that make check runs for a
    # few seconds each (tests/fuzz), configure skips them without; the
    # install and package checks of tests/package (bash-completion,
    # man-db and col for the man pages, debhelper, lintian, git)
    pkgs="$pkgs check libsubunit-dev python3 clang libclang-rt-dev
          bash-completion man-db bsdextrautils debhelper lintian git"
    ;;
esac
if [ "${1:-}" = e2e ]; then
    pkgs="$pkgs qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
          libc6-dev-arm64-cross cpio flex bison autotools-dev acpica-tools checkpolicy
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
