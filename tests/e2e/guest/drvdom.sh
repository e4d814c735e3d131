# The driver domain of scenario 63: a 1:1 guest that owns the
# passed-through virtio-blk disk "dd" and serves it to another guest
# through blkback, run by xl devd (Xen's driver-domain set-up) with the
# hotplug script vbd-hotplug.sh.  It keeps a 32 MiB pattern in its RAM
# and checks it after the transfer, and says where blkback's grant
# mappings went.  dom0 talks to it through xenstore: it writes
# data/e2e-ready when it serves, and waits for dom0's data/e2e-stop.
# Markers (E2E-GUEST NAME ...): DRV-ERROR <why>, DRV-READY,
#   DRV-RAM-SHA <sha256 before>, DRV-RAM-SHA-AFTER <sha256 after>,
#   DRV-BALLOON before|after low_kb=N current_kb=N (RAM the balloon
#   driver gave back to Xen: where Linux without XEN_UNPOPULATED_ALLOC
#   may put grant mappings), DRV-EXTREG <i> <start> <size> (the extended
#   regions of its hypervisor node), DRV-IOMEM-BEFORE / DRV-IOMEM <a
#   top-level /proc/iomem line> before serving and after,
#   DRV-SCRATCH-BEFORE / DRV-SCRATCH <a "Xen scratch" /proc/iomem line:
#   guest-physical space that XEN_UNPOPULATED_ALLOC took from the
#   extended regions for grant mappings>, DRV-DEVD <an xl devd error>
export PATH=/usr/sbin:$PATH
m() { echo "E2E-GUEST $E2E_NAME $*"; }
balloon() {
    b=/sys/devices/system/xen_memory/xen_memory0/info
    m DRV-BALLOON "$1 low_kb=$(cat $b/low_kb 2>/dev/null)" \
        "current_kb=$(cat $b/current_kb 2>/dev/null)"
}

m DRV-KERNEL "linux $(uname -r)"
for k in xen-evtchn xen-gntdev virtio_mmio virtio_blk xen-blkback; do
    insmod "/lib/modules/$k.ko" || m DRV-ERROR "insmod $k failed"
done
insmod /lib/modules/xen-privcmd.ko 2>/dev/null
mkdir -p /run/xen /var/lib/xen /var/log/xen /var/lock
i=0
while [ ! -b /dev/vda ] && [ $i -lt 30 ]; do
    sleep 1
    i=$((i + 1))
done
[ -b /dev/vda ] || m DRV-ERROR "no /dev/vda after ${i}s"

# the extended regions the project published: hypervisor reg[1..]
# (2 address and 2 size cells each, after the grant-table window)
hex=$(od -An -v -tx1 /proc/device-tree/hypervisor/reg | tr -d ' \n')
i=1
while [ $((i * 32)) -lt ${#hex} ]; do
    e=$(echo "$hex" | cut -c$((i * 32 + 1))-$((i * 32 + 32)))
    m DRV-EXTREG "$i 0x$(echo "$e" | cut -c1-16) 0x$(echo "$e" | cut -c17-32)"
    i=$((i + 1))
done
grep -v '^ ' /proc/iomem | while read -r l; do
    m DRV-IOMEM-BEFORE "$l"
done
scratch() {
    grep 'Xen scratch' /proc/iomem | while read -r l; do
        m "$1" "$l"
    done
}
scratch DRV-SCRATCH-BEFORE

dd if=/dev/urandom of=/tmp/ram.pattern bs=1M count=32 2>/dev/null
m DRV-RAM-SHA "$(sha256sum </tmp/ram.pattern | cut -c1-64)"
balloon before

xl devd -F >/tmp/devd.log 2>&1 &
devd=$!
sleep 2
if kill -0 $devd 2>/dev/null && xenstore-write data/e2e-ready 1; then
    m DRV-READY
else
    m DRV-ERROR "xl devd did not start: $(tail -n 1 /tmp/devd.log)"
fi

i=0
while [ "$(xenstore-read data/e2e-stop 2>/dev/null)" != 1 ] && [ $i -lt 150 ]; do
    sleep 1
    i=$((i + 1))
done
balloon after
grep -v '^ ' /proc/iomem | while read -r l; do
    m DRV-IOMEM "$l"
done
scratch DRV-SCRATCH
m DRV-RAM-SHA-AFTER "$(sha256sum </tmp/ram.pattern | cut -c1-64)"
kill $devd 2>/dev/null
grep -E 'rror|xited' /tmp/devd.log | grep -v cpu_bitmap | head -n 10 | while read -r l; do
    m DRV-DEVD "$l"
done
