# tests/unit/core: the test-core runner (suites size, range, diag, hostmap)

# Host device trees of tests/fixtures/host, compiled by the %.dtb rule;
# the runner finds them under $top_builddir.
CORE_HOST_FIXTURES = \
	tests/fixtures/host/rpi3-1cell.dtb \
	tests/fixtures/host/qemu-virt.dtb \
	tests/fixtures/host/zynqmp.dtb \
	tests/fixtures/host/default-cells.dtb \
	tests/fixtures/host/bad-cells-0.dtb \
	tests/fixtures/host/bad-cells-3.dtb \
	tests/fixtures/host/bad-cells-len.dtb \
	tests/fixtures/host/bad-resv-cells-3.dtb \
	tests/fixtures/host/bad-reg-len.dtb \
	tests/fixtures/host/bad-static-mem-len.dtb \
	tests/fixtures/host/bad-wrap.dtb \
	tests/fixtures/host/bad-wrap-top.dtb \
	tests/fixtures/host/bad-initrd.dtb
EXTRA_DIST += $(CORE_HOST_FIXTURES:.dtb=.dts)
CLEANFILES += $(CORE_HOST_FIXTURES)

if HAVE_CHECK
check_PROGRAMS += %D%/test-core
check_DATA += $(CORE_HOST_FIXTURES)
TESTS += %D%/test-core
%C%_test_core_SOURCES = \
	$(UNIT_SUPPORT) \
	%D%/core_tests.h \
	%D%/core_main.c \
	%D%/test_size.c \
	%D%/test_range.c \
	%D%/test_diag.c \
	%D%/test_hostmap.c
%C%_test_core_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_test_core_LDADD = $(LXS_LIBS) $(CHECK_LIBS)
endif
