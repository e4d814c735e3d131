# Scenario 20, dom0 side: the dom0less domain dl1 (dom0less/dl1.cfg,
# placed by "xl-static dtgen host") exists, and the arm64 xl-static
# plans it in dom0 exactly as the x86 one did on the build host.
# The guest's own /proc/iomem is checked on the host side
# (20-dom0less-directmap.host): its output goes to Xen's console.
. /e2e/lib.sh

if xl list | awk 'NR > 1 && $2 != 0 { found = 1 } END { exit !found }'; then
    e2e_pass dom0less.domain-exists
else
    xl list
    e2e_fail dom0less.domain-exists "xl list shows no domain besides Domain-0"
fi

# Same relative cfg path as on the host, so the two outputs compare.
if (cd "$E2E_CFG_DIR" && xl-static plan -j --boot dl1.cfg) >/tmp/dl1.plan.json 2>/tmp/dl1.plan.err; then
    if cmp -s /tmp/dl1.plan.json "$E2E_EXPECT_DIR/dl1.json"; then
        e2e_pass dom0less.arm64-plan-matches-host
    else
        diff /tmp/dl1.plan.json "$E2E_EXPECT_DIR/dl1.json"
        e2e_fail dom0less.arm64-plan-matches-host "arm64 plan differs from the host's"
    fi
else
    cat /tmp/dl1.plan.err
    e2e_fail dom0less.arm64-plan-matches-host "xl-static plan failed in dom0: $(tail -n 1 /tmp/dl1.plan.err)"
fi
