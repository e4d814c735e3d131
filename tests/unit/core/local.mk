# tests/unit/core: the test-core runner (suites size, range, diag, hostmap)
if HAVE_CHECK
check_PROGRAMS += %D%/test-core
TESTS += %D%/test-core
%C%_test_core_SOURCES = \
	%D%/core_tests.h \
	%D%/main.c \
	%D%/test_size.c \
	%D%/test_range.c \
	%D%/test_diag.c
%C%_test_core_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS)
%C%_test_core_LDADD = $(LXS_LIBS) $(CHECK_LIBS)
endif
