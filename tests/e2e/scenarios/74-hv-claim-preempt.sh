# Scenario 74: a large claim is preemptible (issue 13, finding 4).  A
# claim of 192 MiB (three quarters of the pool's first range; 76 claims
# the 1 GiB of the second while dom0 counts) for a paused domain
# completes through hypercall continuations: Xen logs each preemption
# ("claim of static extent ... preempted at ..."), the extent is owned
# whole, every frame of it is mapped and reads zeros; its release (which
# frees every frame, queued for scrubbing) is preempted too and gives
# every frame back.
. /e2e/lib.sh

MFN=0x70000
NR=0xc000       # 192 MiB
GFN=0x90000
KIB=$(e2e_kib $NR)

e2e_destroy_at_exit hp1

if ! id=$(e2e_new_paused hp1 $KIB); then
    e2e_fail hv.claim-preemptible "setup: $(tail -n 1 /tmp/hp1.create)"
    exit 0
fi

# OP: hvtool OP (claim or release) of the extent for hp1, timed: sets
# out (hvtool's answer), secs and pre (the preemptions Xen logged).
timed_op()
{
    _t0=$(date +%s)
    if [ "$1" = claim ]; then
        out=$(hvtool claim "$id" $MFN $GFN $NR 2>&1)
    else
        out=$(hvtool release "$id" $MFN $NR 2>&1)
    fi
    secs=$(($(date +%s) - _t0))
    pre=$(xl dmesg | grep -c "d$id: $1 of static extent $MFN preempted")
}

timed_op claim
if [ "$out" != OK ]; then
    e2e_fail hv.claim-preemptible "claim of $NR frames: $out"
elif ! hvtool query | grep -qx "owned $MFN $NR $id $GFN pool"; then
    e2e_fail hv.claim-preemptible "the extent is not owned whole"
elif [ "$pre" -lt 1 ]; then
    e2e_fail hv.claim-preemptible "claimed in ${secs}s, but never preempted"
else
    e2e_pass hv.claim-preemptible "192 MiB in ${secs}s, $pre continuations"
fi

out=$(hvtool check "$id" $GFN $NR 0 2>&1)
if [ "$out" = OK ]; then
    e2e_pass hv.claim-preemptible-mapped "$NR frames mapped, zeros"
else
    e2e_fail hv.claim-preemptible-mapped "$out"
fi

timed_op release
if [ "$out" != OK ]; then
    e2e_fail hv.release-preemptible "release: $out"
elif ! e2e_pool_whole; then
    e2e_fail hv.release-preemptible "the pool is not whole after the release"
elif [ "$pre" -lt 1 ]; then
    e2e_fail hv.release-preemptible "released in ${secs}s, but never preempted"
else
    e2e_pass hv.release-preemptible "192 MiB in ${secs}s, $pre continuations"
fi
