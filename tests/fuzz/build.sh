#!/bin/sh
# Configures (once) and builds the fuzz targets and their seed corpora in
# a build directory of their own, with clang, libFuzzer, ASan and UBSan:
#   tests/fuzz/build.sh [BUILDDIR]      (default: build-fuzz at the top)
# FUZZ_CC names the compiler (default clang); JOBS the make jobs (2).
# Then run them: make -C BUILDDIR fuzz FUZZ_SECONDS=600
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:-$top/build-fuzz}
cc=${FUZZ_CC:-clang}

[ -x "$top/configure" ] || (cd "$top" && autoreconf -fi >/dev/null 2>&1)
mkdir -p "$dir"
cd "$dir"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
    "$top/configure" -q --enable-fuzzing CC="$cc"
fi
make -s -j"${JOBS:-2}" fuzz-targets fuzz-corpus
