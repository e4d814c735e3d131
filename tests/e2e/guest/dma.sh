# DMA through a passed-through virtio-blk disk (virtio-mmio, virtio 1.x
# with VIRTIO_F_ACCESS_PLATFORM): the device reads and writes this
# guest's RAM at the bus addresses the driver hands it.  Reads the
# whole disk; with e2e.dma=rw on the command line also writes 2 MiB of
# random data at 8 MiB and reads it back past the page cache.  With
# e2e.disk=xvda the disk is a PV one (blkfront) that a driver domain
# serves from its own passed-through disk.
# Markers (E2E-GUEST NAME ...):
#   DISK-FEATURES <virtio feature bits>   (bit 32 VERSION_1, 33 ACCESS_PLATFORM)
#   DMA-RANGES <hex>                      (/passthrough's, when there is one)
#   DISK-READ bytes=N sha256=HEX
#   DISK-WROTE offset=N len=N sha256=HEX readback=HEX
#   DISK-ERROR <why>
m() { echo "E2E-GUEST $E2E_NAME $*"; }
arg() { tr ' ' '\n' </proc/cmdline | sed -n "s/^$1=//p" | tail -n 1; }

disk=$(arg e2e.disk)
disk=/dev/${disk:-vda}
case $disk in
/dev/xvd*) mods=xen-blkfront ;;
*) mods="virtio_mmio virtio_blk" ;;
esac
for k in $mods; do
    insmod "/lib/modules/$k.ko" || m DISK-ERROR "insmod $k failed"
done
i=0
while [ ! -b $disk ] && [ $i -lt 30 ]; do
    sleep 1
    i=$((i + 1))
done
if [ ! -b $disk ]; then
    m DISK-ERROR "no $disk after ${i}s"
    dmesg | grep -i -E 'virtio|dma|blkfront|vbd|xen' | tail -n 8 | while read -r l; do
        m DMESG "$l"
    done
    exit 0
fi
dmesg | grep -E 'virtio_blk|vda|blkfront|xvda' | head -n 3 | while read -r l; do
    m DMESG "$l"
done
for f in /sys/bus/virtio/devices/*/features; do
    [ -f "$f" ] && m DISK-FEATURES "$(cat "$f")"
done
dr=/proc/device-tree/passthrough/dma-ranges
[ -f $dr ] && m DMA-RANGES "$(od -An -v -tx1 $dr | tr -d ' \n')"

bytes=$(blockdev --getsize64 $disk)
sha=$(dd if=$disk bs=1M 2>/dev/null | sha256sum | cut -c1-64)
m DISK-READ "bytes=$bytes sha256=$sha"

case " $(cat /proc/cmdline) " in
*" e2e.dma=rw "*) ;;
*) exit 0 ;;
esac
off=$((8 << 20))
len=$((2 << 20))
dd if=/dev/urandom of=/tmp/pattern bs=1M count=2 2>/dev/null
psha=$(sha256sum </tmp/pattern | cut -c1-64)
if ! dd if=/tmp/pattern of=$disk bs=1M seek=8 conv=fsync 2>/tmp/dd.err; then
    m DISK-ERROR "write failed: $(tail -n 1 /tmp/dd.err)"
    exit 0
fi
sync
echo 3 >/proc/sys/vm/drop_caches
blockdev --flushbufs $disk
rsha=$(dd if=$disk bs=1M skip=8 count=2 2>/dev/null | sha256sum | cut -c1-64)
m DISK-WROTE "offset=$off len=$len sha256=$psha readback=$rsha"
