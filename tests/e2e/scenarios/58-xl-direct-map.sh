# xl create with direct_map = 1 and static_mem = ["<pool addr>:256M"]
# (Xen booted with static-extent-directmap): the guest's /proc/iomem
# shows System RAM at exactly that host range, its
# /proc/device-tree/hypervisor/dma-offset is 0, and while it exists xl
# static-mem-list shows the extent owned by it.
. /e2e/lib.sh

n=dm8
addr=${E2E_POOL%%:*}
start=$(printf '%x' $((addr)))
end=$(printf '%x' $((addr + (256 << 20) - 1)))
cfg=$(e2e_guest_cfg $n "memory = 256" "direct_map = 1" \
      "static_mem = [\"$addr:256M\"]")

sed "s/^/[directmap.cfg] /" "$cfg"

# The dry run: 1:1, the magic pages at the top of the domain's RAM.
xl create -n "$cfg" >/tmp/$n.plan 2>&1
sed "s/^/[directmap.plan] /" /tmp/$n.plan
if grep -Eq "^  0x0*$start +0x0*$start +256M$" /tmp/$n.plan; then
    e2e_pass directmap.dry-run-plan "0x$start 1:1, 256M"
else
    e2e_fail directmap.dry-run-plan "no 1:1 line for 0x$start 256M in the plan"
fi

if e2e_check directmap.xl-create xl create -p "$cfg"; then
    xl static-mem-list >/tmp/$n.list 2>&1
    sed "s/^/[directmap.list] /" /tmp/$n.list
    if grep -Eq "^0x0*$start +0x0*$(printf '%x' $((addr + (256 << 20)))) +256M +owned +[a-z-]+ +$n( |\$)" \
            /tmp/$n.list; then
        e2e_pass directmap.static-mem-list "0x$start+256M owned by $n"
    else
        e2e_fail directmap.static-mem-list "no line 0x$start 256M owned by $n"
    fi
    xl unpause $n
    if ! e2e_wait_gone $n 90; then
        e2e_fail directmap.guest-exited "$n still running after 90s"
        xl destroy $n
    fi
    ram=$(e2e_guest_marker $n RAM)
    if [ "$ram" = "E2E-GUEST $n RAM $start-$end : System RAM" ]; then
        e2e_pass directmap.guest-ram "$ram"
    else
        e2e_fail directmap.guest-ram "want RAM $start-$end, got '$ram'"
        e2e_guest_log $n | tail -n 30
    fi
    off=$(e2e_guest_marker $n DMA-OFFSET)
    if [ "$off" = "E2E-GUEST $n DMA-OFFSET 0000000000000000" ]; then
        e2e_pass directmap.dma-offset "0"
    else
        e2e_fail directmap.dma-offset "want 0000000000000000, got '$off'"
    fi
fi
e2e_release $n
