# Scenario 74: a large claim is preemptible (issue 13, finding 4).  A
# claim of 192 MiB (three quarters of the pool's first range; 76 claims
# the 1 GiB of the second while dom0 counts) for a paused domain
# completes through hypercall continuations: Xen logs each preemption
# ("claim of static extent ... preempted at ..."), the extent is owned
# whole, every frame of it is mapped and reads zeros; its release (which
# scrubs every frame) is preempted too and gives every frame back.
. /e2e/lib.sh

MFN=0x70000
NR=0xc000       # 192 MiB
GFN=0x90000
KIB=$((128 * 1024 + 1024 + NR * 4))

cleanup()
{
    xl destroy hp1 >/dev/null 2>&1
}
trap cleanup EXIT

if ! id=$(e2e_new_paused hp1 $KIB); then
    e2e_fail hv.claim-preemptible "setup: $(tail -n 1 /tmp/hp1.create)"
    exit 0
fi

t0=$(date +%s)
out=$(hvtool claim "$id" $MFN $GFN $NR 2>&1)
t1=$(date +%s)
pre=$(xl dmesg | grep -c "d$id: claim of static extent $MFN preempted")
if [ "$out" != OK ]; then
    e2e_fail hv.claim-preemptible "claim of $NR frames: $out"
elif ! hvtool query | grep -qx "owned $MFN $NR $id $GFN pool"; then
    e2e_fail hv.claim-preemptible "the extent is not owned whole"
elif [ "$pre" -lt 1 ]; then
    e2e_fail hv.claim-preemptible "claimed in $((t1 - t0))s, but never preempted"
else
    e2e_pass hv.claim-preemptible "192 MiB in $((t1 - t0))s, $pre continuations"
fi

out=$(hvtool check "$id" $GFN $NR 0 2>&1)
if [ "$out" = OK ]; then
    e2e_pass hv.claim-preemptible-mapped "$NR frames mapped, zeros"
else
    e2e_fail hv.claim-preemptible-mapped "$out"
fi

t0=$(date +%s)
out=$(hvtool release "$id" $MFN $NR 2>&1)
t1=$(date +%s)
pre=$(xl dmesg | grep -c "d$id: release of static extent $MFN preempted")
if [ "$out" != OK ]; then
    e2e_fail hv.release-preemptible "release: $out"
elif ! hvtool query | grep -qx "pool-free 0x70000 0x10000 - - -"; then
    e2e_fail hv.release-preemptible "the pool is not whole after the release"
elif [ "$pre" -lt 1 ]; then
    e2e_fail hv.release-preemptible "released in $((t1 - t0))s, but never preempted"
else
    e2e_pass hv.release-preemptible "192 MiB in $((t1 - t0))s, $pre continuations"
fi
