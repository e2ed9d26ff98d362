#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Table of selftest results on the base and the patched kernel.

  selftests-compare.py BASE_RESULTS PATCHED_RESULTS KNOWN_BASE_FAILURES [LEFT_OUT_FOR_TIME
                       [CHANGED_CASES]]

A results file has a line "<suite>/<test> PASS|FAIL|SKIP" per test. Fails (exit 1) when a test
that passes on the base does not pass on the patched kernel, when a result file is missing or
empty, or when a test that does not pass on the base is not listed, with its reason, in
KNOWN_BASE_FAILURES (lines "<suite>/<test> | <reason>"), and when a test that the series adds
(one the base does not have) does not pass on the patched kernel. The tests of
LEFT_OUT_FOR_TIME (same format) are not run on either kernel: each must be a skip on both, is
printed as left out, and counts neither as passed nor as a base failure.

The TAP files beside each results file (mm-<category>.tap, mincore.tap) are read for the
results inside each test: the "ok"/"not ok" lines that a test prints of its own cases. A test
whose cases pass on the base fails the comparison when, on the patched kernel, fewer of them
pass, more fail or more are skipped; a test that the series adds fails when any of its cases
is skipped or fails. For a test run twice (retried.txt), the second run's cases count.

CHANGED_CASES pins the cases whose result a patch changes on purpose, a line each:
"<suite>/<test> | <case> | <base result> -> <patched result> | <patch and why>", results one of
PASS, FAIL, SKIP, XFAIL. Each must hold exactly (the case found on both kernels with those
results), and a pinned case is left out of its test's counts.
"""
import glob
import os
import re
import sys

TOP_RE = re.compile(r"^(not )?ok \d+ (.*)$")
CASE_RE = re.compile(r"^# (not )?ok \d+\b(.*)$")


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


def case_name(rest):
    """The name of a case from what follows its number: "name", "name # SKIP why", "# XFAIL name"."""
    rest = rest.strip()
    for d in ("# XFAIL ", "# SKIP "):
        if rest.upper().startswith(d):
            return rest[len(d):].strip()
    return rest.split(" # ")[0].strip()


def changed(path):
    """{(suite/test, case): (base result, patched result, why)} from CHANGED_CASES."""
    out = {}
    if path and os.path.isfile(path):
        for line in open(path, encoding="utf-8"):
            if line.strip() and not line.startswith("#"):
                test, case, change, why = [f.strip() for f in line.split("|", 3)]
                b, _, p = change.partition("->")
                out[(test, case)] = (b.strip(), p.strip(), why)
    return out


def cases(results_path, status=None):
    """{suite/test: {"pass": n, "fail": n, "skip": n, "xfail": n}} from the TAP files; each
    case's result into status[(suite/test, case)] when a dict is given."""
    out = {}
    pending = []
    for tap in sorted(glob.glob(os.path.join(os.path.dirname(results_path), "*.tap"))):
        base = os.path.basename(tap)[:-4]
        suite = "mm" if base.startswith("mm-") else base
        cur = {"pass": 0, "fail": 0, "skip": 0, "xfail": 0}
        for line in open(tap, encoding="utf-8", errors="replace"):
            line = line.rstrip("\n")
            if line.startswith("# # ptw: exit"):
                # ptw-run.sh runs a failed test once more: its second run counts.
                cur = {k: 0 for k in cur}
                pending = []
                continue
            m = TOP_RE.match(line)
            if m:
                name = suite + "/" + m.group(2).split(" # ")[0]
                prev = out.setdefault(name, {k: 0 for k in cur})
                for k in cur:
                    prev[k] += cur[k]
                if status is not None:
                    for case, res in pending:
                        status[(name, case)] = res
                cur = {k: 0 for k in cur}
                pending = []
                continue
            m = CASE_RE.match(line)
            if not m:
                continue
            note = m.group(2).upper()
            if "# SKIP" in note:
                res = "skip"
            elif "# XFAIL" in note:
                res = "xfail"
            elif m.group(1):
                res = "fail"
            else:
                res = "pass"
            cur[res] += 1
            pending.append((case_name(m.group(2)), res.upper()))
    return out


def fmt(c):
    return "-" if c is None else f"{c['pass']}/{c['fail']}/{c['skip']}/{c['xfail']}"


