# Passthrough without an IOMMU into a direct-mapped guest: the virtio-blk
# disk pt0 (its virtio-mmio page kept from dom0 by xen,passthrough in
# the host DTB) goes to an xl-created guest with direct_map = 1 and
# static_mem in the pool, through iomem, irqs and a partial device tree.
# Guest == host addresses, so the bus addresses the guest's driver hands
# the device are its own RAM.  The guest reads the whole disk by DMA
# (sha256 against the image's) and writes 2 MiB that the host finds in
# the image after QEMU exits (60-passthrough-directmap.host).
. /e2e/lib.sh

n=ptdm
addr=${E2E_POOL%%:*}
e2e_disk pt0
cfg=$(e2e_guest_cfg $n --run dma "memory = 256" "direct_map = 1" \
      "static_mem = [\"$addr:256M\"]" "$E2E_D_CFG1" "$E2E_D_CFG2" \
      "$E2E_D_CFG3")
sed -i "s/e2e.run=dma/& e2e.dma=rw/" "$cfg"
sed "s/^/[passthrough.directmap.cfg] /" "$cfg"

# the validator warns that the guest must be trusted, and passes it
xl-static check "$cfg" >/tmp/$n.check 2>&1
rc=$?
sed "s/^/[passthrough.directmap.check] /" /tmp/$n.check
if [ $rc = 0 ] && grep -q "warning: unsafe-dma: direct_map" /tmp/$n.check; then
    e2e_pass passthrough.directmap-unsafe-dma-warning
else
    e2e_fail passthrough.directmap-unsafe-dma-warning \
        "check exited $rc without the unsafe-dma warning"
fi

if e2e_check passthrough.directmap-xl-create xl create -p "$cfg"; then
    e2e_dma_guest passthrough.directmap $n pt0 \
        "$(printf '%x-%x' $((addr)) $((addr + (256 << 20) - 1)))"
fi
xl destroy $n >/dev/null 2>&1
e2e_release $n
