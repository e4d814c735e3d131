# e2e-timeout: 240
# xl's restart actions keep a static domain's memory (issue 12): four
# Linux guests, each ended again and again in its own way, restarted by
# the xl process that created them, every instance on the same host RAM.
# Evidence per instance: the guest's own view (its /proc/iomem RAM line,
# and for a contiguous guest the dma-offset of its hypervisor node, i.e.
# where its RAM is on the host) and the hypervisor's (the extents the
# query says the domain owns, sampled while it runs).
#   rsa  static_mem (0x100000000, 128M)  sysrq b (reboot) on_reboot
#   rsb  mem_chunk 64, memory 128        kernel panic      on_crash
#                                        reported to Xen
#                                        (xen_panic_report.ko)
#   rsc  1:1, static_mem 0x70000000 256M kernel panic,    on_reboot
#                                        panic=1 (sysrq c)
#   rsd  static_mem (0x108000000, 128M)  dom0's xl reboot on_reboot
. /e2e/lib.sh

big=${E2E_POOL_BIG%%:*}
small=${E2E_POOL%%:*}
n=3                     # instances of each guest: the first and two restarts

cfg_rsc=$(e2e_guest_cfg rsc --run restart "memory = 256" "direct_map = 1" \
          "static_mem = [\"$small:256M\"]" 'on_reboot = "restart"')
cfg_rsa=$(e2e_guest_cfg rsa --run restart \
          "static_mem = [\"$(printf '0x%x' $((big))):128M\"]" \
          'on_reboot = "restart"')
cfg_rsd=$(e2e_guest_cfg rsd --run restart \
          "static_mem = [\"$(printf '0x%x' $((big + 0x8000000))):128M\"]" \
          'on_reboot = "restart"')
cfg_rsb=$(e2e_guest_cfg rsb --run restart "mem_chunk = 64" \
          'on_crash = "restart"')
sed -i 's/e2e.run=restart/& e2e.act=reboot/' "$cfg_rsa"
sed -i 's/e2e.run=restart/& e2e.act=crash/' "$cfg_rsb"
sed -i 's/e2e.run=restart/& e2e.act=panic panic=1/' "$cfg_rsc"
sed -i 's/e2e.run=restart/& e2e.act=wait/' "$cfg_rsd"


guests=
for g in rsc rsa rsd rsb; do
    eval "c=\$cfg_$g"
    if xl create "$c" >/tmp/$g.create 2>&1; then
        guests="$guests $g"
    else
        e2e_fail "restart.create-$g" "xl create failed"
        sed "s/^/[restart.$g] /" /tmp/$g.create
    fi
    : >/tmp/$g.inst
done

# Watch: record each new instance (domid and the extents it owns) while
# it runs; xl reboot rsd once it has said its RAM; stop a guest after n
# instances that said their RAM, or when the time is up.
up() { cut -d. -f1 /proc/uptime; }
end=$(($(up) + 180))
left=$guests
while [ -n "$left" ] && [ "$(up)" -lt $end ]; do
    still=
    for g in $left; do
        id=$(xl domid $g 2>/dev/null)
        if [ -n "$id" ] && ! grep -q "^$id " /tmp/$g.inst; then
            a=$(e2e_assigned $g | tr '\n' ' ')
            if [ -n "$a" ]; then
                echo "$id $a" >>/tmp/$g.inst
                echo "[restart] $(up)s: $g instance d$id on $a"
            fi
        fi
        ninst=$(wc -l </tmp/$g.inst)
        nram=$(e2e_guest_marker $g RAM | wc -l)
        if [ "$ninst" -ge $n ] && [ "$nram" -ge $n ]; then
            echo "[restart] $(up)s: stopping $g"
            e2e_stop_restarting $g
            continue
        fi
        if [ $g = rsd ] && [ -n "$id" ] && [ "$nram" -ge "$ninst" ] &&
           [ "$ninst" -ge 1 ] && ! grep -q "^$id\$" /tmp/rsd.rebooted 2>/dev/null; then
            echo "$id" >>/tmp/rsd.rebooted
            echo "[restart] $(up)s: xl reboot rsd (d$id)"
            xl reboot rsd 2>&1 | sed "s/^/[restart.xl-reboot] /"
        fi
        still="$still $g"
    done
    left=$still
    usleep 300000
done
for g in $left; do
    echo "[restart] $(up)s: $g: time is up"
    e2e_stop_restarting $g
done

# same NAME CHECK RAM [DMA-OFFSET]: the verdict for guest NAME
same()
{
    g=$1
    sed "s/^/[restart.$g.inst] /" /tmp/$g.inst
    e2e_guest_log $g | tr -d '\r' | grep -a "E2E-GUEST\|Kernel panic\|reboot\|ERR" |
        sed "s/^/[restart.$g] /"
    sed "s/^/[restart.$g.xl] /" /var/log/xen/xl-$g.log 2>/dev/null | tail -n 40
    ninst=$(wc -l </tmp/$g.inst)
    ext=$(cut -d' ' -f2- /tmp/$g.inst | sort -u)
    next=$(echo "$ext" | grep -c .)
    rams=$(e2e_guest_marker $g RAM | sed "s/^E2E-GUEST $g RAM //" | sort -u)
    nram=$(e2e_guest_marker $g RAM | wc -l)
    offs=$(e2e_guest_marker $g DMA-OFFSET | sed "s/^E2E-GUEST $g DMA-OFFSET //" | sort -u)
    reasons=$(grep -o 'shut down, reason code [0-9]*' /var/log/xen/xl-$g.log 2>/dev/null |
              sort | uniq -c | tr -s ' ' | tr '\n' ',')
    if [ "$ninst" -lt $n ] || [ "$nram" -lt $n ]; then
        e2e_fail "$2" "$ninst instances seen by the hypervisor, $nram said their RAM; want $n"
    elif [ "$next" != 1 ]; then
        e2e_fail "$2" "the instances owned different extents: $(echo $ext)"
    elif [ "$rams" != "$3 : System RAM" ]; then
        e2e_fail "$2" "the guests saw RAM '$(echo $rams)', want $3"
    elif [ -n "${4:-}" ] && [ "$offs" != "$4" ]; then
        e2e_fail "$2" "dma-offset '$(echo $offs)', want $4"
    else
        e2e_pass "$2" "$ninst instances (domids $(cut -d' ' -f1 /tmp/$g.inst | tr '\n' ' ')) on host $ext; each saw RAM $3${4:+ at dma-offset 0x$4}; xl:${reasons%,}"
    fi
}

same rsa restart.on-reboot-same-ram 40000000-47ffffff \
    "$(printf '%016x' $((big - 0x40000000)))"
same rsb restart.on-crash-same-ram 40000000-47ffffff
same rsc restart.panic-same-ram 70000000-7fffffff
same rsd restart.xl-reboot-same-ram 40000000-47ffffff \
    "$(printf '%016x' $((big + 0x8000000 - 0x40000000)))"
e2e_release rsa rsb rsc rsd
