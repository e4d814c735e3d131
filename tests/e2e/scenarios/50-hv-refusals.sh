# Scenario 50: what the static-extent op refuses, each with its errno,
# and that a refusal changes nothing (the query, generation included, is
# the same before and after): a range outside the pool (ENOENT), part of
# a boot bank (EINVAL), overlapping an owned extent (EBUSY), over guest
# frames already mapped or emulated (EEXIST), over the domain's max_mem
# (E2BIG), releasing another
# domain's extent (EACCES) or part of one (EINVAL), a domain that does
# not exist (ESRCH), any call from an unprivileged guest (EPERM, also
# for a domain that does not exist: nothing is revealed before the
# privilege check).  (The
# RAM-only direct-map flag without Xen's opt-in: 51-directmap-opt-in.)
. /e2e/lib.sh

MFN=0x70000
NR=0x40         # within an xl guest's max_mem slack (see 40-hv-claim)

cleanup()
{
    for d in hx3 hx5; do
        xl destroy "$d" >/dev/null 2>&1
    done
}
trap cleanup EXIT

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

hvtool query >/tmp/after.out 2>&1
if cmp -s /tmp/before.out /tmp/after.out; then
    e2e_pass hv.refusals-changed-nothing "$(head -n 1 /tmp/after.out)"
else
    diff /tmp/before.out /tmp/after.out
    e2e_fail hv.refusals-changed-nothing "the query differs after the refusals"
fi

# From an unprivileged guest (tests/e2e/guest/hvclaim.sh).
cfg=$(e2e_guest_cfg hx5 --run hvclaim)
if e2e_check hv.unprivileged-guest xl create "$cfg"; then
    e2e_wait_gone hx5 90 || xl destroy hx5
    claim=$(e2e_guest_marker hx5 HVCLAIM)
    query=$(e2e_guest_marker hx5 HVQUERY)
    nodom=$(e2e_guest_marker hx5 HVNODOM)
    case "$claim" in
    *" HVCLAIM ERR EPERM "*) e2e_pass hv.refuse-unprivileged-claim "$claim" ;;
    *) e2e_fail hv.refuse-unprivileged-claim "guest got '${claim:-nothing}'"
       e2e_guest_log hx5 | tail -n 20 ;;
    esac
    case "$query" in
    *" HVQUERY ERR EPERM "*) e2e_pass hv.refuse-unprivileged-query "$query" ;;
    *) e2e_fail hv.refuse-unprivileged-query "guest got '${query:-nothing}'" ;;
    esac
    # Privilege first: no ESRCH that would tell the guest a domain exists.
    case "$nodom" in
    *" HVNODOM ERR EPERM "*) e2e_pass hv.refuse-unprivileged-before-lookup "$nodom" ;;
    *) e2e_fail hv.refuse-unprivileged-before-lookup "guest got '${nodom:-nothing}'" ;;
    esac
    hvtool query >/tmp/after.out 2>&1
    if cmp -s /tmp/before.out /tmp/after.out; then
        e2e_pass hv.unprivileged-changed-nothing
    else
        diff /tmp/before.out /tmp/after.out
        e2e_fail hv.unprivileged-changed-nothing "the query differs after the guest's calls"
    fi
fi
