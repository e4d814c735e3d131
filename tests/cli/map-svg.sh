#!/bin/sh
# The SVG of --map=FILE: a well-formed XML document (parsed by python3's
# xml.etree) with one <rect class="range KIND"> per row of the text map,
# in the same order and of the same kinds; the listing or plan on stdout
# is the one printed without --map; a plan with errors writes no file.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/cli/lib.sh"
. "$top_srcdir/tests/cli/result.sh"
command -v python3 >/dev/null || { echo "map-svg: no python3"; exit 77; }
# (not setup_inputs: cli.sh may be using its work directory right now)
for f in "$xls" "$host_dtb" "$conflict_dtb"; do
    [ -f "$f" ] || { echo "map-svg: $f is not built"; exit 99; }
done
work=$top_builddir/tests/cli/map-work
rm -rf "$work" && mkdir -p "$work" || exit 99
cd "$fixtures" || exit 99
XL_STATIC_STATE_DIR=$work/no-state-dir
export XL_STATIC_STATE_DIR

passed=0 failed=0

# The kinds of the rows of a text map, one a line.
text_kinds() {
    awk '/^memory map/ { m = 1 } m && /^  0x/ { print $4 }' "$1"
}

# The kinds of the range rectangles of an SVG, one a line (exit 1 when
# it does not parse).
svg_kinds() {
    python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
ns = '{http://www.w3.org/2000/svg}'
root = ET.parse(sys.argv[1]).getroot()
if root.tag != ns + 'svg':
    sys.exit('not an svg document: ' + root.tag)
for r in root.iter(ns + 'rect'):
    cls = r.get('class', '').split()
    if cls[:1] == ['range']:
        if len(cls) != 2 or float(r.get('width')) <= 0:
            sys.exit('bad range rect: %r' % r.attrib)
        print(cls[1])
PY
}

# svg_case NAME COMMAND...: COMMAND --map=FILE against COMMAND --map
svg_case() {
    name=$1
    shift
    ok=0
    "$@" --map >"$work/$name.map" 2>/dev/null || ok=1
    "$@" >"$work/$name.plain" 2>/dev/null || ok=1
    "$@" --map="$work/$name.svg" >"$work/$name.out" 2>/dev/null || ok=1
    svg_kinds "$work/$name.svg" >"$work/$name.svg-kinds" || ok=1
    text_kinds "$work/$name.map" >"$work/$name.text-kinds"
    [ -s "$work/$name.text-kinds" ] || ok=1
    cmp -s "$work/$name.svg-kinds" "$work/$name.text-kinds" || {
        diff -u "$work/$name.text-kinds" "$work/$name.svg-kinds"; ok=1; }
    cmp -s "$work/$name.out" "$work/$name.plain" || {
        echo "$name: stdout differs with --map=FILE"; ok=1; }
    result $ok "map-svg $name"
}

svg_case list "$xls" static-mem-list --host-dtb "$host_dtb"
svg_case list-conflict "$xls" static-mem-list --host-dtb "$conflict_dtb"
svg_case plan "$xls" plan --host-dtb "$host_dtb" good/direct.cfg \
    good/rambase.cfg good/twobank.cfg good/chunk.cfg good/auto-direct.cfg
svg_case plan-boot "$xls" plan --boot --host-dtb "$host_dtb" good/boot.cfg

# a planned extent is a range of its own, owned by its domain
ok=0
grep -q '<rect class="range planned"' "$work/plan.svg" || ok=1
grep -q '<title>0x50000000-0x58000000 128M planned direct ' "$work/plan.svg" || ok=1
result $ok "map-svg planned extents drawn with their owner"

# names from outside are escaped: the SVG still parses
ok=0
printf 'name = "a<b&c\\"d"\nmemory = 256\nstatic_mem = [ "0x60000000:256M" ]\n' \
    >"$work/odd.cfg"
"$xls" plan --host-dtb "$host_dtb" --map="$work/odd.svg" "$work/odd.cfg" \
    >/dev/null 2>&1 || ok=1
svg_kinds "$work/odd.svg" >/dev/null || ok=1
grep -q 'planned a&lt;b&amp;c&quot;d' "$work/odd.svg" || ok=1
result $ok "map-svg names escaped"

# a plan with errors draws nothing and writes no file
ok=0
"$xls" plan --host-dtb "$host_dtb" --map="$work/err.svg" good/direct.cfg \
    err/collide-a.cfg err/collide-b.cfg >/dev/null 2>&1
[ $? = 1 ] || ok=1
[ ! -e "$work/err.svg" ] || ok=1
result $ok "map-svg no file for a plan with errors"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
