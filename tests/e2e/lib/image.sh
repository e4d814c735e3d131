# Image steps: the guest and dom0 initramfs, the host device tree
# (sourced by run.sh).
#
# Boot layout (QEMU virt, RAM 0x40000000-0x140000000):
#   0x42000000  kernel (dom0's, reused by the dom0less domains)
#   0x48000000  QEMU puts the DTB here: keep 0x48000000-0x4a000000 free
#   0x4a000000  dom0 initramfs, then the guest initramfs (2 MiB aligned)
#   static-mem of the dom0less domains and the pool: from their cfgs
#   and E2E_POOL, above the modules.
#
# The dom0 initramfs carries the host DTB that Xen boots with, and the
# DTB carries the initramfs size.  So the initramfs is two archives
# back to back (Linux unpacks concatenated archives): the main one,
# packed first, and a small tail with the DTB and the host plans,
# padded with zeros (which Linux skips) to E2E_TAIL_SIZE.

QEMU_MACHINE="-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 -m 4096 -nic none"
# xsm=dummy: Debian builds Xen with XSM in SILO mode, which forbids event
# channels and grants between two domUs, and so a driver domain
# (63-driverdomain); the dummy module is Xen's classic policy.
XEN_BOOTARGS="console=dtuart dom0_mem=768M dom0_max_vcpus=2 bootscrub=0 loglvl=all guest_loglvl=all xsm=dummy"
# The main boot lets xl create RAM-only direct-mapped domains; the second,
# short boot (host-noopt.dtb) leaves the opt-in out and runs only the
# scenarios of E2E_NOOPT_SCENARIOS, which check that the flag is refused.
XEN_OPTIN="static-extent-directmap"
E2E_NOOPT_SCENARIOS="51-directmap-opt-in"
DOM0_BOOTARGS="console=hvc0 earlycon=xenboot"
KERNEL_ADDR=0x42000000
QEMU_DTB_ADDR=0x48000000
DOM0_RD_ADDR=0x4a000000
E2E_TAIL_SIZE=$((1024 * 1024))
# The boot-time static pool (xen,static-pool in /chosen), ADDR:SIZE.
E2E_POOL=${E2E_POOL:-0x70000000:0x10000000}
# A second pool range, all the RAM above 4 GiB, for claims of 1 GiB
# (76-hv-claim-1g); E2E_POOL stays the first range the scenarios use.
E2E_POOL_BIG=${E2E_POOL_BIG:-0x100000000:0x40000000}

# Disks passed through to guests: virtio-blk devices on the virtio-mmio
# transports of QEMU's virt machine (transport N at 0x0a000000 + N *
# 0x200, SPI 16 + N), virtio 1.x with VIRTIO_F_ACCESS_PLATFORM so that
# the guest driver hands the device DMA-API (bus) addresses.  Eight
# transports share a 4 KiB page; each disk takes the first of a page of
# its own, and the host DTB keeps that whole page from dom0.
# NAME:TRANSPORT:
#   pt0  the direct-mapped xl guest of 60-passthrough-directmap
#   pt1  the offset xl guest of 61-passthrough-offset
#   dl   the direct-mapped dom0less domain dl1 (tests/e2e/dom0less)
#   dd   the driver domain of 63-driverdomain, which serves it to a guest
E2E_DISKS="pt0:8 pt1:24 dl:16 dd:0"
E2E_DISK_SIZE=$((16 << 20))
VIRTIO_MMIO_BASE=0x0a000000

# disk_addr TRANSPORT, disk_intid TRANSPORT: the transport's MMIO
# address and its GIC interrupt ID (SPI + 32).
disk_addr()
{
    printf '0x%x' $((VIRTIO_MMIO_BASE + $1 * 0x200))
}

disk_intid()
{
    echo $((32 + 16 + $1))
}

# The partial device tree of a guest that gets the disk on TRANSPORT:
# /passthrough with the device at its host address (iomem maps gfn ==
# mfn), the guest GIC (phandle 65000, libxl's and Xen's), its SPI.
pt_partial_dts()
{
    local a
    a=$(disk_addr "$1")
    cat <<EOF
/dts-v1/;
/ {
    #address-cells = <2>;
    #size-cells = <2>;
    passthrough {
        compatible = "simple-bus";
        ranges;
        #address-cells = <2>;
        #size-cells = <2>;
        virtio@${a#0x} {
            compatible = "virtio,mmio";
            reg = <0x0 $a 0x0 0x200>;
            interrupt-parent = <65000>;
            interrupts = <0x0 $(printf '0x%x' $((16 + $1))) 0x1>;
            dma-coherent;
        };
    };
};
EOF
}

