# Helpers for dom0 scenarios (installed as /e2e/lib.sh):  . /e2e/lib.sh
# See tests/e2e/README.md for the scenario contract.
# shellcheck disable=SC2034  # the paths are for the scenarios

E2E_HOST_DTB=/etc/xen/host.dtb       # the DTB Xen booted with (xl-static's default)
E2E_CFG_DIR=/e2e/cfg                 # tests/e2e/dom0less/*.cfg
E2E_EXPECT_DIR=/e2e/expect           # host-side "xl-static plan -j" of each
E2E_GUEST_KERNEL=/guest/Image
E2E_GUEST_RAMDISK=/guest/domu.cpio.gz
E2E_CONSOLE_DIR=/var/log/xen/console
E2E_SCENARIO=${E2E_SCENARIO:-unknown}
# E2E_POOL (ADDR:SIZE, the xen,static-pool of the host DTB) and
# E2E_SCENARIO_TIMEOUT, as the host set them.
. /e2e/e2e.conf

# e2e_result NAME PASS|FAIL [DETAIL...]: the one line the host reads.
e2e_result()
{
    _n=$1
    _s=$2
    shift 2
    echo "E2E-RESULT $_n $_s${*:+ $*}"
}

e2e_pass()
{
    _n=$1
    shift
    e2e_result "$_n" PASS "$@"
}

e2e_fail()
{
    _n=$1
    shift
    e2e_result "$_n" FAIL "$@"
}

# e2e_check NAME CMD...: PASS when CMD exits 0, else FAIL with its exit
# status and last output line.  CMD's output is kept in /tmp/NAME.out
# and shown on the console.
e2e_check()
{
    _n=$1
    shift
    "$@" >"/tmp/$_n.out" 2>&1
    _rc=$?
    sed "s/^/[$_n] /" "/tmp/$_n.out"
    if [ $_rc -eq 0 ]; then
        e2e_pass "$_n"
    else
        e2e_fail "$_n" "'$*' exited $_rc: $(tail -n 1 "/tmp/$_n.out")"
    fi
    return $_rc
}

# e2e_guest_cfg NAME [--run SCRIPT] [CFG-LINE...]: writes /tmp/NAME.cfg,
# the standard test guest (the guest initramfs, 128 MiB, 1 vcpu) plus
# the given lines, and prints its path.  With --run, the guest runs
# /e2e/guest/SCRIPT.sh (tests/e2e/guest/SCRIPT.sh) after its markers.
e2e_guest_cfg()
{
    _n=$1
    shift
    _run=
    if [ "${1:-}" = --run ]; then
        _run=" e2e.run=$2"
        shift 2
    fi
    {
        echo "name = \"$_n\""
        echo "kernel = \"$E2E_GUEST_KERNEL\""
        echo "ramdisk = \"$E2E_GUEST_RAMDISK\""
        echo "extra = \"console=hvc0 e2e.name=$_n$_run\""
        case " $* " in
        *" memory = "*) ;;      # the caller's
        *) echo "memory = 128" ;;
        esac
        echo "vcpus = 1"
        for _l in "$@"; do
            echo "$_l"
        done
    } >"/tmp/$_n.cfg"
    echo "/tmp/$_n.cfg"
}

# e2e_new_paused NAME [KIB]: creates the standard guest NAME paused
# (xl's output in /tmp/NAME.create), with KIB, raises its maximum
# memory to that many KiB (hvtool maxmem: room for claimed extents);
# prints its domain id, returns 1 on failure.
e2e_new_paused()
{
    _np_cfg=$(e2e_guest_cfg "$1")
    xl create -p "$_np_cfg" >"/tmp/$1.create" 2>&1 || return 1
    _np_id=$(xl domid "$1") || return 1
    if [ -n "${2:-}" ]; then
        [ "$(hvtool maxmem "$_np_id" "$2")" = OK ] || return 1
    fi
    echo "$_np_id"
}

# e2e_xl_pids NAME: the pids of the xl processes that created
# /tmp/NAME.cfg and still run (xl create's monitor, which restarts the
# domain).  The bracket keeps grep's own command line from matching.
e2e_xl_pids()
{
    for _f in /proc/[0-9]*/cmdline; do
        _c=$(tr '\0' ' ' <"$_f" 2>/dev/null) || continue
        case $_c in
        xl\ *) echo "${_f#/proc/} $_c" ;;
        esac
    done | grep "create /tmp/$1[.]cfg" | cut -d/ -f1
}

