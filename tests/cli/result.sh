# Shared by the CLI test scripts (sourced, not run).
#
# result STATUS NAME prints "PASS: NAME" when STATUS is 0, else
# "FAIL: NAME", and counts them in $passed and $failed (set them to 0
# first).
result() {
    if [ "$1" = 0 ]; then
        echo "PASS: $2"
        passed=$((passed + 1))
    else
        echo "FAIL: $2"
        failed=$((failed + 1))
    fi
}

# golden_diff GOLDEN NAME WANT GOT HOW: 0 when the exit status GOT is
# WANT and $work/NAME.out and $work/NAME.err are GOLDEN/NAME.out and
# GOLDEN/NAME.err (an absent .err: empty); else 1, after printing each
# difference (diff -u).  HOW says how to write a missing golden file.
golden_diff() {
    gd_ok=0
    if [ "$4" != "$3" ]; then
        echo "$2: exit status $4, expected $3"
        gd_ok=1
    fi
    if [ ! -f "$1/$2.out" ]; then
        echo "$2: no golden/$2.out (run $5)"
        gd_ok=1
    elif ! diff -u "$1/$2.out" "$work/$2.out"; then
        gd_ok=1
    fi
    gd_err=$1/$2.err
    [ -f "$gd_err" ] || gd_err=/dev/null
    diff -u "$gd_err" "$work/$2.err" || gd_ok=1
    return $gd_ok
}
