# Destroy and re-create a domain placed by the planner: it gets the same
# extents; meanwhile (the domain destroyed, its reservation kept by the
# registry) a second domain that asks for them is refused with
# overlap-domain before anything is created.
. /e2e/lib.sh

n=sr4
other=sr4b
cfg=$(e2e_guest_cfg $n "mem_chunk = 128")

if e2e_check recreate.first xl create -p "$cfg"; then
    first=$(e2e_assigned $n)
    echo "[recreate] first: $first"
    xl destroy $n

    # Another domain asking for the same host memory meanwhile.
    start=${first%% *}
    ocfg=$(e2e_guest_cfg $other "static_mem = [\"$start:128M\"]")
    xl create -p "$ocfg" >/tmp/$other.out 2>&1
    rc=$?
    sed "s/^/[recreate.other] /" /tmp/$other.out
    if [ -z "$start" ]; then
        e2e_fail recreate.other-refused "no extent owned by $n"
    elif [ $rc -eq 0 ]; then
        e2e_fail recreate.other-refused "$other was created"
        xl destroy $other
    elif ! grep -q "error: overlap-domain: .*domain '$n'" /tmp/$other.out; then
        e2e_fail recreate.other-refused "exit $rc without overlap-domain naming $n"
    elif xl domid $other >/dev/null 2>&1; then
        e2e_fail recreate.other-refused "$other exists"
    elif grep -q "claiming static extent" /tmp/$other.out; then
        e2e_fail recreate.other-refused "refused only at the claim"
    else
        e2e_pass recreate.other-refused "overlap-domain"
    fi

    if e2e_check recreate.second xl create -p "$cfg"; then
        second=$(e2e_assigned $n)
        echo "[recreate] second: $second"
        if [ -n "$first" ] && [ "$first" = "$second" ]; then
            e2e_pass recreate.same-extents "$second"
        else
            e2e_fail recreate.same-extents "first '$first', then '$second'"
        fi
        xl destroy $n
    fi
fi
e2e_release $n $other
