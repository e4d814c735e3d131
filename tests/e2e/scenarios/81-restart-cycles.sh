# e2e-timeout: 300
# Many restart cycles leak nothing (issue 12): a static, a chunked and a
# 1:1 domain, each running a quick kernel (guest/quick-image.S) that ends
# it at once (reboot, crash, poweroff), restarted by xl each time
# (on_reboot, on_crash, on_poweroff = "restart") until each has
# restarted $cycles times.  xl runs with -vvv, so its log has libxenguest's
# "claiming host ... at guest ..." line of every instance (the first's
# in xl create's own output, the others' in its log): every instance of
# a domain claimed the same extents.  Then, with the domains gone and
# their reservations released, the hypervisor's query, the registry and
# xl static-mem-list are exactly what they were before the first create.
. /e2e/lib.sh

cycles=20
big=${E2E_POOL_BIG%%:*}
state=${XL_STATIC_STATE_DIR:-/var/lib/xen/static-mem}

snapshot()
{
    {
        echo "## hvtool query"
        hvtool query | grep -v '^# generation'
        echo "## registry"
        cat "$state"/* 2>/dev/null
        echo "## xl static-mem-list"
        xl static-mem-list 2>&1
    } >"$1"
}


snapshot /tmp/cycles.before

q_cfg()     # NAME IMAGE ACTION-KEY CFG-LINE...
{
    _n=$1 _img=$2 _key=$3
    shift 3
    {
        echo "name = \"$_n\""
        echo "kernel = \"/guest/quick-$_img.img\""
        echo "vcpus = 1"
        echo "$_key = \"restart\""
        for _l in "$@"; do
            echo "$_l"
        done
    } >/tmp/$_n.cfg
}
q_cfg rqs reboot on_reboot "memory = 16" \
    "static_mem = [\"$(printf '0x%x' $((big + 0x20000000))):16M\"]"
q_cfg rqc crash on_crash "memory = 32" "mem_chunk = 16"
q_cfg rqd poweroff on_poweroff "memory = 16" "direct_map = 1" \
    "static_mem = [\"$(printf '0x%x' $((big + 0x30000000))):16M\"]"

guests=
for g in rqs rqc rqd; do
    rm -f /var/log/xen/xl-$g.log
    if xl -vvv create /tmp/$g.cfg >/tmp/$g.create 2>&1; then
        guests="$guests $g"
    else
        e2e_fail restart.cycles-create "xl create $g failed"
        grep -iE "error|fail" /tmp/$g.create | tail -n 5 | sed "s/^/[cycles.$g] /"
    fi
done

# until each has restarted $cycles times (xl: "Done. Rebooting now")
t=0
left=$guests
while [ -n "$left" ] && [ $t -lt 240 ]; do
    still=
    for g in $left; do
        c=$(grep -c 'Done. Rebooting now' /var/log/xen/xl-$g.log 2>/dev/null)
        if [ "${c:-0}" -ge $cycles ]; then
            e2e_stop_restarting $g
        elif [ -z "$(e2e_xl_pids $g)" ]; then
            echo "[cycles] $g: xl stopped restarting it after $c cycles"
            # the last instance's create, without libxl's debug lines
            awk '/Done. Rebooting now/ { n = 0; delete l } { l[++n] = $0 }
                 END { for (i = 1; i <= n; i++) print l[i] }' \
                /var/log/xen/xl-$g.log | grep -v 'debug:' | tail -n 60 |
                sed "s/^/[cycles.$g.xl] /"
            e2e_stop_restarting $g
        else
            still="$still $g"
        fi
    done
    left=$still
    sleep 1
    t=$((t + 1))
done
for g in $left; do
    e2e_stop_restarting $g
done

bad=
detail=
for g in $guests; do
    log=/var/log/xen/xl-$g.log
    c=$(grep -c 'Done. Rebooting now' $log 2>/dev/null)
    claims=$(grep -o 'claiming host [0-9a-f]*-[0-9a-f]* at guest [0-9a-f]*' $log)
    # one line per instance: the extents it claimed, in order
    # the first instance's lines are in xl create's own output, the
    # others in the log of the xl process that restarts it
    inst=$(cat /tmp/$g.create $log | grep -E 'claiming host|Done. Rebooting now' |
           awk '/Done. Rebooting now/ { print s; s = ""; next }
                { match($0, /claiming host [0-9a-f]*-[0-9a-f]* at guest [0-9a-f]*/)
                  s = s " " substr($0, RSTART + 15, RLENGTH - 15) }
                END { if (s != "") print s }')
    ninst=$(echo "$inst" | grep -c .)
    ndiff=$(echo "$inst" | sort -u | grep -c .)
    reasons=$(grep -o 'shut down, reason code [0-9]*' $log | sort | uniq -c | tr -s ' ' | tr '\n' ',')
    echo "[cycles.$g] $c restarts, $ninst instances; claims (count, extents):"; echo "$inst" | sort | uniq -c | sed "s/^/[cycles.$g.claims] /"
    if [ "${c:-0}" -lt $cycles ]; then
        bad="$bad $g restarted ${c:-0} times, want $cycles;"
    elif [ "$ninst" -lt "$c" ] || [ "$ndiff" != 1 ]; then
        bad="$bad $g: $ninst instances with $ndiff different claims;"
    fi
    detail="$detail $g: $c restarts (xl:${reasons%,}), every instance claimed$(echo "$inst" | grep . | head -n 1);"
done
xl list | sed "s/^/[cycles.xl-list] /"
hvtool query | grep -v pool_free | sed "s/^/[cycles.query] /"
e2e_release rqs rqc rqd
snapshot /tmp/cycles.after
if ! diff /tmp/cycles.before /tmp/cycles.after >/tmp/cycles.diff; then
    sed "s/^/[cycles.diff] /" /tmp/cycles.diff
    bad="$bad pool, registry or static-mem-list changed (diff above);"
fi
if [ -z "$guests" ]; then
    e2e_fail restart.cycles-no-leak "no domain was created"
elif [ -n "$bad" ]; then
    e2e_fail restart.cycles-no-leak "${bad# }"
else
    e2e_pass restart.cycles-no-leak "${detail# } query, registry and static-mem-list as before"
fi
