# The p2m of static domains against a stock one of the same size, from
# Xen's own statistics (debug key q): a static domain (static_mem, not
# 1:1), a chunked one (mem_chunk) and a 1:1 one (direct_map), each
# created paused next to nothing else, at 256 MiB (the pool at
# 0x70000000: 2 MiB aligned, not 1 GiB) and at 1 GiB (the pool at
# 0x100000000: 1 GiB aligned).  An extent whose gfn and mfn are both
# 1 GiB aligned must be one 1 GiB mapping, as stock populate_physmap()
# maps a superpage, and no static domain may have more 4 KiB mappings
# than the stock one of its size (perf.p2m-blocks).
#
# Then the scrubbing of a 1 GiB static domain's frames: not on the
# destroy path (hv.scrub-off-destroy), in the background
# (hv.scrub-background), and not again by a later claim
# (hv.scrub-claim-clean).
# e2e-timeout: 400
. /e2e/lib.sh

big=${E2E_POOL_BIG%%:*}
small=${E2E_POOL%%:*}

# NAME SIZE-MIB [CFG-LINE...]: creates NAME paused, prints "1G 2M 4K" of
# its p2m, destroys it and ends its reservation; nothing on failure.
p2m_of()
{
    _n=$1 _m=$2
    shift 2
    _cfg=$(e2e_guest_cfg "$_n" "memory = $_m" "$@")
    if ! xl create -p "$_cfg" >"/tmp/$_n.create" 2>&1; then
        sed "s/^/[p2m.$_n] /" "/tmp/$_n.create"
        return 1
    fi
    _id=$(xl domid "$_n")
    e2e_p2m "$_id"
    xl destroy "$_n"
    e2e_release "$_n"
}

fail=
detail=
# KIND SIZE-MIB NAME [CFG-LINE...]
measure()
{
    _k=$1 _m=$2 _n=$3
    shift 3
    _c=$(p2m_of "$_n" "$_m" "$@")
    if [ -z "$_c" ]; then
        fail="$fail; $_k ${_m}M: no figures"
        return
    fi
    echo "[p2m] $_k ${_m}M 1G/2M/4K: $_c"
    detail="$detail $_k-${_m}M=$(echo "$_c" | tr ' ' /)"
    eval "p2m_${_k}_$_m=\"\$_c\""
}

measure stock 256 pb1
measure static 256 pb2 "static_mem = [\"${small}:256M\"]"
measure chunked 256 pb3 "mem_chunk = 128"
measure directmap 256 pb4 "direct_map = 1" "static_mem = [\"${small}:256M\"]"
measure stock 1024 pb5
measure static 1024 pb6 "static_mem = [\"${big}:1G\"]"
measure directmap 1024 pb7 "direct_map = 1" "static_mem = [\"${big}:1G\"]"

