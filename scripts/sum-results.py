#!/usr/bin/env python3
"""Adds up test results under build directories and prints them:

    sum-results.py [DIR...]          (default: .)

one line "DIR: N passed, N failed" per directory when there are several,
then the total "N passed, N failed" (the last line, which the callers
read).  Reads check's per-runner summaries, the plain "N passed, N
failed" lines of shell tests, and check-e2e.out.  A directory with no
results at all counts as one failure: its build did not get as far as
the tests."""
import os
import re
import sys

CHECK = re.compile(r'^\d+%: Checks: (\d+), Failures: (\d+), Errors: (\d+)', re.M)
PLAIN = re.compile(r'^(?:\w+: )?(\d+) passed, (\d+) failed', re.M)


def count(build):
    passed = failed = 0
    files = []
    for root, dirs, names in os.walk(build):
        # a build directory of its own (the fuzz build, the builds of
        # the package checks) is summed apart
        dirs[:] = [d for d in dirs if d not in ('fuzz-build', 'pkg-work')]
        for n in names:
            if n.endswith('.log') and n != 'test-suite.log' and n != 'config.log':
                files.append(os.path.join(root, n))
    e2e = os.path.join(build, 'check-e2e.out')
    if os.path.exists(e2e):
        files.append(e2e)
    for f in sorted(files):
        text = open(f, errors='replace').read()
        m = CHECK.findall(text)
        if m:
            for checks, fails, errs in m:
                passed += int(checks) - int(fails) - int(errs)
                failed += int(fails) + int(errs)
            continue
        m = PLAIN.findall(text)
        if m:
            p, fl = m[-1]
            passed += int(p)
            failed += int(fl)
        elif f.endswith('.log'):
            # a test program that printed no count: judge it by its .trs
            trs = f[:-4] + '.trs'
            if os.path.exists(trs):
                res = open(trs).read()
                if ':test-result: PASS' in res or ':test-result: SKIP' in res:
                    passed += 1
                else:
                    failed += 1
    if not files:
        failed += 1
    return passed, failed


def main(builds):
    total_p = total_f = 0
    for b in builds:
        p, f = count(b)
        if len(builds) > 1:
            print(f'{os.path.basename(os.path.normpath(b))}: {p} passed, {f} failed')
        total_p += p
        total_f += f
    print(f'{total_p} passed, {total_f} failed')
    return 0 if total_f == 0 and total_p > 0 else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:] or ['.']))
