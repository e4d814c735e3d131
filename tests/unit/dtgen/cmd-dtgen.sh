#!/bin/sh
# The xl-static dtgen commands end to end on fixture hosts: the device
# trees they write (read back with dtc and with xl-static itself), their
# exit statuses, and that a failing run leaves no output behind.
# Ends with "N passed, N failed"; exits 1 when a case failed.
# Environment (set by make check): top_srcdir, top_builddir, DTC.
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
DTC=${DTC:-dtc}
xls=$top_builddir/xl-static
fix=$top_builddir/tests/unit/dtgen/fixtures
cfgs=$top_srcdir/tests/unit/dtgen/cfg
work=$top_builddir/tests/unit/dtgen/cmd-work
pass=0
fail=0

ok() { echo "PASS: $1"; pass=$((pass + 1)); }
ko() { echo "FAIL: $1"; fail=$((fail + 1)); }
# check NAME COMMAND...: passes when COMMAND succeeds
check() {
    name=$1
    shift
    if "$@"; then ok "$name"; else ko "$name"; fi
}
# xls EXPECTED-STATUS NAME ARGS...: runs xl-static in $work
xls() {
    want=$1 name=$2
    shift 2
    (cd "$work" && "$xls" "$@") >"$work/$name.out" 2>"$work/$name.err"
    got=$?
    if [ "$got" = "$want" ]; then
        ok "$name: exit $want"
    else
        ko "$name: exit $got, expected $want"
        cat "$work/$name.err"
    fi
}
dts() { "$DTC" -q -I dtb -O dts -s "$1"; }

for f in host host-high; do
    if [ ! -f "$fix/$f.dtb" ]; then
        echo "cmd-dtgen: $fix/$f.dtb is not built (make check builds it)" >&2
        echo "0 passed, 1 failed"
        exit 1
    fi
done
rm -rf "$work"
mkdir -p "$work"
cd "$work" || exit 1
head -c 1234567 /dev/zero >Image
head -c 3000 /dev/zero >rd.cpio
head -c 100 "$fix/host.dtb" >truncated.dtb
# host.dtb with a static pool at 0x60000000 (256M), for the run-time
# guests (a run-time domain's memory is claimed from the pool: no-pool)
dts "$fix/host.dtb" |
    sed '/^\tchosen {/a xen,static-pool = <0x00 0x60000000 0x00 0x10000000>;' |
    "$DTC" -q -I dts -O dtb -o pool.dtb - || ko "pool.dtb: dtc failed"

# ---- dtgen guest ----------------------------------------------------
cp "$cfgs/dm.cfg" dm.cfg
xls 0 guest-dm dtgen guest --host-dtb pool.dtb -o dm.dtb dm.cfg
dts dm.dtb >dm.dts
check "guest-dm: memory@60000000 of 256M" \
    grep -q 'reg = <0x00 0x60000000 0x00 0x10000000>' dm.dts
check "guest-dm: dma-offset 0" grep -q 'dma-offset = <0x00 0x00>;' dm.dts
check "guest-dm: grant table at 0x38000000" \
    grep -q 'reg = <0x00 0x38000000 0x00 0x1000000 ' dm.dts

# contiguous at host 0x800000000 (rambase_pfn), guest at 0x40000000
cp "$cfgs/high.cfg" high.cfg
xls 0 guest-high dtgen guest --host-dtb "$fix/host-high.dtb" -o high.dtb \
    high.cfg
dts high.dtb >high.dts
check "guest-high: memory@40000000" grep -q 'memory@40000000 {' high.dts
check "guest-high: dma-offset 0x7c0000000" \
    grep -q 'dma-offset = <0x07 0xc0000000>;' high.dts
xls 0 guest-gicv2 dtgen guest --host-dtb "$fix/host-high.dtb" \
    --gic-version 2 --xen-version 4.18 -o v2.dtb high.cfg
check "guest-gicv2: options" sh -c "'$DTC' -q -I dtb -O dts v2.dtb |
    grep -q 'arm,cortex-a15-gic' && '$DTC' -q -I dtb -O dts v2.dtb |
    grep -q 'xen,xen-4.18'"

# with a partial device tree: /passthrough gets dma-ranges
cat >pt.cfg <<EOC
name = "pt"
memory = 512
rambase_pfn = 0x800000
device_tree = "$fix/partial.dtb"
EOC
xls 0 guest-partial dtgen guest --host-dtb "$fix/host-high.dtb" -o pt.dtb \
    pt.cfg
check "guest-partial: dma-ranges <host guest size>" grep -q \
    'dma-ranges = <0x08 0x00 0x00 0x40000000 0x00 0x20000000>;' \
    "$(dts pt.dtb >pt.dts; echo pt.dts)"

# findings: exit 1, nothing written, an old output kept
echo old >keep.dtb
cp "$cfgs/bad.cfg" bad.cfg
xls 1 guest-findings dtgen guest --host-dtb pool.dtb -o keep.dtb \
    bad.cfg
check "guest-findings: old output kept" grep -qx old keep.dtb
check "guest-findings: codes printed" grep -q 'error: ' guest-findings.err
check "guest-findings: no temporary left" \
    sh -c '! ls keep.dtb.tmp* >/dev/null 2>&1'
# a run-time guest with static memory on a host without a pool: the
# check's no-pool finding, nothing written
xls 1 guest-no-pool dtgen guest --host-dtb "$fix/host.dtb" -o keep.dtb dm.cfg
check "guest-no-pool: the finding" \
    grep -q 'error: no-pool: direct_map: the host declares no static pool' \
    guest-no-pool.err
