# Boot and checks (sourced by run.sh).

# Seconds QEMU may run for N scenarios: the boot itself plus each one's
# limit.
qemu_time_limit()
{
    echo $((240 + $1 * E2E_SCENARIO_TIMEOUT))
}

# run_qemu DTB SERIAL-BASE LIMIT: boots Xen with DTB, the console to
# $W/SERIAL-BASE.raw (cleaned into .txt), "rc secs" in $W/SERIAL-BASE.status.
run_qemu()
{
    local dtb=$1 base=$2 limit=$3 args=() f a rc t

    while read -r f a; do
        args+=(-device "loader,file=$f,addr=$a,force-raw=on")
    done <"$W/loader"
    # shellcheck disable=SC2207  # options without spaces
    args+=($(disk_qemu_args))
    echo "qemu time limit ${limit}s"
    t=$(date +%s)
    set +e
    # shellcheck disable=SC2086
    timeout -k 10 "$limit" qemu-system-aarch64 $QEMU_MACHINE \
        -display none -monitor none -serial stdio -no-reboot \
        -dtb "$dtb" -kernel "$W/xen-out/xen" "${args[@]}" \
        </dev/null >"$W/$base.raw" 2>&1
    rc=$?
    set -e
    echo "$rc $(( $(date +%s) - t ))" >"$W/$base.status"
    echo "qemu exit status $rc after $(( $(date +%s) - t ))s"
    python3 "$E2E_DIR/lib/checks.py" clean "$W/$base.raw" >"$W/$base.txt"
}

# The second, short boot without Xen's direct-map opt-in.
step_boot_noopt()
{
    # shellcheck disable=SC2086  # a list of names
    run_qemu "$W/host-noopt.dtb" serial-noopt \
        "$(qemu_time_limit "$(echo $E2E_NOOPT_SCENARIOS | wc -w)")"
}

