#!/bin/sh
# The vbd hotplug script of the e2e driver domain (tests/e2e/guest/
# drvdom.sh), installed there as /etc/xen/scripts/block, libxl's default
# for a disk, and run by xl devd with add or remove: the block device
# named by the backend's "params" becomes its "physical-device"
# (major:minor in hex), which blkback then opens.  Xen's own "block"
# script does the same in bash, which the busybox guest does not have.
dir=${XENBUS_PATH:?}
case ${1:-} in
add)
    dev=$(xenstore-read "$dir/params") || exit 1
    [ -b "$dev" ] || {
        xenstore-write "$dir/hotplug-error" "$dev is not a block device"
        exit 1
    }
    xenstore-write "$dir/physical-device" "$(stat -L -c '%t:%T' "$dev")" \
        "$dir/hotplug-status" connected
    ;;
remove)
    xenstore-write "$dir/hotplug-status" disconnected 2>/dev/null
    ;;
esac
exit 0