def case_verdict(cb, cp, new):
    """Why the cases of a test fail the comparison, or None: cb, cp the base's and patched."""
    if cp is None:
        return None
    if new:
        if cp["fail"] or cp["skip"]:
            return f"new in the series, with {cp['fail']} failed and {cp['skip']} skipped cases"
        return None
    if cb is None:
        return None
    why = []
    if cp["pass"] < cb["pass"]:
        why.append(f"{cb['pass'] - cp['pass']} fewer cases pass")
    if cp["fail"] > cb["fail"]:
        why.append(f"{cp['fail'] - cb['fail']} more cases fail")
    if cp["skip"] > cb["skip"]:
        why.append(f"{cp['skip'] - cb['skip']} more cases skipped")
    return "; ".join(why) or None


def retried(results_path):
    """Tests the guest ran twice (retried.txt beside the results: one command line each)."""
    path = os.path.join(os.path.dirname(results_path), "retried.txt")
    if not os.path.isfile(path):
        return set()
    return {line.strip().removeprefix("./") for line in open(path, encoding="utf-8") if line.strip()}


def main():
    base, patched, kb = results(sys.argv[1]), results(sys.argv[2]), known(sys.argv[3])
    lo = known(sys.argv[4]) if len(sys.argv) > 4 else {}
    bad = 0
    for n in sorted(set(kb) & set(lo)):
        print(f"FAILED: selftest {n}: listed both as a base failure and as left out for time",
              file=sys.stderr)
        bad += 1
    if not base or not patched:
        print("no selftest results for", "base" if not base else "patched")
        return 1
    pins = changed(sys.argv[5] if len(sys.argv) > 5 else None)
    sbase, spatched = {}, {}
    cbase, cpatched = cases(sys.argv[1], sbase), cases(sys.argv[2], spatched)
    # The pinned cases: each must hold, and leaves its test's counts.
    for (test, case), (b, p, why) in pins.items():
        got = (sbase.get((test, case), "missing"), spatched.get((test, case), "missing"))
        if got != (b, p):
            print(f"FAILED: selftest {test}: pinned case '{case}' {b} -> {p} does not hold:"
                  f" base {got[0]}, patched {got[1]}", file=sys.stderr)
            bad += 1
            continue
        print(f"pinned: {test}: '{case}' {b} -> {p} ({why})")
        for counts, res in ((cbase.get(test), b), (cpatched.get(test), p)):
            if counts:
                counts[res.lower()] -= 1
    names = list(base) + [n for n in patched if n not in base]
    w = max(len(n) for n in names)
    print(f"{'test':<{w}}  {'base':<7} {'patched':<7} {'cases base':<12} {'cases patched':<13} verdict")
    print(f"{'':<{w}}  {'':<7} {'':<7} (pass/fail/skip/xfail)")
    for n in names:
        b, p = base.get(n, "-"), patched.get(n, "-")
        cv = case_verdict(cbase.get(n), cpatched.get(n), b == "-")
        failed = True
        if n in lo and b == p == "SKIP":
            verdict, failed = "left out for time: " + lo[n], False
        elif n in lo:
            verdict = "listed as left out for time, but it ran"
        elif b == "-" and p == "PASS" and not cv:
            verdict, failed = "new in the series", False
        elif b == "-":
            verdict = "new in the series, and not passing" if p != "PASS" else cv
        elif b == "PASS" and p != "PASS":
            verdict = "REGRESSION"
        elif b != "PASS" and n not in kb:
            verdict = "not passing on the base, and not listed in known-base-failures"
        elif b != "PASS":
            verdict, failed = "known on the base: " + kb[n], False
        elif cv:
            verdict = "REGRESSION in its cases: " + cv
        else:
            verdict, failed = "ok", False
        if failed:
            bad += 1
            print(f"FAILED: selftest {n}: {verdict} (base {b} {fmt(cbase.get(n))},"
                  f" patched {p} {fmt(cpatched.get(n))})", file=sys.stderr)
        print(f"{n:<{w}}  {b:<7} {p:<7} {fmt(cbase.get(n)):<12} {fmt(cpatched.get(n)):<13} {verdict}")
    for k, path in (("base", sys.argv[1]), ("patched", sys.argv[2])):
        for n in sorted(retried(path)):
            print(f"note: mm/{n} failed once on the {k} kernel and was run again")
    for n in kb:
        if base.get(n) == "PASS":
            print(f"note: {n} is listed in known-base-failures but passed on the base")
    print(f"{sum(r == 'PASS' for r in base.values())}/{len(base)} pass on the base, "
          f"{sum(r == 'PASS' for r in patched.values())}/{len(patched)} on the patched kernel, "
          f"{sum(n in lo for n in names)} left out for time")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
