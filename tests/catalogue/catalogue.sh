#!/bin/sh
# The bad-input catalogue: malformed and hostile inputs, each run through
# the real xl-static (see tests/catalogue/cases for the table).  For every
# case it asserts
#   - the exit status (never a signal, never a timeout);
#   - for status 1, that a finding with the expected code is printed;
#     for status 2, that the error message says the expected text;
#     for status 0, that the output says it (when the case gives one);
#   - that no sanitizer report was printed (in a sanitizer build);
#   - that no output file was written, nor a temporary one left, when
#     the status is not 0 (dtgen -o);
#   - that the registry file is byte-identical afterwards and no file
#     was added to the state directory but the lock.
# Needs top_srcdir, top_builddir and DTC (make check sets them).
# Ends with "N passed, N failed".
set -u
: "${top_srcdir:?}" "${top_builddir:?}"
DTC=${DTC:-dtc}
src=$top_srcdir
xls=$top_builddir/xl-static
cases=$src/tests/catalogue/cases
W=$top_builddir/tests/catalogue/work
S=$W/state
OUT=$W/out/out.dtb
TIMEOUT=${CATALOGUE_TIMEOUT:-60}
. "$src/tests/cli/result.sh"

fail() {
    echo "catalogue: $*" >&2
    echo "0 passed, 1 failed"
    exit 1
}

[ -x "$xls" ] || fail "$xls is not built"
rm -rf "$W"
mkdir -p "$W/reg" "$W/out" || fail "cannot create $W"

# ------------------------------------------------------------------
# Inputs.  Small helpers, then every hostile file the table names.

dtb() {     # NAME: compile the .dts on stdin into $W/NAME.dtb
    "$DTC" -q -I dts -O dtb -o "$W/$1.dtb" - || fail "dtc failed for $1"
}
poke() {    # FILE OFFSET HEXBYTES: overwrite bytes in place
    python3 -c 'import sys, binascii
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2]))
    f.write(binascii.unhexlify(sys.argv[3]))' "$1" "$2" "$3"
}
hex2bin() { # FILE.hex OUT: the regression inputs of tests/fuzz
    python3 -c 'import sys, binascii
text = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith("#"))
open(sys.argv[2], "wb").write(binascii.unhexlify(text))' "$1" "$2"
}
cfg() {     # NAME: the cfg on stdin as $W/NAME.cfg
    cat >"$W/$1.cfg"
}

# host device trees
dtb host <"$src/tests/cli/fixtures/host.dts"
# the same host without its static pool (no-pool at run time)
sed '/xen,static-pool = /,/>;/d' "$src/tests/cli/fixtures/host.dts" | dtb no-pool
for f in "$src"/tests/fixtures/host/bad-*.dts; do
    dtb "$(basename "$f" .dts)" <"$f"
