# xl-static create (not -n) on the real Xen: it checks and plans a
# mem_chunk domain against the host DTB and the registry, records the
# reservation, drops the registry lock and runs the patched xl create.
# The domid its JSON reports is the domain's (xl domid), and the extents
# it reserved are the ones the hypervisor says the domain owns (xl
# static-mem-list).  After xl destroy the reservation is still there (a
# dry run plans the same extents again); xl-static release ends it.
. /e2e/lib.sh

n=xs9
# on_poweroff = preserve: the domain (and its extents) stays when the
# guest powers itself off, until xl destroy, so the listing cannot race
# with the guest's end.
cfg=$(e2e_guest_cfg $n "mem_chunk = 64" 'on_poweroff = "preserve"')

# The extents of a "create -j" / "plan -j" document on stdin, merged
# where they follow each other in host memory, "0xSTART-0xEND" each,
# sorted, on one line.
json_ranges()
{
    awk -F'"' '/"host":/ { h = $4 } /"size":/ { print h, $4 }' |
        while read -r h s; do
            printf '%d %d\n' $((h)) $((h + s))
        done | sort -n | merge_ranges | one_line
}

one_line()
{
    tr '\n' ' ' | sed 's/ $//'
}

# "start end" lines (decimal, sorted) on stdin, adjacent ones merged.
merge_ranges()
{
    _s="" _e=""
    while read -r a b; do
        if [ -n "$_e" ] && [ "$a" -eq "$_e" ]; then
            _e=$b
            continue
        fi
        [ -n "$_e" ] && printf '0x%x-0x%x\n' "$_s" "$_e"
        _s=$a _e=$b
    done
    [ -n "$_e" ] && printf '0x%x-0x%x\n' "$_s" "$_e"
}

# The RAM that xl static-mem-list (live, from the hypervisor) says
# domain $1 holds ("assigned"; a registry reservation alone is
# "reserved"), as json_ranges prints it.
owned_ranges()
{
    e2e_assigned "$1" |
        while read -r a b; do
            printf '%d %d\n' $((a)) $((b))
        done | sort -n | merge_ranges | one_line
}

xl-static create -j "$cfg" >/tmp/$n.json 2>/tmp/$n.err
rc=$?
created=$rc
sed "s/^/[xlstatic.create] /" /tmp/$n.err
sed "s/^/[xlstatic.json] /" /tmp/$n.json
if [ $rc -ne 0 ]; then
    e2e_fail xlstatic.create "exit $rc: $(tail -n 1 /tmp/$n.err)"
else
    e2e_pass xlstatic.create
    jid=$(sed -n 's/^ *"domid": \([0-9][0-9]*\),$/\1/p' /tmp/$n.json)
    xid=$(xl domid $n 2>/dev/null)
    if [ -n "$jid" ] && [ "$jid" = "$xid" ]; then
        e2e_pass xlstatic.domid "$jid"
    else
        e2e_fail xlstatic.domid "JSON says '$jid', xl domid says '$xid'"
    fi
    resv=$(sed -n 's/^ *"reservation": "\([a-z]*\)",$/\1/p' /tmp/$n.json)
    if [ "$resv" = new ]; then
        e2e_pass xlstatic.reservation-new
    else
        e2e_fail xlstatic.reservation-new "reservation '$resv'"
    fi

    want=$(json_ranges </tmp/$n.json)
    got=$(owned_ranges $n)
    echo "[xlstatic.owned] reserved: $want; owned: $got"
    if [ -n "$want" ] && [ "$want" = "$got" ]; then
        e2e_pass xlstatic.owned "$got"
    else
        e2e_fail xlstatic.owned "reserved '$want', owned by $n '$got'"
    fi

    if xl destroy $n; then
        e2e_pass xlstatic.destroy
    else
        e2e_fail xlstatic.destroy "xl destroy $n failed"
    fi
    got=$(owned_ranges $n)
    kept=$(xl static-mem-list 2>/dev/null |
           awk -v n=$n '$5 == "reserved" && $6 == n && $7 == "registry"' | wc -l)
    if [ -n "$got" ]; then
        e2e_fail xlstatic.extents-back "still assigned to $n: $got"
    elif [ "$kept" -eq 0 ]; then
        e2e_fail xlstatic.extents-back "no registry reservation listed for $n"
    else
        e2e_pass xlstatic.extents-back "back in the pool, reserved for $n"
    fi

    # The reservation outlives the domain: a dry run gets it again.
    xl-static create -n -j "$cfg" >/tmp/$n.again 2>/tmp/$n.again.err
    rc=$?
    again=$(json_ranges </tmp/$n.again)
    resv=$(sed -n 's/^ *"reservation": "\([a-z]*\)",$/\1/p' /tmp/$n.again)
    if [ $rc -eq 0 ] && [ "$resv" = same ] && [ "$again" = "$want" ]; then
        e2e_pass xlstatic.kept "$again"
    else
        e2e_fail xlstatic.kept "exit $rc, reservation '$resv', extents '$again'"
        sed "s/^/[xlstatic.again] /" /tmp/$n.again.err
    fi
fi

# Leave neither the domain nor its reservation to later scenarios.
xl destroy $n 2>/dev/null
if xl-static -N release $n >/dev/null 2>&1; then
    e2e_check xlstatic.release xl-static release $n
elif [ $created -eq 0 ]; then
    e2e_fail xlstatic.release "no reservation of $n left to release"
fi
:
