#!/bin/sh
# Writes the seed corpora of the fuzz targets from the test fixtures:
#   mkseeds.sh SRCDIR OUTDIR [DTC]
# OUTDIR/cfg         every cfg of the CLI fixtures and examples
# OUTDIR/hostdtb     every host .dts of the fixtures, compiled with dtc
# OUTDIR/plan-dtgen  flags byte + cfg(s) + NUL + DTB (fuzz_plan_dtgen.c)
# OUTDIR/registry    tests/fuzz/seeds/registry (the format has no .dts)
# OUTDIR/imagebuilder  the ImageBuilder configs of the CLI fixtures
# OUTDIR/registry-commit, OUTDIR/json   made here (fuzz_registry_commit.c,
#                    fuzz_json.c give the formats)
# Nothing here is committed: the seeds follow the fixtures.
set -eu
src=$1
out=$2
dtc=${3:-dtc}

rm -rf "$out"
mkdir -p "$out/cfg" "$out/hostdtb" "$out/plan-dtgen" "$out/registry" \
    "$out/registry-commit" "$out/json" "$out/imagebuilder"

# imagebuilder: the ImageBuilder configs of the CLI fixtures
cp "$src"/tests/cli/fixtures/ib/*.config "$out/imagebuilder/"

n=0
for f in "$src"/tests/cli/fixtures/good/*.cfg "$src"/tests/cli/fixtures/err/*.cfg \
         "$src"/examples/*.cfg "$src"/examples/bad/*.cfg; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$out/cfg/$n-$(basename "$f")"
done

for f in "$src"/tests/fixtures/host/*.dts "$src"/tests/cli/fixtures/host.dts \
         "$src"/tests/unit/dtgen/fixtures/host*.dts "$src"/examples/host.dts; do
    [ -f "$f" ] || continue
    # tests/cli/fixtures/host.dts -> cli-fixtures-host.dtb
    name=$(echo "${f#"$src"/}" | sed -e 's,^tests/,,' -e 's,^unit/,,' -e 's,/,-,g')
    "$dtc" -q -I dts -O dtb -o "$out/hostdtb/${name%.dts}.dtb" "$f"
done

cp "$src"/tests/fuzz/seeds/registry/*.json "$out/registry/"

# registry-commit: limit (2 bytes, 128 + 4 * value), then records of
# flags, name length, name, extents, step; json: strings split at NUL
python3 - "$out" <<'PYEOF'
import sys
out = sys.argv[1]
def rec(flags, name, nr=1, step=0):
    return bytes([flags, len(name)]) + name + bytes([nr, step])
def lim(v):
    return bytes([v & 0xff, v >> 8])
seeds = {
    "one": lim(256) + rec(5, b"dom1"),
    "invalid-names": lim(4096) + rec(4, b"\xff\xfe") + rec(4, b"ok\x01") +
        rec(4, b"caf\xc3\xa9") + rec(4, b"\xed\xa0\x80") + rec(4, b""),
    "long-names": lim(8192) + rec(13, b"ab\xc3\xa9", 3) + rec(12, b"x", 2) +
        rec(8, b"\xff", 1),
    # one reservation of 128 extents is 19,827 bytes: limits around it
    "many-extents-under": lim(4930) + rec(5, b"big", 128, 1),
    "many-extents-over": lim(4920) + rec(5, b"big", 128, 1) + rec(6, b"big"),
    "grow-past-limit": lim(4000) + b"".join(
        rec(4, b"d%d" % i, 40, 2) for i in range(8)),
    "overlap": lim(2048) + rec(4, b"a", 4) + rec(20, b"b", 2) +
        rec(32, b"c", 1) + rec(33, b"d", 1) + rec(6, b"a"),
}
for name, data in seeds.items():
    open(out + "/registry-commit/" + name, "wb").write(data)
json = {
    "names": b"examples/domU1.cfg\0domU1\0/chosen/domU1\0memory of 'x'",
    "invalid": b"\xff\xfe\0caf\xc3\xa9\0\xed\xa0\x80\0\xc0\x80\0"
        b"\xf4\x90\x80\x80\0ab\xe2\x82",
    "escapes": b"tab\there\0nl\nx\0\"q\" \\ \x01\x1f\x7f\0\xf0\x9f\x98\x80",
}
for name, data in json.items():
    open(out + "/json/" + name, "wb").write(data)
PYEOF

# pairs: each good cfg with the hosts it was written for, at run time
# (flags 0) and at boot (flags 2, 18 with a ramdisk); two cfgs (1, 3);
# a partial device tree (8)
byte() { printf "\\$(printf '%03o' "$1")"; }
pair() {    # FLAGS DTB CFG...
    flags=$1
    dtb=$2
    shift 2
    n=$((n + 1))
    {
        byte "$flags"
        for c in "$@"; do
            cat "$c"
            byte 0
        done
        cat "$dtb"
    } >"$out/plan-dtgen/$n"
}
clihost="$out/hostdtb/cli-fixtures-host.dtb"
exhost="$out/hostdtb/examples-host.dtb"
for c in "$src"/tests/cli/fixtures/good/*.cfg; do
    pair 0 "$clihost" "$c"
    pair 2 "$clihost" "$c"
done
for c in "$src"/examples/*.cfg; do
    pair 0 "$exhost" "$c"
    pair 18 "$exhost" "$c"
    pair 10 "$exhost" "$c"
done
pair 1 "$clihost" "$src/tests/cli/fixtures/good/direct.cfg" \
    "$src/tests/cli/fixtures/good/chunk.cfg"
pair 3 "$clihost" "$src/tests/cli/fixtures/good/boot.cfg" \
    "$src/tests/cli/fixtures/good/auto-direct.cfg"
for f in "$src"/tests/unit/dtgen/fixtures/partial*.dts; do
    [ -f "$f" ] || continue
    p="$out/plan-dtgen/partial.dtb"
    "$dtc" -q -I dts -O dtb -o "$p" "$f"
    pair 8 "$p" "$src/tests/cli/fixtures/good/twobank.cfg"
    rm -f "$p"
done
# inputs that once found a bug (tests/fuzz/regress): text as it is,
# host DTBs as .dts, plan-dtgen cases as NAME.flags + NAME*.cfg + NAME.dts,
# and inputs no .dts can express as NAME.hex (hex bytes, # comments)
r=$src/tests/fuzz/regress
for f in "$r"/*/*.hex; do
    [ -f "$f" ] || continue
    t=$(basename "$(dirname "$f")")
    python3 -c 'import sys, binascii
