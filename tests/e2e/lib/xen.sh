# Build steps of the patched Xen, hypervisor and tools, for arm64
# (sourced by run.sh).  This file is the recipe: its content is part of
# the cache key of what it builds, so a change here rebuilds Xen.
#
# Products at fixed paths:
#   $W/xen-out/xen          the hypervisor binary QEMU boots
#   $W/xen-out/config       its .config
#   $W/xen-out/install/     Xen's dist/install (tools, libraries, headers)

XEN_ARCH_FLAGS="XEN_TARGET_ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"

# What the Xen build depends on: the source version, the project's
# hypervisor side, the project's sources that apply.sh copies into Xen's
# tools (the libraries and the xl/libxl glue), this file (the build
# recipe) and the sysroot.
xen_build_key()
{
    {
        echo "$XEN_VERSION"
        echo "hooks $(sha_tree "$TOP/hypervisor-hooks")"
        echo "lib $(sha_tree "$TOP/tools/libxl-static")"
        echo "dtgen $(sha_tree "$TOP/tools/dtgen")"
        echo "xl-cmds $(sha_tree "$TOP/tools/xl-cmds")"
        echo "recipe $(sha256sum <"$E2E_DIR/lib/xen.sh")"
        echo "debs $DEBS_KEY"
    } | sha_stdin
}

# The hypervisor side of the project, applied to the extracted tree.
step_apply_hooks()
{
    local apply=$TOP/hypervisor-hooks/apply.sh

    if [ ! -e "$apply" ]; then
        echo "no hypervisor-hooks/apply.sh: building Debian's Xen unchanged"
        return 0
    fi
    sh "$apply" "$W/xen-src" || fail "hypervisor-hooks/apply.sh failed"
}

step_build_hypervisor()
{
    local X=$W/xen-src

    cp "$X/debian/xen-kconfig" "$X/xen/.config"
    printf 'CONFIG_UNSUPPORTED=y\nCONFIG_STATIC_MEMORY=y\n' >>"$X/xen/.config"
    # shellcheck disable=SC2086
    make -s -C "$X/xen" $XEN_ARCH_FLAGS olddefconfig
    grep -q '^CONFIG_STATIC_MEMORY=y' "$X/xen/.config" ||
        fail "CONFIG_STATIC_MEMORY did not stick in the hypervisor .config"
    # shellcheck disable=SC2086
    make -s -C "$X/xen" $XEN_ARCH_FLAGS -j"$JOBS" ||
        fail "hypervisor build failed"
    mkdir -p "$W/xen-out"
    cp "$X/xen/xen" "$W/xen-out/xen"
    cp "$X/xen/.config" "$W/xen-out/config"
    build_flask_policy
}

# The FLASK policy of the patched tree (the series adds access vectors
# of its own for the op and gives them to dom0): built with checkpolicy
# into $W/flask, for the check xen.flask-policy.  Only in a run that
# built the hypervisor (not from the cache).
build_flask_policy()
{
    local X=$W/xen-src out=$W/flask

    rm -rf "$out"
    mkdir -p "$out"
    if make -s -C "$X/tools/flask/policy" -f Makefile.common \
            XEN_ROOT="$X" FLASK_BUILD_DIR="$out" >"$out/log" 2>&1 &&
       ls "$out"/xenpolicy-* >/dev/null 2>&1; then
        echo ok >"$out/status"
    else
        echo failed >"$out/status"
    fi
}

# Flags for building against the arm64 sysroot.
sysroot_env()
{
    local SR=$W/sysroot

    export PKG_CONFIG=pkg-config
    export PKG_CONFIG_SYSROOT_DIR=$SR
    export PKG_CONFIG_LIBDIR=$SR/usr/lib/pkgconfig:$SR/usr/lib/aarch64-linux-gnu/pkgconfig:$SR/usr/share/pkgconfig
    SR_CPPFLAGS="-I$SR/usr/include -I$SR/usr/include/aarch64-linux-gnu"
    SR_RPATH="-Wl,-rpath-link,$SR/usr/lib -Wl,-rpath-link,$SR/usr/lib/aarch64-linux-gnu -Wl,-rpath-link,$SR/lib/aarch64-linux-gnu"
    SR_LDFLAGS="-L$SR/usr/lib -L$SR/usr/lib/aarch64-linux-gnu -L$SR/lib/aarch64-linux-gnu $SR_RPATH"
}

step_build_xen_tools()
{
    local X=$W/xen-src SR=$W/sysroot

    sysroot_env
    (cd "$X" && ./autogen.sh)
    cp /usr/share/misc/config.sub /usr/share/misc/config.guess "$X/"
    (cd "$X" && ./configure -q --host=aarch64-linux-gnu \
        --build=x86_64-linux-gnu --prefix=/usr \
        --disable-stubdom --disable-docs --disable-monitors \
        --disable-ocamltools --disable-golang --disable-xsmpolicy \
        --disable-seabios --disable-qemu-traditional --disable-rombios \
        --with-system-qemu=/usr/bin/qemu-system-i386 \
        --with-xenstored=xenstored \
        CPPFLAGS="$SR_CPPFLAGS" LDFLAGS="$SR_LDFLAGS" \
        APPEND_INCLUDES="$SR/usr/include $SR/usr/include/aarch64-linux-gnu" \
        APPEND_LIB="$SR/usr/lib/aarch64-linux-gnu $SR/lib/aarch64-linux-gnu") ||
        fail "xen tools configure failed"
    # In the environment, not on the command line: there it would
    # replace Xen's own -L list.
    export APPEND_LDFLAGS="$SR_RPATH"
    # shellcheck disable=SC2086
    make -s -C "$X" -j"$JOBS" dist-tools $XEN_ARCH_FLAGS ||
        fail "xen tools build (make dist-tools) failed"
    rm -rf "$W/xen-out/install"
    cp -a "$X/dist/install" "$W/xen-out/install"
}

# Restores the Xen products from the cache when their inputs did not
# change.  Returns 1 when they have to be built.
xen_from_cache()
{
    cache_hit xen-build "$XEN_BUILD_KEY" || return 1
    rm -rf "$W/xen-out"
    cp -a "$(cache_dir xen-build "$XEN_BUILD_KEY")" "$W/xen-out" || {
        rm -rf "$W/xen-out"
        return 1
    }
    rm -f "$W/xen-out/.complete"
}

step_cache_xen()
{
    cache_store xen-build "$XEN_BUILD_KEY" "$W/xen-out"
}