# e2e_stop_restarting NAME: stops the xl processes that restart NAME,
# then destroys NAME; returns 1 when something is left after 30 s.
e2e_stop_restarting()
{
    _i=0
    while [ $_i -lt 30 ]; do
        _p=$(e2e_xl_pids "$1")
        # shellcheck disable=SC2086
        [ -n "$_p" ] && kill $_p 2>/dev/null
        xl destroy "$1" >/dev/null 2>&1
        if [ -z "$(e2e_xl_pids "$1")" ] && ! xl domid "$1" >/dev/null 2>&1; then
            return 0
        fi
        sleep 1
        _i=$((_i + 1))
    done
    echo "[$E2E_SCENARIO] $1 still there after 30s"
    return 1
}

# e2e_wait_gone NAME SECS: waits until domain NAME no longer exists;
# returns 1 when it is still there after SECS seconds.
e2e_wait_gone()
{
    _i=0
    while xl domid "$1" >/dev/null 2>&1; do
        [ $_i -ge "$2" ] && return 1
        sleep 1
        _i=$((_i + 1))
    done
    return 0
}

# e2e_guest_log NAME: the console output of xl-created guest NAME.
e2e_guest_log()
{
    cat "$E2E_CONSOLE_DIR/guest-$1.log" 2>/dev/null
}

# e2e_guest_marker NAME WHAT: the guest's "E2E-GUEST NAME WHAT ..."
# lines (WHAT: UP, RAM, HYPNODE, DMA-OFFSET, DONE, or a guest script's).
e2e_guest_marker()
{
    e2e_guest_log "$1" | tr -d '\r' | grep "^E2E-GUEST $1 $2"
}

# e2e_release NAME...: ends the registry reservations of these domains
# (xl create records one for every domain given static memory, and it
# outlives the domain), so that the next scenario finds the pool free.
e2e_release()
{
    for _d in "$@"; do
        xl-static release "$_d" >/dev/null 2>&1
    done
    return 0
}

# e2e_assigned NAME: "start end" of each xl static-mem-list line of RAM
# that domain NAME holds now (state assigned; a registry reservation
# alone is "reserved").
e2e_assigned()
{
    xl static-mem-list 2>/dev/null |
        awk -v n="$1" '$4 == "owned" && $5 == "assigned" && $6 == n { print $1, $2 }'
}

# e2e_check_owned TAG NAME START END SIZE: xl static-mem-list (printed
# with [TAG.list]) has the line "START END SIZE owned <state> NAME";
# START and END are hex without 0x.  Result TAG.static-mem-list.
e2e_check_owned()
{
    xl static-mem-list >"/tmp/$2.list" 2>&1
    sed "s/^/[$1.list] /" "/tmp/$2.list"
    if grep -Eq "^0x0*$3 +0x0*$4 +$5 +owned +[a-z-]+ +$2( |\$)" "/tmp/$2.list"; then
        e2e_pass "$1.static-mem-list" "0x$3-0x$4 owned by $2"
    else
        e2e_fail "$1.static-mem-list" "no line 0x$3 0x$4 $5 owned by $2"
    fi
}

# e2e_run_guest TAG NAME RAM DMA-OFFSET: unpauses guest NAME, waits for
# it to finish, and checks its markers: its one System RAM line is RAM
# ("40000000-47ffffff") and its /hypervisor/dma-offset the 16 hex
# digits DMA-OFFSET.  Results TAG.guest-ram and TAG.dma-offset.
e2e_run_guest()
{
    xl unpause "$2"
    if ! e2e_wait_gone "$2" 90; then
        e2e_fail "$1.guest-exited" "$2 still running after 90s"
        xl destroy "$2"
    fi
    _ram=$(e2e_guest_marker "$2" RAM)
    if [ "$_ram" = "E2E-GUEST $2 RAM $3 : System RAM" ]; then
        e2e_pass "$1.guest-ram" "$_ram"
    else
        e2e_fail "$1.guest-ram" "want RAM $3, got '$_ram'"
        e2e_guest_log "$2" | tail -n 30
    fi
    _off=$(e2e_guest_marker "$2" DMA-OFFSET)
    if [ "$_off" = "E2E-GUEST $2 DMA-OFFSET $4" ]; then
        e2e_pass "$1.dma-offset" "$4"
    else
        e2e_fail "$1.dma-offset" "want $4, got '$_off'"
    fi
}