done
for f in "$src"/tests/fuzz/regress/hostdtb/*.dts; do
    dtb "regress-$(basename "$f" .dts)" <"$f"
done
for f in "$src"/tests/fuzz/regress/hostdtb/*.hex; do
    hex2bin "$f" "$W/regress-$(basename "$f" .hex).dtb"
done
: >"$W/empty.dtb"
head -c 20 "$W/host.dtb" >"$W/short.dtb"
head -c 200 "$W/host.dtb" >"$W/truncated.dtb"
cp "$W/host.dtb" "$W/badmagic.dtb" && poke "$W/badmagic.dtb" 0 58585858
cp "$W/host.dtb" "$W/badversion.dtb" && poke "$W/badversion.dtb" 20 0000000100000001
cp "$W/host.dtb" "$W/hugesize.dtb" && poke "$W/hugesize.dtb" 4 7fffffff
truncate -s 65M "$W/sparse-65M.dtb"
mkdir -p "$W/dir.dtb"
dtb memreserve-wrap <<'EOF'
/dts-v1/;
/memreserve/ 0xfffffffffffff000 0x2000;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; }; };
EOF
{
    echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
    echo 'memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x40000000>; };'
    i=0
    while [ $i -lt 80 ]; do echo "n$i {"; i=$((i + 1)); done
    i=0
    while [ $i -lt 80 ]; do echo "};"; i=$((i + 1)); done
    echo '};'
} | dtb deep
# RAM as 50000 4 KiB banks 8 KiB apart: a huge count, and holes everywhere
awk 'BEGIN {
    print "/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;";
    printf "memory@50000000 { device_type = \"memory\"; reg = <";
    for (i = 0; i < 50000; i++)
        printf " 0 0x%x 0 0x1000", 1342177280 + i * 8192;
    print ">; }; };" }' | dtb huge-count
# a string in place of the cells of a xen,static-mem: "Pstatus" is two
# cells, [0x50737461, +0x74757300), memory of domU2 as much as any other
dtb static-mem-string <<'EOF'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
    chosen { #address-cells = <1>; #size-cells = <1>;
        domU2 { compatible = "xen,domain"; xen,static-mem = "Pstatus"; }; }; };
EOF

# /chosen cells that no property the host-map reader takes uses
dtb chosen-cells <<'EOF'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
    chosen { #address-cells = <0x7000002>; #size-cells = <2>; }; };
EOF

# two chosen nodes: libfdt's /chosen is the first, Xen reads both
dtb two-chosen <<'EOF'
/dts-v1/;
/ { #address-cells = <2>; #size-cells = <2>;
    memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x80000000>; };
    chosen@0 { status = "disabled"; };
    chosen { #address-cells = <2>; #size-cells = <2>;
        xen,static-pool = <0 0x50000000 0 0x20000000>; }; };
EOF

# a guest's partial device tree that is not one
printf 'not a device tree at all, but long enough for a header.....\n' >"$W/bad-partial.dtb"

# cfg files
cp "$src"/tests/catalogue/cfg/*.cfg "$W/" || fail "cannot copy the cfg files"
cfg empty </dev/null
printf 'name = "a\\nerror: forged: line"\nmemory = 64\ndirect_map = 1\n' | cfg ctl-name
printf 'name = "\\xff\\xfe"\nmemory = 64\ndirect_map = 1\n' | cfg bad-utf8-name
printf 'name = "in\0side"\nmemory = 64\ndirect_map = 1\n' | cfg nul
awk 'BEGIN { for (i = 1; i < 256; i++) printf "%c", i }' | cfg binary
awk 'BEGIN { printf "name = \""; for (i = 0; i < 100000; i++) printf "a";
             print "\"\nmemory = 64\ndirect_map = 1" }' | cfg long-name
awk 'BEGIN { printf "name = \"long\"\nstatic_mem = [ \"0x";
             for (i = 0; i < 200000; i++) printf "5"; print ":2M\" ]" }' | cfg long-item
# thousands of items: apart (banks), identical (overlaps), a long list
awk 'BEGIN { printf "name = \"many\"\ndirect_map = 1\nstatic_mem = [";
             for (i = 0; i < 5000; i++)
                 printf "%s\"0x%x:4K\"", i ? ", " : " ", 1342177280 + i * 8192;
             print " ]" }' | cfg banks-5000
awk 'BEGIN { printf "name = \"same\"\nstatic_mem = [";
             for (i = 0; i < 3000; i++) printf "%s\"0x50000000:2M\"", i ? ", " : " ";
             print " ]" }' | cfg same-3000
awk 'BEGIN { printf "name = \"keys\"\nmemory = 64\ndirect_map = 1\n";
             for (i = 0; i < 20000; i++) printf "key%d = \"%d\"\n", i, i }' | cfg keys-20000
awk 'BEGIN { printf "x = "; for (i = 0; i < 100000; i++) printf "[";
             for (i = 0; i < 100000; i++) printf "]"; print "" }' | cfg deep-list
cfg bad-partial <<EOF
name = "pt"
memory = 128
direct_map = 1
static_mem = [ "0x50000000:128M" ]
device_tree = "$W/bad-partial.dtb"
EOF
mkdir -p "$W/dir.cfg"
echo 'name = "x"' >"$W/plain"

# special files: a FIFO to read, one to write with no reader, an output
# that is a symbolic link (checked after every case: still what they are)
mkfifo "$W/fifo" "$W/ofifo" || fail "cannot make FIFOs"
echo old >"$W/link-target"
ln -s link-target "$W/out-link"
for f in big:sparse-65M.dtb fifo:fifo; do
    cfg "partial-${f%%:*}" <<EOF
name = "pt"
memory = 128
direct_map = 1
static_mem = [ "0x50000000:128M" ]
device_tree = "$W/${f#*:}"
EOF
done
# names no output may forge lines with or break the JSON of
NLCFG=$(printf '%s/nl\nforged: error: forged: x.cfg' "$W")
U8CFG=$(printf '%s/bad-\377\376.cfg' "$W")
for f in "$NLCFG" "$U8CFG"; do
    printf 'name = "odd"\nstatic_mem = [ "0x50000001:4K" ]\n' >"$f"
done
# a RAM node whose name is not UTF-8 (static-mem-list labels with it)
python3 -c 'import sys
d = open(sys.argv[1], "rb").read()
n = d.replace(b"memory@40000000\0", b"mem\xffry@40000000\0", 1)
assert n != d
open(sys.argv[2], "wb").write(n)' "$W/host.dtb" "$W/node-not-utf8.dtb" ||
    fail "cannot make node-not-utf8.dtb"

# registry files: the baseline holds one reservation, "keep"
base='{
    "version": 1,
    "reservations": [
        {
            "name": "keep",
            "direct_map": true,
            "extents": [
                {
                    "host": "0x68000000",
                    "guest": "0x68000000",
                    "size": "0x1000000"
                }
            ]
        }
    ]
}'
echo "$base" >"$W/reg/base.json"
head -c 60 "$W/reg/base.json" >"$W/reg/truncated.json"
echo 'hello, registry' >"$W/reg/not-json.json"
sed 's/"version": 1/"version": 2/' "$W/reg/base.json" >"$W/reg/version2.json"
sed 's/"version": 1/"version": "1"/' "$W/reg/base.json" >"$W/reg/version-string.json"
: >"$W/reg/empty.json"
sed 's/"host": "0x68000000"/"host": "68000000"/' "$W/reg/base.json" >"$W/reg/bad-hex.json"
sed 's/"size": "0x1000000"/"size": "0x1001"/' "$W/reg/base.json" >"$W/reg/misaligned.json"
sed 's/"name": "keep"/"name": "keep", "name": "again"/' "$W/reg/base.json" >"$W/reg/dup-key.json"
printf '{"version": 1, "reservations": [
 {"name": "a", "direct_map": true, "extents": [{"host": "0x60000000", "guest": "0x60000000", "size": "0x2000000"}]},
 {"name": "b", "direct_map": true, "extents": [{"host": "0x61000000", "guest": "0x61000000", "size": "0x2000000"}]}]}\n' \
    >"$W/reg/overlap.json"
printf '{"version": 1, "reservations": [
 {"name": "a", "direct_map": true, "extents": [{"host": "0x60000000", "guest": "0x60000000", "size": "0x1000"}]},
 {"name": "a", "direct_map": true, "extents": [{"host": "0x61000000", "guest": "0x61000000", "size": "0x1000"}]}]}\n' \
    >"$W/reg/dup-name.json"
printf '{"version": 1, "reservations": []}\0garbage' >"$W/reg/nul.json"
printf '{"version": 1, "reservations": [{"name": "x\\nerror: forged", "direct_map": true, "extents": []}]}\n' \
    >"$W/reg/ctl-name.json"
awk 'BEGIN { for (i = 0; i < 3000000; i++) printf "["; for (i = 0; i < 3000000; i++) printf "]" }' \
    >"$W/reg/deep.json"
truncate -s 17M "$W/reg/huge.json"
printf '{"version": 1, "reservations": [{"name": "keep\\u0000x", "direct_map": true, "extents": [{"host": "0x68000000", "guest": "0x68000000", "size": "0x1000000"}]}]}\n' \
    >"$W/reg/nul-escape.json"
# 8 MiB compact, which the reader takes, but more than its 16 MiB limit
# in the layout the writer uses: a commit must refuse to write it
python3 -c 'import sys
ext = lambda a: "{\"host\":\"0x%x\",\"guest\":\"0x%x\",\"size\":\"0x1000\"}" % (a, a)
res = []
for r in range(1000):
    base = 0x100000000000 + r * 128 * 0x2000
    res.append("{\"name\":\"r%05d\",\"direct_map\":true,\"extents\":[%s]}" %
               (r, ",".join(ext(base + i * 0x2000) for i in range(128))))
open(sys.argv[1], "w").write("{\"version\":1,\"reservations\":[%s]}\n" % ",".join(res))' \
    "$W/reg/full.json" || fail "cannot make full.json"
mkdir -p "$W/reg/dir.json"

# ------------------------------------------------------------------
# The run

# State dir with REG as its registry: "-" the baseline, "none" no file.
reset_state() {
    rm -rf "$S"
    mkdir -p "$S"
    case $1 in
    none) ;;
    -) cp "$W/reg/base.json" "$S/reservations.json" ;;
    dir.json) mkdir "$S/reservations.json" ;;
    fifo.json) mkfifo "$S/reservations.json" ;;
    fifo.lock)
        cp "$W/reg/base.json" "$S/reservations.json"
        mkfifo "$S/reservations.lock" ;;
    *) cp "$W/reg/$1" "$S/reservations.json" ;;
    esac
    (cd "$S" && ls -A | grep -v '^reservations\.lock$') >"$W/state.before"
}

passed=0
failed=0

check_case() {
    name=$1 want=$2 expect=$3 reg=$4
    shift 4
    problems=

    reset_state "$reg"
    rm -rf "$W/out"
    mkdir -p "$W/out"
    # a last argument '>/dev/full': standard output that fails
    stdout=$W/case.out
    json=0
    for a in "$@"; do
        case $a in
        '>/dev/full') stdout=/dev/full ;;
        -j|--json) json=1 ;;
        esac
    done
    : >"$W/case.out"
    if [ "$stdout" = /dev/full ]; then
        n=$#
        eval "set -- $(i=1; while [ $i -lt $n ]; do printf '"${%d}" ' $i; i=$((i + 1)); done)"
    fi
    t0=$(date +%s%N)
    (
        cd "$W" || exit 99
        unset XL_STATIC_HOST_DTB
        XL_STATIC_STATE_DIR=$S
        export XL_STATIC_STATE_DIR
        exec timeout "$TIMEOUT" "$xls" "$@" </dev/null \
            >"$stdout" 2>"$W/case.err"
    )
    got=$?
    ms=$((($(date +%s%N) - t0) / 1000000))

    [ "$got" = "$want" ] ||
        problems="$problems; exit status $got, expected $want"
    if grep -a -q -e 'Sanitizer' -e 'runtime error:' "$W/case.err"; then
        problems="$problems; sanitizer report"
    fi
    # what the inputs hold never reaches the terminal as control codes
    # (stdout is the point of "-o -": a device tree, binary)
    ctl_out=$W/case.out
    case " $* " in *" -o - "*) ctl_out=/dev/null ;; esac
    if cat "$ctl_out" "$W/case.err" | tr -d '\n\t' |
            LC_ALL=C grep -a -q '[[:cntrl:]]'; then
        problems="$problems; control characters in the output"
    fi
    # a name from outside never makes a line of its own
    if cat "$W/case.out" "$W/case.err" | grep -a -q '^forged'; then
        problems="$problems; a name forged an output line"
    fi
    # every -j output is one valid JSON document
    if [ $json = 1 ] && [ "$want" != 2 ] &&
       ! python3 -c 'import json, sys; json.load(open(sys.argv[1], encoding="utf-8"))' \
            "$W/case.out" 2>/dev/null; then
        problems="$problems; stdout is not valid JSON"
    fi
    # special files are never replaced
    [ -p "$W/fifo" ] && [ -p "$W/ofifo" ] && [ -L "$W/out-link" ] &&
        [ -c /dev/null ] || problems="$problems; a special file was replaced"
    case $want in
    1)  if [ $json = 1 ]; then
            grep -a -q -F -- "\"code\": \"$expect\"" "$W/case.out"
        else
            cat "$W/case.out" "$W/case.err" | grep -a -q -F -- ": error: $expect:"
        fi || problems="$problems; no '$expect' finding" ;;
    2)  # one error line, "xl-static: ...", that says it
        grep -a -F -- "$expect" "$W/case.err" | grep -a -q '^xl-static: ' ||
            problems="$problems; no error line saying '$expect'" ;;
    0)  [ "$expect" = - ] || grep -a -q -F -- "$expect" "$W/case.out" ||
            problems="$problems; stdout does not say '$expect'" ;;
    esac
    if [ "$want" != 0 ] && [ -n "$(ls -A "$W/out")" ]; then
        problems="$problems; wrote $(ls -A "$W/out" | tr '\n' ' ')"
    fi
    if { [ "$reg" = - ] || [ "$reg" = fifo.lock ]; } &&
       ! cmp -s "$W/reg/base.json" "$S/reservations.json"; then
        problems="$problems; registry changed"
    elif [ "$reg" != - ] && [ "$reg" != none ] && [ "$reg" != dir.json ] &&
         [ "$reg" != fifo.json ] && [ "$reg" != fifo.lock ] &&
         ! cmp -s "$W/reg/$reg" "$S/reservations.json"; then
        problems="$problems; registry changed"
    fi
    (cd "$S" && ls -A | grep -v '^reservations\.lock$') >"$W/state.after"
    cmp -s "$W/state.before" "$W/state.after" ||
        problems="$problems; state dir now holds: $(tr '\n' ' ' <"$W/state.after")"

    [ -z "$problems" ]
    result $? "$name ($ms ms)$problems"
    if [ -n "$problems" ]; then
        sed -e 's/^/  out: /' "$W/case.out" | head -5
        sed -e 's/^/  err: /' "$W/case.err" | head -5
    fi
}

# Lines of the table: NAME STATUS EXPECT REGISTRY ARGS..., with shell
# quoting; # starts a comment line.  Placeholders are replaced once.
sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e "s|@W@|$W|g" -e "s|@OUT@|$OUT|g" \
    -e "s|@G@|$src/tests/cli/fixtures/good|g" \
    -e "s|@E@|$src/tests/cli/fixtures/err|g" "$cases" >"$W/cases" ||
    fail "cannot read $cases"
while IFS= read -r line; do
    eval "set -- $line"
    check_case "$@"
done <"$W/cases"

[ $((passed + failed)) -ge 40 ] ||
    { echo "FAIL: the catalogue has $((passed + failed)) cases, not 40"; failed=$((failed + 1)); }
echo "$passed passed, $failed failed"
[ $failed = 0 ]
