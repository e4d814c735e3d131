# tests/unit/allocfail: the test-allocfail runner, allocation failures
# injected through one whole run (registry, host DTB, cfgs, check and
# plan, guest and host DTs, registry update); reads the CLI fixtures.
if HAVE_CHECK
check_PROGRAMS += %D%/test-allocfail
check_DATA += tests/cli/fixtures/host.dtb
TESTS += %D%/test-allocfail
%C%_test_allocfail_SOURCES = $(UNIT_SUPPORT) %D%/test_allocfail.c
%C%_test_allocfail_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_test_allocfail_LDADD = $(DTG_LIBS) $(CHECK_LIBS)
endif