# the 4 KiB mappings of each static kind against the stock one
for size in 256 1024; do
    eval "s=\${p2m_stock_$size:-}"
    [ -n "$s" ] || continue
    s4=${s##* }
    for kind in static chunked directmap; do
        eval "c=\${p2m_${kind}_$size:-}"
        [ -n "$c" ] || continue
        c4=${c##* }
        [ "$c4" -le "$s4" ] ||
            fail="$fail; $kind ${size}M has $c4 4K mappings, stock $s4"
    done
done
# the 1 GiB extents, aligned in both spaces, are one 1 GiB block each
for kind in static directmap; do
    eval "c=\${p2m_${kind}_1024:-}"
    [ -n "$c" ] || continue
    [ "${c%% *}" -ge 1 ] ||
        fail="$fail; $kind 1024M has no 1G mapping ($c)"
done
# 256 MiB at 0x70000000 is 128 blocks of 2 MiB
for kind in static directmap; do
    eval "c=\${p2m_${kind}_256:-}"
    [ -n "$c" ] || continue
    c2=$(echo "$c" | cut -d' ' -f2)
    [ "$c2" -ge 128 ] || fail="$fail; $kind 256M has $c2 2M mappings, want 128"
done
if [ -z "$fail" ]; then
    e2e_pass perf.p2m-blocks "1G/2M/4K:$detail"
else
    e2e_fail perf.p2m-blocks "${fail#; } (1G/2M/4K:$detail)"
fi

# Background scrubbing: the 1 GiB static domain again, destroyed while
# two busy loops keep both of dom0's vCPUs (so both physical CPUs) from
# idling: Xen's idle loop cannot run, so whatever the destroy freed is
# still queued after it (the destroy did not scrub it); created again at
# once, the claim scrubs those frames itself.  Destroyed again with the
# loops stopped, the queue empties by itself, and the next claim scrubs
# nothing.
spin() { sh -c 'while :; do :; done' & spins="$spins $!"; }
unspin() { [ -n "$spins" ] && kill $spins 2>/dev/null; wait $spins 2>/dev/null; spins=; }
spins=
trap unspin EXIT
frames=$((1 << 18))
cfg=$(e2e_guest_cfg pb8 "memory = 1024" "static_mem = [\"${big}:1G\"]")
if xl create -p "$cfg" >/tmp/pb8.create 2>&1; then
    spin
    spin
    xl destroy pb8
    queued=$(e2e_unscrubbed)
    xl dmesg -c >/dev/null
    if xl create -p "$cfg" >/tmp/pb8.create 2>&1; then
        fig=$(e2e_claim_figures pb8)
    else
        fig="create failed: $(tail -n 1 /tmp/pb8.create)"
    fi
    unspin
    echo "[scrub] queued after the destroy: $queued; claim at once us/scrubbed: $fig"
    # (Xen's idle loop may still get a few moments while dom0's vCPUs
    # block, so not quite every frame need be left.)
    scrubbed=${fig##* }
    case $scrubbed in ''|*[!0-9]*) scrubbed=-1 ;; esac
    if [ "${queued:-0}" -ge $((frames / 2)) ] && [ "$scrubbed" -gt 0 ] &&
       [ "$scrubbed" -le "$queued" ]; then
        e2e_pass hv.scrub-off-destroy "with the CPUs busy, the destroy of 1 GiB ($frames frames) left $queued freed static pages queued, and the claim at once scrubbed $scrubbed of them itself: $fig (us, frames scrubbed)"
    else
        e2e_fail hv.scrub-off-destroy "with the CPUs busy: queued after the destroy '$queued' (want >= $((frames / 2)) of $frames), claim at once '$fig' (want 1 to $queued frames scrubbed)"
    fi
    xl destroy pb8 2>/dev/null
    left=$(e2e_unscrubbed)
    t=0
    while [ "${left:-x}" != 0 ] && [ $t -lt 120 ]; do
        sleep 1
        t=$((t + 1))
        left=$(e2e_unscrubbed)
    done
    if [ "$left" = 0 ]; then
        e2e_pass hv.scrub-background "the queue of freed static pages emptied by itself within ${t}s of the destroy"
    else
        e2e_fail hv.scrub-background "still '$left' unscrubbed static pages ${t}s after the destroy"
    fi
    # the same frames again: the claim finds them clean
    xl dmesg -c >/dev/null
    if xl create -p "$cfg" >/tmp/pb8.create 2>&1; then
        fig=$(e2e_claim_figures pb8)
        echo "[scrub] claim us/scrubbed: $fig"
        case $fig in
        *" 0") e2e_pass hv.scrub-claim-clean "claim of the scrubbed 1 GiB: $fig (us, frames scrubbed)" ;;
        "") e2e_fail hv.scrub-claim-clean "no claim line for pb8 in xl dmesg" ;;
        *) e2e_fail hv.scrub-claim-clean "the claim scrubbed frames itself: $fig" ;;
        esac
        xl destroy pb8
    else
        sed "s/^/[scrub.pb8] /" /tmp/pb8.create
        e2e_fail hv.scrub-claim-clean "the third create of pb8 failed"
    fi
    e2e_release pb8
else
    sed "s/^/[scrub.pb8] /" /tmp/pb8.create
    e2e_fail hv.scrub-background "the create of pb8 failed"
fi