text = "".join(l.strip() for l in open(sys.argv[1]) if not l.startswith("#"))
open(sys.argv[2], "wb").write(binascii.unhexlify(text))' \
        "$f" "$out/$t/regress-$(basename "$f" .hex)"
done
for f in "$r"/cfg/*.cfg; do
    [ -f "$f" ] && cp "$f" "$out/cfg/regress-$(basename "$f")"
done
for f in "$r"/registry/*.json; do
    [ -f "$f" ] && cp "$f" "$out/registry/regress-$(basename "$f")"
done
for f in "$r"/hostdtb/*.dts; do
    [ -f "$f" ] || continue
    "$dtc" -q -I dts -O dtb -o "$out/hostdtb/regress-$(basename "$f" .dts).dtb" "$f"
done
for f in "$r"/plan-dtgen/*.flags; do
    [ -f "$f" ] || continue
    base=${f%.flags}
    "$dtc" -q -I dts -O dtb -o "$out/plan-dtgen/regress.dtb" "$base.dts"
    # shellcheck disable=SC2046
    pair "$(cat "$f")" "$out/plan-dtgen/regress.dtb" $(ls "$base"*.cfg)
    rm -f "$out/plan-dtgen/regress.dtb"
done
echo "seeds: $(ls "$out/cfg" | wc -l) cfg, $(ls "$out/hostdtb" | wc -l) hostdtb," \
     "$(ls "$out/plan-dtgen" | wc -l) plan-dtgen, $(ls "$out/registry" | wc -l) registry," \
     "$(ls "$out/registry-commit" | wc -l) registry-commit, $(ls "$out/json" | wc -l) json"
