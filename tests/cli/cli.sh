#!/bin/sh
# Golden tests of the xl-static command line: runs every case of
# tests/cli/cases on the fixtures and compares stdout and stderr with
# tests/cli/golden (diff -u) and the exit status with the expected one.
# Ends with "N passed, N failed"; exits 1 when a case failed.
# Environment (set by make check): top_srcdir, top_builddir.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/result.sh"

setup_inputs || { echo "0 passed, 1 failed"; exit 1; }

check_case() {
    name=$1
    want=$2
    shift 2
    run_case "$name" "$@"
    if golden_diff "$golden" "$name" "$want" "$(cat "$work/$name.status")" \
        tests/cli/update-golden.sh; then
        echo "PASS: $name"
        echo pass >>"$work/results"
    else
        echo "FAIL: $name"
        echo fail >>"$work/results"
    fi
}

: >"$work/results"
for_each_case check_case

passed=$(grep -c '^pass$' "$work/results")
failed=$(grep -c '^fail$' "$work/results")
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" != 0 ]