# The main boot's scenarios, one name a line: E2E_SCENARIOS, else all.
scenario_names()
{
    local f

    if [ -n "${E2E_SCENARIOS:-}" ]; then
        # shellcheck disable=SC2086  # a list of names
        printf '%s\n' $E2E_SCENARIOS
        return
    fi
    for f in "$E2E_DIR"/scenarios/*.sh; do
        # a benchmark runs only when named (make bench-e2e)
        grep -q '^# e2e-bench$' "$f" && continue
        [ -e "$f" ] && basename "$f" .sh
    done
}

step_boot()
{
    run_qemu "$W/host.dtb" serial \
        "$(qemu_time_limit "$(scenario_names | wc -l)")"
}

# ---- checks ------------------------------------------------------------
# Results go to $W/results, one "PASS name" or "FAIL name: why" a line.

e2e_host_pass()
{
    local n=$1

    shift
    echo "PASS $n${*:+ ($*)}" | tee -a "$W/results"
}

e2e_host_fail()
{
    local n=$1

    shift
    echo "FAIL $n: $*" | tee -a "$W/results"
}

# e2e_serial_check NAME ERE WHY: PASS when the serial log has a line
# matching ERE.
e2e_serial_check()
{
    if grep -qE "$2" "$E2E_SERIAL"; then
        e2e_host_pass "$1"
    else
        e2e_host_fail "$1" "$3"
    fi
}

# e2e_dom0less_lines NAME WHAT: a dom0less guest's "E2E-GUEST NAME WHAT"
# markers, as it printed them through vpl011 ("(XEN) DOMn: ...").
e2e_dom0less_lines()
{
    sed -n "s/^(XEN) DOM[0-9]*: \(E2E-GUEST $1 $2\)/\1/p" "$E2E_SERIAL"
}

# e2e_host_disk_write NAME DISK: a guest wrote to passed-through disk
# DISK by DMA (dom0 printed "E2E-DISKWRITE DISK OFFSET LEN SHA256", what
# the guest wrote); PASS when, after QEMU exited, the image has exactly
# those LEN bytes at OFFSET and is the original everywhere else.
e2e_host_disk_write()
{
    local img=$W/disks/$2.img orig=$W/disks/$2.orig off len sha got end

    read -r off len sha < <(sed -n "s/^E2E-DISKWRITE $2 //p" "$E2E_SERIAL" | tail -n 1)
    if [ -z "$sha" ]; then
        e2e_host_fail "$1" "no E2E-DISKWRITE line for disk $2"
        return
    fi
    got=$(tail -c +$((off + 1)) "$img" | head -c "$len" | sha256sum | cut -c1-64)
    end=$((off + len))
    if [ "$got" != "$sha" ]; then
        e2e_host_fail "$1" "image $2 has sha256 $got at $off+$len, the guest wrote $sha"
    elif ! cmp -s -n "$off" "$img" "$orig" ||
         ! cmp -s -i "$end" "$img" "$orig"; then
        e2e_host_fail "$1" "image $2 changed outside $off+$len"
    elif [ "$sha" = "$(tail -c +$((off + 1)) "$orig" | head -c "$len" | sha256sum | cut -c1-64)" ]; then
        e2e_host_fail "$1" "the pattern equals the original data at $off+$len"
    else
        e2e_host_pass "$1" "$len bytes at $off in the image: sha256 $sha, rest unchanged"
    fi
}

# xen.pin-newest-served: no Xen source newer than XEN_VERSION downloads
# from the registry (the series targets the newest it serves).  Only
# when the source was fetched in this run (not from the cache).
check_xen_pin()
{
    local listed

    [ -f "$W/xen-pin" ] || return 0
    if grep -q '^served ' "$W/xen-pin"; then
        e2e_host_fail xen.pin-newest-served "the registry serves newer Xen source" \
            "$(sed -n 's/^served //p' "$W/xen-pin" | tr '\n' ' ')(pinned $XEN_VERSION): retarget the series"
        return
    fi
    listed=$(sed -n 's/^listed //p' "$W/xen-pin" | tr '\n' ' ')
    e2e_host_pass xen.pin-newest-served "$XEN_VERSION${listed:+; listed but not served: $listed}"
}

# xen.flask-policy: the patched tree's FLASK policy compiles, and dom0
# may use the op (its own access vectors, in dom0's allow rules).  Only
# when the hypervisor was built in this run.
check_flask_policy()
{
    local conf=$W/flask/policy.conf

    [ -f "$W/flask/status" ] || return 0
    if [ "$(cat "$W/flask/status")" != ok ]; then
        e2e_host_fail xen.flask-policy "checkpolicy failed: $(tail -n 3 "$W/flask/log" | tr '\n' ' ')"
    elif ! grep -q 'coverage_op static_extent_query' "$conf" ||
         ! grep -q 'get_cpu_policy static_extent }' "$conf"; then
        e2e_host_fail xen.flask-policy "dom0's rules lack static_extent_query or static_extent"
    else
        e2e_host_pass xen.flask-policy "built by checkpolicy (policy version $(checkpolicy -V | cut -d' ' -f1)); dom0 has static_extent_query and static_extent"
    fi
}

checks_builtin()
{
    local rc secs line

    read -r rc secs <"$W/serial.status"
    check_xen_pin
    check_flask_policy
    e2e_serial_check boot.xen '^\(XEN\) Xen version 4\.17' \
        "Xen did not start (no version banner)"
    line=$(grep -m1 -E 'Panic on CPU|Xen BUG at|FATAL PAGE FAULT' "$E2E_SERIAL" -A2 |
           tr '\n' ' ' || true)
    if [ -z "$line" ]; then
        e2e_host_pass boot.no-panic
    else
        e2e_host_fail boot.no-panic "$line"
    fi
    e2e_serial_check boot.dom0-up '^E2E-DOM0 UP .*hyp=xen' \
        "dom0's init did not start under Xen"
    line=$(grep -m1 '^\[[ 0-9.]*\] Initramfs unpacking failed' "$E2E_SERIAL" || true)
    if [ -z "$line" ]; then
        e2e_host_pass boot.dom0-initramfs
    else
        e2e_host_fail boot.dom0-initramfs "${line#*] }"
    fi
    line=$(grep -m1 '^E2E-DOM0 DAEMONS' "$E2E_SERIAL" || true)
    case $line in
    "E2E-DOM0 DAEMONS OK") e2e_host_pass boot.dom0-daemons ;;
    "") e2e_host_fail boot.dom0-daemons "no daemons marker" ;;
    *) e2e_host_fail boot.dom0-daemons "${line#E2E-DOM0 DAEMONS }" ;;
    esac
    if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
        e2e_host_fail boot.poweroff "QEMU killed by the time limit after ${secs}s"
    elif grep -q '^E2E-DOM0 DONE' "$E2E_SERIAL"; then
        e2e_host_pass boot.poweroff "${secs}s in QEMU"
    else
        e2e_host_fail boot.poweroff "QEMU exited ($rc) before dom0 finished its scenarios"
    fi
}

check_all()
{
    local f names=()

    E2E_SERIAL=$W/serial.txt
    : >"$W/results"
    log "checks (serial log: $W/serial.raw)"
    checks_builtin
    mapfile -t names < <(scenario_names)
    python3 "$E2E_DIR/lib/checks.py" results "$E2E_SERIAL" "${names[@]}" |
        tee -a "$W/results"
    if [ -n "${E2E_SCENARIOS:-}" ]; then
        check_results_summary
        return
    fi
    # The boot without the opt-in: its scenarios' results, renamed.
    # shellcheck disable=SC2086
    python3 "$E2E_DIR/lib/checks.py" results "$W/serial-noopt.txt" \
        $E2E_NOOPT_SCENARIOS | sed 's/^\(PASS\|FAIL\) /&noopt./' |
        tee -a "$W/results"
    if grep -q '^E2E-DOM0 DONE' "$W/serial-noopt.txt"; then
        e2e_host_pass noopt.boot "$(cut -d' ' -f2 "$W/serial-noopt.status")s in QEMU"
    else
        e2e_host_fail noopt.boot "the boot without the opt-in did not finish"
    fi
    # Host-side checks of the scenarios, in name order.
    for f in "$E2E_DIR"/scenarios/*.host; do
        [ -e "$f" ] || continue
        # shellcheck disable=SC1090
        ( . "$f" ) ||
            e2e_host_fail "$(basename "$f")" "host check script failed ($?)"
    done
    check_results_summary
}

check_results_summary()
{
    local pass fail

    pass=$(grep -c '^PASS ' "$W/results" || true)
    fail=$(grep -c '^FAIL ' "$W/results" || true)
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
}
