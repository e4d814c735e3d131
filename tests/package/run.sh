#!/bin/sh
# Installs, packages and checks xl-static as a user or a distribution
# would, one PASS/FAIL line per check, then "N passed, N failed":
#   tests/package/run.sh BUILDDIR WORKDIR
# BUILDDIR is a configured and built tree (scripts/build.sh's ./build);
# everything is written under WORKDIR.
#   install.files       make install DESTDIR=: the binary, the man pages,
#                       the completion, every doc of docs/ and every example
#   install.man         the man pages render without warnings and name
#                       every subcommand, option and cfg key
#   install.completion  bash-completion finds the installed completion
#   distcheck           make distcheck (the fuzz smoke run left out)
#   dist.files          the tarball has every file git tracks
#   deb.build           dpkg-buildpackage -us -uc -b on the unpacked tarball
#                       (its make check builds in the source tree)
#   deb.lintian         lintian (pedantic, info and experimental) says nothing
#   deb.install-check   the package installs into a scratch root (dpkg
#                       --root), its dependencies are met on this machine,
#                       and the installed xl-static checks and plans the
#                       installed examples and draws their map (--map)
set -u
[ $# = 2 ] || { echo "usage: run.sh BUILDDIR WORKDIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd) || exit 2
mkdir -p "$2" && work=$(cd "$2" && pwd) || exit 2
jobs=${JOBS:-2}

passed=0 failed=0
# step NAME FUNCTION: runs FUNCTION with its output in WORKDIR/NAME.out
step() {
    t0=$(date +%s)
    "$2" >"$work/$1.out" 2>&1
    r=$?
    t=$(($(date +%s) - t0))
    if [ $r = 0 ]; then
        echo "PASS: $1 (${t}s)"
        passed=$((passed + 1))
    else
        echo "FAIL: $1 (${t}s)"
        tail -30 "$work/$1.out" | sed 's/^/    /'
        failed=$((failed + 1))
    fi
}

# --- make install -------------------------------------------------------
dest=$work/install
prefix=/usr/local
inst=$dest$prefix
xls_help() { "$build/xl-static" help "$@"; }
subcommands() {
    xls_help | sed -n '/full list of subcommands/,/^Global options/s/^ \([a-z][a-z-]*\) .*/\1/p'
}

install_files() {
    rm -rf "$dest"
    make -s -C "$build" install DESTDIR="$dest" prefix="$prefix" >/dev/null || return 1
    (cd "$inst" && find . -type f | sed 's|^\./||' | LC_ALL=C sort) >"$work/installed"
    echo "installed under DESTDIR$prefix:"
    sed 's/^/  /' "$work/installed"
    # what must be there: the fixed pieces, and every doc and example
    {
        printf '%s\n' bin/xl-static share/man/man1/xl-static.1 \
            share/man/man5/xl-static.cfg.5 \
            share/bash-completion/completions/xl-static \
            share/doc/xl-static/README.md
        (cd "$top" && ls docs/*.md examples/*.cfg examples/host.dts \
            examples/bad/*.cfg) | sed 's|^|share/doc/xl-static/|'
    } | LC_ALL=C sort >"$work/expected"
    diff -u "$work/expected" "$work/installed"
}

install_man() {
    rc=0
    for m in man1/xl-static.1 man5/xl-static.cfg.5; do
        f=$inst/share/man/$m
        # as lintian checks a man page: warnings of groff are errors
        w=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 \
            man --warnings -E UTF-8 -l -Tutf8 -Z "$f" 2>&1 >/dev/null)
        [ -z "$w" ] || { echo "$m: $w"; rc=1; }
        MANWIDTH=200 man -l "$f" 2>/dev/null | col -b >"$work/$(basename "$m").txt"
    done
    page=$work/xl-static.1.txt
    for c in $(subcommands); do
        grep -q "^       $c\b" "$page" || { echo "xl-static(1) lacks subcommand '$c'"; rc=1; }
        for o in $(xls_help "$c" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
            grep -q -- "$o" "$page" || { echo "xl-static(1) lacks '$c $o'"; rc=1; }
        done
    done
    for k in direct_map rambase_pfn static_mem mem_chunk; do
        grep -q "^       $k=" "$work/xl-static.cfg.5.txt" ||
            { echo "xl-static.cfg(5) lacks key '$k'"; rc=1; }
    done
    return $rc
}

install_completion() {
    [ -f /usr/share/bash-completion/bash_completion ] ||
        { echo "bash-completion is not installed"; return 1; }
    # bash-completion looks in $XDG_DATA_DIRS/bash-completion/completions
    XDG_DATA_DIRS=$inst/share bash -c '
        . /usr/share/bash-completion/bash_completion
        __load_completion xl-static || exit 1
        complete -p xl-static
        COMP_WORDS=(xl-static static); COMP_CWORD=1
        _xl_static; echo "xl-static static -> ${COMPREPLY[*]}"
        [ "${COMPREPLY[*]}" = static-mem-list ]'
}

step install.files install_files
step install.man install_man
step install.completion install_completion

# --- make distcheck -----------------------------------------------------
dist=$work/dist
tarball=
distcheck() {
    mkdir -p "$dist"
    if [ ! -f "$dist/Makefile" ] || [ "$top/configure" -nt "$dist/Makefile" ]; then
        (cd "$dist" && "$top/configure" -q) || return 1
    fi
    rm -f "$dist"/xl-static-*.tar.gz
    # the fuzz smoke run has run in BUILDDIR already
    make -s -C "$dist" -j"$jobs" distcheck DISTCHECK_CONFIGURE_FLAGS=FUZZ_CC=no
}
dist_files() {
    t=$(ls "$dist"/xl-static-*.tar.gz 2>/dev/null) || { echo "no tarball"; return 1; }
    git -C "$top" rev-parse --git-dir >/dev/null 2>&1 ||
        { echo "not a git checkout: nothing to compare with"; return 0; }
    base=$(basename "$t" .tar.gz)
    tar -tzf "$t" | sed -n "s|^$base/||p" | grep -v '/$' | LC_ALL=C sort >"$work/tarball"
    # what only git needs (.gitignore files, the CI entry point) stays out
    git -C "$top" ls-files | grep -v -e '\.gitignore$' -e '^\.ci/' |
        LC_ALL=C sort >"$work/tracked"
    missing=$(LC_ALL=C comm -23 "$work/tracked" "$work/tarball")
    [ -z "$missing" ] || { echo "not in $base.tar.gz:"; echo "$missing"; return 1; }
    echo "$(wc -l <"$work/tracked") tracked files, all in $base.tar.gz"
}
step distcheck distcheck
step dist.files dist_files

# --- the Debian package ---------------------------------------------------
deb=$work/deb
deb_build() {
    t=$(ls "$dist"/xl-static-*.tar.gz 2>/dev/null) ||
        { make -s -C "$dist" dist && t=$(ls "$dist"/xl-static-*.tar.gz); } || return 1
    rm -rf "$deb" && mkdir -p "$deb" && tar -C "$deb" -xzf "$t" || return 1
    # with make check: the one build of the tests in the source tree
    (cd "$deb"/xl-static-* &&
        DEB_BUILD_OPTIONS="parallel=$jobs" dpkg-buildpackage -us -uc -b) || return 1
    ls "$deb"/*.deb
}
deb_lintian() {
    changes=$(ls "$deb"/xl-static_*.changes) || return 1
    lintian --pedantic --display-info --display-experimental --show-overrides \
        "$changes" 2>"$work/lintian.err" >"$work/lintian"
    r=$?
    grep -v 'running with root privileges' "$work/lintian.err"
    cat "$work/lintian"
    [ $r = 0 ] && [ ! -s "$work/lintian" ] && echo "lintian: no tags"
}
deb_install_check() {
    pkg=$(ls "$deb"/xl-static_*.deb) || return 1
    root=$work/root
    rm -rf "$root"
    mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" &&
        : >"$root/var/lib/dpkg/status" || return 1
    # the libraries it needs are this machine's: met here, not in the root
    apt-get install -s --no-install-recommends "$pkg" >"$work/apt-s" 2>&1 &&
        grep -q '^0 upgraded, 1 newly installed, 0 to remove' "$work/apt-s" ||
        { cat "$work/apt-s"; echo "its dependencies are not met here"; return 1; }
    dpkg --root="$root" --force-depends -i "$pkg" 2>&1 | grep -v '^ \|dependency problems' 
    dpkg --root="$root" -s xl-static | grep -q '^Status: install ok installed' ||
        { echo "not installed"; return 1; }
    xls=$root/usr/bin/xl-static
    ex=$root/usr/share/doc/xl-static/examples
    dtc -q -I dts -O dtb -o "$work/host.dtb" "$ex/host.dts" || return 1
    # as scripts/run-example runs them: the good ones together, then each
    # bad one with them (exit status 1)
    (
        cd "$ex" || exit 1
        echo "\$ xl-static check --host-dtb host.dtb *.cfg"
        "$xls" check --host-dtb "$work/host.dtb" *.cfg || exit 1
        echo "\$ xl-static plan --host-dtb host.dtb --map *.cfg"
        "$xls" plan --host-dtb "$work/host.dtb" --map *.cfg >"$work/plan-map" ||
            exit 1
        cat "$work/plan-map"
        # the map of the example host, with the planned extents on it
        grep -q '^memory map (plan): 2 RAM banks$' "$work/plan-map" &&
            grep -q '^  0x60000000 .* planned  *netdrv ' "$work/plan-map" ||
            { echo "no memory map with netdrv planned"; exit 1; }
        for cfg in bad/*.cfg; do
            "$xls" check --host-dtb "$work/host.dtb" *.cfg "$cfg" >/dev/null
            r=$?
            echo "$cfg: exit status $r"
            [ $r = 1 ] || exit 1
        done
    )
}
step deb.build deb_build
step deb.lintian deb_lintian
step deb.install-check deb_install_check

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
