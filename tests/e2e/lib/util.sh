# Shared helpers of the e2e driver (sourced by run.sh; bash).
#
# Steps: every step is a shell function run by `step NAME FUNC` in a
# subshell with errexit on, its output in $W/logs/NAME.log.  A step
# that fails stops the run with its name and the tail of its log.
# Steps pass results to later steps through files at fixed paths
# under $W, never through shell variables.

log()
{
    printf '[%s] %s\n' "$(date +%T)" "$*"
}

# Prints what a failed run must print last, then exits 1.
die_step()
{
    local name=$1 why=$2

    echo "FAIL e2e-step-$name: $why"
    echo "0 passed, 1 failed"
    exit 1
}

E2E_T0=$(date +%s)

step()
{
    local name=$1 fn=$2 t rc

    t=$(date +%s)
    log "step $name ..."
    set +e
    (
        set -euo pipefail
        "$fn"
    ) >"$W/logs/$name.txt" 2>&1 </dev/null
    rc=$?
    set -e
    local now
    now=$(date +%s)
    if [ $rc -ne 0 ]; then
        log "step $name FAILED (exit $rc) after $((now - t))s; last lines of $W/logs/$name.txt:"
        tail -n 30 "$W/logs/$name.txt" | sed 's/^/    /'
        local why
        why=$(sed -n 's/^e2e: //p' "$W/logs/$name.txt" | tail -n 1)
        die_step "$name" "${why:-exit $rc, see $W/logs/$name.txt}"
    fi
    log "step $name done in $((now - t))s (total $((now - E2E_T0))s)"
    echo "$name $((now - t))" >>"$W/logs/timings"
}

# Inside a step: explain the failure in one line (shown in the FAIL
# line of the run) and fail.
fail()
{
    echo "e2e: $*" >&2
    exit 1
}

# sha256 of stdin, hex only.
sha_stdin()
{
    sha256sum | cut -c1-16
}

# Content hash of a directory tree (paths and contents), "-" if absent.
sha_tree()
{
    local dir=$1

    [ -d "$dir" ] || { echo -; return; }
    (cd "$dir" && find . -type f ! -name '*~' -print0 | LC_ALL=C sort -z |
        xargs -0 -r sha256sum) | sha_stdin
}

# Cache: XLS_E2E_CACHE/<kind>/<key>/ holds one product, complete when
# it has the file .complete.  Without XLS_E2E_CACHE nothing is cached.
cache_dir()
{
    local kind=$1 key=$2

    [ -n "${XLS_E2E_CACHE:-}" ] || return 1
    echo "$XLS_E2E_CACHE/$kind/$key"
}

cache_hit()
{
    local d

    d=$(cache_dir "$1" "$2") || return 1
    [ -f "$d/.complete" ]
}

# cache_store KIND KEY SRC: copies directory SRC into the cache, made
# visible only once complete (copy to a temporary name, then rename).
cache_store()
{
    local kind=$1 key=$2 src=$3 d tmp

    d=$(cache_dir "$kind" "$key") || return 0
    tmp=$d.tmp.$$
    rm -rf "$tmp"
    mkdir -p "$tmp"
    cp -a "$src/." "$tmp/"
    touch "$tmp/.complete"
    rm -rf "$d"
    # -T: should a concurrent run have stored it meanwhile, keep theirs.
    if mv -T "$tmp" "$d" 2>/dev/null; then
        echo "cached $kind/$key"
    else
        rm -rf "$tmp"
    fi
}

# Size of a file as 0x hex.
hexsize()
{
    printf '0x%x' "$(stat -c %s "$1")"
}

# Rounds $1 up to a multiple of $2 (both integers, any base bash reads).
align_up()
{
    echo $(( ($1 + $2 - 1) / $2 * $2 ))
}
