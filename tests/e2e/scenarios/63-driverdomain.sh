# e2e-timeout: 300
# A 1:1 driver domain serves its passed-through disk to another guest:
# "drv" (direct_map, static_mem in the pool, driver_domain = 1) owns the
# virtio-blk disk "dd" and runs blkback under xl devd (guest/drvdom.sh);
# "fe", an ordinary guest, gets the disk as xvda from backend=drv, reads
# it whole and writes 2 MiB (guest/dma.sh with e2e.disk=xvda).  The data
# goes fe -> grant -> drv's blkback -> virtio DMA straight to fe's pages.
# The host checks the write in the image (63-driverdomain.host).
. /e2e/lib.sh

drv=drv
fe=fe
addr=${E2E_POOL%%:*}
e2e_disk dd
cfg=$(e2e_guest_cfg $drv --run drvdom "memory = 256" "direct_map = 1" \
      "static_mem = [\"$addr:256M\"]" "driver_domain = 1" \
      "$E2E_D_CFG1" "$E2E_D_CFG2" "$E2E_D_CFG3")
sed -i -e "s|^ramdisk = .*|ramdisk = \"/guest/drv.cpio.gz\"|" \
       -e "s|^kernel = .*|kernel = \"/guest/Image-drv\"|" "$cfg"
sed "s/^/[driverdomain.cfg] /" "$cfg"

stop_drv()
{
    [ -n "${drvid:-}" ] &&
        xenstore-write "/local/domain/$drvid/data/e2e-stop" 1 2>/dev/null
    if ! e2e_wait_gone $drv 30; then
        e2e_fail driverdomain.backend-exited "$drv still running 30s after e2e-stop"
        xl destroy $drv
    fi
    e2e_guest_log $drv | tr -d '\r' | grep "^E2E-GUEST $drv DRV" |
        sed "s/^/[driverdomain.drv] /"
}

# in_range START END LIST: [START, END] (hex, inclusive) lies inside
# one "START-END" of LIST (hex, inclusive, one a line)
in_range()
{
    echo "$3" | while IFS=- read -r a b; do
        [ $((0x$1)) -ge $((0x$a)) ] && [ $((0x$2)) -le $((0x$b)) ] && echo yes
    done | grep -q yes
}

# Where blkback's grant mappings went.  The driver domain runs Debian's
# bookworm-backports kernel, built with XEN_UNPOPULATED_ALLOC: blkback
# maps grants on pages that drivers/xen/unpopulated-alloc.c takes from
# the extended regions of the hypervisor node (hypervisor reg[1..], the
# ones the project published) and shows as "Xen scratch" in /proc/iomem.
# grants-off-ram: nothing new took the 1:1 RAM's place and none of it
# was ballooned out; grants-in-extended-regions: every scratch range
# lies inside a published region, and the regions avoid the 1:1 RAM.
# overlap START END LIST: [START, END] meets one "START-END" of LIST
overlap()
{
    echo "$3" | while IFS=- read -r a b; do
        [ $((0x$1)) -le $((0x$b)) ] && [ $((0x$2)) -ge $((0x$a)) ] && echo yes
    done | grep -q yes
}

