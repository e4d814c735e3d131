# A guest whose RAM is neither 1:1 nor at one host offset gets no
# passthrough: two static_mem extents with different host offsets and
# the disk pt1 passed through.  xl-static check and xl create both
# refuse it with no-dma-offset (the one validator), and nothing is left
# behind: no domain, no extent assigned, no registry reservation.
. /e2e/lib.sh

n=ptbad
a=${E2E_POOL%%:*}
e2e_disk pt1
cfg=$(e2e_guest_cfg $n "static_mem = [\"$(printf '0x%x' $((a))):64M@0x40000000\", \"$(printf '0x%x' $((a + (128 << 20)))):64M@0x44000000\"]" \
      "$E2E_D_CFG1" "$E2E_D_CFG2" "$E2E_D_CFG3")
sed "s/^/[passthrough.no-offset.cfg] /" "$cfg"

xl-static check "$cfg" >/tmp/$n.check 2>&1
crc=$?
sed "s/^/[passthrough.no-offset.check] /" /tmp/$n.check
xl create "$cfg" >/tmp/$n.create 2>&1
xrc=$?
sed "s/^/[passthrough.no-offset.create] /" /tmp/$n.create
left=
xl domid $n >/dev/null 2>&1 && left="domain $n exists"
xl static-mem-list 2>/dev/null | grep -q " $n\( \|\$\)" && left="$left; $n in static-mem-list"
if [ $crc != 1 ] || ! grep -q "error: no-dma-offset: static_mem" /tmp/$n.check; then
    e2e_fail passthrough.no-offset-refused "xl-static check exited $crc without no-dma-offset"
elif [ $xrc = 0 ] || ! grep -q "no-dma-offset" /tmp/$n.create; then
    e2e_fail passthrough.no-offset-refused "xl create exited $xrc without no-dma-offset"
elif [ -n "$left" ]; then
    e2e_fail passthrough.no-offset-refused "refused but left: ${left#; }"
else
    e2e_pass passthrough.no-offset-refused "check exit 1 and xl create refused with no-dma-offset; nothing left"
fi
xl destroy $n >/dev/null 2>&1
e2e_release $n
