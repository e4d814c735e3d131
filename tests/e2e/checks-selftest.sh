#!/bin/sh
# Unit test of tests/e2e/lib/checks.py, the serial-log reader of the
# e2e run (no QEMU needed): the line mending, the scenario verdicts and
# the dom0less comparisons, each on a small made-up log.
checks=${top_srcdir:-$(dirname "$0")/../..}/tests/e2e/lib/checks.py
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# expect NAME EXPECTED-STATUS EXPECTED-OUTPUT-FILE CMD...
expect()
{
    name=$1 want_rc=$2 want=$3
    shift 3
    "$@" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -eq "$want_rc" ] && diff -u "$want" "$tmp/out" >"$tmp/diff"; then
        echo "PASS $name"
        pass=$((pass + 1))
    else
        echo "FAIL $name: exit $rc (want $want_rc)"
        cat "$tmp/diff"
        fail=$((fail + 1))
    fi
}

# ---- clean: carriage returns, Xen lines cut into dom0 lines ----
printf 'E2E-DOM0 UP\r\nE2E-RES(XEN) DOM1: one\r\n(XEN) DOM1: two\r\nULT a PASS\r\nplain\r\n' \
    >"$tmp/raw"
cat >"$tmp/want" <<'EOF'
E2E-DOM0 UP
(XEN) DOM1: one
(XEN) DOM1: two
E2E-RESULT a PASS
plain
EOF
expect clean-mends-cut-lines 0 "$tmp/want" python3 "$checks" clean "$tmp/raw"

printf '(XEN) Xen version 4.17\nab(XEN) x\nc(XEN) y\nd\n' >"$tmp/raw"
printf '(XEN) Xen version 4.17\n(XEN) x\n(XEN) y\nabcd\n' >"$tmp/want"
expect clean-two-cuts-in-one-line 0 "$tmp/want" python3 "$checks" clean "$tmp/raw"

# ---- results: every way a scenario can end ----
cat >"$tmp/serial" <<'EOF'
E2E-SCENARIO BEGIN 10-ok
E2E-RESULT ok.one PASS
E2E-RESULT ok.two PASS 3 banks
E2E-RESULT ok.three FAIL wrong size 0x1000
E2E-SCENARIO END 10-ok rc=0 secs=3
E2E-SCENARIO BEGIN 20-silent
E2E-SCENARIO END 20-silent rc=0 secs=1
E2E-SCENARIO BEGIN 30-exit
E2E-RESULT exit.a PASS
E2E-SCENARIO END 30-exit rc=2 secs=1
E2E-SCENARIO BEGIN 40-slow
E2E-RESULT slow.a PASS
E2E-SCENARIO END 40-slow rc=143 secs=120
E2E-SCENARIO BEGIN 50-hung
E2E-RESULT hung.a PASS
EOF
cat >"$tmp/want" <<'EOF'
PASS ok.one
PASS ok.two (3 banks)
FAIL ok.three: wrong size 0x1000
PASS exit.a
PASS slow.a
PASS hung.a
FAIL 20-silent: printed no E2E-RESULT line (exit 0)
FAIL 30-exit: exited 2
FAIL 40-slow: timed out after 120s
FAIL 50-hung: did not finish (dom0 or QEMU stopped in it)
FAIL 60-never: never started (dom0 did not get to it)
EOF
expect results-verdicts 0 "$tmp/want" env E2E_SCENARIO_TIMEOUT=120 \
    python3 "$checks" results "$tmp/serial" 10-ok 20-silent 30-exit \
    40-slow 50-hung 60-never

# ---- dom0less RAM and Xen's static banks against a plan ----
cat >"$tmp/plan.json" <<'EOF'
{"version": 1, "domains": [{"name": "dl1", "direct_map": true, "extents": [
  {"host": "0x60000000", "guest": "0x60000000", "size": "0x8000000"},
  {"host": "0x68000000", "guest": "0x68000000", "size": "0x8000000"}],
  "dma_offset": "0x0"}]}
EOF
cat >"$tmp/serial" <<'EOF'
(XEN) d1: STATIC BANK[0] 0x00000060000000-0x00000068000000
(XEN) d1: STATIC BANK[1] 0x00000068000000-0x00000070000000
(XEN) DOM1: E2E-GUEST dl1 UP uptime=1.0
(XEN) DOM1: E2E-GUEST dl1 RAM 60000000-6fffffff : System RAM
(XEN) DOM1: E2E-GUEST dl10 RAM 80000000-8fffffff : System RAM
E2E-GUEST dl1 RAM 90000000-9fffffff : System RAM
EOF
echo 'System RAM 60000000-6fffffff as planned' >"$tmp/want"
expect dom0less-ram-match 0 "$tmp/want" \
    python3 "$checks" dom0less-ram "$tmp/plan.json" "$tmp/serial" dl1
echo 'xen static banks cover 60000000-6fffffff' >"$tmp/want"
expect static-banks-match 0 "$tmp/want" \
    python3 "$checks" static-banks "$tmp/plan.json" "$tmp/serial"

sed 's/0x68000000", "guest": "0x68000000"/0x70000000", "guest": "0x70000000"/' \
    "$tmp/plan.json" >"$tmp/plan2.json"
echo 'guest dl1 System RAM 60000000-6fffffff, plan 60000000-67ffffff 70000000-77ffffff' \
    >"$tmp/want"
expect dom0less-ram-mismatch 1 "$tmp/want" \
    python3 "$checks" dom0less-ram "$tmp/plan2.json" "$tmp/serial" dl1
echo 'xen static banks 60000000-6fffffff, plan 60000000-67ffffff 70000000-77ffffff' \
    >"$tmp/want"
expect static-banks-mismatch 1 "$tmp/want" \
    python3 "$checks" static-banks "$tmp/plan2.json" "$tmp/serial"

grep -v 'dl1 RAM' "$tmp/serial" >"$tmp/serial2"
echo 'guest dl1 System RAM none, plan 60000000-6fffffff' >"$tmp/want"
expect dom0less-ram-none 1 "$tmp/want" \
    python3 "$checks" dom0less-ram "$tmp/plan.json" "$tmp/serial2" dl1

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
