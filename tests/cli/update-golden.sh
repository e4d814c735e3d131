#!/bin/sh
# Regenerates tests/cli/golden from the current xl-static: review the
# result with `git diff tests/cli/golden` before committing it.
#   tests/cli/update-golden.sh [BUILDDIR]     (default: ./build)
# The expected exit statuses live in tests/cli/cases and are not
# changed; a case whose status differs is reported.
set -u
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
top_builddir=$(cd "${1:-$top_srcdir/build}" && pwd) || exit 2
. "$top_srcdir/tests/cli/lib.sh"

make -s -C "$top_builddir" xl-static tests/cli/fixtures/host.dtb \
    tests/cli/fixtures/host-conflict.dtb || exit 2
setup_inputs || exit 2

update_case() {
    name=$1
    want=$2
    shift 2
    run_case "$name" "$@"
    cp "$work/$name.out" "$golden/$name.out"
    if [ -s "$work/$name.err" ]; then
        cp "$work/$name.err" "$golden/$name.err"
    else
        rm -f "$golden/$name.err"
    fi
    got=$(cat "$work/$name.status")
    [ "$got" = "$want" ] ||
        echo "update-golden: $name: exit status $got, cases says $want" >&2
}

mkdir -p "$golden"
rm -f "$golden"/*.out "$golden"/*.err
for_each_case update_case
echo "update-golden: $(ls "$golden" | wc -l) files in tests/cli/golden"
