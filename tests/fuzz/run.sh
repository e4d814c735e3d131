#!/bin/sh
# Runs the fuzz targets of a build configured with --enable-fuzzing, one
# at a time, each for FUZZ_SECONDS (default 60; FUZZ_SEED fixes
# libFuzzer's seed), from the build directory:
#   run.sh SRCDIR [TARGET...]        (TARGET: cfg hostdtb plan-dtgen registry
#                                    registry-commit json imagebuilder)
# Each target grows its corpus in tests/fuzz/corpus/TARGET (kept between
# runs) from the seeds in tests/fuzz/seeds/TARGET; a finding is saved as
# tests/fuzz/artifacts/TARGET-crash-... and fails the run.  Every run is
# logged to tests/fuzz/runs.log: date, target, seconds, executions.
# Ends with "N passed, N failed".
set -u
src=$1
shift
secs=${FUZZ_SECONDS:-60}
targets=${*:-cfg hostdtb plan-dtgen registry registry-commit json imagebuilder}
dir=tests/fuzz
. "$src/tests/cli/result.sh"

# a small quarantine: libFuzzer's leak checks scan the whole heap, and
# the default 256 MiB of freed chunks made fuzz-cfg three times slower
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:quarantine_size_mb=16}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$src/tests/lsan.supp:print_suppressions=0}"

mkdir -p "$dir/artifacts"
cat "$src/$dir/cfg.dict" "$src/$dir/dtb.dict" >"$dir/plan-dtgen.dict"
passed=0
failed=0
for t in $targets; do
    case $t in
    cfg)        max_len=8192;  dict=$src/$dir/cfg.dict ;;
    hostdtb)    max_len=16384; dict=$src/$dir/dtb.dict ;;
    plan-dtgen) max_len=20000; dict=$dir/plan-dtgen.dict ;;
    registry)   max_len=8192;  dict=$src/$dir/registry.dict ;;
    registry-commit) max_len=4096; dict=$src/$dir/json.dict ;;
    json)       max_len=4096;  dict=$src/$dir/json.dict ;;
    imagebuilder) max_len=8192; dict=$src/$dir/imagebuilder.dict ;;
    *) echo "run.sh: unknown target '$t'" >&2; failed=$((failed + 1)); continue ;;
    esac
    prog=$dir/fuzz-$t
    log=$dir/fuzz-$t.log
    mkdir -p "$dir/corpus/$t"
    start=$(date +%s)
    # shellcheck disable=SC2086
    "$prog" -max_total_time="$secs" -timeout=25 -rss_limit_mb=2048 \
        -max_len="$max_len" -dict="$dict" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/$t-" ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
        "$dir/corpus/$t" "$dir/seeds/$t" >"$log" 2>&1
    rc=$?
    secs_run=$(($(date +%s) - start))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    corpus=$(ls "$dir/corpus/$t" | wc -l)
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $t ${secs_run}s ${execs:-?} execs, corpus $corpus, exit $rc" \
        >>"$dir/runs.log"
    if [ $rc = 0 ]; then
        what="${execs:-?} runs in ${secs_run} s, corpus $corpus"
    else
        what="exit $rc, see $log"
    fi
    result $rc "fuzz-$t ($what)"
    [ $rc = 0 ] ||
        grep -E 'fuzz: finding|ERROR: |runtime error|SUMMARY|Test unit written' "$log" | head -20
done
echo "$passed passed, $failed failed"
[ $failed = 0 ]
