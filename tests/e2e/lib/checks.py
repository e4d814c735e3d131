#!/usr/bin/env python3
"""Reads the e2e serial log (carriage returns removed).

  checks.py clean RAW-SERIAL
      Prints the log without carriage returns, and with every Xen line
      that was printed into the middle of another console line (Xen
      serialises whole writes, not lines) moved out, so that the line
      it cut is whole again.
  checks.py results SERIAL SCENARIO...
      One "PASS name" / "FAIL name: why" line per E2E-RESULT line of the
      dom0 scenarios, and a FAIL for every scenario that did not start,
      did not finish, timed out, failed without saying why, or printed
      no result.
  checks.py dom0less-ram PLAN SERIAL NAME
      Compares the System RAM that dom0less guest NAME printed from its
      /proc/iomem with the guest ranges of "xl-static plan -j" PLAN.
  checks.py static-banks PLAN SERIAL
      Checks that Xen reported a "STATIC BANK" for every host extent of
      PLAN.
The last two print one line saying what matched or why not, and exit
non-zero on a mismatch.
"""
import json
import re
import sys

RESULT = re.compile(r'^\s*E2E-RESULT (\S+) (PASS|FAIL)(?: (.*))?$')
BEGIN = re.compile(r'^E2E-SCENARIO BEGIN (\S+)')
END = re.compile(r'^E2E-SCENARIO END (\S+) rc=(\d+) secs=(\d+)')
DOMLINE = re.compile(r'^\(XEN\) DOM\d+: (.*)$')
BANK = re.compile(r'STATIC BANK\[\d+\] (0x[0-9a-fA-F]+)-(0x[0-9a-fA-F]+)')


def read_lines(path):
    with open(path, errors='replace') as f:
        return f.read().splitlines()


def clean(raw):
    with open(raw, 'rb') as f:
        text = f.read().decode('utf-8', 'replace').replace('\r', '')
    out, pending = [], ''
    for line in text.split('\n'):
        cut = line.find('(XEN) ', 1)
        if cut > 0 and not line.startswith('(XEN) '):
            # "dom0 text(XEN) xen line": the dom0 line goes on after it.
            pending += line[:cut]
            out.append(line[cut:])
        elif pending and line.startswith('(XEN) '):
            out.append(line)
        else:
            out.append(pending + line)
            pending = ''
    if pending:
        out.append(pending)
    return '\n'.join(out)


def results(serial, scenarios, timeout):
    out = []
    began, ended, counts = set(), {}, {}
    current = None
    for line in read_lines(serial):
        m = BEGIN.match(line)
        if m:
            current = m.group(1)
            began.add(current)
            counts.setdefault(current, [0, 0])
            continue
        m = END.match(line)
        if m:
            ended[m.group(1)] = (int(m.group(2)), int(m.group(3)))
            current = None
            continue
        m = RESULT.match(line)
        if m:
            name, status, detail = m.group(1), m.group(2), m.group(3) or ''
            if status == 'PASS':
                out.append('PASS %s%s' % (name, ' (%s)' % detail if detail else ''))
            else:
                out.append('FAIL %s: %s' % (name, detail or 'no detail given'))
            if current is not None:
                counts[current][status == 'FAIL'] += 1
    for s in scenarios:
        if s not in began:
            out.append('FAIL %s: never started (dom0 did not get to it)' % s)
        elif s not in ended:
            out.append('FAIL %s: did not finish (dom0 or QEMU stopped in it)' % s)
        else:
            rc, secs = ended[s]
            npass, nfail = counts[s]
            if rc in (124, 143) and secs >= timeout - 1:
                out.append('FAIL %s: timed out after %ds' % (s, secs))
            elif npass + nfail == 0:
                out.append('FAIL %s: printed no E2E-RESULT line (exit %d)' % (s, rc))
            elif rc != 0 and nfail == 0:
                out.append('FAIL %s: exited %d' % (s, rc))
    return out


def plan_domain(path):
    with open(path) as f:
        doms = json.load(f)['domains']
    if len(doms) != 1:
        raise SystemExit('plan %s has %d domains, expected 1' % (path, len(doms)))
    return doms[0]


def merged(ranges):
    """Sorted [start, end) ranges, adjacent and overlapping ones joined."""
    out = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [tuple(r) for r in out]


def fmt(ranges):
    return ' '.join('%x-%x' % (s, e - 1) for s, e in ranges) or 'none'


def dom0less_ram(plan, serial, name):
    dom = plan_domain(plan)
    want = merged((int(e['guest'], 16), int(e['guest'], 16) + int(e['size'], 16))
                  for e in dom['extents'])
    seen = []
    marker = re.compile(r'^E2E-GUEST %s RAM ([0-9a-f]+)-([0-9a-f]+) : System RAM$'
                        % re.escape(name))
    for line in read_lines(serial):
        m = DOMLINE.match(line)
        if not m:
            continue
        m = marker.match(m.group(1))
        if m:
            seen.append((int(m.group(1), 16), int(m.group(2), 16) + 1))
    got = merged(seen)
    if got != want:
        print('guest %s System RAM %s, plan %s' % (name, fmt(got), fmt(want)))
        return 1
    print('System RAM %s as planned' % fmt(got))
    return 0


def static_banks(plan, serial):
    dom = plan_domain(plan)
    want = merged((int(e['host'], 16), int(e['host'], 16) + int(e['size'], 16))
                  for e in dom['extents'])
    seen = []
    for line in read_lines(serial):
        m = BANK.search(line)
        if m:
            seen.append((int(m.group(1), 16), int(m.group(2), 16)))
    got = merged(seen)
    missing = [r for r in want if not any(s <= r[0] and r[1] <= e for s, e in got)]
    if missing:
        print('xen static banks %s, plan %s' % (fmt(got), fmt(want)))
        return 1
    print('xen static banks cover %s' % fmt(want))
    return 0


def main(argv):
    if len(argv) == 3 and argv[1] == 'clean':
        sys.stdout.write(clean(argv[2]))
        return 0
    if len(argv) >= 3 and argv[1] == 'results':
        timeout = int(__import__('os').environ.get('E2E_SCENARIO_TIMEOUT', '120'))
        for line in results(argv[2], argv[3:], timeout):
            print(line)
        return 0
    if len(argv) == 5 and argv[1] == 'dom0less-ram':
        return dom0less_ram(argv[2], argv[3], argv[4])
    if len(argv) == 4 and argv[1] == 'static-banks':
        return static_banks(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
