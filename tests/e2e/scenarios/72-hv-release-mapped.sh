# Scenario 72: releasing an extent while dom0 maps one of its frames
# (issue 13, findings 2, 3 and 6).  With the mapping held, the release
# is refused with EBUSY and nothing changes; once it is gone, the release
# succeeds.  Then rounds that race a new foreign mapping against the
# release: a release may only succeed if the mapping never existed
# (a frame freed while still mapped would be a frame of the pool that
# dom0 can read after the next claim), and the pool is whole after each.
. /e2e/lib.sh

ROUNDS=${E2E_RACE_ROUNDS:-10}
MFN=0x74000
NR=0x100
GFN=0x90000
KIB=$(e2e_kib $NR)

e2e_destroy_at_exit hm1

if ! id=$(e2e_new_paused hm1 $KIB); then
    e2e_fail hv.release-while-mapped "setup: $(tail -n 1 /tmp/hm1.create)"
    exit 0
fi

# wait_held FILE: until hvtool hold has printed HELD (or failed).
wait_held()
{
    _i=0
    while [ $_i -lt 100 ]; do
        grep -q "HELD\|ERR" "$1" 2>/dev/null && return 0
        usleep 100000
        _i=$((_i + 1))
    done
    return 1
}

out=$(hvtool claim "$id" $MFN $GFN $NR 2>&1)
if [ "$out" != OK ]; then
    e2e_fail hv.release-while-mapped "claim: $out"
    exit 0
fi
: >/tmp/h72.out
hvtool hold "$id" $((GFN + 0x10)) 8 >/tmp/h72.out 2>&1 &
hpid=$!
wait_held /tmp/h72.out
# The entries, not the generation: a refused release marked the extent
# for a moment, and the generation says so.
hvtool query 2>&1 | grep -v '^# generation' >/tmp/before72.out
rel=$(hvtool release "$id" $MFN $NR 2>&1)
hvtool query 2>&1 | grep -v '^# generation' >/tmp/after72.out
if ! grep -q HELD /tmp/h72.out; then
    e2e_fail hv.release-while-mapped "dom0 could not map the frame: $(cat /tmp/h72.out)"
else
    case "$rel" in
    "ERR EBUSY "*)
        if cmp -s /tmp/before72.out /tmp/after72.out &&
           grep -qx "owned $MFN $NR $id $GFN pool" /tmp/after72.out; then
            e2e_pass hv.release-while-mapped "$rel"
        else
            diff /tmp/before72.out /tmp/after72.out
            e2e_fail hv.release-while-mapped "refused, but the query changed"
        fi
        ;;
    *) e2e_fail hv.release-while-mapped "want EBUSY, got '$rel'" ;;
    esac
fi
wait $hpid
rel=$(hvtool release "$id" $MFN $NR 2>&1)
if [ "$rel" = OK ] && e2e_pool_whole; then
    e2e_pass hv.release-after-unmap "$rel"
else
    e2e_fail hv.release-after-unmap "release once the mapping is gone: $rel"
fi

# The race: a mapping made while the release runs.
r=0
fails=0
ok=0
busy=0
while [ $r -lt "$ROUNDS" ] && [ $fails -eq 0 ]; do
    r=$((r + 1))
    out=$(hvtool claim "$id" $MFN $GFN $NR 2>&1)
    if [ "$out" != OK ]; then
        e2e_fail hv.release-race-map "round $r: claim: $out"
        fails=1
        break
    fi
    : >/tmp/h72.out
    hvtool hold "$id" $((GFN + r)) 2 >/tmp/h72.out 2>&1 &
    hpid=$!
    [ $((r % 2)) -eq 0 ] && usleep $((r * 5000))
    rel=$(hvtool release "$id" $MFN $NR 2>&1)
    wait $hpid
    case "$rel" in
    OK)
        if grep -q HELD /tmp/h72.out; then
            # Held before or during the release, or mapped after it:
            # either way a mapped frame went back to the pool.
            e2e_fail hv.release-race-map "round $r: released while dom0 held a mapping"
            fails=1
        fi
        ok=$((ok + 1))
        ;;
    "ERR EBUSY "*)
        busy=$((busy + 1))
        rel=$(hvtool release "$id" $MFN $NR 2>&1)
        if [ "$rel" != OK ]; then
            e2e_fail hv.release-race-map "round $r: release after EBUSY: $rel"
            fails=1
        fi
        ;;
    *)
        e2e_fail hv.release-race-map "round $r: release: $rel"
        fails=1
        ;;
    esac
    if ! e2e_pool_whole; then
        e2e_fail hv.release-race-map "round $r: the pool is not whole"
        fails=1
    fi
done
if [ $fails -eq 0 ]; then
    e2e_pass hv.release-race-map "$ROUNDS rounds: $ok released, $busy refused while mapped"
fi
