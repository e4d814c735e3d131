#!/bin/sh
# Configures and builds the tree in ./build (out of source).
#   scripts/build.sh [configure options...]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] || autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
mkdir -p build
cd build
# configure again when packages changed since (scripts/run-example
# installs fewer than scripts/run-tests: check and clang come later)
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ] || [ $# -gt 0 ] ||
   [ /var/lib/dpkg/status -nt Makefile ]; then
    ../configure -q "$@"
fi
make -s -j"${JOBS:-2}"
