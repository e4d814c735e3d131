# Scenario 50: what the static-extent op refuses, each with its errno,
# and that a refusal changes nothing (the query, generation included, is
# the same before and after): a range outside the pool (ENOENT), part of
# a boot bank (EINVAL), overlapping an owned extent (EBUSY), over guest
# frames already mapped or emulated (EEXIST), over the domain's max_mem
# (E2BIG), releasing another
# domain's extent (EACCES) or part of one (EINVAL), a domain that does
# not exist (ESRCH), any call from an unprivileged guest (EPERM from
# Xen itself, to a bare guest's own hvc, also for a domain that does not
# exist: nothing is revealed before the privilege check).  (The
# RAM-only direct-map flag without Xen's opt-in: 51-directmap-opt-in.)
. /e2e/lib.sh

MFN=0x70000
NR=0x40         # within an xl guest's max_mem slack (see 40-hv-claim)

e2e_destroy_at_exit hx3 hx5

cfg=$(e2e_guest_cfg hx3)
if ! xl create -p "$cfg" >/tmp/hx3.create 2>&1; then
    cat /tmp/hx3.create
    e2e_fail hv.refuse-setup "xl create -p hx3 failed: $(tail -n 1 /tmp/hx3.create)"
    exit 0
fi
id=$(xl domid hx3)
out=$(hvtool claim "$id" $MFN $MFN $NR 2>&1)
if [ "$out" != OK ]; then
    e2e_fail hv.refuse-setup "claim of the extent to overlap: $out"
    exit 0
fi
# dl1, the dom0less domain: the only other one.
dl1_id=$(xl list | awk -v me="$id" 'NR > 1 && $2 != 0 && $2 != me { print $2; exit }')

hvtool query >/tmp/before.out 2>&1

# NAME WHAT: the query (generation included) is as before WHAT.
same_query()
{
    hvtool query >/tmp/after.out 2>&1
    if cmp -s /tmp/before.out /tmp/after.out; then
        e2e_pass "$1" "$(head -n 1 /tmp/after.out)"
    else
        diff /tmp/before.out /tmp/after.out
        e2e_fail "$1" "the query differs after $2"
    fi
}

# refused NAME ERRNO CMD...: PASS when hvtool answers "ERR ERRNO ...".
refused()
{
    _n=$1
    _e=$2
    shift 2
    _out=$("$@" 2>&1)
    case "$_out" in
    "ERR $_e "*)
        e2e_pass "$_n" "$_out" ;;
    *)
        e2e_fail "$_n" "'$*' gave '$_out', not $_e" ;;
    esac
}

# Below the pool is the end of dl1's static bank: part of a boot bank.
refused hv.refuse-below-pool EINVAL hvtool claim "$id" 0x6ffff 0x6ffff 1
refused hv.refuse-outside-pool ENOENT hvtool claim "$id" 0x50000 0x50000 1
refused hv.refuse-past-pool ENOENT hvtool claim "$id" 0x80000 0x80000 1
refused hv.refuse-straddling ENOENT hvtool claim "$id" 0x7ffc0 0x7ffc0 0x80
refused hv.refuse-overlap EBUSY hvtool claim "$id" 0x70020 0x50000 $NR
refused hv.refuse-overlap-last-frame EBUSY hvtool claim "$id" 0x7003f 0x50000 1
refused hv.refuse-gfn-mapped EEXIST hvtool claim "$id" 0x78000 0x40000 0x10
# Guest frames Xen emulates (the vGICv3 distributor at 0x03001000) or
# keeps for the grant table (0x38000000), not in the p2m.
refused hv.refuse-gfn-vgic EEXIST hvtool claim "$id" 0x78000 0x3001 1
refused hv.refuse-gfn-gnttab EEXIST hvtool claim "$id" 0x78000 0x38fff 1
refused hv.refuse-over-max-mem E2BIG hvtool claim "$id" 0x78000 0x50000 0x1000
refused hv.refuse-release-foreign EACCES hvtool release "${dl1_id:-1}" $MFN $NR
refused hv.refuse-release-part EINVAL hvtool release "$id" $MFN 0x20
refused hv.refuse-no-domain ESRCH hvtool claim 0x7000 0x78000 0x78000 1

same_query hv.refusals-changed-nothing "the refusals"

