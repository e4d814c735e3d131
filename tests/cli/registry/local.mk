# tests/cli/registry: golden tests of the registry commands (release,
# create with a fake xl, and the registry in check, plan and
# static-mem-list)
TESTS += %D%/registry.sh
check_DATA += %D%/host.dtb
CLEANFILES += %D%/host.dtb
CLEAN_DIRS += %D%/work
EXTRA_DIST += %D%/registry.sh %D%/cases %D%/host.dts %D%/cfg %D%/seed \
	%D%/fake-xl \
	%D%/golden
