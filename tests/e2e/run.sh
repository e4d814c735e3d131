#!/bin/bash
# Real Xen end to end: builds the patched Xen and this project's tools
# for arm64, boots them under qemu-system-aarch64 (TCG) and runs the
# scenarios of tests/e2e/scenarios in dom0.  See tests/e2e/README.md.
#
#   tests/e2e/run.sh BUILDDIR
#
# Environment:
#   XLS_E2E_CACHE       cache directory for build products (unset: none)
#   JOBS                parallel make jobs (default 2)
#   E2E_ARM64_TARGETS  programs of this repository to cross-build and
#                       ship in dom0 (make targets; set by local.mk)
#   E2E_SCENARIO_TIMEOUT  seconds each dom0 scenario may run (default 120)
#   E2E_ONLY            run only the steps up to and including this one
#   E2E_SCENARIOS       run only these dom0 scenarios (names without .sh,
#                       space-separated) and skip the boot without the
#                       direct-map opt-in (scripts/run-xen-demo uses it)
#
# Prints "PASS name" / "FAIL name: why" per check and ends with
# "N passed, N failed"; exits non-zero on any failure.
set -euo pipefail

# The Xen source version hypervisor-hooks/patches target.
XEN_VERSION=4.17.5+72-g01140da4e8-1

E2E_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$E2E_DIR/../.." && pwd)

[ $# -eq 1 ] || { echo "usage: $0 BUILDDIR" >&2; exit 2; }
BUILD=$(cd "$1" && pwd)
W=$BUILD/e2e
JOBS=${JOBS:-2}
E2E_ARM64_TARGETS=${E2E_ARM64_TARGETS-xl-static}
E2E_SCENARIO_TIMEOUT=${E2E_SCENARIO_TIMEOUT:-120}
export LC_ALL=C E2E_SCENARIO_TIMEOUT
if [ -n "${XLS_E2E_CACHE:-}" ]; then
    mkdir -p "$XLS_E2E_CACHE"
    XLS_E2E_CACHE=$(cd "$XLS_E2E_CACHE" && pwd)
fi

. "$E2E_DIR/lib/util.sh"
. "$E2E_DIR/lib/fetch.sh"
. "$E2E_DIR/lib/xen.sh"
. "$E2E_DIR/lib/tools.sh"
. "$E2E_DIR/lib/image.sh"
. "$E2E_DIR/lib/boot.sh"

# Keep the incremental arm64 build of this repository; everything else
# of the work directory is made anew.
mkdir -p "$W"
find "$W" -mindepth 1 -maxdepth 1 ! -name arm64-build -exec rm -rf {} +
mkdir -p "$W/logs"
XEN_BUILD_KEY=$(xen_build_key)

log "e2e: work dir $W, cache ${XLS_E2E_CACHE:-none}, xen $XEN_VERSION"

only()
{
    if [ "${E2E_ONLY:-}" = "$1" ]; then
        log "stopping after step $1 (E2E_ONLY)"
        exit 0
    fi
}

step host-tools step_host_tools; only host-tools
step arm64-debs step_arm64_debs; only arm64-debs
if xen_from_cache; then
    log "xen hypervisor and tools from cache ($XEN_BUILD_KEY)"
else
    step xen-source step_xen_source; only xen-source
    step apply-hooks step_apply_hooks; only apply-hooks
    step hypervisor step_build_hypervisor; only hypervisor
    step xen-tools step_build_xen_tools; only xen-tools
    step cache-xen step_cache_xen
fi
step arm64-tools step_build_arm64_tools; only arm64-tools
step guest-module step_guest_module
step domu-initramfs step_domu_initramfs
step drv-initramfs step_drv_initramfs
step disks step_disks
step dom0-initramfs step_dom0_initramfs
step host-dtb step_host_dtb; only host-dtb
step dom0-tail step_dom0_tail
step boot step_boot
[ -n "${E2E_SCENARIOS:-}" ] || step boot-noopt step_boot_noopt
log "e2e: total $(( $(date +%s) - E2E_T0 ))s"
check_all
