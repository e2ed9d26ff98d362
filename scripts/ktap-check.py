#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check KUnit suites' KTAP results in a kernel log.

  ktap-check.py KERNEL_LOG SUITE...

Prints one line per test case. Fails (exit 1) when a suite is missing from the log, has no
case, or has a case that failed or was skipped.
"""
import re
import sys

RESULT = re.compile(r"^\s*(not )?ok \d+ (\S+)(?:\s+#\s*(\S+)(.*))?$")
SUBTEST = re.compile(r"^\s*# Subtest: (\S+)$")
STAMP = re.compile(r"^\[[ \d.]+\] ")


def cases(lines, suite):
    """The (name, verdict, note) of each case of SUITE, and the suite's own verdict."""
    out, inside, verdict = [], False, None
    for line in lines:
        line = STAMP.sub("", line.rstrip("\n"))
        m = SUBTEST.match(line)
        if m:
            inside = m.group(1) == suite
            continue
        m = RESULT.match(line)
        if not (m and inside):
            continue
        neg, name, directive, rest = m.groups()
        if name == suite:
            verdict = "FAIL" if neg else "PASS"
            inside = False
            continue
        if directive and directive.upper() == "SKIP":
            out.append((name, "SKIP", rest.strip()))
        else:
            out.append((name, "FAIL" if neg else "PASS", ""))
    return out, verdict


def main():
    lines = open(sys.argv[1], encoding="utf-8", errors="replace").readlines()
    bad = 0
    for suite in sys.argv[2:]:
        res, verdict = cases(lines, suite)
        if not res or verdict is None:
            print(f"{suite}: no results in the kernel log")
            bad += 1
            continue
        for name, v, note in res:
            print(f"{suite}.{name:<32} {v}{'  ' + note if note else ''}")
            bad += v != "PASS"
        print(f"{suite}: {sum(v == 'PASS' for _, v, _ in res)}/{len(res)} cases pass, suite {verdict}")
        bad += verdict != "PASS"
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
