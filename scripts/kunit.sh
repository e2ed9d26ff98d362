#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series' KUnit suite: boot the patched kernel with the built-in KUnit tests enabled and
# what they need on the command line (HugeTLB pools of both sizes, 64K anonymous mTHP), then
# read the KTAP results out of the kernel log with the tree's own parser (kunit.py parse). Every
# case of each suite must pass; a missing suite, a failed or crashed case, or a skipped one
# fails.
#
#   scripts/kunit.sh [SUITE...]     default: pt_range_walk
. "$(dirname "$0")/lib.sh"

suites=("${@:-pt_range_walk}")
PTW_KUNIT=1 PTW_CMDLINE="${PTW_CMDLINE:-} thp_anon=64K:always;2M:inherit" \
	"$TOP/scripts/boot.sh" patched "$TOP/guest/jobs/kunit.sh" kunit
json=$BUILD/runs/kunit/kunit.json
rc=0
python3 "$TREE/tools/testing/kunit/kunit.py" parse --json="$json" "$BUILD/runs/kunit/dmesg.log" || rc=$?
python3 - "$json" "${suites[@]}" <<'PY' || rc=1
import json, sys
doc = json.load(open(sys.argv[1]))
groups = {g["name"]: g for g in doc.get("sub_groups", [])}
bad = False
for suite in sys.argv[2:]:
    g = groups.get(suite)
    if g is None or not g.get("test_cases"):
        print(f"FAILED: KUnit suite {suite}: not in the kernel log, or no case")
        bad = True
        continue
    for c in g["test_cases"]:
        print(f"{suite}.{c['name']:<40} {c['status']}")
        if c["status"] != "PASS":
            print(f"FAILED: KUnit {suite}.{c['name']}: {c['status']}")
            bad = True
    if not bad:
        print(f"{suite}: {len(g['test_cases'])}/{len(g['test_cases'])} cases pass, suite PASS")
sys.exit(1 if bad else 0)
PY
exit $rc
