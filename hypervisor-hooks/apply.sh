#!/bin/sh
# Puts the hypervisor side of xl-static into a Xen source tree:
#   hypervisor-hooks/apply.sh XEN_SRC_DIR
# copies the public ABI header and the static pool bookkeeping (the only
# copies live here) into the tree, then applies patches/series in order;
# then the tools series, patches-tools/series (libxc, libxenguest, libxl,
# xl), after copying the sources it builds into the tree: the project's
# libraries and the glue (tools/xl-cmds/xl_glue/) go to
# tools/libs/light/xl-static/ and tools/xl/xl-static/.  Patches under
# patches-tools/wip/ are work in progress and never applied.
# Target: Xen 4.17.5 as Debian ships it (4.17.5+72-g01140da4e8).
# Fails, naming the patch, as soon as anything does not apply; a tree that
# already has the series is refused rather than patched twice.
set -eu

die() {
    echo "apply.sh: $*" >&2
    exit 1
}

[ $# -eq 1 ] || die "usage: apply.sh XEN_SRC_DIR"
xen=$1
here=$(cd "$(dirname "$0")" && pwd)

[ -f "$xen/xen/include/public/memory.h" ] ||
    die "'$xen' is not a Xen source tree (no xen/include/public/memory.h)"
[ -f "$xen/xen/include/public/static_extent.h" ] &&
    die "'$xen' already has the static-extent series"
command -v patch >/dev/null || die "patch(1) not found"

# Dry run of the whole series first, on a scratch copy of the files it
# touches, so that a tree the series does not fit is left untouched.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Every patch of both series, as DIR/NAME, in the order they apply.
all_patches() {
    for d in patches patches-tools; do
        [ -f "$here/$d/series" ] || continue
        for p in $(grep -v '^#' "$here/$d/series"); do
            echo "$d/$p"
        done
    done
}
for p in $(all_patches); do
    [ -f "$here/$p" ] || die "patch '$p' named in series is missing"
    for f in $(sed -n 's|^+++ b/\([^[:space:]]*\).*|\1|p' "$here/$p"); do
        [ -e "$tmp/$f" ] && continue
        mkdir -p "$tmp/$(dirname "$f")"
        if [ -f "$xen/$f" ]; then
            cp "$xen/$f" "$tmp/$f"
        fi
    done
done
for p in $(all_patches); do
    patch -s -p1 -d "$tmp" --no-backup-if-mismatch -f <"$here/$p" ||
        die "patch '$p' does not apply to '$xen'"
done

install -m 0644 "$here/include/public/static_extent.h" \
    "$xen/xen/include/public/static_extent.h"
install -m 0644 "$here/include/xen/static_pool.h" \
    "$xen/xen/include/xen/static_pool.h"
install -m 0644 "$here/common/static_pool.c" "$xen/xen/common/static_pool.c"

for p in $(grep -v '^#' "$here/patches/series"); do
    patch -s -p1 -d "$xen" --no-backup-if-mismatch -f <"$here/patches/$p" ||
        die "patch '$p' failed on '$xen' (the tree is now partly patched)"
    echo "applied $p"
done

# The tools series and the sources it builds.
[ -f "$here/patches-tools/series" ] || exit 0
top=$(cd "$here/.." && pwd)
lib=$xen/tools/libs/light/xl-static
xl=$xen/tools/xl/xl-static
mkdir -p "$lib" "$xl"
# libxenlight: libxlstatic without the cfg parser (it needs libxlutil,
# which needs libxenlight), dtgen, the libxl glue; the Makefile of the
# series names the objects it builds.
for f in "$top"/tools/libxl-static/*.[ch] "$top"/tools/dtgen/*.[ch] \
         "$top"/tools/xl-cmds/xl_glue/xlsg.h \
         "$top"/tools/xl-cmds/xl_glue/xlsg_libxl.c; do
    case $f in */cfg.c|*/cfgkeys.c) continue ;; esac
    install -m 0644 "$f" "$lib/"
done
# hv.c includes "public/static_extent.h" (the ABI, as in this repository)
# and "static_extent_abi.h" (the asserts that pin its layout).
mkdir -p "$lib/public"
install -m 0644 "$here/include/public/static_extent.h" "$lib/public/"
install -m 0644 "$here/include/static_extent_abi.h" "$lib/"
# xl: the cfg parser (cfg.c, cfgkeys.c), the cli's memory listing, the
# xl glue.
for f in "$top"/tools/libxl-static/cfg.c "$top"/tools/libxl-static/cfgkeys.c \
         "$top"/tools/libxl-static/*.h \
         "$top"/tools/dtgen/dtgen.h "$top"/tools/xl-cmds/xl_static.h \
         "$top"/tools/xl-cmds/cli_memlist.c "$top"/tools/xl-cmds/cli_json.c \
         "$top"/tools/xl-cmds/xl_glue/xlsg.h \
         "$top"/tools/xl-cmds/xl_glue/xlsg_xl.c; do
    install -m 0644 "$f" "$xl/"
done
for p in $(grep -v '^#' "$here/patches-tools/series"); do
    patch -s -p1 -d "$xen" --no-backup-if-mismatch -f \
        <"$here/patches-tools/$p" ||
        die "patch 'patches-tools/$p' failed on '$xen' (the tree is now partly patched)"
    echo "applied patches-tools/$p"
done
