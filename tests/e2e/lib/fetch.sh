# Fetch steps: host tools, arm64 packages, Xen source (sourced by run.sh).
#
# Everything comes from the Debian registry through apt, with private
# apt state under $W (lists, cache, sources): the system's apt
# configuration and package lists are never changed.

# The Debian sources the system uses, as the template for the private
# states: deb822 (debian.sources) or, failing that, one-line format.
E2E_DEBIAN_SOURCES=${E2E_DEBIAN_SOURCES:-/etc/apt/sources.list.d/debian.sources}

# Sets up a private apt state in DIR from the system's Debian sources;
# TYPES is "deb" or "deb-src".  With SUITE, only the main archive's
# entries are kept (not the security archive's), for that suite instead
# of theirs (e.g. bookworm-backports).  Prints the apt options to use it.
private_apt()
{
    local dir=$1 types=$2 suite=${3:-}

    mkdir -p "$dir/parts" "$dir/lists/partial" "$dir/cache/archives/partial"
    : >"$dir/sources.list"
    if [ -r "$E2E_DEBIAN_SOURCES" ]; then
        # deb822: one stanza a paragraph
        awk -v types="$types" -v suite="$suite" '
            BEGIN { RS = ""; ORS = "\n\n" }
            suite != "" && /debian-security/ { next }
            {
                n = split($0, l, "\n")
                for (i = 1; i <= n; i++) {
                    if (l[i] ~ /^Types:/) l[i] = "Types: " types
                    else if (suite != "" && l[i] ~ /^Suites:/) l[i] = "Suites: " suite
                    printf "%s\n", l[i]
                }
                printf "\n"
            }' "$E2E_DEBIAN_SOURCES" >"$dir/parts/debian.sources"
    elif grep -qs '^deb ' /etc/apt/sources.list; then
        if [ -n "$suite" ]; then
            awk -v types="$types" -v suite="$suite" '
                $1 == "deb" && !/security/ && !seen[$2]++ {
                    $1 = types; $3 = suite; print }' \
                /etc/apt/sources.list >"$dir/sources.list"
        else
            sed -n "s/^deb /$types /p" /etc/apt/sources.list >"$dir/sources.list"
        fi
    else
        fail "no Debian sources at $E2E_DEBIAN_SOURCES nor in /etc/apt/sources.list (set E2E_DEBIAN_SOURCES)"
    fi
    echo "-oDir::Etc::SourceList=$dir/sources.list" \
         "-oDir::Etc::SourceParts=$dir/parts" \
         "-oDir::State::Lists=$dir/lists" \
         "-oDir::Cache=$dir/cache" \
         "-oAPT::Get::List-Cleanup=false" "-oAPT::Sandbox::User=root"
}

step_host_tools()
{
    "$TOP/scripts/install-deps.sh" e2e ||
        fail "scripts/install-deps.sh e2e failed"
    local t
    for t in qemu-system-aarch64 aarch64-linux-gnu-gcc dtc cpio flex bison \
             iasl dpkg-source timeout python3 autoreconf pkg-config; do
        command -v "$t" >/dev/null || fail "host tool '$t' missing after install-deps"
    done
}

# arm64 packages: the kernel (through the linux-image-arm64 meta
# package), busybox and the run-time libraries for the images, the
# development packages for the cross sysroot.
DEB_KERNEL_META=linux-image-arm64
DEB_RUNTIME="busybox-static libc6 libgcc-s1 zlib1g libfdt1 libuuid1 libyajl2"
DEB_DEV="libyajl-dev uuid-dev zlib1g-dev libfdt-dev libncurses-dev libncurses6
         libncursesw6 libtinfo6"
# The driver domain's kernel (63-driverdomain): Debian's newer kernel
# from bookworm-backports, built with XEN_UNPOPULATED_ALLOC (bookworm's
# 6.1 has no ZONE_DEVICE), so that a backend maps grants in the extended
# regions the project publishes (docs/driver-domain.md).
DEB_DRV_SUITE=bookworm-backports
DEB_DRV_MODULES="xen-evtchn xen-gntdev xen-privcmd virtio_mmio virtio_blk xen-blkback"
DEBS_KEY=$(echo "arm64 $DEB_KERNEL_META $DEB_RUNTIME $DEB_DEV $DEB_DRV_SUITE hdr" | sha_stdin)

