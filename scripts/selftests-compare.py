#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table of selftest results on the base and the patched kernel.

  selftests-compare.py BASE_RESULTS PATCHED_RESULTS KNOWN_BASE_FAILURES

A results file has a line "<suite>/<test> PASS|FAIL|SKIP" per test. Fails (exit 1) when a test
that passes on the base does not pass on the patched kernel, when a result file is missing or
empty, or when a test that does not pass on the base is not listed, with its reason, in
KNOWN_BASE_FAILURES (lines "<suite>/<test> | <reason>"), and when a test that the series adds
(one the base does not have) does not pass on the patched kernel.
"""
import os
import sys


def results(path):
    out = {}
    if os.path.isfile(path):
        for line in open(path, encoding="utf-8", errors="replace"):
            name, _, res = line.rstrip("\n").rpartition(" ")
            if name:
                out[name] = res
    return out


def known(path):
    out = {}
    if os.path.isfile(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                name, _, why = line.partition("|")
                out[name.strip()] = why.strip()
    return out


def retried(results_path):
    """Tests the guest ran twice (retried.txt beside the results: one command line each)."""
    path = os.path.join(os.path.dirname(results_path), "retried.txt")
    if not os.path.isfile(path):
        return set()
    return {line.strip().removeprefix("./") for line in open(path, encoding="utf-8") if line.strip()}


def main():
    base, patched, kb = results(sys.argv[1]), results(sys.argv[2]), known(sys.argv[3])
    bad = 0
    if not base or not patched:
        print("no selftest results for", "base" if not base else "patched")
        return 1
    names = list(base) + [n for n in patched if n not in base]
    w = max(len(n) for n in names)
    print(f"{'test':<{w}}  {'base':<7} {'patched':<7} verdict")
    for n in names:
        b, p = base.get(n, "-"), patched.get(n, "-")
        if b == "-" and p == "PASS":
            verdict = "new in the series"
        elif b == "-":
            verdict, bad = "new in the series, and not passing", bad + 1
        elif b == "PASS" and p != "PASS":
            verdict, bad = "REGRESSION", bad + 1
        elif b != "PASS" and n not in kb:
            verdict, bad = "not passing on the base, and not listed in known-base-failures", bad + 1
        elif b != "PASS":
            verdict = "known on the base: " + kb[n]
        else:
            verdict = "ok"
        print(f"{n:<{w}}  {b:<7} {p:<7} {verdict}")
    for k, path in (("base", sys.argv[1]), ("patched", sys.argv[2])):
        for n in sorted(retried(path)):
            print(f"note: mm/{n} failed once on the {k} kernel and was run again")
    for n in kb:
        if base.get(n) == "PASS":
            print(f"note: {n} is listed in known-base-failures but passed on the base")
    print(f"{sum(r == 'PASS' for r in base.values())}/{len(base)} pass on the base, "
          f"{sum(r == 'PASS' for r in patched.values())}/{len(patched)} on the patched kernel")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
