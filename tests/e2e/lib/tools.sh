# Build step of this repository's programs for arm64 (sourced by
# run.sh), against the arm64 sysroot ($W/sysroot: the debs, with Xen's
# $W/xen-out/install/usr overlaid) in $W/arm64-build/.

# This repository for aarch64, against the sysroot plus Xen's freshly
# built libraries and headers.  The build directory is kept between
# runs (incremental) and configured again when the sysroot changed.
step_build_arm64_tools()
{
    local B=$W/arm64-build SR=$W/sysroot key

    cp -a "$W/xen-out/install/usr/." "$SR/usr/"
    sysroot_env
    key="$DEBS_KEY $XEN_BUILD_KEY $(sha256sum <"$TOP/configure")"
    if [ ! -f "$B/Makefile" ] || [ "$(cat "$B/.e2e-key" 2>/dev/null)" != "$key" ]; then
        rm -rf "$B"
        mkdir -p "$B"
        (cd "$B" && "$TOP/configure" -q --host=aarch64-linux-gnu \
            --build=x86_64-linux-gnu --prefix=/usr \
            CPPFLAGS="$SR_CPPFLAGS" LDFLAGS="$SR_LDFLAGS") ||
            fail "configure of this repository for aarch64 failed (see $B/config.log)"
        echo "$key" >"$B/.e2e-key"
    fi
    [ -n "$E2E_ARM64_TARGETS" ] || { echo "no arm64 programs requested"; return 0; }
    # shellcheck disable=SC2086
    make -s -C "$B" -j"$JOBS" $E2E_ARM64_TARGETS ||
        fail "cross build of $E2E_ARM64_TARGETS for aarch64 failed"
    local p
    for p in $E2E_ARM64_TARGETS; do
        aarch64-linux-gnu-readelf -h "$B/$p" | grep -q 'AArch64' ||
            fail "$p is not an aarch64 program"
    done
}
