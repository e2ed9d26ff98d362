#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/selftests.sh: run the selftests built from the tree under test.
# PTW_KST: the kselftest install folder; PTW_KST_CATS: the run_vmtests.sh categories.
# Each category's TAP output goes to mm-<category>.tap in the run folder, the mincore suite's
# to mincore.tap; results.txt gets a line "<suite>/<test> PASS|FAIL|SKIP" per test.
set -u
run=$PWD
# The root file system is read-only: run from a copy in tmpfs.
cp -a "$PTW_KST" /tmp/kst || exit 1
# What the tests need from the guest: THP on madvise, swap, no ASLR surprises.
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo 64M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
tap() { # SUITE FILE: results.txt lines from a TAP file
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* \(.*\)$/\1|\2/p' "$2" | while IFS='|' read -r neg name; do
		case "$name" in
		*"# SKIP"*) echo "$1/${name%% # SKIP*} SKIP" ;;
		*) [ -n "$neg" ] && echo "$1/$name FAIL" || echo "$1/$name PASS" ;;
		esac
	done
}
cd /tmp/kst/mm || exit 1
# A per-test time limit (PTW_KST_TEST_TIMEOUT): under TCG some stress tests run for hours.
# run_vmtests.sh selects by category only, so its run_test() runs each test under timeout; a
# test that hits the limit exits 124 and counts as failed.
sed -i 's|("\$@" 2>&1) \| tap_prefix|(timeout '"${PTW_KST_TEST_TIMEOUT:-120}"' "$@" 2>\&1) \| tap_prefix|' run_vmtests.sh
grep -q "(timeout ${PTW_KST_TEST_TIMEOUT:-120} " run_vmtests.sh || { echo "cannot add the time limit"; exit 1; }
for c in $PTW_KST_CATS; do
	t0=$(date +%s)
	timeout 1200 ./run_vmtests.sh -t "$c" >"$run/mm-$c.tap" 2>&1
	echo "category $c: exit $?, $(($(date +%s) - t0))s"
	tap "mm" "$run/mm-$c.tap" >>"$run/results.txt"
done
if [ -x /tmp/kst/mincore/mincore_selftest ]; then
	(cd /tmp/kst/mincore && timeout 600 ./mincore_selftest) >"$run/mincore.tap" 2>&1
	tap mincore "$run/mincore.tap" >>"$run/results.txt"
fi
exit 0
