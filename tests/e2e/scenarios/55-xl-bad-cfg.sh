# Bad cfgs: xl create fails with the finding's code, creates no domain
# and claims nothing (xl list and xl static-mem-list are unchanged).
. /e2e/lib.sh

snap()
{
    xl list | awk 'NR > 1 { print $1 }' | sort
    xl static-mem-list 2>&1
}

# NAME CODE CFG-LINE...
bad()
{
    _name=$1 _code=$2
    shift 2
    _cfg=$(e2e_guest_cfg "bad-$_name" "$@")
    snap >/tmp/bad-before.txt
    xl create "$_cfg" >/tmp/bad-$_name.out 2>&1
    _rc=$?
    snap >/tmp/bad-after.txt
    sed "s/^/[bad.$_name] /" /tmp/bad-$_name.out
    if [ $_rc -eq 0 ]; then
        e2e_fail bad.$_name "xl create succeeded"
        xl destroy "bad-$_name" 2>/dev/null
    elif ! grep -q "error: $_code: " /tmp/bad-$_name.out; then
        e2e_fail bad.$_name "exit $_rc without 'error: $_code: '"
    elif ! cmp -s /tmp/bad-before.txt /tmp/bad-after.txt; then
        e2e_fail bad.$_name "domains or extents changed"
        diff /tmp/bad-before.txt /tmp/bad-after.txt | sed "s/^/[bad.$_name] /"
    else
        e2e_pass bad.$_name "$(grep -m1 "error: $_code: " /tmp/bad-$_name.out |
                              sed 's/.*error: //')"
    fi
}

# QEMU's RAM is 0x40000000-0x140000000; the pool is 0x70000000+256M
# (and 0x100000000+1G).
bad outside-ram outside-ram 'static_mem = ["0x200000000:128M"]'
bad misaligned misaligned 'static_mem = ["0x70000800:128M"]'
bad size-mismatch size-mismatch 'static_mem = ["0x70000000:64M"]'
# dom0's kernel, a boot module, is at 0x42000000.
bad overlap-reserved overlap-reserved 'static_mem = ["0x42000000:128M"]'

# A create that fails after its extents were claimed (here: the registry
# cannot be written, the last step) destroys the domain and gives the
# extents back: nothing changes.
_cfg=$(e2e_guest_cfg bad-registry 'static_mem = ["0x70000000:128M"]')
snap >/tmp/bad-before.txt
XL_STATIC_STATE_DIR=/proc/xl-static xl create "$_cfg" >/tmp/bad-registry.out 2>&1
_rc=$?
snap >/tmp/bad-after.txt
sed "s/^/[bad.registry] /" /tmp/bad-registry.out
if [ $_rc -eq 0 ]; then
    e2e_fail bad.registry-unwritable "xl create succeeded"
    xl destroy bad-registry 2>/dev/null
elif ! grep -q "cannot record the reservation of 'bad-registry'" /tmp/bad-registry.out; then
    e2e_fail bad.registry-unwritable "exit $_rc without the registry error"
elif ! cmp -s /tmp/bad-before.txt /tmp/bad-after.txt; then
    e2e_fail bad.registry-unwritable "domains or extents changed"
    diff /tmp/bad-before.txt /tmp/bad-after.txt | sed "s/^/[bad.registry] /"
else
    e2e_pass bad.registry-unwritable "domain destroyed, extents back in the pool"
fi