check "guest-no-pool: old output kept" grep -qx old keep.dtb
xls 2 guest-corrupt dtgen guest --host-dtb truncated.dtb -o x.dtb dm.cfg
xls 2 guest-nocfg dtgen guest --host-dtb "$fix/host.dtb" -o x.dtb none.cfg
xls 2 guest-noout dtgen guest --host-dtb "$fix/host.dtb" dm.cfg
xls 2 guest-badgic dtgen guest --gic-version 4 -o x.dtb dm.cfg
check "guest-errors: nothing written" test ! -e x.dtb
xls 2 dtgen-nosub dtgen

# ---- dtgen host -----------------------------------------------------
cp "$cfgs/d1.cfg" d1.cfg
cp "$cfgs/d2.cfg" d2.cfg
xls 0 host-two dtgen host --host-dtb "$fix/host.dtb" -o two.dtb \
    --pool 0x80000000:512M --kernel d2=Image@0x44000000 d1.cfg d2.cfg
dts two.dtb >two.dts
check "host-two: load map" grep -qx \
    'd2 kernel 0x44000000 0x12d687 Image' host-two.out
check "host-two: three modules listed" test "$(wc -l <host-two.out)" = 3
check "host-two: d1 static-mem" \
    grep -q 'xen,static-mem = <0x00 0x60000000 0x00 0x8000000>;' two.dts
check "host-two: pool" \
    grep -q 'xen,static-pool = <0x00 0x80000000 0x00 0x20000000>;' two.dts
# the output passes the project's own check, domains owning their memory
xls 0 host-two-check check --boot --host-dtb two.dtb d1.cfg d2.cfg
xls 0 host-two-list static-mem-list --host-dtb two.dtb
check "host-two: d1 owns its memory" grep -q 'd1' host-two-list.out
# run again on its own output: same result
xls 0 host-again dtgen host --host-dtb two.dtb -o again.dtb \
    --pool 0x80000000:512M --kernel d2=Image@0x44000000 d1.cfg d2.cfg
check "host-again: identical" cmp -s two.dtb again.dtb

echo old >keep.dtb
xls 2 host-nokernel dtgen host --host-dtb "$fix/host.dtb" -o keep.dtb \
    d1.cfg d2.cfg
xls 2 host-noname dtgen host --host-dtb "$fix/host.dtb" -o keep.dtb \
    --kernel Image d1.cfg d2.cfg
xls 2 host-unknown-name dtgen host --host-dtb "$fix/host.dtb" -o keep.dtb \
    --kernel d3=Image d1.cfg d2.cfg
xls 2 host-badpool dtgen host --host-dtb "$fix/host.dtb" -o keep.dtb \
    --pool 0x80000000 d1.cfg
xls 2 host-nohost dtgen host -o keep.dtb d1.cfg
xls 1 host-findings dtgen host --host-dtb "$fix/host.dtb" -o keep.dtb \
    --pool 0x5c000000:128M --kernel d1=Image@0x4e000000 d1.cfg
check "host-findings: both reported" sh -c \
    "grep -q 'overlap-reserved: kernel' host-findings.err &&
     grep -q 'overlap-reserved: static_mem' host-findings.err"
check "host-findings: old output kept" grep -qx old keep.dtb

# ---- dtgen host: passthrough (dom0less) ------------------------------
cp "$fix/partial-pt.dtb" pt.dtb
cp "$cfgs/p1.cfg" p1.cfg
xls 0 host-pt dtgen host --host-dtb "$fix/host-pt.dtb" -o pthost.dtb \
    --passthrough-dtb p1=p1-pt.dtb@0x4c000000 p1.cfg
check "host-pt: load map" grep -qx \
    "p1 device-tree 0x4c000000 $(printf '0x%x' "$(stat -c %s p1-pt.dtb)") p1-pt.dtb" \
    host-pt.out
check "host-pt: unsafe-dma warned" grep -q 'warning: unsafe-dma' host-pt.err
dts pthost.dtb >pthost.dts
dts p1-pt.dtb >p1-pt.dts
check "host-pt: module node" sh -c \
    "grep -A2 'module@4c000000 {' pthost.dts | grep -q 'multiboot,device-tree'"
check "host-pt: uart kept from dom0" sh -c \
    "grep -A5 'pl011@9000000 {' pthost.dts | grep -q 'xen,passthrough;'"
check "host-pt: xen,path" \
    grep -q 'xen,path = "/soc/dma@9200000";' p1-pt.dts
check "host-pt: xen,reg moved" \
    grep -q 'xen,reg = <0x00 0x9000000 0x00 0x1000 0x00 0x23000000>;' p1-pt.dts

echo old >keep.dtb
rm -f none-pt.dtb
xls 2 host-pt-noopt dtgen host --host-dtb "$fix/host-pt.dtb" -o keep.dtb p1.cfg
check "host-pt-noopt: says which option" \
    grep -q -- '--passthrough-dtb p1=OUT.dtb' host-pt-noopt.err
sed 's/"9200,1"/"9300,1"/' p1.cfg >p2.cfg
xls 1 host-pt-findings dtgen host --host-dtb "$fix/host-pt.dtb" -o keep.dtb \
    --passthrough-dtb p1=none-pt.dtb p2.cfg
check "host-pt-findings: missing iomem" \
    grep -q "error: missing: iomem: device '/passthrough/dma@9200000'" \
    host-pt-findings.err
check "host-pt-findings: nothing written" sh -c \
    "grep -qx old keep.dtb && test ! -e none-pt.dtb"

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
