# Scenario 76: a claim of 1 GiB leaves dom0 running (issue 13, finding
# 4).  The whole second pool range (E2E_POOL_BIG, 0x100000000 + 1 GiB)
# is claimed for a paused domain while a dom0 loop counts.  Both of
# dom0's vCPUs are pinned to physical CPU 0, the claim runs on vCPU 0
# and the counter on vCPU 1: the counter can only advance while the
# claim is in the hypervisor if Xen preempts the hypercall (a vCPU
# inside Xen is never descheduled).  hvtool reads the counter just
# before and just after the hypercall, so a claim that took
# continuations and during which the counter kept a fair share of its
# idle rate shows both.
# Then the extent is owned whole, reads zeros, and its release gives
# the range back.
. /e2e/lib.sh

MFN=$(printf '0x%x' $((${E2E_POOL_BIG%%:*} >> 12)))
NR=$(printf '0x%x' $((${E2E_POOL_BIG#*:} >> 12)))
GFN=0x80000     # 2 GiB: above the standard guest's RAM
# max_mem in KiB: the guest's 128 MiB, xl's 1 MiB of slack, the extent.
KIB=$(e2e_kib $NR)
CNT=/tmp/c76

# Centiseconds since boot.
now() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
# The counter (the loop rewrites the file: a read between its truncate
# and its write is empty, so read again).
count()
{
    _v= _n=0
    while [ -z "$_v" ] && [ $_n -lt 50 ]; do
        _v=$(cat $CNT 2>/dev/null)
        _n=$((_n + 1))
    done
    echo "${_v:-0}"
}

loop=
cleanup()
{
    [ -n "$loop" ] && kill "$loop" 2>/dev/null
    xl vcpu-pin Domain-0 all all >/dev/null 2>&1
    xl destroy hg1 >/dev/null 2>&1
}
trap cleanup EXIT

if [ "$NR" != 0x40000 ]; then
    e2e_fail hv.claim-1g-preemptible "E2E_POOL_BIG '$E2E_POOL_BIG' is not 1 GiB"
    exit 0
fi
if ! id=$(e2e_new_paused hg1 $KIB); then
    e2e_fail hv.claim-1g-preemptible "setup: $(tail -n 1 /tmp/hg1.create)"
    exit 0
fi
if ! xl vcpu-pin Domain-0 all 0 >/tmp/hg1.pin 2>&1; then
    e2e_fail hv.claim-1g-preemptible "xl vcpu-pin Domain-0 all 0: $(tail -n 1 /tmp/hg1.pin)"
    exit 0
fi
taskset -c 1 sh -c "i=0; while :; do i=\$((i + 1)); echo \$i >$CNT; done" &
loop=$!

# The counter's rate with the claim's vCPU idle (it then has the CPU).
sleep 1
c0=$(count) t0=$(now)
sleep 2
c1=$(count) t1=$(now)

# hvtool reads the counter just before and just after the hypercall:
# "COUNTER BEFORE AFTER MICROSECONDS" after the result.
out=$(taskset -c 0 hvtool claim "$id" $MFN $GFN $NR $CNT 2>&1)
kill "$loop" 2>/dev/null
loop=
xl vcpu-pin Domain-0 all all >/dev/null 2>&1
res=$(echo "$out" | head -n 1)
counter=$(echo "$out" | sed -n 's/^COUNTER //p')
set -- $counter 0 0 0

idle=$((c1 - c0)) idle_ms=$(((t1 - t0) * 10))
adv=$(($2 - $1)) dur_ms=$(($3 / 1000))
pre=$(xl dmesg | grep -c "d$id: claim of static extent $MFN preempted")
fig="1 GiB ($NR frames) in $dur_ms ms, $pre continuations, dom0 counter +$adv during it (+$idle in $idle_ms ms alone)"
if [ "$res" != OK ]; then
    e2e_fail hv.claim-1g-preemptible "claim of $NR frames: $out"
elif [ -z "$counter" ]; then
    e2e_fail hv.claim-1g-preemptible "hvtool did not read the counter: $(echo "$out" | tail -n 1)"
elif ! hvtool query | grep -qx "owned $MFN $NR $id $GFN pool"; then
    e2e_fail hv.claim-1g-preemptible "the extent is not owned whole"
elif [ "$pre" -lt 1 ]; then
    e2e_fail hv.claim-1g-preemptible "never preempted: $fig"
elif [ "$idle" -le 0 ] || [ "$adv" -le 0 ] ||
     [ $((adv * 8 * idle_ms)) -lt $((idle * dur_ms)) ]; then
    # Sharing the CPU with the claim, the counter should get about
    # half its idle rate; an eighth is the least accepted.
    e2e_fail hv.claim-1g-preemptible "dom0 stalled: $fig"
else
    e2e_pass hv.claim-1g-preemptible "$fig"
fi

# The first and the last 16 MiB read zeros (all of it would take minutes
# under emulation; 74 checks a whole extent).
last=$(printf '0x%x' $((GFN + NR - 0x1000)))
a=$(hvtool check "$id" $GFN 0x1000 0 2>&1)
b=$(hvtool check "$id" "$last" 0x1000 0 2>&1)
if [ "$a" = OK ] && [ "$b" = OK ]; then
    e2e_pass hv.claim-1g-mapped "first and last 0x1000 frames mapped, zeros"
else
    e2e_fail hv.claim-1g-mapped "first: $a; last: $b"
fi

t0=$(now)
out=$(hvtool release "$id" $MFN $NR 2>&1)
t1=$(now)
pre=$(xl dmesg | grep -c "d$id: release of static extent $MFN preempted")
if [ "$out" != OK ]; then
    e2e_fail hv.release-1g "release: $out"
elif ! hvtool query | grep -qx "pool-free $MFN $NR - - -"; then
    e2e_fail hv.release-1g "the range is not whole and free after the release"
else
    e2e_pass hv.release-1g "1 GiB in $(((t1 - t0) / 100)).$(((t1 - t0) % 100 / 10))s, $pre continuations"
fi
