# tests/unit/registry: the test-registry runner (suites registry-data,
# registry-fs, registry-plan, registry-proc)
if HAVE_CHECK
check_PROGRAMS += %D%/test-registry
TESTS += %D%/test-registry
%C%_test_registry_SOURCES = \
	$(UNIT_SUPPORT) \
	%D%/registry_tests.h \
	%D%/registry_main.c \
	%D%/test_data.c \
	%D%/test_fs.c \
	%D%/test_registry_plan.c \
	%D%/test_proc.c
%C%_test_registry_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_test_registry_LDADD = $(LXS_LIBS) $(CHECK_LIBS)
endif
