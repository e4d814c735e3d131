# Scenario 73: frames of the pool are scrubbed when they are freed
# (issue 13, finding 5).  A freed frame is scrubbed in the background,
# or by the claim that takes it first (84 shows which): a domain fills
# its extent with a pattern, gives it back by a release, then (another
# domain) by its destruction, and each time the next domain that claims
# the same frames reads only zeros.
. /e2e/lib.sh

MFN=0x74000
NR=0x800        # 8 MiB
GFN=0x90000
KIB=$(e2e_kib $NR)

e2e_destroy_at_exit hs1 hs2 hs3

# claim_fill NAME ID BYTE: claims the extent for ID, checks that it
# reads as zeros (check NAME), then fills it with BYTE.
claim_fill()
{
    _out=$(hvtool claim "$2" $MFN $GFN $NR 2>&1)
    if [ "$_out" != OK ]; then
        e2e_fail "$1" "claim for d$2: $_out"
        return 1
    fi
    _out=$(hvtool check "$2" $GFN $NR 0 2>&1)
    if [ "$_out" = OK ]; then
        e2e_pass "$1" "d$2 reads $NR frames of zeros"
    else
        e2e_fail "$1" "d$2 reads what the last owner left: $_out"
    fi
    _out=$(hvtool fill "$2" $GFN $NR "$3" 2>&1)
    [ "$_out" = OK ] || { e2e_fail "$1" "fill: $_out"; return 1; }
    _out=$(hvtool check "$2" $GFN $NR "$3" 2>&1)
    [ "$_out" = OK ] || { e2e_fail "$1" "the pattern did not stick: $_out"; return 1; }
}

if ! id1=$(e2e_new_paused hs1 $KIB) || ! id2=$(e2e_new_paused hs2 $KIB) ||
   ! id3=$(e2e_new_paused hs3 $KIB); then
    e2e_fail hv.scrub-on-free "setup: $(tail -qn 1 /tmp/hs1.create /tmp/hs2.create /tmp/hs3.create 2>/dev/null)"
    exit 0
fi

# The first owner reads zeros: the pool was scrubbed at boot.
claim_fill hv.scrub-at-boot "$id1" 0xa5 || exit 0

# Freed by a release.
out=$(hvtool release "$id1" $MFN $NR 2>&1)
if [ "$out" != OK ]; then
    e2e_fail hv.scrub-on-free "release: $out"
    exit 0
fi
claim_fill hv.scrub-on-free "$id2" 0x5a || exit 0

# Freed by the destruction of its owner.
xl destroy hs2
if ! e2e_wait_gone hs2 30; then
    e2e_fail hv.scrub-on-destroy "hs2 still there after xl destroy"
    exit 0
fi
claim_fill hv.scrub-on-destroy "$id3" 0x3c || exit 0
out=$(hvtool release "$id3" $MFN $NR 2>&1)
[ "$out" = OK ] || e2e_fail hv.scrub-release-last "release: $out"
