#!/bin/sh
# ImageBuilder round trips on configs shaped like ImageBuilder's README
# and Xen's CI (tests/cli/fixtures/ib/NAME.config), each with the host
# DT it boots with:
#   import -o DIR                 writes one cfg per domU
#   check --boot                  passes on them
#   dtgen host                    builds the host DT from them, with the
#                                 xen,static-mem and direct-map of the
#                                 config's DOMU_STATIC_MEM, DOMU_DIRECT_MAP
#   export                        gives NAME.norm, the config's domU
#                                 variables normalised (defaults written)
#   import of the export          gives the same cfgs
#   export of those               gives the same variables again
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/cli/result.sh"
xls=$top_builddir/xl-static
src=$top_srcdir/tests/cli/fixtures/ib
dtbs=$top_builddir/tests/cli/fixtures/ib
work=$top_builddir/tests/cli/ib-work
command -v fdtget >/dev/null || { echo "imagebuilder: no fdtget"; exit 77; }
for f in "$xls" "$dtbs/virt.dtb" "$dtbs/virt-heap.dtb" "$dtbs/zynqmp.dtb"; do
    [ -f "$f" ] || { echo "imagebuilder: $f is not built"; exit 99; }
done
rm -rf "$work" && mkdir -p "$work" || exit 99
unset XL_STATIC_HOST_DTB
XL_STATIC_STATE_DIR=$work/no-state-dir
export XL_STATIC_STATE_DIR
passed=0 failed=0

# The xen,static-mem (as "BASE SIZE ..." in hex) and direct-map (0/1) of
# /chosen/NAME in a host DT.
dt_static_mem() {
    # shellcheck disable=SC2046
    set -- $(fdtget -t x "$1" "/chosen/$2" xen,static-mem 2>/dev/null)
    out= sep=
    while [ $# -ge 4 ]; do
        out=$out$sep$(printf '0x%x 0x%x' $((0x$1 * 4294967296 + 0x$2)) \
                      $((0x$3 * 4294967296 + 0x$4)))
        sep=' '
        shift 4
    done
    echo "$out"
}

# The value of VAR in a normalised export (one assignment a line).
norm_value() {
    sed -n "s/^$2=\"\{0,1\}\([^\"]*\)\"\{0,1\}\$/\1/p" "$1"
}

# round_trip NAME HOST: the steps above for fixtures/ib/NAME.config
round_trip() {
    name=$1
    dtb=$dtbs/$2.dtb
    w=$work/$name
    mkdir -p "$w/files" || return 1
    cfgs=$("$xls" import imagebuilder -o "$w/1" "$src/$name.config" \
           2>"$w/import.err") || { cat "$w/import.err"; return 1; }
    [ -s "$w/import.err" ] && { echo "import said:"; cat "$w/import.err"; return 1; }
    # shellcheck disable=SC2086
    "$xls" check --boot --host-dtb "$dtb" $cfgs >"$w/check.out" 2>&1 ||
        { cat "$w/check.out"; return 1; }
    # shellcheck disable=SC2086
    "$xls" export imagebuilder --host-dtb "$dtb" -o "$w/exported" $cfgs ||
        return 1
    diff -u "$src/$name.norm" "$w/exported" || return 1
    cfgs2=$("$xls" import imagebuilder -o "$w/2" "$w/exported") || return 1
    diff -r "$w/1" "$w/2" || return 1
    # shellcheck disable=SC2086
    "$xls" export imagebuilder --host-dtb "$dtb" $cfgs2 >"$w/exported2" &&
        cmp "$w/exported" "$w/exported2"
}

# host_dt NAME HOST: dtgen host on the imported cfgs (kernel and ramdisk
# files made up, 4 KiB each), then every domain's node against the
# normalised variables
host_dt() {
    name=$1
    dtb=$dtbs/$2.dtb
    w=$work/$name
    for f in $(sed -n 's/^DOMU_\(KERNEL\|RAMDISK\)\[[0-9]*\]="\(.*\)"$/\2/p' \
               "$w/exported"); do
        mkdir -p "$w/files/$(dirname "$f")" &&
            head -c 4096 /dev/zero >"$w/files/$f" || return 1
    done
    cfgs=$(ls "$w/1"/*.cfg)
    # shellcheck disable=SC2086
    (cd "$w/files" && "$xls" dtgen host --host-dtb "$dtb" -o "$w/host.dtb" \
        $cfgs >"$w/dtgen.out") || return 1
    n=0
    while [ "$n" -lt "$(norm_value "$w/exported" NUM_DOMUS)" ]; do
        dom=$(norm_value "$w/exported" "DOMU_NAME\[$n\]")
        want=$(norm_value "$w/exported" "DOMU_STATIC_MEM\[$n\]")
        got=$(dt_static_mem "$w/host.dtb" "$dom")
        [ "$got" = "$want" ] ||
            { echo "$dom: xen,static-mem '$got', expected '$want'"; return 1; }
        dm=0
        fdtget "$w/host.dtb" "/chosen/$dom" direct-map >/dev/null 2>&1 && dm=1
        want=$(norm_value "$w/exported" "DOMU_DIRECT_MAP\[$n\]")
        [ "$dm" = "${want:-0}" ] ||
            { echo "$dom: direct-map $dm, expected ${want:-0}"; return 1; }
        n=$((n + 1))
    done
}

round_trip qemu-smoke virt; result $? "imagebuilder qemu-smoke round trip"
host_dt qemu-smoke virt; result $? "imagebuilder qemu-smoke dtgen host"
round_trip static-heap virt-heap; result $? "imagebuilder static-heap round trip"
host_dt static-heap virt-heap; result $? "imagebuilder static-heap dtgen host"
round_trip readme zynqmp; result $? "imagebuilder readme round trip"

# import --host-dtb checks as check --boot, the static heap reserved
ok=0
"$xls" import imagebuilder --host-dtb "$dtbs/virt.dtb" -o "$work/heap" \
    "$src/static-heap.config" >/dev/null 2>&1 || ok=1
out=$("$xls" import imagebuilder --host-dtb "$dtbs/virt.dtb" \
      "$src/heap-overlap.config" 2>&1 >/dev/null)
[ $? = 1 ] || ok=1
echo "$out" | grep -q 'error: overlap-reserved: .*XEN_STATIC_HEAP' || ok=1
result $ok "imagebuilder import --host-dtb reserves XEN_STATIC_HEAP"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
