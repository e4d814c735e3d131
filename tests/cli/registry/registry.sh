#!/bin/sh
# Golden tests of the registry as the commands use it: release, create
# (-n, and the real path with a fake xl: fake-xl/xl, first in PATH for
# every case), and check, plan and static-mem-list reading the
# reservations.  Every case of tests/cli/registry/cases runs in a fresh
# state directory seeded with a registry file (and the lock file).
# Compared: stdout and stderr with golden/NAME.out and golden/NAME.err
# (empty when absent), the exit status, and the state directory
# afterwards (its file names and registry bytes) with golden/NAME.state,
# or, when that file does not exist, with the state directory as it was
# before the command: "nothing changed" is checked byte for byte.
#   registry.sh            run the cases; ends with "N passed, N failed"
#   registry.sh --update   rewrite golden/ from the current xl-static
# Environment: top_srcdir and top_builddir (make check sets them; for
# --update they default to this tree and its ./build).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../../.." && pwd)}
top_builddir=${top_builddir:-$top_srcdir/build}
# canonical, so that sanitize() finds them in messages ("build/.." too)
top_srcdir=$(cd "$top_srcdir" && pwd -P) || exit 2
top_builddir=$(cd "$top_builddir" && pwd -P) || exit 2
src=$top_srcdir/tests/cli/registry
golden=$src/golden
xls=$top_builddir/xl-static
host=$top_builddir/tests/cli/registry/host.dtb
work=$top_builddir/tests/cli/registry/work
. "$top_srcdir/tests/cli/result.sh"

update=0
[ "${1:-}" = --update ] && update=1
if [ $update = 1 ]; then
    make -s -C "$top_builddir" xl-static tests/cli/registry/host.dtb || exit 2
fi
for f in "$xls" "$host"; do
    if [ ! -e "$f" ]; then
        echo "registry.sh: $f is not built (make check builds it)" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
done
rm -rf "$work"
mkdir -p "$work" "$golden" || exit 2

# Paths of this machine never reach the golden files.  The fake xl
# first: in a build in the source tree (a Debian package build) the
# build directory is the source directory.
sanitize() {
    sed -e "s|$1|@STATE@|g" -e "s|$work|@WORK@|g" \
        -e "s|$src/fake-xl|@SRCDIR@/tests/cli/registry/fake-xl|g" \
        -e "s|$top_builddir|@BUILDDIR@|g" -e "s|$top_srcdir|@SRCDIR@|g"
}

# What a state directory holds: its file names, then the registry bytes.
state_view() {
    echo "files: $(cd "$1" && ls -A | tr '\n' ' ')"
    if [ -f "$1/reservations.json" ]; then
        cat "$1/reservations.json"
    else
        echo "(no registry file)"
    fi
}

passed=0
failed=0
case_timeout=${REGISTRY_CASE_TIMEOUT:-60}

run_case() {
    name=$1
    want=$2
    seed=$3
    shift 3
    state=$work/$name.state
    mkdir -p "$state" || exit 2
    # a seeded directory has been used by a writer: it has the lock file
    if [ "$seed" != - ]; then
        cp "$src/seed/$seed.json" "$state/reservations.json" &&
            : >"$state/reservations.lock" || exit 2
    fi
    state_view "$state" >"$work/$name.before"

    cmd=
    for arg in "$@"; do
        arg=$(printf '%s' "$arg" | sed -e "s|@XLS@|$xls|g" \
              -e "s|@HOST@|$host|g" -e "s|@STATE@|$state|g" \
              -e "s|@FAKEDIR@|$src/fake-xl|g")
        cmd="$cmd '$arg'"
    done
    (
        cd "$src/cfg" || exit 99
        unset XL_STATIC_HOST_DTB XL_STATIC_STATE_DIR XL_STATIC_XL FAKE_XL
        # never a real xl: a case that wants none sets PATH itself
        PATH=$src/fake-xl:$PATH
        export PATH
        # a deadlock fails the case (124)
        eval "timeout $case_timeout $cmd"
    ) </dev/null >"$work/$name.raw.out" 2>"$work/$name.raw.err"
    got=$?
    sanitize "$state" <"$work/$name.raw.out" >"$work/$name.out"
    sanitize "$state" <"$work/$name.raw.err" >"$work/$name.err"
    state_view "$state" >"$work/$name.after"

    if [ $update = 1 ]; then
        cp "$work/$name.out" "$golden/$name.out"
        if [ -s "$work/$name.err" ]; then
            cp "$work/$name.err" "$golden/$name.err"
        else
            rm -f "$golden/$name.err"
        fi
        if cmp -s "$work/$name.before" "$work/$name.after"; then
            rm -f "$golden/$name.state"
        else
            cp "$work/$name.after" "$golden/$name.state"
        fi
        [ "$got" = "$want" ] ||
            echo "registry.sh: $name: exit status $got, cases says $want" >&2
        return
    fi

    ok=1
    golden_diff "$golden" "$name" "$want" "$got" "registry.sh --update" ||
        ok=0
    want_state=$golden/$name.state
    [ -f "$want_state" ] || want_state=$work/$name.before
    diff -u "$want_state" "$work/$name.after" || ok=0
    [ $ok = 1 ]
    result $? "$name"
}

while read -r line; do
    case $line in
    '#'* | '') continue ;;
    esac
    set -f
    # shellcheck disable=SC2086
    set -- $line
    set +f
    run_case "$@"
done <"$src/cases"

if [ $update = 1 ]; then
    echo "registry.sh: $(ls "$golden" | wc -l) files in" \
        "tests/cli/registry/golden"
    exit 0
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" != 0 ]
