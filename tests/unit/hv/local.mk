# tests/unit/hv: test-hv, hv.c (static-extent hypercalls) against a fake
# libxencall, so it runs without Xen.  Included from hypervisor-hooks/.
if HAVE_CHECK
check_PROGRAMS += %D%/test-hv
TESTS += %D%/test-hv
%C%_test_hv_SOURCES = \
	$(UNIT_SUPPORT) \
	%D%/fake_xencall.h \
	%D%/fake_xencall.c \
	%D%/test_hv.c
%C%_test_hv_CFLAGS = $(AM_CFLAGS) $(UNIT_CFLAGS) $(XENCALL_CFLAGS)
# No $(XENCALL_LIBS): fake_xencall.c stands in for libxencall.
%C%_test_hv_LDADD = libxlstatic.a $(XLUTIL_LIBS) $(YAJL_LIBS) $(FDT_LIBS) \
	$(CHECK_LIBS)
endif
