# The create benchmark (make bench-e2e): in one boot, creates (paused:
# the build itself) of a stock domain and of a direct-mapped static one
# of the same size, alternating, ROUNDS times each, at 256 MiB (the pool
# at 0x70000000) and 1 GiB (the pool at 0x100000000); then the restart
# of each (xl destroy and xl create again, timed together).  Prints
# every figure, the medians and their ratios as E2E-BENCH lines, and
# Xen's own figures for each claim (its time and the frames it had to
# scrub itself).  It asserts nothing about time: its one result says it
# measured.
# e2e-bench
# e2e-timeout: 1500
. /e2e/lib.sh

rounds=${E2E_BENCH_ROUNDS:-5}
bad=

bench() { echo "E2E-BENCH $*"; }

# NAME CFG: destroys NAME and creates it again, prints the milliseconds.
restart_ms()
{
    _t0=$(e2e_ms)
    xl destroy "$1" || return 1
    e2e_create_ms bench "$1" "$2" >/dev/null || return 1
    echo $(($(e2e_ms) - _t0))
}

# PREFIX: adds Xen's figures of bss's claims since the log was cleared
# to PREFIX-us and PREFIX-scrubbed
claim_figures()
{
    e2e_claim_figures bss >/tmp/bss.fig
    cut -d' ' -f1 /tmp/bss.fig >>"$1-us"
    cut -d' ' -f2 /tmp/bss.fig >>"$1-scrubbed"
}

# FILE LABEL: prints the figures of FILE and their median
report()
{
    bench "$2 ms: $(echo $(cat "$1")) median $(e2e_median <"$1")"
}

for size in 256 1024; do
    if [ $size = 256 ]; then pool=${E2E_POOL%%:*}; else pool=${E2E_POOL_BIG%%:*}; fi
    m=$( [ $size = 256 ] && echo 256M || echo 1G )
    stock=$(e2e_guest_cfg bst "memory = $size")
    static=$(e2e_guest_cfg bss "memory = $size" "direct_map = 1" \
             "static_mem = [\"$pool:$m\"]")
    for f in stock static stock-restart static-restart claim-us claim-scrubbed \
             restart-claim-us restart-claim-scrubbed; do
        : >"/tmp/b$size.$f"
    done
    i=0
    while [ $i -lt "$rounds" ]; do
        i=$((i + 1))
        t=$(e2e_create_ms bench bst "$stock") && echo "$t" >>"/tmp/b$size.stock" || bad="$bad stock-$size"
        t=$(restart_ms bst "$stock") && echo "$t" >>"/tmp/b$size.stock-restart" || bad="$bad stock-restart-$size"
        xl destroy bst 2>/dev/null

        xl dmesg -c >/dev/null
        t=$(e2e_create_ms bench bss "$static") && echo "$t" >>"/tmp/b$size.static" || bad="$bad static-$size"
        claim_figures "/tmp/b$size.claim"
        xl dmesg -c >/dev/null
        t=$(restart_ms bss "$static") && echo "$t" >>"/tmp/b$size.static-restart" || bad="$bad static-restart-$size"
        claim_figures "/tmp/b$size.restart-claim"
        xl destroy bss 2>/dev/null
        e2e_release bss
    done
    report "/tmp/b$size.stock" "create stock ${size}M"
    report "/tmp/b$size.static" "create static-1:1 ${size}M"
    report "/tmp/b$size.stock-restart" "restart stock ${size}M"
    report "/tmp/b$size.static-restart" "restart static-1:1 ${size}M"
    for c in "claim first create" "restart-claim restart"; do
        f=/tmp/b$size.${c%% *}
        bench "claim ${size}M (Xen's figure, ${c#* }) us: $(echo $(cat "$f-us")) median $(e2e_median <"$f-us"); frames scrubbed by the claim: $(echo $(cat "$f-scrubbed"))"
    done
    ms=$(e2e_median <"/tmp/b$size.stock")
    mx=$(e2e_median <"/tmp/b$size.static")
    rs=$(e2e_median <"/tmp/b$size.static-restart")
    if [ "${ms:-0}" -gt 0 ] && [ "${mx:-0}" -gt 0 ]; then
        bench "ratio create static/stock ${size}M (medians): $(awk -v a="$mx" -v b="$ms" 'BEGIN { printf "%.2f", a / b }')"
        bench "ratio restart/create static ${size}M (medians): $(awk -v a="$rs" -v b="$mx" 'BEGIN { printf "%.2f", a / b }')"
    fi
done

if [ -z "$bad" ]; then
    e2e_pass bench.create "$rounds rounds at 256M and 1G (figures: E2E-BENCH lines)"
else
    e2e_fail bench.create "failed:$bad"
fi
