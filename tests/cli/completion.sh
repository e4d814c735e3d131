#!/bin/sh
# The bash completion against the real xl-static: every subcommand that
# `xl-static help` lists is completed, every option that the help of a
# subcommand shows is completed after it (for dtgen, after one of its
# guest|host), and the completion offers no subcommand that does not
# exist.  Runs the generated completion in bash, as a shell would.
: "${top_srcdir:?}" "${top_builddir:?}"
. "$top_srcdir/tests/cli/result.sh"
xls=$top_builddir/xl-static
comp=$top_builddir/tools/xl-cmds/completion/xl-static
work=$top_builddir/tests/cli/completion-work
command -v bash >/dev/null || { echo "completion: no bash"; exit 77; }
for f in "$xls" "$comp"; do
    [ -f "$f" ] || { echo "completion: $f is not built"; exit 99; }
done
rm -rf "$work" && mkdir -p "$work/empty" || exit 99

# complete WORD... : the candidates bash offers for the last word, in
# an empty directory unless DIR says otherwise
complete_words() {
    (cd "${dir:-$work/empty}" && bash -c '. "$1"; shift
        COMP_WORDS=(xl-static "$@"); COMP_CWORD=$#
        COMP_LINE="xl-static $*"; COMP_POINT=${#COMP_LINE}
        _xl_static; printf "%s\n" "${COMPREPLY[@]}"' sh "$comp" "$@" |
        sed 's/=$//')
}

passed=0 failed=0

"$xls" help | sed -n '/full list of subcommands/,/^Global options/s/^ \([a-z][a-z-]*\) .*/\1/p' \
    >"$work/cmds"
[ -s "$work/cmds" ] || { echo "completion: no subcommands in xl-static help"; exit 99; }
complete_words '' | grep -vx help >"$work/completed-cmds"

# no subcommand the completion lacks, none it invents
diff -u "$work/cmds" "$work/completed-cmds" >"$work/cmds.diff"
r=$?
[ $r = 0 ] || cat "$work/cmds.diff"
result $r "subcommands: the completion has exactly those of 'xl-static help'"

while read -r cmd; do
    "$xls" help "$cmd" >"$work/$cmd.help" || { result 1 "$cmd: help"; continue; }
    # the options the help shows: "-j," and every "--name"
    { grep -o -- '--[a-z][a-z-]*' "$work/$cmd.help"
      grep -o '^-[a-zA-Z],' "$work/$cmd.help" | tr -d ,
      echo -h; echo --help; } | sort -u >"$work/$cmd.opts"
    subs=$(complete_words "$cmd" '' | tr '\n' ' ' | sed 's/ $//')
    if [ -n "$subs" ]; then
        for s in $subs; do
            complete_words "$cmd" "$s" -
        done
    else
        complete_words "$cmd" -
    fi | sort -u >"$work/$cmd.completed"
    missing=$(comm -23 "$work/$cmd.opts" "$work/$cmd.completed" | tr '\n' ' ')
    [ -z "$missing" ] || echo "$cmd: not completed: $missing"
    [ -z "$missing" ]
    result $? "$cmd: every option of its help is completed${subs:+ (after $subs)}"
done <"$work/cmds"

# an option's value is a file name, not an option
touch "$work/a.cfg"
dir=$work complete_words check --host-dtb '' | grep -qx a.cfg
result $? "check --host-dtb completes a file name"
# -W completes the warnings its help names, as no-CODE
for cmd in check plan create; do
    want=$("$xls" help "$cmd" | sed -n 's/^-W no-CODE .*(\(.*\),$/\1/p')
    want="no-$want no-$("$xls" help "$cmd" | sed -n '/^-W no-CODE/{n;s/^ *\([a-z-]*\)).*/\1/p}')"
    got=$(complete_words "$cmd" -W '' | tr '\n' ' ' | sed 's/ $//')
    [ -n "$got" ] && [ "$got" = "$want" ]
    result $? "$cmd -W completes the warnings of its help ($got)"
done
complete_words st | grep -qx static-mem-list
result $? "a prefix completes to its subcommand"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ] && [ "$passed" != 0 ]
