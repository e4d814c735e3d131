# Scenario 30: the hypervisor's own view of host memory, live.
#   hvtool query (lxs_hv_query) must list the pool (E2E_POOL,
#   0x70000000 + 256 MiB, and E2E_POOL_BIG, 0x100000000 + 1 GiB, all
#   free at this point), the dom0less domain
#   dl1's static bank (0x60000000 + 256 MiB) owned by dl1's domain id,
#   mapped 1:1 at boot (gfn 0x60000, flag directmap),
#   the RAM and the Xen image as reserved;
#   "xl-static static-mem-list -j" in dom0 must show the same from the
#   hypervisor ("source": "live").
. /e2e/lib.sh

POOL_MFN=0x70000
POOL_NR=0x10000
BIG_MFN=0x100000
BIG_NR=0x40000
DL1_MFN=0x60000
DL1_NR=0x10000

# dl1 is the only domain besides dom0 at this point (it stays, shut down).
dl1_id=$(xl list | awk 'NR > 1 && $2 != 0 { print $2; exit }')

if hvtool query >/tmp/hvq.out 2>&1; then
    e2e_pass hv.query "$(head -n 1 /tmp/hvq.out)"
else
    e2e_fail hv.query "hvtool query: $(tail -n 1 /tmp/hvq.out)"
fi
sed 's/^/[hv.query] /' /tmp/hvq.out

# has NAME LINE WHY: PASS when hvtool's answer has exactly LINE.
has()
{
    if grep -qx "$2" /tmp/hvq.out; then
        e2e_pass "$1" "$2"
    else
        e2e_fail "$1" "$3: no line '$2'"
    fi
}

if grep -q '^ram 0x40000 0x100000 - - -$' /tmp/hvq.out; then
    e2e_pass hv.query-ram
else
    e2e_fail hv.query-ram "no RAM bank 0x40000000-0x140000000"
fi
has hv.query-pool "pool-free $POOL_MFN $POOL_NR - - -" "the whole pool free"
has hv.query-pool-big "pool-free $BIG_MFN $BIG_NR - - -" \
    "the second pool range free"
# Mapped 1:1 at boot (direct-map): the gfn is the bank's own address.
has hv.query-dl1-owner \
    "owned $DL1_MFN $DL1_NR ${dl1_id:-?} $DL1_MFN boot,directmap" \
    "dl1 (domain ${dl1_id:-none}) owning its static bank"
if grep -q '^reserved 0x[0-9a-f]* 0x[0-9a-f]* - - xen$' /tmp/hvq.out; then
    e2e_pass hv.query-xen-image
else
    e2e_fail hv.query-xen-image "the Xen image is not listed as reserved"
fi

# The same through the command, live.  Pieces are JSON objects; put one
# per line, without blanks, to grep them.  Offline (from the host DTB)
# the listing would show the same ranges, so they only count when it
# says it read the hypervisor.
if xl-static static-mem-list -j >/tmp/list.json 2>/tmp/list.err; then
    { tr -d ' \t\n' </tmp/list.json | sed 's/},{/}\n{/g'; echo; } >/tmp/list.flat
    sed 's/^/[memlist] /' /tmp/list.flat
    if ! grep -q '"source":"live"' /tmp/list.flat; then
        e2e_fail memlist.live "static-mem-list did not read the hypervisor: $(grep -o '"source":"[^"]*"' /tmp/list.flat)"
    else
        e2e_pass memlist.live
        if grep '"start":"0x70000000"' /tmp/list.flat |
           grep '"end":"0x80000000"' | grep -q '"type":"pool-free"'; then
            e2e_pass memlist.live-pool
        else
            e2e_fail memlist.live-pool "no pool-free piece 0x70000000-0x80000000"
        fi
        if grep '"start":"0x60000000"' /tmp/list.flat | grep '"type":"owned"' |
           grep -Eq "\"owner\":\"(dl1|d${dl1_id:-x})\""; then
            e2e_pass memlist.live-dl1-owner
        else
            e2e_fail memlist.live-dl1-owner "no piece at 0x60000000 owned by dl1 (domain ${dl1_id:-none})"
        fi
    fi
else
    cat /tmp/list.err
    e2e_fail memlist.live "xl-static static-mem-list -j failed: $(tail -n 1 /tmp/list.err)"
fi