# e2e_disk DISK: sets E2E_D_ADDR (its MMIO address, 0x...), E2E_D_IRQ
# (its GIC interrupt ID) and E2E_D_SHA (the image's sha256) of disk
# DISK (pt0, pt1: lib/image.sh E2E_DISKS), and E2E_D_CFG1..3, the cfg
# lines that pass it through: iomem (its page, gfn == mfn), irqs and
# the partial device tree /e2e/pt/DISK.dtb.
e2e_disk()
{
    eval "set -- \$E2E_DISK_$1 $1"
    E2E_D_ADDR=$1
    E2E_D_IRQ=$2
    E2E_D_SHA=$3
    E2E_D_CFG1="iomem = [ \"$(printf '%x' $(($1 >> 12))),1\" ]"
    E2E_D_CFG2="irqs = [ $2 ]"
    E2E_D_CFG3="device_tree = \"/e2e/pt/$4.dtb\""
}

# e2e_dma_guest TAG NAME DISK RAM: unpauses guest NAME (made with
# --run dma, e2e.dma=rw and disk DISK passed through), waits for it and
# checks its markers: TAG-guest-ram, TAG-virtio-1, TAG-dma-read and
# TAG-dma-readback (e2e_dma_run and the e2e_dma_check_* below).
e2e_dma_guest()
{
    e2e_dma_run "$1" "$2"
    e2e_dma_check_ram "$1-guest-ram" "$2" "$4"
    e2e_dma_check_virtio "$1-virtio-1" "$2"
    e2e_dma_check_read "$1-dma-read" "$2" "$3"
    e2e_dma_check_write "$1-dma-readback" "$2" "$3"
}

# e2e_dma_run TAG NAME: unpauses guest NAME, waits until it is gone
# (TAG-guest-exited fails after 100 s) and shows its disk markers.
e2e_dma_run()
{
    xl unpause "$2"
    if ! e2e_wait_gone "$2" 100; then
        e2e_fail "$1-guest-exited" "$2 still running after 100s"
        xl destroy "$2"
    fi
    e2e_guest_log "$2" | tr -d '\r' |
        grep -E "^E2E-GUEST $2 (RAM|DISK|DMA|DMESG)" | sed "s/^/[$1] /"
}

# e2e_dma_check_ram CHECK NAME RAM: guest NAME's one System RAM line
# (its own /proc/iomem) is RAM ("40000000-47ffffff").
e2e_dma_check_ram()
{
    _dg_l=$(e2e_guest_marker "$2" RAM)
    if [ "$_dg_l" = "E2E-GUEST $2 RAM $3 : System RAM" ]; then
        e2e_pass "$1" "$3"
    else
        e2e_fail "$1" "want RAM $3, got '$_dg_l'"
    fi
}

# e2e_dma_check_virtio CHECK NAME: guest NAME's virtio disk negotiated
# VERSION_1 and ACCESS_PLATFORM (feature bits 32 and 33).
e2e_dma_check_virtio()
{
    _dg_l=$(e2e_guest_marker "$2" DISK-FEATURES)
    _dg_l=${_dg_l##* }
    if [ "$(echo "$_dg_l" | cut -c33-34)" = 11 ]; then
        e2e_pass "$1" "VERSION_1 and ACCESS_PLATFORM negotiated"
    else
        e2e_fail "$1" "feature bits 32-33 not both set: '$_dg_l'"
    fi
}

# e2e_dma_check_read CHECK NAME DISK: the sha256 of the whole disk as
# guest NAME read it equals the image's.
e2e_dma_check_read()
{
    e2e_disk "$3"
    _dg_l=$(e2e_guest_marker "$2" DISK-READ)
    case $_dg_l in
    *" sha256=$E2E_D_SHA")
        e2e_pass "$1" "${_dg_l#* DISK-READ }" ;;
    "")
        e2e_fail "$1" "no DISK-READ marker:" \
            "$(e2e_guest_marker "$2" DISK-ERROR | head -n 1)" ;;
    *)
        e2e_fail "$1" "guest read sha256 ${_dg_l##*sha256=}," \
            "image is $E2E_D_SHA" ;;
    esac
}