# From an unprivileged guest that makes the hypercalls itself
# (guest/hvcall-image.S: a bare arm64 image, hvc #0xea1 at EL1, no
# Linux).  An earlier version ran hvtool in a Linux guest through
# /dev/xen/privcmd, but Debian's guest Linux (6.1) refuses every privcmd
# hypercall of an unprivileged domain with EPERM itself (even
# SCHEDOP_shutdown, which Xen never refuses), so its EPERM proved
# nothing about Xen.  This guest stores each call's x0 in its results
# page, which dom0 reads with a foreign mapping (hvtool peek); its
# xen_version call is the control that its hypercalls reach Xen and
# come back with Xen's answer.
HVC_GFN=0x40001         # GUEST_RAM0_BASE + the image's results page
HVC_MAGIC=0x584c534856433031
HVC_SENTINEL=0x5a5a5a5a5a5a5a5a
EPERM_RET=0xffffffffffffffff    # -1: -EPERM in x0

# word N of the guest's results page (/tmp/hx5.peek)
word()
{
    sed -n "$(($1 + 1))p" /tmp/hx5.peek
}

{
    echo 'name = "hx5"'
    echo 'kernel = "/guest/hvcall.img"'
    echo 'memory = 16'
    echo 'vcpus = 1'
} >/tmp/hx5.cfg
if e2e_check hv.unprivileged-guest xl create /tmp/hx5.cfg; then
    id5=$(xl domid hx5)
    i=0
    while :; do
        hvtool peek "$id5" $HVC_GFN 37 >/tmp/hx5.peek 2>&1
        [ "$(word 0)" = $HVC_MAGIC ] && break
        i=$((i + 1))
        [ $i -lt 30 ] || break
        sleep 1
    done
    xl destroy hx5 >/dev/null 2>&1
    e2e_wait_gone hx5 30
    ver=$(xl info | awk '/^xen_major/ { M = $3 } /^xen_minor/ { m = $3 }
                        END { printf "0x%016x", M * 65536 + m }')
    if [ "$(word 0)" != $HVC_MAGIC ]; then
        why="no results at gfn $HVC_GFN after 30 s: $(head -n 1 /tmp/hx5.peek)"
        for n in unprivileged-guest-ran refuse-unprivileged-claim \
                 refuse-unprivileged-query refuse-unprivileged-before-lookup; do
            e2e_fail "hv.$n" "$why"
        done
    elif [ "$(word 1)" != 0x0000000040000000 ] || [ "$(word 2)" != "$ver" ]; then
        e2e_fail hv.unprivileged-guest-ran "image at $(word 1), xen_version $(word 2), not 0x40000000 and $ver"
    else
        e2e_pass hv.unprivileged-guest-ran "xen_version $(word 2) from its own hvc"
    fi
    if [ "$(word 0)" = $HVC_MAGIC ]; then
        claim=$(word 3) query=$(word 4) nodom=$(word 5)
        if [ "$claim" = $EPERM_RET ]; then
            e2e_pass hv.refuse-unprivileged-claim "x0 $claim (-EPERM) for a claim for dom0"
        else
            e2e_fail hv.refuse-unprivileged-claim "x0 $claim for a claim for dom0, not -EPERM"
        fi
        # and Xen copied nothing out: the outputs keep their 0x5a bytes
        out=$(word 34)$(word 35)$(word 36)
        if [ "$query" != $EPERM_RET ]; then
            e2e_fail hv.refuse-unprivileged-query "x0 $query for a query, not -EPERM"
        elif [ "$out" != $HVC_SENTINEL$HVC_SENTINEL$HVC_SENTINEL ]; then
            e2e_fail hv.refuse-unprivileged-query "-EPERM, but the query's outputs changed: $(word 34) $(word 35) $(word 36)"
        else
            e2e_pass hv.refuse-unprivileged-query "x0 $query (-EPERM), nothing copied out"
        fi
        # Privilege first: no ESRCH that would tell the guest a domain exists.
        if [ "$nodom" = $EPERM_RET ]; then
            e2e_pass hv.refuse-unprivileged-before-lookup "x0 $nodom (-EPERM) for a claim for domain 0x7000"
        else
            e2e_fail hv.refuse-unprivileged-before-lookup "x0 $nodom for a claim for domain 0x7000, not -EPERM"
        fi
    fi
    same_query hv.unprivileged-changed-nothing "the guest's calls"
fi
