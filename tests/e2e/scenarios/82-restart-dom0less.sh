# e2e-timeout: 180
# A dom0less domain restarts from xl (issue 12, item 1): dl1, built at
# boot from the host DT (1:1, xen,static-mem 0x60000000 + 256M, the disk
# "dl" passed through; tests/e2e/dom0less/dl1.cfg), is gone (destroyed
# here if it still exists).  "xl create" of the same dl1.cfg that
# "xl-static dtgen host" turned into its /chosen node brings it back on
# the same RAM: the planner takes the bank back for that name (the host
# DTB in dom0 names dl1 its owner), the hypervisor hands the bank over
# whole, at its boot gfn.  The new dl1 reads its disk by DMA into that
# same 1:1 RAM (guest/dma.sh), as it did at boot.  Another name asking
# for the bank is refused before anything is created.
. /e2e/lib.sh

BANK=0x60000
bank_line() { hvtool query | awk -v b=$BANK '$2 == b'; }

echo "[dom0less] before: $(bank_line)"
owner=$(bank_line | awk '{ print $4 }')
if [ -n "$owner" ] && [ "$owner" != - ]; then
    # dl1 from the boot: destroy it (it powered off after its DMA read,
    # and nothing restarts a dom0less domain)
    xl destroy "$owner" 2>&1 | sed "s/^/[dom0less.destroy] /"
    i=0
    while [ "$(bank_line | awk '{ print $1 }')" != reserved ] && [ $i -lt 30 ]; do
        sleep 1
        i=$((i + 1))
    done
fi
line=$(bank_line)
echo "[dom0less] gone: $line"

# Another name, the same bank: refused by the planner (it is dl1's).
cat >/tmp/dlx.cfg <<CFG
name = "dlx"
memory = 256
direct_map = 1
static_mem = [ "0x60000000:256M" ]
kernel = "/guest/Image"
ramdisk = "/guest/domu.cpio.gz"
CFG
xl create -p /tmp/dlx.cfg >/tmp/dlx.out 2>&1
rc=$?
sed "s/^/[dom0less.other] /" /tmp/dlx.out
if [ $rc -ne 0 ] && grep -q "error: overlap-domain: .*domain 'dl1'" /tmp/dlx.out &&
   ! xl domid dlx >/dev/null 2>&1 && [ "$(bank_line)" = "$line" ]; then
    e2e_pass restart.dom0less-other-refused "refused before the domain existed ($(grep -o 'error: [a-z-]*: static_mem' /tmp/dlx.out | sed 's/error: //; s/: static_mem//' | sort -u | tr '\n' ' ')), bank unchanged"
else
    e2e_fail restart.dom0less-other-refused "exit $rc; bank now '$(bank_line)'"
    xl destroy dlx >/dev/null 2>&1
fi

# dl1 again, from the very cfg dtgen host used (run where its partial DT
# is, as dtgen host was).
sed "s/^/[dom0less.cfg] /" /e2e/cfg/dl1.cfg
if (cd /e2e/pt && xl create /e2e/cfg/dl1.cfg) >/tmp/dl1.out 2>&1; then
    sed "s/^/[dom0less.create] /" /tmp/dl1.out
    id=$(xl domid dl1)
    now=$(bank_line)
    echo "[dom0less] recreated d$id: $now"
    if [ "$(echo "$now" | awk '{ print $1, $4, $5 }')" = "owned $id 0x60000" ]; then
        e2e_pass restart.dom0less-recreate "dl1 created again from dl1.cfg as d$id; the hypervisor: $now"
    else
        e2e_fail restart.dom0less-recreate "d$id, but the bank is '$now'"
    fi
    e2e_check_owned restart.dom0less dl1 60000000 70000000 256M
    if ! e2e_wait_gone dl1 120; then
        e2e_fail restart.dom0less-guest-exited "dl1 still running after 120s"
        xl destroy dl1
    fi
    # its console is the vuart of the cfg (console=ttyAMA0)
    log=$(cat /var/log/xen/console/guest-dl1*.log 2>/dev/null | tr -d '\r')
    echo "$log" | grep -a "E2E-GUEST dl1" | sed "s/^/[dom0less.guest] /"
    ram=$(echo "$log" | grep -a "^E2E-GUEST dl1 RAM " | sed 's/^E2E-GUEST dl1 RAM //')
    dma=$(echo "$log" | grep -a "^E2E-GUEST dl1 DISK-READ " | tail -n 1)
    e2e_disk dl
    if [ "$ram" = "60000000-6fffffff : System RAM" ] &&
       [ "${dma##*sha256=}" = "$E2E_D_SHA" ]; then
        e2e_pass restart.dom0less-same-ram "dl1 sees RAM $ram (as at boot) and read its disk by DMA into it: ${dma#E2E-GUEST dl1 }"
    else
        e2e_fail restart.dom0less-same-ram "RAM '$ram', DMA '$dma'"
    fi
    after=$(bank_line)
    if [ "$(echo "$after" | awk '{ print $1, $4, $5 }')" = "reserved - 0x60000" ]; then
        e2e_pass restart.dom0less-bank-back "dl1 gone again, its bank reserved for it: $after"
    else
        e2e_fail restart.dom0less-bank-back "after dl1 ended: '$after'"
    fi
else
    sed "s/^/[dom0less.create] /" /tmp/dl1.out
    e2e_fail restart.dom0less-recreate "xl create dl1.cfg failed; bank '$(bank_line)'"
fi
e2e_release dl1 dlx
