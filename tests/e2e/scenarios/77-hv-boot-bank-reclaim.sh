# Scenario 77: the static bank of a dom0less domain (dl1, 0x60000000 +
# 256 MiB, mapped 1:1 at boot) is claimed again once that domain is
# destroyed (issue 12, item 1, the hypervisor half), with hvtool:
#  - while dl1 exists the bank is owned by it and a claim is refused
#    (EBUSY), also while dl1 is dying with a frame still mapped by dom0;
#  - destroyed, the bank is reserved, with the gfn a claim must use;
#  - a claim of part of it, at another gfn, for a domain that is not
#    direct-mapped, or reaching from it into the pool is refused
#    (EINVAL), nothing changed;
#  - claimed whole at its gfn by a direct-mapped "xl create -p" domain,
#    the bank is owned by that domain (flags boot,directmap) and reads
#    zeros where dl1 left a pattern (scrubbed when dl1 died);
#  - released, then claimed again: zeros where the new owner left a
#    pattern; destroyed with its domain: reserved again, and the pool as
#    it was.
# dl1 stays destroyed and its bank reserved.
. /e2e/lib.sh

BANK=0x60000
NR=0x10000
CHUNK=0x400                     # 4 MiB: what is filled and checked
LAST=$((BANK + NR - CHUNK))
ZCHK=0x1000                     # 16 MiB read as zeros from the start
# The direct-mapped target's own RAM (the guest kernel is 32 MiB), from
# the upper half of the pool.
DMADDR=0x78000000
# Its max_mem: its 128 MiB, xl's slack, and the bank.
KIB=$(e2e_kib $NR)

cleanup()
{
    for d in bb1 bb2; do
        xl destroy "$d" >/dev/null 2>&1
    done
    e2e_release bb1
}
trap cleanup EXIT

# The query's line for the bank, and its pool lines.
bank_line()
{
    hvtool query 2>&1 | grep "^[a-z-]* $BANK $NR "
}
pool_lines()
{
    hvtool query 2>&1 | grep -E '^(pool-free|owned .* pool)'
}

# refused NAME ERRNO WHY CMD...: PASS when hvtool answers "ERR ERRNO".
refused()
{
    _n=$1 _e=$2 _w=$3
    shift 3
    _out=$("$@" 2>&1)
    case $_out in
    "ERR $_e "*) e2e_pass "$_n" "$_w: $_e" ;;
    *) e2e_fail "$_n" "$_w: want $_e, got '$_out'" ;;
    esac
}

# ok NAME CMD...: hvtool answers OK, else FAIL NAME and return 1.
ok()
{
    _n=$1
    shift
    _out=$("$@" 2>&1)
    [ "$_out" = OK ] && return 0
    e2e_fail "$_n" "'$*': $_out"
    return 1
}

# wait_bank LINE SECS: until the bank's query line is LINE.
wait_bank()
{
    _i=0
    while [ "$(bank_line)" != "$1" ]; do
        [ $_i -ge "$2" ] && return 1
        sleep 1
        _i=$((_i + 1))
    done
}

line=$(bank_line)
dl1=$(echo "$line" | awk '$1 == "owned" { print $4 }')
if [ -z "$dl1" ]; then
    e2e_fail hv.boot-bank-setup "dl1's bank is not owned by a domain: '$line'"
    exit 0
fi
pool_lines >/tmp/bb.pool0

cfg=$(e2e_guest_cfg bb1 "direct_map = 1" "static_mem = [\"$DMADDR:128M\"]")
if ! xl create -p "$cfg" >/tmp/bb1.create 2>&1 ||
   ! dm=$(xl domid bb1) || [ "$(hvtool maxmem "$dm" $KIB)" != OK ] ||
   ! plain=$(e2e_new_paused bb2 $KIB); then
    sed 's/^/[bb.create] /' /tmp/bb1.create /tmp/bb2.create 2>/dev/null
    e2e_fail hv.boot-bank-setup "$(tail -qn 1 /tmp/bb1.create /tmp/bb2.create 2>/dev/null)"
    exit 0
fi

# dl1 exists (shut down): its bank is its own.
refused hv.boot-bank-live-refused EBUSY "bank of live d$dl1" \
    hvtool claim "$dm" $BANK $BANK $NR

# A pattern where dl1's RAM starts and ends, for the scrub check.
ok hv.boot-bank-scrubbed hvtool fill "$dl1" $BANK $CHUNK 0xa5 &&
    ok hv.boot-bank-scrubbed hvtool fill "$dl1" $LAST $CHUNK 0xa5

# Destroyed while dom0 maps one of its frames: dying, the frame still
# referenced, so the bank is still dl1's.
hvtool hold "$dl1" $((BANK + 1)) 6 >/tmp/bb.hold 2>&1 &
hold=$!
i=0
while ! grep -q HELD /tmp/bb.hold && [ $i -lt 10 ]; do
    sleep 1
    i=$((i + 1))
