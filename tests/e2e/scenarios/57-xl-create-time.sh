# The time of xl create (paused, so the build itself) for a 256 MiB
# direct-mapped domain whose RAM is a claimed static extent (the whole
# pool) beside a stock 256 MiB domain, in the same boot: a figure,
# printed as the ratio of the medians of three creates each.
. /e2e/lib.sh

# NAME CFG: prints the milliseconds xl create -p took, or nothing.
timed()
{
    e2e_create_ms time "$1" "$2" || return 1
    xl destroy "$1"
}

stock=$(e2e_guest_cfg st7 "memory = 256")
static=$(e2e_guest_cfg ss7 "memory = 256" "direct_map = 1" \
         "static_mem = [\"${E2E_POOL%%:*}:256M\"]")
# three pairs, alternating, in the same boot: the ratio of the medians
: >/tmp/st7.times
: >/tmp/ss7.times
ok=1
for i in 1 2 3; do
    ts=$(timed st7 "$stock") && [ -n "$ts" ] && echo "$ts" >>/tmp/st7.times || ok=0
    tx=$(timed ss7 "$static") && [ -n "$tx" ] && echo "$tx" >>/tmp/ss7.times || ok=0
    e2e_release ss7
done
ms=$(e2e_median </tmp/st7.times)
mx=$(e2e_median </tmp/ss7.times)
if [ $ok = 1 ] && [ "${ms:-0}" -gt 0 ]; then
    ratio=$(awk -v a="$mx" -v b="$ms" 'BEGIN { printf "%.2f", a / b }')
    e2e_pass time.create-ratio "median static $mx ms / stock $ms ms = $ratio (static $(echo $(cat /tmp/ss7.times)) ms; stock $(echo $(cat /tmp/st7.times)) ms)"
else
    e2e_fail time.create-ratio "a create failed (stock '$(tr '\n' ' ' </tmp/st7.times)', static '$(tr '\n' ' ' </tmp/ss7.times)')"
fi
