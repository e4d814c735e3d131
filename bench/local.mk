# Benchmarks: `make bench` prints figures, asserts nothing about time
noinst_PROGRAMS += %D%/xls-bench
%C%_xls_bench_SOURCES = %D%/bench.c
%C%_xls_bench_CFLAGS = $(AM_CFLAGS) $(XLUTIL_CFLAGS)
%C%_xls_bench_LDADD = $(LXS_LIBS)

# make bench BENCH_FLAGS="--dtb-max 10000" skips the larger DTB reads.
bench: %D%/xls-bench$(EXEEXT)
	./%D%/xls-bench$(EXEEXT) $(BENCH_FLAGS)
PHONY_TARGETS += bench
