#!/bin/sh
# Part of make check when configure found a clang that links libFuzzer:
# builds the fuzz targets in $top_builddir/fuzz-build (tests/fuzz/build.sh)
# and runs each for FUZZ_SMOKE_SECONDS (default 5) on its seeds and the
# corpus earlier runs left, with a fixed seed (FUZZ_SEED, default 1) so
# that a run can be repeated.  A finding fails the test.
# Ends with "N passed, N failed".
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
dir=$top_builddir/fuzz-build

# The nested make cannot join make check's job server: run it alone.
unset MAKEFLAGS MFLAGS MAKELEVEL
if ! JOBS=1 FUZZ_CC=${FUZZ_CC:-clang} "$top_srcdir/tests/fuzz/build.sh" \
        "$dir" >"$top_builddir/tests/fuzz/smoke-build.out" 2>&1; then
    tail -30 "$top_builddir/tests/fuzz/smoke-build.out"
    echo "FAIL: building the fuzz targets"
    echo "0 passed, 1 failed"
    exit 1
fi
cd "$dir" &&
    FUZZ_SECONDS=${FUZZ_SMOKE_SECONDS:-5} FUZZ_SEED=${FUZZ_SEED:-1} \
        "$top_srcdir/tests/fuzz/run.sh" \
        "$top_srcdir"
