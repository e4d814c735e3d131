# Scenario 70: claims racing the death of their domain (issue 13,
# finding 1).  Each round a paused domain claims and releases a large
# extent over and over while "xl destroy" kills it, so the death lands
# in a claim, in a release or between them; meanwhile a live domain
# claims the same frames as soon as they are free and fills them with a
# pattern.  Whatever the order: the dying domain's last answer is ESRCH
# (dying or gone) or EBUSY (the live domain was first); the live
# domain's memory keeps its pattern to the last byte (nothing of the
# dying claim, its rollback or the dead domain's teardown touched or
# freed it: a frame freed by mistake would be scrubbed); and the pool
# accounts for every frame, nothing pending, nothing owned by the dead.
. /e2e/lib.sh

ROUNDS=${E2E_RACE_ROUNDS:-6}
MFN=0x74000     # 0x74000000, inside the pool (0x70000000, 256 MiB)
NR=0x2000       # 32 MiB
GFN=0x90000     # above the standard guest's RAM
POOL_NR=65536   # 0x10000 frames
# max_mem in KiB: the guest's 128 MiB, xl's 1 MiB of slack, the extent.
KIB=$(e2e_kib $NR)

cleanup()
{
    xl destroy hrv >/dev/null 2>&1
    for d in $(xl list | awk '$1 ~ /^hr[0-9]/ { print $1 }'); do
        xl destroy "$d" >/dev/null 2>&1
    done
}
trap cleanup EXIT

# pool_state DEADID: "TOTAL PENDING DEAD": frames the entries of the
# pool's first range (E2E_POOL, where the rounds claim) cover, entries
# pending, entries owned by domain DEADID.
pool_state()
{
    hvtool query >/tmp/q70.out 2>&1
    _t=0 _p=0 _d=0
    while read -r _type _start _nr _owner _gfn _flags; do
        case "$_start" in 0x*) ;; *) continue ;; esac
        [ $((_start)) -ge $((0x70000)) ] &&
            [ $((_start)) -lt $((0x70000 + POOL_NR)) ] || continue
        case "$_type" in
        pool-free) _t=$((_t + _nr)) ;;
        owned)
            case "$_flags" in
            *pool*)
                _t=$((_t + _nr))
                case "$_flags" in *pending*) _p=$((_p + 1)) ;; esac
                [ "$_owner" = "$1" ] && _d=$((_d + 1))
                ;;
            esac
            ;;
        esac
    done </tmp/q70.out
    echo "$_t $_p $_d"
}

if ! vid=$(e2e_new_paused hrv $KIB); then
    cat /tmp/hrv.create
    e2e_fail hv.race-destroy-claim "setup: the live domain hrv: $(tail -n 1 /tmp/hrv.create)"
    exit 0
fi

r=0
fails=0
outcomes=
while [ $r -lt "$ROUNDS" ] && [ $fails -eq 0 ]; do
    r=$((r + 1))
    if ! id=$(e2e_new_paused hr$r $KIB); then
        e2e_fail hv.race-destroy-claim "round $r: setup: $(tail -n 1 /tmp/hr$r.create)"
        fails=1
        break
    fi

    rm -f /tmp/c70.done /tmp/d70.done
    # The dying domain claims and releases its extent over and over
    # until that fails: the destroy lands in a claim, in a release, or
    # between them, at a different point every round.
    (
        n=0
        while :; do
            o=$(hvtool claim "$id" $MFN $GFN $NR 2>&1)
            [ "$o" = OK ] || break
            o=$(hvtool release "$id" $MFN $NR 2>&1)
            [ "$o" = OK ] || break
            n=$((n + 1))
        done
        echo "$n $o" >/tmp/c70.out
        touch /tmp/c70.done
    ) &
    cpid=$!
    usleep $((100000 + (r % 4) * 30000))
    (xl destroy hr$r >/tmp/d70.out 2>&1; touch /tmp/d70.done) &
    dpid=$!
    usleep 50000

    # The live domain takes the frames as soon as they are free (some
    # tries more once the claims and the destroy are over).
    got=
    after=0
    while [ -z "$got" ] && [ $after -lt 20 ]; do
        if [ "$(hvtool claim "$vid" $MFN $GFN $NR 2>&1)" = OK ]; then
            got=1
            fill=$(hvtool fill "$vid" $GFN $NR $((r + 0x40)) 2>&1)
        elif [ -e /tmp/c70.done ] && [ -e /tmp/d70.done ]; then
            after=$((after + 1))
        fi
    done
    wait $cpid
    wait $dpid
    e2e_wait_gone hr$r 30 || true

    # "CYCLES ANSWER": the cycles before the death, the answer that
    # ended them (the domain dying or gone, or the live domain first).
    read -r cycles dying </tmp/c70.out
    case "$dying" in
    "ERR ESRCH "*) outcomes="$outcomes $cycles:ESRCH" ;;
    "ERR EBUSY "*) outcomes="$outcomes $cycles:EBUSY" ;;
    *)
        e2e_fail hv.race-destroy-claim "round $r: the dying domain's claim or release: $dying"
        fails=1
        ;;
    esac

    if [ -z "$got" ]; then
        e2e_fail hv.race-destroy-claim "round $r: the frames never came back to the pool"
        fails=1
    elif [ "$fill" != OK ]; then
        e2e_fail hv.race-destroy-claim "round $r: filling the live domain's extent: $fill"
        fails=1
    else
        chk=$(hvtool check "$vid" $GFN $NR $((r + 0x40)) 2>&1)
        if [ "$chk" != OK ]; then
            e2e_fail hv.race-destroy-claim "round $r: the live domain's memory changed: $chk"
            fails=1
        fi
    fi

    # The live domain owns exactly the extent; the dead one nothing.
    set -- $(pool_state "$id")
    if [ "$1" != $POOL_NR ] || [ "$2" != 0 ] || [ "$3" != 0 ]; then
        sed 's/^/[70] /' /tmp/q70.out
        e2e_fail hv.race-destroy-claim "round $r: pool covers $1 frames (want $POOL_NR), $2 pending, $3 of dead d$id"
        fails=1
    elif ! grep -qx "owned $MFN $NR $vid $GFN pool" /tmp/q70.out; then
        sed 's/^/[70] /' /tmp/q70.out
        e2e_fail hv.race-destroy-claim "round $r: the extent is not the live domain's"
        fails=1
    fi

    out=$(hvtool release "$vid" $MFN $NR 2>&1)
    if [ "$out" != OK ]; then
        e2e_fail hv.race-destroy-claim "round $r: releasing the live domain's extent: $out"
        fails=1
    fi
done

if [ $fails -eq 0 ]; then
    e2e_pass hv.race-destroy-claim "$ROUNDS rounds, claim/release cycles:end of the dying domain:$outcomes"
fi

xl destroy hrv
e2e_wait_gone hrv 30 || true
set -- $(pool_state none)
if [ "$1" = $POOL_NR ] && grep -qx "pool-free 0x70000 0x10000 - - -" /tmp/q70.out; then
    e2e_pass hv.race-destroy-pool-whole "pool-free 0x70000 0x10000"
else
    sed 's/^/[70] /' /tmp/q70.out
    e2e_fail hv.race-destroy-pool-whole "the pool is not whole and free after the rounds"
fi
