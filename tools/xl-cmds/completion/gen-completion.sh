#!/bin/sh
# Writes the bash completion of xl-static to stdout, from the sources:
#   gen-completion.sh XL_CMDS_SRCDIR
# The subcommands come from the command table (cmdtable.c), the options
# of each from the struct option table and the short options string that
# its SWITCH_FOREACH_OPT reads (cmd_*.c), so that a new command or option
# is completed without anyone editing the completion.  The function that
# uses the tables is completion/xl-static.bash.in.
set -eu
src=$1

# the subcommands, in table order
cmds=$(sed -n '/cmd_table\[\] = {/,/^};/s/^    { "\([a-z-]*\)",.*/\1/p' \
    "$src/cmdtable.c" | tr '\n' ' ')
[ -n "$cmds" ] || { echo "gen-completion: no commands in cmdtable.c" >&2; exit 1; }

# the long options of CLI_FINDING_OPTS (xl_static.h), which the option
# tables of the commands that read findings hold
finding=$(sed -n 's/^#define CLI_FINDING_OPTS //p' "$src/xl_static.h" |
    grep -o '{"[a-z0-9-]*", *[012]' |
    sed 's/^{"\([a-z0-9-]*\)", *0$/--\1/; s/^{"\([a-z0-9-]*\)", *[12]$/--\1=/' |
    tr '\n' ' ')
[ -n "$finding" ] ||
    { echo "gen-completion: no CLI_FINDING_OPTS in xl_static.h" >&2; exit 1; }

tables=$(awk -v finding="$finding" '
function flush_opts() { longs = ""; args = "" }
/^(static )?int [a-z_]+\(int argc/ {
    fn = $0
    sub(/^(static )?int /, "", fn)
    sub(/\(.*/, "", fn)
}
/struct option opts\[\] = \{/ { inopts = 1; flush_opts(); next }
inopts && /COMMON_LONG_OPTS/ { longs = longs " --help" }
inopts && /CLI_FINDING_OPTS/ { n = split(finding, w, " ")
    for (i = 1; i <= n; i++) longs = longs " " w[i] }
inopts && match($0, /\{"[a-z0-9-]+", *[012]/) {
    split(substr($0, RSTART, RLENGTH), f, "\"")
    hasarg = substr(f[3], length(f[3]), 1)
    if (hasarg == "0") {
        longs = longs " --" f[2]
    } else {
        longs = longs " --" f[2] "="
        args = args " --" f[2]
    }
}
inopts && /^ *\};/ { inopts = 0 }
/SWITCH_FOREACH_OPT\(/ {
    split($0, f, "\"")
    short = f[2]; cmd = f[4]
    key = cmd; gsub(/-/, "_", key)
    if (fn != "main_" key && index(fn, key "_") == 1) {
        s = substr(fn, length(key) + 2)
        sub(/_args$/, "", s)    # dtgen_host_args parses dtgen host
        subs[key] = subs[key] " " s
        key = key "_" s
    }
    shorts = " -h"
    for (i = 1; i <= length(short); i++) {
        c = substr(short, i, 1)
        if (c == ":")
            continue
        shorts = shorts " -" c
        if (substr(short, i + 1, 1) == ":")
            args = " -" c args
    }
    printf "_xl_static_opts_%s=\x27%s%s\x27\n", key, substr(shorts, 2), longs
    printf "_xl_static_args_%s=\x27%s\x27\n", key, substr(args, 2)
    nr++
}
END {
    for (k in subs)
        printf "_xl_static_subs_%s=\x27%s\x27\n", k, substr(subs[k], 2)
    if (!nr)
        exit 1
}' "$src"/cmd_*.c | LC_ALL=C sort) ||
    { echo "gen-completion: no option tables in $src/cmd_*.c" >&2; exit 1; }

# every command of the table has an option table
for c in $cmds; do
    k=$(echo "$c" | tr - _)
    echo "$tables" | grep -q "^_xl_static_\(opts\|subs\)_$k=" ||
        { echo "gen-completion: no options found for '$c'" >&2; exit 1; }
done

sed -n '1,/^# @TABLES@$/p' "$src/completion/xl-static.bash.in" | sed '$d'
echo "_xl_static_cmds='${cmds}help'"
echo "$tables"
sed -n '/^# @TABLES@$/,$p' "$src/completion/xl-static.bash.in" | sed 1d
