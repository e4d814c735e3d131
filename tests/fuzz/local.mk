# tests/fuzz: libFuzzer targets, their seeds, "make fuzz", and the smoke
# run of make check (see tests/fuzz/README.md).
FUZZ_TARGETS = \
	%D%/fuzz-cfg \
	%D%/fuzz-hostdtb \
	%D%/fuzz-plan-dtgen \
	%D%/fuzz-registry \
	%D%/fuzz-registry-commit \
	%D%/fuzz-json \
	%D%/fuzz-imagebuilder
FUZZ_SECONDS = 60
EXTRA_DIST += %D%/README.md %D%/build.sh %D%/mkseeds.sh %D%/run.sh \
	%D%/smoke.sh %D%/seeds %D%/regress %D%/cfg.dict %D%/dtb.dict \
	%D%/registry.dict %D%/fuzz.h %D%/fuzz_common.c %D%/fuzz_cfg.c \
	%D%/fuzz_hostdtb.c %D%/fuzz_plan_dtgen.c %D%/fuzz_registry.c \
	%D%/fuzz_registry_commit.c %D%/fuzz_json.c %D%/json.dict \
	%D%/fuzz_imagebuilder.c %D%/imagebuilder.dict
PHONY_TARGETS += fuzz fuzz-targets fuzz-corpus

if ENABLE_FUZZING
noinst_PROGRAMS += $(FUZZ_TARGETS)
FUZZ_COMMON = %D%/fuzz.h %D%/fuzz_common.c
%C%_fuzz_cfg_SOURCES = %D%/fuzz_cfg.c $(FUZZ_COMMON)
%C%_fuzz_cfg_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_cfg_LDADD = $(DTG_LIBS)
%C%_fuzz_hostdtb_SOURCES = %D%/fuzz_hostdtb.c $(FUZZ_COMMON)
%C%_fuzz_hostdtb_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_hostdtb_LDADD = $(DTG_LIBS)
%C%_fuzz_plan_dtgen_SOURCES = %D%/fuzz_plan_dtgen.c $(FUZZ_COMMON)
%C%_fuzz_plan_dtgen_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_plan_dtgen_LDADD = $(DTG_LIBS)
%C%_fuzz_registry_SOURCES = %D%/fuzz_registry.c $(FUZZ_COMMON)
%C%_fuzz_registry_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_registry_LDADD = $(DTG_LIBS)
%C%_fuzz_registry_commit_SOURCES = %D%/fuzz_registry_commit.c $(FUZZ_COMMON)
%C%_fuzz_registry_commit_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_registry_commit_LDADD = $(DTG_LIBS)
# the -j writer of the commands, compiled in
%C%_fuzz_json_SOURCES = %D%/fuzz_json.c tools/xl-cmds/cli_json.c \
	$(FUZZ_COMMON)
%C%_fuzz_json_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/xl-cmds
%C%_fuzz_json_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS) $(YAJL_CFLAGS)
%C%_fuzz_json_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_json_LDADD = $(DTG_LIBS)
# the reader of ImageBuilder configs of import, compiled in
%C%_fuzz_imagebuilder_SOURCES = %D%/fuzz_imagebuilder.c \
	tools/xl-cmds/cli_imagebuilder.c $(FUZZ_COMMON)
%C%_fuzz_imagebuilder_CPPFLAGS = $(AM_CPPFLAGS) -I$(top_srcdir)/tools/xl-cmds
%C%_fuzz_imagebuilder_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS) $(YAJL_CFLAGS)
%C%_fuzz_imagebuilder_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
%C%_fuzz_imagebuilder_LDADD = $(DTG_LIBS)

fuzz-targets: $(FUZZ_TARGETS)

# the seeds follow the fixtures: rewritten on every run
fuzz-corpus:
	$(AM_V_GEN)$(SHELL) $(srcdir)/%D%/mkseeds.sh $(srcdir) %D%/seeds '$(DTC)' >/dev/null

# make fuzz [FUZZ_SECONDS=N] [FUZZ_ONLY="cfg registry"]
fuzz: fuzz-targets fuzz-corpus
	$(SHELL) $(srcdir)/%D%/run.sh $(srcdir) $(FUZZ_ONLY)
else
if FUZZ_SMOKE
# the fuzz targets need their own build: build-fuzz (tests/fuzz/build.sh)
fuzz fuzz-targets fuzz-corpus:
	FUZZ_CC='$(FUZZ_CC)' $(SHELL) $(srcdir)/%D%/build.sh $(abs_top_builddir)/fuzz-build
	$(MAKE) -C fuzz-build $@ FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_ONLY="$(FUZZ_ONLY)"

TESTS += %D%/smoke.sh
AM_TESTS_ENVIRONMENT += FUZZ_CC='$(FUZZ_CC)'; export FUZZ_CC;
CLEANFILES += %D%/smoke-build.out
CLEAN_DIRS += fuzz-build
else
fuzz fuzz-targets fuzz-corpus:
	@echo "fuzzing needs clang with libFuzzer (scripts/install-deps.sh test)" >&2; exit 1
endif
endif
