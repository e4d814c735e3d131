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
    e2e_check_owned directmap $n "$start" "$(printf '%x' $((addr + (256 << 20))))" 256M
    e2e_run_guest directmap $n "$start-$end" 0000000000000000
fi
e2e_release $n