grants_check()
{
    ram=$(printf '%x-%x' $((addr)) $((addr + (256 << 20) - 1)))
    ext=$(e2e_guest_marker $drv DRV-EXTREG | sed 's/.* 0x\([0-9a-f]*\) 0x\([0-9a-f]*\)$/\1 \2/' |
          while read -r a s; do printf '%x-%x\n' $((0x$a)) $((0x$a + 0x$s - 1)); done)
    before=$(e2e_guest_marker $drv "DRV-IOMEM-BEFORE " | sed -n 's/.* \([0-9a-f]*-[0-9a-f]*\) : System RAM$/\1/p')
    after=$(e2e_guest_marker $drv "DRV-IOMEM " | sed -n 's/.* \([0-9a-f]*-[0-9a-f]*\) : System RAM$/\1/p')
    new=$(echo "$after" | grep -vxF "$before")
    low=$(e2e_guest_marker $drv "DRV-BALLOON after" | sed -n 's/.*low_kb=\([0-9]*\).*/\1/p')
    bad=
    where=
    for r in $new; do
        s=${r%-*}
        e=${r#*-}
        in_range "$s" "$e" "$ram" && bad="$bad $r in the 1:1 ram;"
        if in_range "$s" "$e" "$ext"; then
            where="$where $r inside the extended regions;"
        else
            where="$where $r outside the extended regions $(echo $ext);"
        fi
    done
    scratch=$(e2e_guest_marker $drv "DRV-SCRATCH " |
              sed -n 's/.* \([0-9a-f]*-[0-9a-f]*\) : Xen scratch$/\1/p')
    sbefore=$(e2e_guest_marker $drv "DRV-SCRATCH-BEFORE " |
              sed -n 's/.* \([0-9a-f]*-[0-9a-f]*\) : Xen scratch$/\1/p')
    for r in $scratch; do
        in_range "${r%-*}" "${r#*-}" "$ram" && bad="$bad scratch $r in the 1:1 ram;"
    done
    if [ -z "$new$scratch" ]; then
        e2e_fail driverdomain.grants-off-ram "no new range appeared in $drv (iomem after: $(echo $after))"
    elif [ "$low" != 0 ]; then
        e2e_fail driverdomain.grants-off-ram "$drv ballooned out ${low} KiB of its 1:1 ram"
    elif [ -n "$bad" ]; then
        e2e_fail driverdomain.grants-off-ram "${bad# }"
    else
        e2e_pass driverdomain.grants-off-ram "grant pages in $(echo $new $scratch), off 1:1 ram $ram, nothing ballooned out;$where"
    fi

    local out= extbad= nscr=0
    for r in $ext; do
        overlap "${r%-*}" "${r#*-}" "$ram" && extbad="$extbad $r"
    done
    for r in $scratch; do
        nscr=$((nscr + 1))
        in_range "${r%-*}" "${r#*-}" "$ext" || out="$out $r"
    done
    if [ -z "$ext" ]; then
        e2e_fail driverdomain.grants-in-extended-regions "$drv's hypervisor node has no extended region"
    elif [ -n "$extbad" ]; then
        e2e_fail driverdomain.grants-in-extended-regions "published regions$extbad overlap the 1:1 ram $ram"
    elif [ "$nscr" = 0 ]; then
        e2e_fail driverdomain.grants-in-extended-regions "no \"Xen scratch\" range in $drv's /proc/iomem after serving (before: $(echo $sbefore); new iomem: $(echo $new))"
    elif [ -n "$out" ]; then
        e2e_fail driverdomain.grants-in-extended-regions "scratch$out outside the published regions $(echo $ext)"
    else
        e2e_pass driverdomain.grants-in-extended-regions "$nscr Xen scratch range(s) $(echo $scratch) inside the published regions $(echo $ext), which avoid the 1:1 ram $ram ($(e2e_guest_marker $drv DRV-KERNEL | sed 's/.*DRV-KERNEL //'))"
    fi
}

if ! e2e_check driverdomain.xl-create-backend xl create "$cfg"; then
    e2e_release $drv
    exit 0
fi
drvid=$(xl domid $drv)
i=0
while [ "$(xenstore-read /local/domain/$drvid/data/e2e-ready 2>/dev/null)" != 1 ] &&
      [ $i -lt 90 ]; do
    sleep 1
    i=$((i + 1))
done
if [ $i -ge 90 ]; then
    e2e_fail driverdomain.backend-up "$drv did not say it serves in 90s"
    e2e_guest_log $drv | tr -d '\r' | tail -n 40 | sed "s/^/[driverdomain.drv] /"
    xl destroy $drv
    e2e_release $drv
    exit 0
fi

fecfg=$(e2e_guest_cfg $fe --run dma \
        "disk = [ \"backend=$drv, vdev=xvda, target=/dev/vda\" ]")
sed -i "s/e2e.run=dma/& e2e.dma=rw e2e.disk=xvda/" "$fecfg"
sed "s/^/[driverdomain.fe.cfg] /" "$fecfg"
if e2e_check driverdomain.xl-create-frontend xl create -p "$fecfg"; then
    feid=$(xl domid $fe)
    be=/local/domain/$drvid/backend/vbd/$feid/51712
    xl unpause $fe
    # the backend's state as the frontend connects: 4 is Connected
    i=0
    state=
    pdev=
    while [ $i -lt 120 ]; do
        state=$(xenstore-read $be/state 2>/dev/null)
        pdev=$(xenstore-read $be/physical-device 2>/dev/null)
        [ "$state" = 4 ] && break
        xl domid $fe >/dev/null 2>&1 || break
        usleep 250000
        i=$((i + 1))
    done
    if [ "$state" = 4 ] && [ -n "$pdev" ]; then
        e2e_pass driverdomain.backend-up "blkback in $drv connected to $fe ($be state 4, physical-device $pdev)"
    else
        e2e_fail driverdomain.backend-up "$be state '$state', physical-device '$pdev'"
        xenstore-ls -f /local/domain/$feid/error 2>&1 | sed "s/^/[driverdomain.fe-error] /"
    fi
    e2e_dma_run driverdomain.frontend $fe
    e2e_dma_check_ram driverdomain.frontend-guest-ram $fe 40000000-47ffffff
    e2e_dma_check_read driverdomain.frontend-read $fe dd
    e2e_dma_check_write driverdomain.frontend-readback $fe dd
fi

# The driver domain kept running through the transfer, and its own RAM
# (a pattern it wrote before serving) is intact.
if xl domid $drv >/dev/null 2>&1; then
    stop_drv
    grants_check
    before=$(e2e_guest_marker $drv "DRV-RAM-SHA " | tail -n 1)
    after=$(e2e_guest_marker $drv "DRV-RAM-SHA-AFTER " | tail -n 1)
    if [ -n "$before" ] && [ -n "$after" ] &&
       [ "${before##* }" = "${after##* }" ]; then
        e2e_pass driverdomain.backend-ram-intact "32 MiB pattern sha256 ${after##* } unchanged"
    else
        e2e_fail driverdomain.backend-ram-intact "before '$before', after '$after'"
    fi
else
    e2e_fail driverdomain.backend-ram-intact "$drv is gone after the transfer"
fi
xl destroy $fe >/dev/null 2>&1
xl destroy $drv >/dev/null 2>&1
e2e_release $drv
