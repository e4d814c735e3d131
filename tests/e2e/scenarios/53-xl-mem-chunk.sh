# xl create with mem_chunk = 128 and memory = 256: the planner picks two
# naturally aligned 128 MiB chunks of the static pool (0x70000000, 256
# MiB); xl static-mem-list lists both with their owner; the guest sees
# 256 MiB of RAM at 0x40000000.
. /e2e/lib.sh

n=sc3
cfg=$(e2e_guest_cfg $n "memory = 256" "mem_chunk = 128")

# The dry run shows the plan: 256 MiB from the pool's 128 MiB chunks
# (the planner merges chunks that follow each other into one extent).
# The plan goes to stderr: stdout stays xl's one JSON document (the
# domain config), from its first '{' to its last '}' (issue 15).
xl create -n "$cfg" >/tmp/$n.json 2>/tmp/$n.plan
first=$(tr -d ' \t\n' </tmp/$n.json | cut -c1)
last=$(tr -d ' \t\n' </tmp/$n.json | tail -c 1)
if [ "$first$last" = "{}" ] && ! grep -q "static memory plan" /tmp/$n.json &&
   grep -q "^static memory plan" /tmp/$n.plan; then
    e2e_pass chunk.dry-run-json "stdout is one JSON document, the plan on stderr"
else
    e2e_fail chunk.dry-run-json "stdout starts '$first' ends '$last'; plan lines on stdout: $(grep -c 'static memory plan' /tmp/$n.json)"
fi
grep -E "^static memory plan|^  0x" /tmp/$n.plan | sed "s/^/[chunk.plan] /"
if grep -Eq "^  0x0*70000000  0x0*40000000  256M$" /tmp/$n.plan ||
   [ "$(grep -Ec "^  0x0*7[08]000000  0x[0-9a-f]+  128M$" /tmp/$n.plan)" -eq 2 ]; then
    e2e_pass chunk.dry-run-plan "$(grep -E "^  0x" /tmp/$n.plan | tr -s ' ' | tr '\n' ';')"
else
    e2e_fail chunk.dry-run-plan "want 256M of the pool from 0x70000000 in the plan"
fi

if e2e_check chunk.xl-create xl create -p "$cfg"; then
    xl static-mem-list >/tmp/$n.list 2>&1
    sed "s/^/[chunk.list] /" /tmp/$n.list
    # Lines "start end size owned state owner label" of this domain.
    nr=0 total=0 inpool=1
    while read -r start end size type state owner rest; do
        [ "$type" = owned ] && [ "$owner" = $n ] || continue
        nr=$((nr + 1))
        total=$((total + end - start))
        { [ $((start)) -ge $((0x70000000)) ] &&
          [ $((end)) -le $((0x80000000)) ]; } || inpool=0
    done </tmp/$n.list
    if [ $total -eq $((256 << 20)) ] && [ $inpool -eq 1 ]; then
        e2e_pass chunk.static-mem-list "$nr line(s), 256 MiB of the pool owned by $n"
    else
        e2e_fail chunk.static-mem-list "want 256 MiB of the pool owned by $n, got $((total >> 20)) MiB in $nr line(s) (inside the pool: $inpool)"
    fi
    xl unpause $n
    if ! e2e_wait_gone $n 90; then
        e2e_fail chunk.guest-exited "$n still running after 90s"
        xl destroy $n
    fi
    ram=$(e2e_guest_marker $n RAM)
    if [ "$ram" = "E2E-GUEST $n RAM 40000000-4fffffff : System RAM" ]; then
        e2e_pass chunk.guest-ram "$ram"
    else
        e2e_fail chunk.guest-ram "want RAM 40000000-4fffffff, got '$ram'"
        e2e_guest_log $n | tail -n 20
    fi
fi
e2e_release $n
