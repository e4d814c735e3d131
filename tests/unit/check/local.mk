# tests/unit/check: the test-check runner (suites cfg, validate, plan)
if HAVE_CHECK
check_PROGRAMS += %D%/test-check
# a board-shaped host DT of core's fixtures (compiled by the %.dtb rule)
check_DATA += tests/fixtures/host/qemu-virt.dtb
TESTS += %D%/test-check
%C%_test_check_SOURCES = \
	$(UNIT_SUPPORT) \
	%D%/check_tests.h \
	%D%/helpers.c \
	%D%/check_main.c \
	%D%/test_cfg.c \
	%D%/test_validate.c \
	%D%/test_plan.c
%C%_test_check_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_test_check_LDADD = $(LXS_LIBS) $(CHECK_LIBS)
endif
