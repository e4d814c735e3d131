#!/bin/sh
# Golden tests of the xl-static command line: runs every case of
# tests/cli/cases on the fixtures and compares stdout and stderr with
# tests/cli/golden (diff -u) and the exit status with the expected one.
# Ends with "N passed, N failed"; exits 1 when a case failed.
# Environment (set by make check): top_srcdir, top_builddir.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/cli/lib.sh"

setup_inputs || { echo "0 passed, 1 failed"; exit 1; }

check_case() {
    name=$1
    want=$2
    shift 2
    run_case "$name" "$@"
    ok=1
    got=$(cat "$work/$name.status")
    if [ "$got" != "$want" ]; then
        echo "$name: exit status $got, expected $want"
        ok=0
    fi
    if [ ! -f "$golden/$name.out" ]; then
        echo "$name: no golden/$name.out (run tests/cli/update-golden.sh)"
        ok=0
    elif ! diff -u "$golden/$name.out" "$work/$name.out"; then
        ok=0
    fi
    err_golden=$golden/$name.err
    [ -f "$err_golden" ] || err_golden=/dev/null
    if ! diff -u "$err_golden" "$work/$name.err"; then
        ok=0
    fi
    if [ $ok = 1 ]; then
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