done
if xl destroy "$dl1" >/tmp/bb.destroy 2>&1; then
    how="xl destroy"
else
    how="hvtool destroy (xl destroy: $(tail -n 1 /tmp/bb.destroy))"
    hvtool destroy "$dl1" >>/tmp/bb.destroy 2>&1
fi
sed 's/^/[bb.destroy] /' /tmp/bb.destroy
dying="owned $BANK $NR $dl1 $BANK boot,directmap"
if grep -q HELD /tmp/bb.hold && [ "$(bank_line)" = "$dying" ]; then
    refused hv.boot-bank-dying-refused EBUSY "d$dl1 dying, a frame mapped" \
        hvtool claim "$dm" $BANK $BANK $NR
elif grep -q HELD /tmp/bb.hold; then
    e2e_fail hv.boot-bank-dying-refused "while d$dl1 dies: '$(bank_line)', want '$dying'"
else
    e2e_fail hv.boot-bank-dying-refused "hvtool hold: $(cat /tmp/bb.hold)"
fi
wait $hold

reserved="reserved $BANK $NR - $BANK boot,directmap"
if wait_bank "$reserved" 20; then
    e2e_pass hv.boot-bank-reserved "d$dl1 gone by $how: $reserved"
else
    e2e_fail hv.boot-bank-reserved "after $how: '$(bank_line)', want '$reserved'"
    exit 0
fi

# Refusals, each changing nothing.
gen0=$(hvtool query | head -n 1)
refused hv.boot-bank-partial EINVAL "half the bank" \
    hvtool claim "$dm" $BANK $BANK $((NR / 2))
refused hv.boot-bank-wrong-gfn EINVAL "at gfn 0x50000" \
    hvtool claim "$dm" $BANK 0x50000 $NR
refused hv.boot-bank-not-directmapped EINVAL "for d$plain, not 1:1" \
    hvtool claim "$plain" $BANK $BANK $NR
refused hv.boot-bank-into-pool EINVAL "bank end and pool start" \
    hvtool claim "$dm" $((BANK + NR - 0x100)) $((BANK + NR - 0x100)) 0x200
if [ "$(hvtool query | head -n 1)" = "$gen0" ]; then
    e2e_pass hv.boot-bank-refusals-unchanged "$gen0"
else
    e2e_fail hv.boot-bank-refusals-unchanged "was '$gen0', now '$(hvtool query | head -n 1)'"
fi

# The claim, whole, at its gfn.
if ok hv.boot-bank-claim hvtool claim "$dm" $BANK $BANK $NR; then
    want="owned $BANK $NR $dm $BANK boot,directmap"
    if [ "$(bank_line)" = "$want" ]; then
        e2e_pass hv.boot-bank-claim "$want"
    else
        e2e_fail hv.boot-bank-claim "'$(bank_line)', want '$want'"
    fi
    out=$(hvtool check "$dm" $BANK $ZCHK 0 2>&1)
    [ "$out" = OK ] && out=$(hvtool check "$dm" $LAST $CHUNK 0 2>&1)
    if [ "$out" = OK ]; then
        e2e_pass hv.boot-bank-scrubbed "d$dm reads zeros where d$dl1 wrote 0xa5"
    else
        e2e_fail hv.boot-bank-scrubbed "$out"
    fi

    # Released: reserved; claimed again: zeros where d$dm wrote.
    ok hv.boot-bank-release hvtool fill "$dm" $BANK $CHUNK 0x5a &&
    ok hv.boot-bank-release hvtool release "$dm" $BANK $NR &&
    if [ "$(bank_line)" = "$reserved" ]; then
        e2e_pass hv.boot-bank-release "$reserved"
    else
        e2e_fail hv.boot-bank-release "'$(bank_line)', want '$reserved'"
    fi
    if ok hv.boot-bank-reclaim hvtool claim "$dm" $BANK $BANK $NR; then
        out=$(hvtool check "$dm" $BANK $CHUNK 0 2>&1)
        if [ "$out" = OK ]; then
            e2e_pass hv.boot-bank-reclaim "zeros after the release"
        else
            e2e_fail hv.boot-bank-reclaim "$out"
        fi
    fi
fi

# Its domain destroyed: reserved again, the pool as before.
xl destroy bb1
xl destroy bb2
e2e_release bb1
if e2e_wait_gone bb1 30 && wait_bank "$reserved" 10; then
    e2e_pass hv.boot-bank-back-reserved "$reserved"
else
    e2e_fail hv.boot-bank-back-reserved "'$(bank_line)', want '$reserved'"
fi
pool_lines >/tmp/bb.pool1
if cmp -s /tmp/bb.pool0 /tmp/bb.pool1; then
    e2e_pass hv.boot-bank-pool-unchanged "$(tr '\n' ';' </tmp/bb.pool1)"
else
    diff /tmp/bb.pool0 /tmp/bb.pool1
    e2e_fail hv.boot-bank-pool-unchanged "the pool differs from before"
fi
