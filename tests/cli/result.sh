# Shared by the CLI test scripts (sourced, not run): result STATUS NAME
# prints "PASS: NAME" when STATUS is 0, else "FAIL: NAME", and counts
# them in $passed and $failed (set them to 0 first).
result() {
    if [ "$1" = 0 ]; then
        echo "PASS: $2"
        passed=$((passed + 1))
    else
        echo "FAIL: $2"
        failed=$((failed + 1))
    fi
}
