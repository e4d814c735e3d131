# xl create with rambase_pfn (no direct map): the guest sees its RAM at
# GUEST_RAM0_BASE (0x40000000), backed by the host extent at the start
# of the static pool; its dma-offset is host minus guest; while it
# exists, xl static-mem-list shows the extent owned by it.
. /e2e/lib.sh

n=sr2
cfg=$(e2e_guest_cfg $n "rambase_pfn = 0x70000")

# Paused, so that the domain (and its extent) is there to be listed.
if e2e_check rambase.xl-create xl create -p "$cfg"; then
    e2e_check_owned rambase $n 70000000 78000000 128M
    # host 0x70000000 - guest 0x40000000
    e2e_run_guest rambase $n 40000000-47ffffff 0000000030000000
fi
# Exited: the hypervisor took the extent back (no longer assigned), the
# registry keeps it for the name (reserved) until it is released.
xl static-mem-list >/tmp/$n.after 2>&1
sed "s/^/[rambase.after] /" /tmp/$n.after
if grep -Eq " owned +assigned +$n " /tmp/$n.after; then
    e2e_fail rambase.released "extent still assigned to $n after it exited"
elif ! grep -Eq "^0x0*70000000 +0x0*78000000 +128M +owned +reserved +$n +registry" \
        /tmp/$n.after; then
    e2e_fail rambase.released "no registry reservation of 0x70000000+128M for $n"
else
    e2e_pass rambase.released "back in the pool, reserved for $n"
fi
e2e_release $n
if xl static-mem-list 2>/dev/null | grep -q " $n "; then
    e2e_fail rambase.reservation-ended "$n still listed after xl-static release"
else
    e2e_pass rambase.reservation-ended
fi
