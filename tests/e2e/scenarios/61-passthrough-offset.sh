# Passthrough without an IOMMU into a guest at one host offset: the
# virtio-blk disk pt1 goes to an xl-created guest with rambase_pfn at the
# start of the pool (guest RAM at 0x40000000, host 0x70000000).  The
# guest applies the offset by standard means: libxl, through dtgen, puts
# dma-ranges = <host guest size> on /passthrough, and the guest's
# unmodified Linux (of_dma_configure, dma-direct) hands the device
# guest address + 0x30000000.  Same read and write checks as 60; the
# host checks the write (61-passthrough-offset.host).
. /e2e/lib.sh

n=ptoff
e2e_disk pt1
cfg=$(e2e_guest_cfg $n --run dma "rambase_pfn = 0x70000" "$E2E_D_CFG1" \
      "$E2E_D_CFG2" "$E2E_D_CFG3")
sed -i "s/e2e.run=dma/& e2e.dma=rw/" "$cfg"
sed "s/^/[passthrough.offset.cfg] /" "$cfg"

if e2e_check passthrough.offset-xl-create xl create -p "$cfg"; then
    # /passthrough's dma-ranges as the guest booted with them:
    # <bus 0x70000000, cpu 0x40000000, size 128M>, 2 cells each
    want=000000007000000000000000400000000000000008000000
    e2e_dma_guest passthrough.offset $n pt1 40000000-47ffffff
    got=$(e2e_guest_marker $n DMA-RANGES)
    if [ "${got##* }" = $want ]; then
        e2e_pass passthrough.offset-dma-ranges "<0x70000000 0x40000000 0x8000000>"
    else
        e2e_fail passthrough.offset-dma-ranges "want $want, got '$got'"
    fi
fi
xl destroy $n >/dev/null 2>&1
e2e_release $n
