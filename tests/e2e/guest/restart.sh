# Guest script (e2e.run=restart) of 80-restart: after the init's markers
# (its RAM as it sees it), ends this instance of the guest the way the
# kernel argument e2e.act says, so that xl's action for that shutdown
# reason starts the next instance:
#   reboot    an immediate reboot (sysrq b: the kernel resets the
#             machine at once, as a watchdog would; shutdown reason
#             reboot: on_reboot).  Not "reboot -f": its device shutdown
#             hung once in a few dozen runs under TCG, with the guest
#             never reaching PSCI SYSTEM_RESET
#   panic     a kernel crash (sysrq c); with panic=1 on the command line
#             Linux reboots (on_reboot): arm64 Linux does not report a
#             panic to Xen as a crash
#   crash     the same kernel crash with the module xen_panic_report
#             loaded (guest/xen_panic_report.c), which reports it to Xen
#             as x86 Linux does (SHUTDOWN_crash: on_crash)
#   wait      keeps running until dom0 acts (xl reboot)
# Marker: E2E-GUEST NAME RESTART <act> up <uptime>
act=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^e2e.act=//p' | tail -n 1)
echo "E2E-GUEST $E2E_NAME RESTART $act up $(cut -d' ' -f1 /proc/uptime)"
case $act in
reboot)
    echo b >/proc/sysrq-trigger
    ;;
panic)
    echo c >/proc/sysrq-trigger
    ;;
crash)
    insmod /lib/modules/xen_panic_report.ko ||
        echo "E2E-GUEST $E2E_NAME ERROR insmod xen_panic_report failed"
    echo c >/proc/sysrq-trigger
    ;;
wait)
    while :; do
        sleep 5
    done
    ;;
esac
