#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare two ptw-oracle outputs case by case and print a table.

  oracle-compare.py A.txt B.txt [--allow FILE --patches DIR [--either-way]] [--labels A,B]

A line that differs between the two fails its case, unless an entry of the allow-list pins
it. The lines that differ come in hunks (lines of A replaced by lines of B, as difflib finds
them); a hunk is allowed when an entry's case glob matches the case, its "base:" lines are the
hunk's lines of A and its "patched:" lines the hunk's lines of B, all of them, in order, to the
letter. So an entry that pins two lines that change together (Shared_Hugetlb and
Private_Hugetlb) does not allow one of them to change alone. With --either-way (two runs of
the base, which may print either) a hunk may also be the patched lines then the base lines. Every entry must name a file in
patches/ (the patch that changes the behaviour on purpose) and say why; an entry that does
not is an error. Exit status 1 when any case differs without an entry.
"""
import argparse
import difflib
import fnmatch
import os
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
        if key in ("base", "patched"):
            # The line itself, leading spaces and all, after the one space that follows ":".
            cur.setdefault(key, []).append(val[1:] if val.startswith(" ") else val)
            continue
        cur[key] = (cur[key] + " " + val.strip()) if key in cur else val.strip()
    for e in entries:
        where = f"{path}:{e['at']}"
        for k in ("case", "base", "patched", "patch", "why"):
            if not e.get(k):
                errors.append(f"{where}: entry has no '{k}:'")
        if "line" in e:
            errors.append(f"{where}: 'line:' is gone: pin a 'base:' and a 'patched:' line")
        if e.get("base") is not None and e.get("base") == e.get("patched"):
            errors.append(f"{where}: 'base:' and 'patched:' are the same lines")
        if e.get("patch") and not os.path.isfile(os.path.join(patches, e["patch"])):
            errors.append(f"{where}: patch {e['patch']} is not in {patches}")
        e["used"] = 0
    return entries, errors


def changed_hunks(a, b):
    """The lines that differ, as hunks: (lines of a, lines of b) that replace each other."""
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    return [(a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def pinned(e, name, x, y, either_way):
    """Whether entry e allows lines x of the first output to be lines y in the second."""
    if not fnmatch.fnmatchcase(name, e["case"]):
        return False
    if (x, y) == (e["base"], e["patched"]):
        return True
    return either_way and (x, y) == (e["patched"], e["base"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--allow")
    ap.add_argument("--patches", default="patches")
    ap.add_argument("--labels", default="base,patched")
    ap.add_argument("--either-way", action="store_true")
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
        diff = changed_hunks(ca[name], cb[name])
        unallowed, allowed = [], set()
        for x, y in diff:
            hit = [e for e in entries if pinned(e, name, x, y, args.either_way)]
            for e in hit:
                e["used"] += 1
                allowed.add(e["patch"])
            if not hit:
                unallowed += [("-", l) for l in x] + [("+", l) for l in y]
        if unallowed:
            status = f"DIFFERENT ({len(unallowed)} lines)"
            print(f"FAILED: oracle case {name}: {len(unallowed)} lines differ ({la} vs {lb})",
                  file=sys.stderr)
            bad = True
            details.append((name, unallowed))
        elif diff:
            status = f"allowed ({len(diff)} pinned hunks: {', '.join(sorted(allowed))})"
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
