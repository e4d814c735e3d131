# Guest script (e2e.run=hvclaim): an unprivileged domain calls the
# static-extent op; the hypervisor must refuse it (EPERM) and change
# nothing, and tell it nothing (not even whether a domain exists).
# Markers: E2E-GUEST NAME HVCLAIM|HVQUERY|HVNODOM <hvtool's answer>.
insmod /lib/modules/xen-privcmd.ko 2>/dev/null
# For dom0 (which exists), a free range of the pool.
echo "E2E-GUEST $E2E_NAME HVCLAIM $(hvtool claim 0 0x7f000 0x7f000 0x10 2>&1 | tail -n 1)"
echo "E2E-GUEST $E2E_NAME HVQUERY $(hvtool query 2>&1 | tail -n 1)"
# For a domain that does not exist: EPERM too, not ESRCH.
echo "E2E-GUEST $E2E_NAME HVNODOM $(hvtool claim 0x7000 0x7f000 0x7f000 0x10 2>&1 | tail -n 1)"
