# tests/unit/dtgen: the test-dtgen runner (suites guest, host), its
# fixtures (compiled with dtc at build time) and golden trees.
if HAVE_CHECK
check_PROGRAMS += %D%/test-dtgen
TESTS += %D%/test-dtgen
%C%_test_dtgen_SOURCES = \
	$(UNIT_SUPPORT) \
	%D%/dtgen_tests.h \
	%D%/dtgen_main.c \
	%D%/dtgen_harness.c \
	%D%/test_guest.c \
	%D%/test_host.c \
	%D%/test_passthrough.c \
	%D%/test_invariant.c
%C%_test_dtgen_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_test_dtgen_LDADD = $(DTG_LIBS) $(CHECK_LIBS)
endif

# the dtgen commands, end to end on the fixtures
TESTS += %D%/cmd-dtgen.sh
EXTRA_DIST += %D%/cmd-dtgen.sh

%C%_fixtures = \
	%D%/fixtures/partial.dtb \
	%D%/fixtures/partial-nopt.dtb \
	%D%/fixtures/partial-cells1.dtb \
	%D%/fixtures/partial-highmmio.dtb \
	%D%/fixtures/host.dtb \
	%D%/fixtures/host-cells11.dtb \
	%D%/fixtures/host-nochosen.dtb \
	%D%/fixtures/host-high.dtb \
	%D%/fixtures/host-root11.dtb \
	%D%/fixtures/partial-nocells.dtb \
	%D%/fixtures/host-pt.dtb \
	%D%/fixtures/partial-pt.dtb
check_DATA += $(%C%_fixtures)
# the runner writes its blobs and their dtc output to out/
CLEANFILES += $(%C%_fixtures) %D%/out/* %D%/cmd-work/*
EXTRA_DIST += %D%/fixtures %D%/golden %D%/cfg
