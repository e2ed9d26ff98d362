#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two ptw-oracle outputs case by case and print a table.

  oracle-compare.py A.txt B.txt [--allow FILE --patches DIR] [--labels A,B]

A line that differs between the two fails its case, unless an entry of the allow-list matches
it: the entry's case glob matches the case and its line regex matches the line. Every entry
must name a file in patches/ (the patch that changes the behaviour on purpose) and say why;
an entry that does not is an error. Exit status 1 when any case differs without an entry.
"""
import argparse
import difflib
import fnmatch
import os
import re
import sys


def parse_cases(path):
    cases, order, cur = {}, [], None
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("### "):
                cur = line[4:]
                order.append(cur)
                cases[cur] = []
            elif cur is not None:
                cases[cur].append(line)
    return order, cases


def parse_allow(path, patches):
    entries, cur, errors = [], {}, []
    lines = open(path, encoding="utf-8").read().splitlines() if path else []
    for n, line in enumerate(lines + [""], 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if cur:
                entries.append(cur)
            cur = {}
            continue
        key, _, val = line.partition(":")
        cur.setdefault("at", n)
        key = key.strip()
        cur[key] = (cur[key] + " " + val.strip()) if key in cur else val.strip()
    for e in entries:
        where = f"{path}:{e['at']}"
        for k in ("case", "line", "patch", "why"):
            if not e.get(k):
                errors.append(f"{where}: entry has no '{k}:'")
        if e.get("patch") and not os.path.isfile(os.path.join(patches, e["patch"])):
            errors.append(f"{where}: patch {e['patch']} is not in {patches}")
        try:
            e["re"] = re.compile(e.get("line", ""))
        except re.error as err:
            errors.append(f"{where}: bad regex: {err}")
        e["used"] = 0
    return entries, errors


def changed_lines(a, b):
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        out += [("-", l) for l in a[i1:i2]] + [("+", l) for l in b[j1:j2]]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--allow")
    ap.add_argument("--patches", default="patches")
    ap.add_argument("--labels", default="base,patched")
    args = ap.parse_args()
    la, lb = args.labels.split(",")
    entries, errors = parse_allow(args.allow, args.patches)
    for e in errors:
        print("allow-list error:", e)
    for path in (args.a, args.b):
        if not os.path.isfile(path):
            print(f"no output: {path}")
            return 1
    oa, ca = parse_cases(args.a)
    ob, cb = parse_cases(args.b)
    names = oa + [n for n in ob if n not in ca]
    bad = bool(errors) or not names
    if not names:
        print("no cases in either output")
    width = max([len(n) for n in names] + [4])
    print(f"{'case':<{width}}  lines  {la} vs {lb}")
    details = []
    for name in names:
        if name not in ca or name not in cb:
            print(f"{name:<{width}}  {'-':>5}  MISSING in {la if name not in ca else lb}")
            bad = True
            continue
        diff = changed_lines(ca[name], cb[name])
        unallowed, allowed = [], set()
        for sign, line in diff:
            hit = [e for e in entries if fnmatch.fnmatchcase(name, e["case"]) and e["re"].search(line)]
            for e in hit:
                e["used"] += 1
                allowed.add(e["patch"])
            if not hit:
                unallowed.append((sign, line))
        if unallowed:
            status = f"DIFFERENT ({len(unallowed)} lines)"
            bad = True
            details.append((name, unallowed))
        elif diff:
            status = f"allowed ({len(diff)} lines: {', '.join(sorted(allowed))})"
        else:
            status = "same"
        print(f"{name:<{width}}  {len(ca[name]):>5}  {status}")
    for name, lines in details:
        print(f"\n{name}: lines that differ ('-' {la}, '+' {lb}):")
        for sign, line in lines[:40]:
            print(f"  {sign} {line}")
        if len(lines) > 40:
            print(f"  ... {len(lines) - 40} more")
    for e in entries:
        if not e["used"]:
            print(f"note: allow-list entry at line {e['at']} ({e['patch']}) matched nothing this run")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
