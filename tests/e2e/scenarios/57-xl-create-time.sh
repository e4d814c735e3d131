# The time of xl create (paused, so the build itself) for a 256 MiB
# direct-mapped domain whose RAM is a claimed static extent (the whole
# pool) beside a stock 256 MiB domain, in the same boot: a figure,
# printed as a ratio.
. /e2e/lib.sh

# Centiseconds since boot.
now() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# NAME CFG: prints the centiseconds xl create -p took, or nothing.
timed()
{
    _t0=$(now)
    xl create -p "$2" >/tmp/$1.out 2>&1 ||
        { sed "s/^/[time.$1] /" /tmp/$1.out >&2; return 1; }
    _t1=$(now)
    xl destroy "$1"
    echo $((_t1 - _t0))
}

stock=$(e2e_guest_cfg st7 "memory = 256")
static=$(e2e_guest_cfg ss7 "memory = 256" "direct_map = 1" \
         "static_mem = [\"${E2E_POOL%%:*}:256M\"]")
ts=$(timed st7 "$stock")
tx=$(timed ss7 "$static")
if [ -n "$ts" ] && [ -n "$tx" ] && [ "$ts" -gt 0 ]; then
    ratio=$(awk -v a="$tx" -v b="$ts" 'BEGIN { printf "%.2f", a / b }')
    e2e_pass time.create-ratio "static ${tx}0 ms / stock ${ts}0 ms = $ratio"
else
    e2e_fail time.create-ratio "a create failed (stock '$ts', static '$tx')"
fi
e2e_release ss7