step_arm64_debs()
{
    local debs=$W/debs

    rm -rf "$debs" "$W/kern" "$W/kern-drv" "$W/rt" "$W/sysroot"
    mkdir -p "$debs/drv"
    if cache_hit debs "$DEBS_KEY"; then
        cp -a "$(cache_dir debs "$DEBS_KEY")/." "$debs/"
        echo "debs from cache ($DEBS_KEY)"
    else
        local A B kpkg
        A="-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 $(private_apt "$W/apt" deb)"
        # shellcheck disable=SC2086
        apt-get $A -q update
        kpkg=$(kernel_package "$A")
        [ -n "$kpkg" ] || fail "cannot resolve the kernel package of $DEB_KERNEL_META"
        # shellcheck disable=SC2086
        (cd "$debs" && apt-get $A -q download "$kpkg" $DEB_RUNTIME $DEB_DEV) ||
            fail "arm64 package download failed"
        # The guest kernel's headers, and the kbuild tools of its version
        # for this machine's architecture: the guest module
        # (guest/xen_panic_report.c, step guest-module).
        local kv ver H
        kv=${kpkg#linux-image-}
        ver=$(ls "$debs/${kpkg}"_*.deb | sed 's/.*_\([^_]*\)_arm64\.deb$/\1/')
        mkdir -p "$debs/hdr"
        # shellcheck disable=SC2086
        (cd "$debs/hdr" && apt-get $A -q download "linux-headers-$kv" \
             "linux-headers-${kv%-arm64}-common") ||
            fail "download of the headers of $kpkg failed"
        H=$(private_apt "$W/apt-host" deb)
        # shellcheck disable=SC2086
        apt-get $H -q update
        # shellcheck disable=SC2086
        (cd "$debs/hdr" &&
         apt-get $H -q download "linux-kbuild-$(echo "$kv" | cut -d. -f1-2)=$ver") ||
            fail "download of linux-kbuild $ver failed"
        B="-oAPT::Architecture=arm64 -oAPT::Architectures=arm64 $(private_apt "$W/apt-drv" deb "$DEB_DRV_SUITE")"
        # shellcheck disable=SC2086
        apt-get $B -q update
        kpkg=$(kernel_package "$B")
        [ -n "$kpkg" ] ||
            fail "cannot resolve the kernel package of $DEB_KERNEL_META in $DEB_DRV_SUITE"
        # shellcheck disable=SC2086
        (cd "$debs/drv" && apt-get $B -q download "$kpkg") ||
            fail "arm64 kernel download from $DEB_DRV_SUITE failed"
        cache_store debs "$DEBS_KEY" "$debs"
    fi

    # Kernel image, the Xen driver modules dom0 loads, the virtio
    # transport and block driver of the passed-through disks (virtio
    # itself is built in), and the PV block front and back ends of the
    # driver domain scenario.
    local kdeb
    kdeb=$(ls "$debs"/linux-image-[0-9]*.deb) ||
        fail "no kernel package among the downloaded debs"
    mkdir -p "$W/kern/unpack" "$W/kern/modules"
    dpkg-deb --fsys-tarfile "$kdeb" |
        tar -x -C "$W/kern/unpack" --wildcards './boot/vmlinuz-*' \
            './lib/modules/*/kernel/drivers/xen/*' \
            './lib/modules/*/kernel/drivers/virtio/virtio_mmio.ko' \
            './lib/modules/*/kernel/drivers/block/virtio_blk.ko' \
            './lib/modules/*/kernel/drivers/block/xen-blkfront.ko' \
            './lib/modules/*/kernel/drivers/block/xen-blkback/xen-blkback.ko'
    cp "$W"/kern/unpack/boot/vmlinuz-* "$W/kern/Image"
    find "$W/kern/unpack/lib/modules" -name '*.ko' \
         -exec cp {} "$W/kern/modules/" \;
    rm -rf "$W/kern/unpack"

    # The driver domain's kernel: its Image and the modules drvdom.sh
    # loads (compressed with xz in this package; busybox's insmod takes
    # them plain).
    kdeb=$(ls "$debs"/drv/linux-image-[0-9]*.deb) ||
        fail "no $DEB_DRV_SUITE kernel package among the downloaded debs"
    mkdir -p "$W/kern-drv/unpack" "$W/kern-drv/modules"
    dpkg-deb --fsys-tarfile "$kdeb" |
        tar -x -C "$W/kern-drv/unpack" --wildcards './boot/vmlinuz-*' \
            './boot/config-*' './lib/modules/*/kernel/drivers/xen/*' \
            './lib/modules/*/kernel/drivers/virtio/virtio_mmio.ko*' \
            './lib/modules/*/kernel/drivers/block/virtio_blk.ko*' \
            './lib/modules/*/kernel/drivers/block/xen-blkback/xen-blkback.ko*'
    grep -qx 'CONFIG_XEN_UNPOPULATED_ALLOC=y' "$W"/kern-drv/unpack/boot/config-* ||
        fail "the $DEB_DRV_SUITE kernel ($kdeb) has no CONFIG_XEN_UNPOPULATED_ALLOC"
    cp "$W"/kern-drv/unpack/boot/vmlinuz-* "$W/kern-drv/Image"
    local m f
    for m in $DEB_DRV_MODULES; do
        f=$(find "$W/kern-drv/unpack/lib/modules" -name "$m.ko*" | head -n 1)
        [ -n "$f" ] || fail "kernel module $m missing from $kdeb"
        case $f in
        *.xz) xz -dc "$f" >"$W/kern-drv/modules/$m.ko" ;;
        *) cp "$f" "$W/kern-drv/modules/$m.ko" ;;
        esac
    done
    rm -rf "$W/kern-drv/unpack"

    # Run-time files for the images.
    local p
    for p in $DEB_RUNTIME; do
        dpkg -x "$debs/${p}"_*.deb "$W/rt"
    done

    # The cross sysroot: every library package, no kernel, no busybox.
    local d
    for d in "$debs"/*.deb; do
        case ${d##*/} in
        linux-image-*|busybox*) ;;
        *) dpkg -x "$d" "$W/sysroot" ;;
        esac
    done
    # Absolute symlinks of -dev packages point into the host: re-point.
    local l
    find "$W/sysroot" -type l -lname '/*' | while read -r l; do
        ln -sfn "$W/sysroot$(readlink "$l")" "$l"
    done
    ls -l "$W/kern/Image" "$W/kern/modules" "$W/kern-drv/Image" "$W/kern-drv/modules"
}

