#!/bin/sh
# Runs test-glue on every directory of cfg fixtures in the tree.
top=${top_srcdir:-.}
export top_srcdir=$top
exec "${top_builddir:-.}/tests/unit/glue/test-glue" \
    "$top/tests/cli/fixtures/good" "$top/tests/cli/fixtures/err" \
    "$top/tests/cli/registry/cfg" "$top/examples" "$top/examples/bad" \
    "$top/tests/e2e/dom0less" "$top/tests/fuzz/regress/cfg"