# e2e_dma_check_write CHECK NAME DISK: what guest NAME wrote to DISK
# came back when it read it again past its page cache; prints
# "E2E-DISKWRITE DISK OFFSET LEN SHA256" for the host's check of the
# image after QEMU exits (e2e_host_disk_write).
e2e_dma_check_write()
{
    _dg_t=$1
    _dg_d=$3
    _dg_l=$(e2e_guest_marker "$2" DISK-WROTE)
    # E2E-GUEST NAME DISK-WROTE offset=O len=L sha256=S readback=R
    # shellcheck disable=SC2086
    set -- $_dg_l
    if [ -z "$_dg_l" ]; then
        e2e_fail "$_dg_t" "no DISK-WROTE marker"
        return 0
    fi
    if [ "${6#sha256=}" = "${7#readback=}" ]; then
        e2e_pass "$_dg_t" "${6#sha256=}"
    else
        e2e_fail "$_dg_t" "wrote ${6#sha256=}, read back ${7#readback=}"
    fi
    echo "E2E-DISKWRITE $_dg_d ${4#offset=} ${5#len=} ${6#sha256=}"
}

# e2e_ms: milliseconds since boot (/proc/uptime: 10 ms steps).
e2e_ms()
{
    awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime
}

# e2e_create_ms TAG NAME CFG: creates NAME from CFG paused (the build
# itself) and prints the milliseconds xl create took; on failure prints
# xl's output, each line prefixed [TAG.NAME], on stderr and returns 1.
e2e_create_ms()
{
    _cm_t0=$(e2e_ms)
    xl create -p "$3" >"/tmp/$2.out" 2>&1 ||
        { sed "s/^/[$1.$2] /" "/tmp/$2.out" >&2; return 1; }
    echo $(($(e2e_ms) - _cm_t0))
}

# e2e_median: the median of the numbers on standard input, one a line
# (the lower middle one of an even count).
e2e_median()
{
    sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# e2e_xen_key KEY: what Xen prints for debug key KEY (the log is cleared
# first, so only that).
e2e_xen_key()
{
    xl dmesg -c >/dev/null
    xl debug-keys "$1"
    xl dmesg
}

# e2e_p2m DOMID: "1G 2M 4K", the numbers of mappings of each size in
# the p2m of domain DOMID, from Xen's own statistics (debug key q).
e2e_p2m()
{
    e2e_xen_key q | awk -v id="$1" '
        $0 ~ "p2m mappings for domain " id " " { on = 1; next }
        on && /1G mappings:/ { sub(/.*1G mappings: */, ""); g = $1 }
        on && /2M mappings:/ { sub(/.*2M mappings: */, ""); m = $1 }
        on && /4K mappings:/ { sub(/.*4K mappings: */, ""); k = $1; on = 0 }
        END { if (k != "") print g, m, k }'
}

# e2e_claim_figures NAME: "US SCRUBBED" of each static extent Xen claimed
# for domain NAME since the log was last cleared, one extent a line
# (Xen logs "dN: static extent A-B at gfn G in US us, S frames scrubbed").
e2e_claim_figures()
{
    _cf_id=$(xl domid "$1" 2>/dev/null) || return 0
    xl dmesg | sed -n "s/.*d$_cf_id: static extent .* in \([0-9]*\) us, \([0-9]*\) frames scrubbed.*/\1 \2/p"
}

# e2e_unscrubbed: the number of freed static pages Xen has not scrubbed
# yet (debug key H).
e2e_unscrubbed()
{
    e2e_xen_key H |
        sed -n 's/.*Static memory has \([0-9]*\) unscrubbed pages.*/\1/p' | tail -n 1
}

# e2e_kib NR: a max_mem in KiB for the standard guest (its 128 MiB and
# xl's 1 MiB of slack) with room for an extent of NR frames.
e2e_kib()
{
    echo $((128 * 1024 + 1024 + $1 * 4))
}

# e2e_destroy_at_exit NAME...: destroys these domains when the scenario
# exits, however it ends.
e2e_destroy_at_exit()
{
    _dx="$*"
    trap 'for _d in $_dx; do xl destroy "$_d" >/dev/null 2>&1; done' EXIT
}

# e2e_pool_whole: the pool's first range (E2E_POOL: 0x70000000, 256 MiB)
# is one free range in the hypervisor's query, nothing claimed from it.
e2e_pool_whole()
{
    hvtool query | grep -qx "pool-free 0x70000 0x10000 - - -"
}
