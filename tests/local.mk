# Unit tests (check), fixtures, CLI golden tests
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	DTC='$(DTC)'; export top_srcdir top_builddir DTC;

# What every check runner links (the harness's test-static-pool too).
UNIT_SUPPORT = tests/unit/unit.h tests/unit/unit.c
UNIT_CFLAGS = -I$(top_srcdir)/tests/unit $(CHECK_CFLAGS)

# One fragment per component, each owned by its component's work.
include $(srcdir)/tests/unit/core/local.mk
include $(srcdir)/tests/unit/check/local.mk
include $(srcdir)/tests/unit/registry/local.mk
include $(srcdir)/tests/unit/dtgen/local.mk
include $(srcdir)/tests/unit/allocfail/local.mk
include $(srcdir)/tests/unit/glue/local.mk
include $(srcdir)/tests/cli/local.mk
include $(srcdir)/tests/cli/registry/local.mk
include $(srcdir)/tests/e2e/local.mk
include $(srcdir)/tests/fuzz/local.mk
include $(srcdir)/tests/catalogue/local.mk
