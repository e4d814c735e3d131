# hypervisor-hooks: ABI header, userspace harness for the pool logic
#
# common/static_pool.c is the file that goes into Xen; the harness builds
# it unchanged against stand-ins for the Xen headers it uses.
HV_ABI_HDRS = \
	%D%/include/public/static_extent.h \
	%D%/include/static_extent_abi.h \
	%D%/include/xen/static_pool.h
HV_HARNESS_HDRS = \
	%D%/harness/harness.h \
	%D%/harness/include/xen/errno.h \
	%D%/harness/include/xen/lib.h \
	%D%/harness/include/xen/spinlock.h \
	%D%/harness/include/xen/string.h \
	%D%/harness/include/xen/types.h \
	%D%/harness/include/xen/xmalloc.h

if HAVE_CHECK
check_PROGRAMS += %D%/harness/test-static-pool
TESTS += %D%/harness/test-static-pool
%C%_harness_test_static_pool_SOURCES = \
	$(UNIT_SUPPORT) \
	$(HV_ABI_HDRS) \
	$(HV_HARNESS_HDRS) \
	%D%/harness/harness.c \
	%D%/common/static_pool.c \
	%D%/harness/test_static_pool.c
%C%_harness_test_static_pool_CPPFLAGS = \
	-I$(srcdir)/%D%/harness/include -I$(srcdir)/%D%/harness $(AM_CPPFLAGS)
%C%_harness_test_static_pool_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS)
%C%_harness_test_static_pool_LDADD = $(CHECK_LIBS)
endif

# The library side (tools/libxl-static/hv.c) against a fake libxencall.
include $(srcdir)/tests/unit/hv/local.mk

# The patch series and the script that applies them to a Xen tree.
EXTRA_DIST += %D%/apply.sh %D%/patches %D%/patches-tools
