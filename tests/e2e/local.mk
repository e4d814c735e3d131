# tests/e2e: real Xen on Arm64 under QEMU (tests/e2e/README.md).
# `make check-e2e` builds everything it needs and boots it; it is not
# part of `make check`.

# Programs of this repository (make targets) cross-built for arm64 and
# installed in /usr/bin of dom0 and of the guests.
E2E_ARM64_TARGETS = xl-static

check-e2e: all
	E2E_ARM64_TARGETS='$(E2E_ARM64_TARGETS)' \
	    bash $(srcdir)/%D%/run.sh $(abs_top_builddir)

PHONY_TARGETS += check-e2e

# The create benchmark on real Xen (tests/e2e/scenarios/90-bench-create.sh):
# one boot, figures only (E2E-BENCH lines of the serial log), asserts
# nothing about time.  E2E_BENCH_ROUNDS is not passed to dom0; the
# scenario's default is 5 rounds.
bench-e2e: all
	E2E_ARM64_TARGETS='$(E2E_ARM64_TARGETS)' E2E_SCENARIOS=90-bench-create \
	    E2E_SCENARIO_TIMEOUT=1500 bash $(srcdir)/%D%/run.sh $(abs_top_builddir); \
	    rc=$$?; echo "bench-e2e figures:"; \
	    sed -n 's/^.*E2E-BENCH //p' e2e/serial.txt; exit $$rc

PHONY_TARGETS += bench-e2e
EXTRA_DIST += %D%/README.md %D%/run.sh %D%/lib %D%/rootfs %D%/scenarios \
	%D%/dom0less %D%/guest

# The serial-log reader's own test runs with `make check` (no QEMU).
TESTS += %D%/checks-selftest.sh
EXTRA_DIST += %D%/checks-selftest.sh

# hvtool: the static-extent hypercalls from a shell (lxs_hv_*), for the
# hypervisor scenarios; built on demand, shipped to dom0 and guests.
EXTRA_PROGRAMS = %D%/hvtool
%C%_hvtool_SOURCES = %D%/hvtool.c
%C%_hvtool_LDADD = $(LXS_LIBS)
# fill, check and hold map guest frames (Xen's libxenforeignmemory, next
# to libxencall in the same Xen tools installation).
%C%_hvtool_LDADD += -lxenforeignmemory
E2E_ARM64_TARGETS += %D%/hvtool
CLEANFILES += $(EXTRA_PROGRAMS)
