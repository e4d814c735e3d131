# Basic health, so that later failures are easy to place: the toolstack
# answers, and a plain "xl create" guest boots and powers itself off.
. /e2e/lib.sh

e2e_check health.xl-info sh -c 'xl info | grep -q "^xen_version *: 4\.17"'
e2e_check health.xl-list sh -c 'xl list | grep -q "^Domain-0 "'

cfg=$(e2e_guest_cfg hc1 --run hello)
if e2e_check health.xl-create xl create "$cfg"; then
    if e2e_wait_gone hc1 90; then
        e2e_pass health.guest-exited
    else
        e2e_fail health.guest-exited "hc1 still running after 90s"
        xl destroy hc1
    fi
    if e2e_guest_marker hc1 UP >/dev/null; then
        e2e_pass health.guest-up "$(e2e_guest_marker hc1 UP)"
    else
        e2e_fail health.guest-up "no 'E2E-GUEST hc1 UP' in its console log"
        e2e_guest_log hc1 | tail -n 20
    fi
    if e2e_guest_marker hc1 HYPNODE >/dev/null; then
        e2e_pass health.guest-hypervisor-node
    else
        e2e_fail health.guest-hypervisor-node "guest has no /hypervisor node"
    fi
    if e2e_guest_marker hc1 HELLO >/dev/null; then
        e2e_pass health.guest-script
    else
        e2e_fail health.guest-script "guest did not run /e2e/guest/hello.sh"
    fi
fi
