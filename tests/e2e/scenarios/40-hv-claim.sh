# Scenario 40: an extent of the pool through its life, from dom0 with
# hvtool (lxs_hv_claim/release/query): claimed for a paused "xl create
# -p" domain, seen owned, back in the pool when the domain is destroyed,
# claimed again without a reboot, released, claimed at another gfn.
. /e2e/lib.sh

MFN=0x70000     # the start of the pool: 0x70000000
# 256 KiB: a claim counts against the domain's max_mem, and an xl guest
# has only LIBXL_MAXMEM_CONSTANT (1 MiB) of room above its memory ("xl
# mem-max" aborts on Arm in 4.17, and maxmem > memory cannot boot).
NR=0x40

cleanup()
{
    for d in hx1 hx2; do
        xl destroy "$d" >/dev/null 2>&1
    done
}
trap cleanup EXIT

# query_has NAME LINE: PASS when "hvtool query" has exactly LINE.
query_has()
{
    hvtool query >/tmp/hvq.out 2>&1
    if grep -qx "$2" /tmp/hvq.out; then
        e2e_pass "$1" "$2"
    else
        sed "s/^/[$1] /" /tmp/hvq.out
        e2e_fail "$1" "no line '$2' in hvtool query"
    fi
}

# ok NAME CMD...: PASS when hvtool answers OK.
ok()
{
    _n=$1
    shift
    _out=$("$@" 2>&1)
    if [ "$_out" = OK ]; then
        e2e_pass "$_n" "$*"
    else
        e2e_fail "$_n" "'$*': $_out"
    fi
}

if ! id1=$(e2e_new_paused hx1); then
    cat /tmp/hx1.create
    e2e_fail hv.claim-setup "xl create -p hx1 failed: $(tail -n 1 /tmp/hx1.create)"
    exit 0
fi

ok hv.claim hvtool claim "$id1" $MFN $MFN $NR
query_has hv.claim-owned "owned $MFN $NR $id1 $MFN pool"
query_has hv.claim-pool-rest "pool-free 0x70040 0xffc0 - - -"

xl destroy hx1
if e2e_wait_gone hx1 30; then
    query_has hv.destroy-returns-extent "pool-free 0x70000 0x10000 - - -"
else
    e2e_fail hv.destroy-returns-extent "hx1 still there after xl destroy"
fi
if xl dmesg | grep -q "d$id1: 64 frames back to the static pool"; then
    e2e_pass hv.destroy-xen-log
else
    e2e_fail hv.destroy-xen-log "no 'd$id1: 64 frames back to the static pool' in xl dmesg"
fi

if ! id2=$(e2e_new_paused hx2); then
    e2e_fail hv.claim-again "xl create -p hx2 failed: $(tail -n 1 /tmp/hx2.create)"
    exit 0
fi
ok hv.claim-again hvtool claim "$id2" $MFN $MFN $NR
query_has hv.claim-again-owned "owned $MFN $NR $id2 $MFN pool"

ok hv.release hvtool release "$id2" $MFN $NR
query_has hv.release-returns-extent "pool-free 0x70000 0x10000 - - -"

# Not direct-mapped: any free gfn will do (0x50000000, above its RAM).
ok hv.claim-at-gfn hvtool claim "$id2" $MFN 0x50000 $NR
query_has hv.claim-at-gfn-owned "owned $MFN $NR $id2 0x50000 pool"

xl destroy hx2
e2e_wait_gone hx2 30
query_has hv.destroy-returns-extent-2 "pool-free 0x70000 0x10000 - - -"
