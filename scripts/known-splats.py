#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""known-splats.py KNOWN PATCHES SPLAT LOG: LOG without the warnings that KNOWN excuses.

A warning is a block of kernel log lines from its "------------[ cut here ]------------" line
(or, where the log lacks it, as the console does, its "WARNING:" line) to its "---[ end trace"
line. A block is excused, whole, when it is one warning and nothing else: one WARNING line,
which matches the first field of an entry of KNOWN, a line that matches the entry's second
field, and no other line that matches SPLAT (the splat check's pattern) but "Call Trace:", so
that a splat another CPU prints in the middle of it is not excused with it. The entry's patch
must be in PATCHES. The log is printed without the excused blocks; a "NOTE:" line on standard
error says how many each entry excused. Exit status 2 when KNOWN is malformed or names a patch
that is not there. The fields of KNOWN are Python regular expressions.
"""
import os
import re
import sys

CUT = re.compile(r"-+\[ cut here \]-+")
WARN = re.compile(r"WARNING: ")
END = re.compile(r"---\[ end trace ")
TRACE = re.compile(r"Call Trace:")


def entries(path, patches):
    out = []
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        f = [x.strip() for x in line.split(" | ", 3)]
        if len(f) != 4 or not all(f):
            raise ValueError(f"{path}:{n}: not '<WARNING line> | <call trace line> | <patch> | <why>'")
        if not os.path.isfile(os.path.join(patches, f[2])):
            raise ValueError(f"{path}:{n}: no patch {f[2]} in {patches}")
        out.append((re.compile(f[0]), re.compile(f[1]), f[2], n))
    return out


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    try:
        known = entries(sys.argv[1], sys.argv[2])
        splat = re.compile(sys.argv[3])
    except (OSError, re.error, ValueError) as e:
        print(f"known-splats: {e}", file=sys.stderr)
        sys.exit(2)
    excused = [0] * len(known)
    block = None
    out = sys.stdout

    def excuse(lines):
        """The index of the entry that excuses the block, or None."""
        warns = [l for l in lines if WARN.search(l)]
        if len(warns) != 1 or sum(bool(CUT.search(l)) for l in lines) > 1:
            return None
        if any(splat.search(l) for l in lines if l is not warns[0] and not TRACE.search(l)):
            return None
        for i, (w, t, _, _) in enumerate(known):
            if w.search(warns[0]) and any(t.search(l) for l in lines):
                return i
        return None

    for line in open(sys.argv[4], encoding="utf-8", errors="replace"):
        if block is None and (CUT.search(line) or WARN.search(line)):
            block = [line]
        elif block is not None:
            block.append(line)
        else:
            out.write(line)
        if block is not None and END.search(line):
            i = excuse(block)
            if i is None:
                out.writelines(block)
            else:
                excused[i] += 1
            block = None
    if block is not None:
        out.writelines(block)  # a warning cut off by the end of the log: not excused
    for (_, _, patch, n), c in zip(known, excused):
        if c:
            print(f"NOTE: {os.path.basename(sys.argv[4])}: {c} warning(s) of the base excused by "
                  f"{os.path.basename(os.path.dirname(sys.argv[1]))}/{os.path.basename(sys.argv[1])} line {n} ({patch})", file=sys.stderr)


if __name__ == "__main__":
    main()