# The disk images (random data, fresh every run: the guests write to
# them), each one's original and sha256, and the partial device trees.
step_disks()
{
    local d name tr

    rm -rf "$W/disks"
    mkdir -p "$W/disks"
    for d in $E2E_DISKS; do
        name=${d%%:*}
        tr=${d#*:}
        head -c "$E2E_DISK_SIZE" /dev/urandom >"$W/disks/$name.img"
        cp "$W/disks/$name.img" "$W/disks/$name.orig"
        sha256sum <"$W/disks/$name.img" | cut -c1-64 >"$W/disks/$name.sha256"
        pt_partial_dts "$tr" >"$W/disks/$name.dts"
        dtc -q -I dts -O dtb -o "$W/disks/$name.dtb" "$W/disks/$name.dts"
    done
    ls -l "$W/disks"
}

# QEMU's options for the disks, one word each.
disk_qemu_args()
{
    local d name

    echo "-global virtio-mmio.force-legacy=false"
    for d in $E2E_DISKS; do
        name=${d%%:*}
        echo "-drive file=$W/disks/$name.img,if=none,format=raw,id=$name"
        echo "-device virtio-blk-device,drive=$name,bus=virtio-mmio-bus.${d#*:},iommu_platform=on"
    done
}

# dom0's view of the disks, for e2e.conf: E2E_DISK_<name>="ADDR INTID SHA".
disk_conf()
{
    local d name tr

    for d in $E2E_DISKS; do
        name=${d%%:*}
        tr=${d#*:}
        printf 'E2E_DISK_%s="%s %s %s"\n' "$name" "$(disk_addr "$tr")" \
            "$(disk_intid "$tr")" "$(cat "$W/disks/$name.sha256")"
    done
}

# The host DTB lines that keep the disks' pages from dom0: every
# transport in them gets xen,passthrough, but the dom0less domain's
# device itself (dl), which dtgen host marks from its cfg.
disk_passthrough_dts()
{
    local d tr page i

    for d in $E2E_DISKS; do
        tr=${d#*:}
        page=$((tr / 8 * 8))
        for i in 0 1 2 3 4 5 6 7; do
            case ${d%%:*} in dl) [ $((page + i)) = "$tr" ] && continue ;; esac
            printf '&{/virtio_mmio@%x} { xen,passthrough; };\n' \
                $((VIRTIO_MMIO_BASE + (page + i) * 0x200))
        done
    done
}

# Search path for the libraries of the arm64 programs put in an image.
lib_sources()
{
    echo "$W/xen-out/install/usr/lib:usr/lib"
    echo "$W/rt/lib/aarch64-linux-gnu:lib/aarch64-linux-gnu"
    echo "$W/rt/usr/lib/aarch64-linux-gnu:usr/lib/aarch64-linux-gnu"
    echo "$W/sysroot/usr/lib/aarch64-linux-gnu:usr/lib/aarch64-linux-gnu"
}

# Adds to image ROOT every shared library its ELF files need, until
# closed.  Fails naming the first library found nowhere.
rd_add_libs()
{
    local root=$1 changed=1 f lib src dst found
    local -A seen=()

    while [ $changed = 1 ]; do
        changed=0
        while read -r f; do
            aarch64-linux-gnu-readelf -h "$f" >/dev/null 2>&1 || continue
            for lib in $(aarch64-linux-gnu-readelf -d "$f" 2>/dev/null |
                         sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
                [ -n "${seen[$lib]:-}" ] && continue
                if [ -e "$root/usr/lib/$lib" ] ||
                   [ -e "$root/lib/aarch64-linux-gnu/$lib" ] ||
                   [ -e "$root/usr/lib/aarch64-linux-gnu/$lib" ]; then
                    seen[$lib]=1
                    continue
                fi
                found=
                while IFS=: read -r src dst; do
                    if [ -e "$src/$lib" ]; then
                        mkdir -p "$root/$dst"
                        cp -L "$src/$lib" "$root/$dst/$lib"
                        found=1
                        break
                    fi
                done < <(lib_sources)
                [ -n "$found" ] || fail "library $lib needed by ${f#"$root"/} not found"
                seen[$lib]=1
                changed=1
            done
        done < <(find "$root" -type f \( -perm -u+x -o -name '*.so*' \))
    done
    # The program interpreter, and libgcc_s that glibc loads at run
    # time for pthread_cancel (xl aborts without it).
    mkdir -p "$root/lib/aarch64-linux-gnu"
    cp -L "$W/rt/lib/aarch64-linux-gnu/ld-linux-aarch64.so.1" \
        "$W/rt/lib/aarch64-linux-gnu/libgcc_s.so.1" \
        "$root/lib/aarch64-linux-gnu/"
    ln -sfn aarch64-linux-gnu/ld-linux-aarch64.so.1 \
        "$root/lib/ld-linux-aarch64.so.1"
}

# The skeleton both images share: busybox, mount points, this
# repository's arm64 programs.
rd_base()
{
    local root=$1 p

    rm -rf "$root"
    mkdir -p "$root"/{bin,sbin,proc,sys,dev,run,tmp,etc,usr/bin,e2e}
    cp "$W/rt/bin/busybox" "$root/bin/busybox"
    for p in $E2E_ARM64_TARGETS; do
        cp "$W/arm64-build/$p" "$root/usr/bin/"
    done
}

# cpio (newc) of directory $1 to stdout.
rd_cpio()
{
    (cd "$1" && find . | LC_ALL=C sort | cpio -H newc -o --quiet -R 0:0)
}

# The guest module xen_panic_report.ko (guest/xen_panic_report.c),
# built against the guest kernel's Debian headers with the kbuild tools
# of its version, unpacked into $W/kbuild (their absolute include of
# the common headers re-pointed there).
step_guest_module()
{
    local r=$W/kbuild m=$W/guest-mod d hdr

    rm -rf "$r" "$m"
    mkdir -p "$r" "$m"
    for d in "$W"/debs/hdr/*.deb; do
        dpkg -x "$d" "$r"
    done
    hdr=$(ls -d "$r"/usr/src/linux-headers-*-arm64) ||
        fail "no arm64 kernel headers among $W/debs/hdr"
    sed -i "s|/usr/src/|$r/usr/src/|" "$hdr/Makefile"
    cp "$E2E_DIR/guest/xen_panic_report.c" "$m/"
    echo 'obj-m := xen_panic_report.o' >"$m/Kbuild"
    make -s -C "$hdr" ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- M="$m" \
        modules 2>&1 | grep -v '^Skipping BTF' || true
    [ -f "$m/xen_panic_report.ko" ] ||
        fail "the guest module xen_panic_report.ko did not build"
    ls -l "$m/xen_panic_report.ko"
}

step_domu_initramfs()
{
    local root=$W/domu-root p

    rd_base "$root"
    install -m 755 "$E2E_DIR/rootfs/domu-init" "$root/init"
    # privcmd, for guest scripts that make hypercalls (drvdom.sh).
    mkdir -p "$root/lib/modules"
    cp "$W/kern/modules/xen-privcmd.ko" "$root/lib/modules/" ||
        fail "kernel module xen-privcmd.ko missing from the kernel package"
    # the passed-through disks' transport and driver, and the PV disk's
    # frontend (guest/dma.sh)
    for p in virtio_mmio virtio_blk xen-blkfront; do
        cp "$W/kern/modules/$p.ko" "$root/lib/modules/" ||
            fail "kernel module $p.ko missing from the kernel package"
    done
    # a panic reported to Xen as a crash (guest/restart.sh)
    cp "$W/guest-mod/xen_panic_report.ko" "$root/lib/modules/"
    mkdir -p "$root/e2e/guest"
    cp "$E2E_DIR"/guest/*.sh "$root/e2e/guest/" 2>/dev/null || true
    chmod +x "$root"/e2e/guest/*.sh
    rd_add_libs "$root"
    rd_cpio "$root" | gzip -9 >"$W/domu.cpio.gz"
    ls -l "$W/domu.cpio.gz"
}

# Xen's xenstore client, as the xenstore-* commands (one program that
# acts on the name it is run by), into image ROOT.
rd_add_xenstore()
{
    local p

    cp -a "$W/xen-out/install/usr/bin/xenstore" "$1/usr/bin/"
    for p in read write exists list rm ls watch chmod; do
        ln -sf xenstore "$1/usr/bin/xenstore-$p"
    done
}

# The driver domain's initramfs (63-driverdomain): the guest's, plus what
# a backend domain runs: xl (xl devd), the xenstore client, the vbd
# hotplug script and the Xen driver modules blkback needs.
step_drv_initramfs()
{
    local root=$W/drv-root p

    rm -rf "$root"
    cp -a "$W/domu-root" "$root"
    mkdir -p "$root"/usr/sbin "$root"/var/{lib/xen,log/xen,lock}
    ln -sfn ../run "$root/var/run"
    cp -a "$W/xen-out/install/usr/sbin/xl" "$root/usr/sbin/"
    mkdir -p "$root/etc/xen/scripts"
    cp -a "$W/xen-out/install/etc/xen/xl.conf" "$root/etc/xen/"
    # the vbd hotplug script, where libxl looks for its default "block"
    install -m 755 "$E2E_DIR/guest/vbd-hotplug.sh" "$root/etc/xen/scripts/block"
    rd_add_xenstore "$root"
    # it runs the bookworm-backports kernel (XEN_UNPOPULATED_ALLOC):
    # its modules replace the guest's
    rm -rf "$root/lib/modules"
    mkdir -p "$root/lib/modules"
    for p in $DEB_DRV_MODULES; do
        cp "$W/kern-drv/modules/$p.ko" "$root/lib/modules/" ||
            fail "kernel module $p.ko missing from the driver domain's kernel"
    done
    rd_add_libs "$root"
    rd_cpio "$root" | gzip -9 >"$W/drv.cpio.gz"
    ls -l "$W/drv.cpio.gz"
}

# bare_image SRC OUT [CPPFLAG...]: a bare-metal arm64 Image from an
# assembler source (linked at 0, the raw bytes from offset 0).
bare_image()
{
    local src=$1 out=$2 elf

    shift 2
    elf=$W/$(basename "$out" .img).elf
    aarch64-linux-gnu-gcc "$@" -nostdlib -nostartfiles -static \
        -Wl,-Ttext=0 -Wl,--build-id=none -o "$elf" "$src" &&
    aarch64-linux-gnu-objcopy -O binary "$elf" "$out" ||
        fail "cannot build the bare guest kernel $(basename "$out")"
}

# quick_images DIR: the bare guest kernels: those of 80-restart
# (guest/quick-image.S), DIR/quick-{reboot,poweroff,crash}.img, and the
# unprivileged static-extent caller of 50-hv-refusals
# (guest/hvcall-image.S), DIR/hvcall.img.
quick_images()
{
    local a A

    for a in reboot poweroff crash; do
        A=$(echo "$a" | tr a-z A-Z)
        bare_image "$E2E_DIR/guest/quick-image.S" "$1/quick-$a.img" \
            -D "QUICK_$A"
    done
    bare_image "$E2E_DIR/guest/hvcall-image.S" "$1/hvcall.img"
}

step_dom0_initramfs()
{
    local root=$W/dom0-root I=$W/xen-out/install p

    rd_base "$root"
    install -m 755 "$E2E_DIR/rootfs/dom0-init" "$root/init"
    mkdir -p "$root"/{usr/sbin,usr/lib/xen/bin,lib/modules,guest} \
             "$root"/var/{lib/xen,lib/xenstored,log/xen/console,lock} \
             "$root"/e2e/{scenarios,cfg,expect}
    ln -s ../run "$root/var/run"
    cp -a "$I"/usr/sbin/{xl,xenstored,xenconsoled} "$root/usr/sbin/"
    for p in xenconsole xen-init-dom0 init-dom0less libxl-save-helper; do
        cp -a "$I/usr/lib/xen/bin/$p" "$root/usr/lib/xen/bin/"
    done
    cp -a "$I/etc/xen" "$root/etc/"
    for p in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do
        cp "$W/kern/modules/$p.ko" "$root/lib/modules/" ||
            fail "kernel module $p.ko missing from the kernel package"
    done
    cp "$W/kern/Image" "$root/guest/Image"
    cp "$W/kern-drv/Image" "$root/guest/Image-drv"
    quick_images "$root/guest"
    cp "$W/domu.cpio.gz" "$W/drv.cpio.gz" "$root/guest/"
    rd_add_xenstore "$root"
    cp "$E2E_DIR/rootfs/e2e-lib.sh" "$root/e2e/lib.sh"
    cp "$E2E_DIR"/scenarios/*.sh "$root/e2e/scenarios/" 2>/dev/null || true
    cp "$E2E_DIR"/dom0less/*.cfg "$root/e2e/cfg/" 2>/dev/null || true
    printf 'E2E_SCENARIO_TIMEOUT=%s\nE2E_POOL=%s\nE2E_POOL_BIG=%s\n' \
        "$E2E_SCENARIO_TIMEOUT" "$E2E_POOL" "$E2E_POOL_BIG" >"$root/e2e/e2e.conf"
    disk_conf >>"$root/e2e/e2e.conf"
    mkdir -p "$root/e2e/pt"
    cp "$W"/disks/*.dtb "$root/e2e/pt/"
    rd_add_libs "$root"
    rd_cpio "$root" | gzip -1 >"$W/dom0-main.cpio.gz"
    # Linux takes the next archive only at a 4-byte aligned offset (it
    # skips zeros up to it).
    truncate -s "$(align_up "$(stat -c %s "$W/dom0-main.cpio.gz")" 4)" \
        "$W/dom0-main.cpio.gz"
    ls -l "$W/dom0-main.cpio.gz"
}

# The dom0 initramfs tail: the host DTB as /etc/xen/host.dtb (where
# xl-static looks by default) and each dom0less domain's host-side plan
# in /e2e/expect/.  Appended to the main archive, padded with zeros.
step_dom0_tail()
{
    local root=$W/dom0-tail size

    rm -rf "$root"
    mkdir -p "$root/etc/xen" "$root/e2e/expect"
    cp "$W/host.dtb" "$root/etc/xen/host.dtb"
    cp "$W"/plans/*.json "$root/e2e/expect/" 2>/dev/null || true
    rd_cpio "$root" >"$W/dom0-tail.cpio"
    size=$(stat -c %s "$W/dom0-tail.cpio")
    [ "$size" -le "$E2E_TAIL_SIZE" ] ||
        fail "dom0 initramfs tail is $size bytes, more than E2E_TAIL_SIZE ($E2E_TAIL_SIZE)"
    cat "$W/dom0-main.cpio.gz" "$W/dom0-tail.cpio" >"$W/dom0.cpio"
    truncate -s "$(cat "$W/dom0-rd-size")" "$W/dom0.cpio"
    ls -l "$W/dom0.cpio"
}

# QEMU's own device tree for the machine we boot.
dump_virt_dtb()
{
    # shellcheck disable=SC2086
    qemu-system-aarch64 $QEMU_MACHINE -display none \
        -machine dumpdtb="$W/virt.dtb" >"$W/logs/dumpdtb.txt" 2>&1 ||
        fail "qemu could not dump the virt DTB: $(tail -n 1 "$W/logs/dumpdtb.txt")"
}

# The x86 build of xl-static (the host side of the tests).
xls_host()
{
    "$BUILD/xl-static" "$@"
}

# Plans each dom0less cfg against DTB; writes $W/plans/NAME.json.
plan_dom0less()
{
    local dtb=$1 cfg name

    mkdir -p "$W/plans"
    for cfg in "$E2E_DIR"/dom0less/*.cfg; do
        [ -e "$cfg" ] || continue
        name=$(basename "$cfg" .cfg)
        # From the cfg's directory: dom0 runs it the same way (/e2e/cfg).
        (cd "$E2E_DIR/dom0less" &&
         xls_host plan -j --boot --host-dtb "$dtb" "$name.cfg") \
            >"$W/plans/$name.json" || {
            cat "$W/plans/$name.json"
            fail "xl-static plan --boot of dom0less/$name.cfg against $(basename "$dtb") failed"
        }
    done
}

# The dom0less domains, added to base.dtb by the project's own
# generator: xl-static dtgen host.
host_dtb_dtgen()
{
    local args=() cfg name pt_addr

    # Every domain boots the same kernel and guest initramfs, already
    # loaded by QEMU at their addresses; a domain whose cfg has a
    # device_tree gets its passthrough module above the guest initramfs.
    pt_addr=$(cat "$W/pt-module-addr")
    for cfg in "$E2E_DIR"/dom0less/*.cfg; do
        [ -e "$cfg" ] || continue
        name=$(basename "$cfg" .cfg)
        args+=(--kernel "$name=$W/kern/Image@$KERNEL_ADDR"
               --ramdisk "$name=$W/domu.cpio.gz@$(cat "$W/domu-rd-addr")")
        if grep -q '^device_tree' "$cfg"; then
            args+=(--passthrough-dtb "$name=$W/$name-pt.dtb@$pt_addr")
            pt_addr=$(printf '0x%x' $((pt_addr + (2 << 20))))
        fi
        args+=("$cfg")
    done
    # the cfgs' device_tree paths are relative to the disks' directory
    (cd "$W/disks" &&
     xls_host dtgen host --host-dtb "$W/base.dtb" -o "$W/host.dtb" \
        --pool "$E2E_POOL" --pool "$E2E_POOL_BIG" "${args[@]}") \
        >"$W/dtgen.out" 2>&1 || {
        cat "$W/dtgen.out"
        fail "xl-static dtgen host failed: $(tail -n 1 "$W/dtgen.out")"
    }
    cat "$W/dtgen.out"
}

step_host_dtb()
{
    local ksize rdsize domu_addr domu_end

    [ -x "$BUILD/xl-static" ] ||
        fail "no x86 xl-static in $BUILD (build the tree first)"
    ksize=$(stat -c %s "$W/kern/Image")
    [ $((KERNEL_ADDR + ksize)) -le $((QEMU_DTB_ADDR)) ] ||
        fail "kernel Image ($ksize bytes) does not fit below QEMU's DTB at $QEMU_DTB_ADDR"
    rdsize=$(( $(stat -c %s "$W/dom0-main.cpio.gz") + E2E_TAIL_SIZE ))
    echo "$rdsize" >"$W/dom0-rd-size"
    domu_addr=$(align_up $((DOM0_RD_ADDR + rdsize)) $((2 << 20)))
    domu_addr=$(printf '0x%x' "$domu_addr")
    echo "$domu_addr" >"$W/domu-rd-addr"
    domu_end=$((domu_addr + $(stat -c %s "$W/domu.cpio.gz")))
    printf '0x%x' "$(align_up "$domu_end" $((2 << 20)))" >"$W/pt-module-addr"
    printf 'kernel 0x%x-0x%x\ndom0 rd 0x%x-0x%x\ndomU rd %s-0x%x\n' \
        $KERNEL_ADDR $((KERNEL_ADDR + ksize)) $DOM0_RD_ADDR \
        $((DOM0_RD_ADDR + rdsize)) "$domu_addr" "$domu_end"

    dump_virt_dtb
    {
        dtc -q -I dtb -O dts "$W/virt.dtb"
        cat <<EOF
/ {
    chosen {
        #address-cells = <0x2>;
        #size-cells = <0x2>;
        xen,xen-bootargs = "$XEN_BOOTARGS $XEN_OPTIN";
        xen,dom0-bootargs = "$DOM0_BOOTARGS${E2E_SCENARIOS:+ e2e.only=$(echo $E2E_SCENARIOS | tr ' ' ,)}";
        dom0-kernel {
            compatible = "multiboot,kernel", "multiboot,module";
            reg = <0x0 $KERNEL_ADDR 0x0 $(printf '0x%x' "$ksize")>;
        };
        dom0-ramdisk {
            compatible = "multiboot,ramdisk", "multiboot,module";
            reg = <0x0 $DOM0_RD_ADDR 0x0 $(printf '0x%x' "$rdsize")>;
        };
    };
};
EOF
        disk_passthrough_dts
    } >"$W/base.dts"
    dtc -q -I dts -O dtb -o "$W/base.dtb" "$W/base.dts"

    host_dtb_dtgen
    dtc -q -I dtb -O dts -o "$W/host.dts" "$W/host.dtb"
    # The second boot's DTB: the same host, without the opt-in; dom0's
    # init runs only the scenarios named by e2e.only.
    cp "$W/host.dtb" "$W/host-noopt.dtb"
    fdtput -t s "$W/host-noopt.dtb" /chosen xen,xen-bootargs "$XEN_BOOTARGS" &&
    fdtput -t s "$W/host-noopt.dtb" /chosen xen,dom0-bootargs \
        "$DOM0_BOOTARGS e2e.only=$(echo $E2E_NOOPT_SCENARIOS | tr ' ' ,)" ||
        fail "fdtput could not write the bootargs of host-noopt.dtb"
    # Expected placements: planned by xl-static against the very DTB
    # Xen boots with (a domain's own memory is not a conflict for it).
    plan_dom0less "$W/host.dtb"

    # What QEMU loads where.
    {
        echo "$W/kern/Image $KERNEL_ADDR"
        echo "$W/dom0.cpio $DOM0_RD_ADDR"
        echo "$W/domu.cpio.gz $domu_addr"
        # the passthrough modules, from dtgen host's load map
        awk '$2 == "device-tree" { print $5, $3 }' "$W/dtgen.out"
    } >"$W/loader"
}
