# Scenario 71: two claimants of the same frames at the same time (issue
# 13, finding 1).  Each round two paused domains claim a large extent
# at once, the same range or one overlapping it by half; exactly one
# wins, the other gets EBUSY, the query shows the winner's extent and
# no other, and the winner's release gives every frame back.
. /e2e/lib.sh

ROUNDS=${E2E_RACE_ROUNDS:-12}
MFN=0x74000     # 0x74000000, inside the pool
NR=0x2000       # 32 MiB
HALF=0x1000
GFN=0x90000
KIB=$(e2e_kib $NR)

e2e_destroy_at_exit hda hdb

if ! a=$(e2e_new_paused hda $KIB) || ! b=$(e2e_new_paused hdb $KIB); then
    e2e_fail hv.race-double-claim "setup: $(tail -qn 1 /tmp/hda.create /tmp/hdb.create 2>/dev/null)"
    exit 0
fi

r=0
fails=0
wa=0
wb=0
while [ $r -lt "$ROUNDS" ] && [ $fails -eq 0 ]; do
    r=$((r + 1))
    # Odd rounds: the same range; even rounds: b's starts half-way in.
    mb=$MFN
    [ $((r % 2)) -eq 0 ] && mb=$(printf '0x%x' $((MFN + HALF)))
    if [ $((r % 4)) -lt 2 ]; then
        hvtool claim "$a" $MFN $GFN $NR >/tmp/a71.out 2>&1 &
        hvtool claim "$b" "$mb" $GFN $NR >/tmp/b71.out 2>&1 &
    else
        hvtool claim "$b" "$mb" $GFN $NR >/tmp/b71.out 2>&1 &
        hvtool claim "$a" $MFN $GFN $NR >/tmp/a71.out 2>&1 &
    fi
    wait
    oa=$(tail -n 1 /tmp/a71.out)
    ob=$(tail -n 1 /tmp/b71.out)
    case "$oa/$ob" in
    "OK/ERR EBUSY "*) win=$a; wm=$MFN; wa=$((wa + 1)) ;;
    "ERR EBUSY "*/OK) win=$b; wm=$mb; wb=$((wb + 1)) ;;
    *)
        e2e_fail hv.race-double-claim "round $r: want one OK and one EBUSY, got '$oa' and '$ob'"
        fails=1
        break
        ;;
    esac

    hvtool query >/tmp/q71.out 2>&1
    n=$(grep -c "^owned .* pool" /tmp/q71.out)
    if [ "$n" != 1 ] || ! grep -qx "owned $wm $NR $win $GFN pool" /tmp/q71.out; then
        sed 's/^/[71] /' /tmp/q71.out
        e2e_fail hv.race-double-claim "round $r: want only d$win's extent at $wm, the query has $n"
        fails=1
        break
    fi

    out=$(hvtool release "$win" "$wm" $NR 2>&1)
    if [ "$out" != OK ]; then
        e2e_fail hv.race-double-claim "round $r: release: $out"
        fails=1
        break
    fi
    if ! e2e_pool_whole; then
        e2e_fail hv.race-double-claim "round $r: the pool is not whole after the release"
        fails=1
    fi
done

if [ $fails -eq 0 ]; then
    e2e_pass hv.race-double-claim "$ROUNDS rounds, d$a won $wa, d$b won $wb"
fi
