# Unit tests (check), fixtures, CLI golden tests
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	DTC='$(DTC)'; export top_srcdir top_builddir DTC;