# kernel_package APT-OPTIONS: the kernel package linux-image-arm64
# depends on in that apt state
kernel_package()
{
    # shellcheck disable=SC2086
    apt-cache $1 depends "$DEB_KERNEL_META" |
        awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}

# The Xen source the hypervisor-hooks patches target.  Downloaded files
# are cached by version; the tree is extracted fresh every time.
# xen_newer_served APT-OPTIONS VERSIONS-FILE: for each offered version
# newer than the pin, "served V" when its source downloads, else
# "listed V" (the registry lists Debian's security version but may not
# serve its source); the check xen.pin-newest-served reads it.
xen_newer_served()
{
    local v tmp

    while read -r v; do
        dpkg --compare-versions "$v" gt "$XEN_VERSION" || continue
        tmp=$(mktemp -d)
        # shellcheck disable=SC2086
        if (cd "$tmp" && timeout 300 apt-get $1 -q source --download-only "xen=$v") \
                >/dev/null 2>&1; then
            echo "served $v"
        else
            echo "listed $v"
        fi
        rm -rf "$tmp"
    done <"$2"
}

step_xen_source()
{
    local dl=$W/xen-dl

    rm -rf "$dl" "$W/xen-src"
    mkdir -p "$dl"
    if cache_hit xen-src "$XEN_VERSION"; then
        cp "$(cache_dir xen-src "$XEN_VERSION")"/xen_* "$dl/"
        echo "xen source from cache ($XEN_VERSION)"
    else
        local S
        S=$(private_apt "$W/srcapt" deb-src)
        # shellcheck disable=SC2086
        apt-get $S -q update
        # shellcheck disable=SC2086
        apt-cache $S showsrc xen | awk '/^Version:/ { print $2 }' \
            >"$dl/versions"
        echo "xen source versions offered: $(tr '\n' ' ' <"$dl/versions")"
        grep -qxF "$XEN_VERSION" "$dl/versions" ||
            fail "xen source $XEN_VERSION not available from the Debian registry; the patches target it"
        # shellcheck disable=SC2086
        (cd "$dl" && apt-get $S -q source --download-only "xen=$XEN_VERSION") ||
            fail "xen source $XEN_VERSION not available from the Debian registry; the patches target it (download failed)"
        xen_newer_served "$S" "$dl/versions" >"$W/xen-pin"
        rm -f "$dl/versions"
        cache_store xen-src "$XEN_VERSION" "$dl"
    fi
    (cd "$dl" && dpkg-source -x xen_*.dsc "$W/xen-src")
    [ -f "$W/xen-src/debian/xen-kconfig" ] ||
        fail "extracted xen source has no debian/xen-kconfig"
}
