# A restart whose memory the old instance still holds waits for it (issue
# 12, item 2: "a claim that meets frames the dying domain still holds
# must wait or retry, not fail the restart").  rh, a static domain on the
# quick kernel, is created paused; dom0 maps one of its frames (as a
# backend's grant mapping or a device model would) for $hold seconds;
# rh is destroyed, so it dies with that frame still referenced; then rh
# is created again at once.  Its plan passes (the extent is no longer
# anyone's), its claim meets the held frame (EBUSY) and libxenguest waits
# until the mapping goes, instead of failing the create.
. /e2e/lib.sh

hold=6
big=${E2E_POOL_BIG%%:*}
addr=$(printf '0x%x' $((big + 0x38000000)))
cat >/tmp/rh.cfg <<CFG
name = "rh"
kernel = "/guest/quick-poweroff.img"
memory = 16
vcpus = 1
static_mem = [ "$addr:16M" ]
CFG
up() { cut -d' ' -f1 /proc/uptime; }

if e2e_check restart.held-first xl create -p /tmp/rh.cfg; then
    id=$(xl domid rh)
    hvtool hold "$id" 0x40000 $hold >/tmp/rh.hold 2>&1 &
    i=0
    while ! grep -q HELD /tmp/rh.hold && [ $i -lt 20 ]; do
        usleep 100000
        i=$((i + 1))
    done
    t0=$(up)
    xl destroy rh
    xl -vvv create -p /tmp/rh.cfg >/tmp/rh.create 2>&1
    rc=$?
    t1=$(up)
    grep -a "claiming host\|still held\|waited" /tmp/rh.create | sed "s/^/[held.create] /"
    wait
    secs=$(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }')
    waited=$(grep -a "waited [0-9]* ms for host frames" /tmp/rh.create |
             sed 's/.*waited \([0-9]*\) ms.*/\1/')
    if ! grep -q HELD /tmp/rh.hold; then
        e2e_fail restart.held-claim-waits "dom0 could not map a frame of d$id: $(cat /tmp/rh.hold)"
    elif [ $rc -ne 0 ]; then
        e2e_fail restart.held-claim-waits "the second create failed (exit $rc) after ${secs}s"
        grep -a "error" /tmp/rh.create | tail -n 5 | sed "s/^/[held.error] /"
    elif [ -z "$waited" ] || [ "$waited" -le 0 ]; then
        e2e_fail restart.held-claim-waits "created in ${secs}s without waiting: the frame was not held?"
    else
        e2e_pass restart.held-claim-waits "d$id destroyed with a frame mapped by dom0 for ${hold}s; the new rh waited ${waited} ms for it and was created (${secs}s)"
    fi
    e2e_check_owned restart.held rh "${addr#0x}" "$(printf '%x' $((addr + 0x1000000)))" 16M
    xl destroy rh >/dev/null 2>&1
fi
e2e_release rh
