# Shared by cli.sh and update-golden.sh (sourced, not run).
# Needs top_srcdir and top_builddir; sets up the inputs and defines
# run_case NAME COMMAND..., which leaves the case's stdout, stderr and
# exit status in $work/NAME.{out,err,status}.

cli_src=$top_srcdir/tests/cli
fixtures=$cli_src/fixtures
golden=$cli_src/golden
xls=$top_builddir/xl-static
host_dtb=$top_builddir/tests/cli/fixtures/host.dtb
conflict_dtb=$top_builddir/tests/cli/fixtures/host-conflict.dtb
work=$top_builddir/tests/cli/work

setup_inputs() {
    if [ ! -x "$xls" ]; then
        echo "cli: $xls is not built" >&2
        return 1
    fi
    for f in "$host_dtb" "$conflict_dtb"; do
        if [ ! -f "$f" ]; then
            echo "cli: $f is not built (make check builds it)" >&2
            return 1
        fi
    done
    rm -rf "$work"
    mkdir -p "$work" || return 1
    # A header whose magic is wrong, and a blob cut short.
    cp "$host_dtb" "$work/corrupt.dtb" &&
        printf 'XXXX' | dd of="$work/corrupt.dtb" bs=1 seek=0 conv=notrunc \
            2>/dev/null &&
        head -c 200 "$host_dtb" >"$work/truncated.dtb"
}

# Paths of this machine never reach the golden files.
sanitize() {
    sed -e "s|$work|@WORK@|g" -e "s|$top_builddir|@BUILDDIR@|g" \
        -e "s|$top_srcdir|@SRCDIR@|g"
}

# The placeholders of the cases file, replaced in one argument.
subst() {
    printf '%s' "$1" | sed -e "s|@XLS@|$xls|g" \
        -e "s|@HOST@|$host_dtb|g" -e "s|@CONFLICT@|$conflict_dtb|g" \
        -e "s|@CORRUPT@|$work/corrupt.dtb|g" \
        -e "s|@TRUNC@|$work/truncated.dtb|g" \
        -e "s|@NOFILE@|$work/no-such.dtb|g" \
        -e "s|@IB@|$top_builddir/tests/cli/fixtures/ib|g"
}

run_case() {
    name=$1
    shift
    cmd=
    for arg in "$@"; do
        case $arg in
        *@*) arg=$(subst "$arg") ;;
        esac
        cmd="$cmd '$arg'"
    done
    (
        cd "$fixtures" || exit 99
        unset XL_STATIC_HOST_DTB
        # an empty registry, never the machine's /var/lib/xen/static-mem
        XL_STATIC_STATE_DIR=$work/no-state-dir
        export XL_STATIC_STATE_DIR
        eval "$cmd" </dev/null >"$work/$name.raw.out" 2>"$work/$name.raw.err"
    )
    echo $? >"$work/$name.status"
    sanitize <"$work/$name.raw.out" >"$work/$name.out"
    sanitize <"$work/$name.raw.err" >"$work/$name.err"
}

# Calls "$1 NAME STATUS COMMAND..." for every line of the cases file.
for_each_case() {
    fn=$1
    # shellcheck disable=SC2086
    grep -v -e '^#' -e '^[[:space:]]*$' "$cli_src/cases" |
    while read -r line; do
        set -f
        set -- $line
        set +f
        "$fn" "$@"
    done
}
