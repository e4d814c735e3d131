# Scenario 75: a direct-mapped domain maps its own frame again while its
# extent is released (issue 13, finding 2).  A domain with RAM-only
# direct map (XEN_DOMCTL_CDF_static_directmap) owns an extent at gfn ==
# mfn; one frame of it is unmapped (decrease_reservation: a 1:1 domain
# keeps the frame); then populate_physmap, which maps a 1:1 domain's own
# frame back at gfn == mfn, races the release of the extent.  Whatever
# the order, once the release succeeds nothing of the extent is mapped
# in the domain any more (a frame freed while mapped would be a frame of
# the pool the domain can still reach), and the pool is whole.
. /e2e/lib.sh

ROUNDS=${E2E_RACE_ROUNDS:-10}
MFN=0x74000
NR=0x100

out=$(hvtool dm-domain 2>&1)
case "$out" in
"OK "*) dm=${out#OK } ;;
*)
    e2e_fail hv.release-race-populate "setup: a direct-mapped domain: $out"
    exit 0
    ;;
esac
cleanup()
{
    hvtool destroy "$dm" >/dev/null 2>&1
}
trap cleanup EXIT

if [ "$(hvtool maxmem "$dm" $((NR * 4 + 1024)))" != OK ]; then
    e2e_fail hv.release-race-populate "setup: max_mem of d$dm"
    exit 0
fi

r=0
fails=0
stats=
while [ $r -lt "$ROUNDS" ] && [ $fails -eq 0 ]; do
    r=$((r + 1))
    k=$(printf '0x%x' $((MFN + r * 7)))
    out=$(hvtool claim "$dm" $MFN $MFN $NR 2>&1)
    if [ "$out" != OK ]; then
        e2e_fail hv.release-race-populate "round $r: claim: $out"
        fails=1
        break
    fi
    out=$(hvtool decrease "$dm" "$k" 2>&1)
    if [ "$out" != OK ]; then
        e2e_fail hv.release-race-populate "round $r: decrease_reservation of $k: $out"
        fails=1
        break
    fi

    if [ $((r % 2)) -eq 1 ]; then
        hvtool populate "$dm" "$k" >/tmp/p75.out 2>&1 &
        usleep $(( (r % 4) * 10000 ))
        rel=$(hvtool release "$dm" $MFN $NR 2>&1)
    else
        (usleep $(( (r % 4) * 10000 )); hvtool populate "$dm" "$k" >/tmp/p75.out 2>&1) &
        rel=$(hvtool release "$dm" $MFN $NR 2>&1)
    fi
    wait
    pop=$(tail -n 1 /tmp/p75.out)
    case "$rel" in
    OK) ;;
    "ERR EBUSY "*)
        # The populate held the frame: the extent is still the domain's.
        rel=$(hvtool release "$dm" $MFN $NR 2>&1)
        ;;
    esac
    if [ "$rel" != OK ]; then
        e2e_fail hv.release-race-populate "round $r: release: $rel"
        fails=1
        break
    fi
    stats="$stats ${pop%% *}"

    # Released: no frame of the extent is mapped in the domain.
    for g in $MFN "$k" $(printf '0x%x' $((MFN + NR - 1))); do
        out=$(hvtool check "$dm" "$g" 1 0 2>&1)
        case "$out" in
        "ERR "*) ;;
        *)
            e2e_fail hv.release-race-populate "round $r: gfn $g still mapped after the release ($out; populate: $pop)"
            fails=1
            ;;
        esac
    done
    if ! e2e_pool_whole; then
        e2e_fail hv.release-race-populate "round $r: the pool is not whole"
        fails=1
    fi
done

if [ $fails -eq 0 ]; then
    e2e_pass hv.release-race-populate "$ROUNDS rounds, populate answered:$stats"
fi
