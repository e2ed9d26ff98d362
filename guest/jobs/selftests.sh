#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/selftests.sh: run the selftests built from the tree under test.
# PTW_KST: the kselftest install folder; PTW_KST_CATS: the run_vmtests.sh categories;
# PTW_KST_TEST_TIMEOUT: the time limit of one test, in seconds; PTW_KST_SLOWDOWN: what every
# limit is multiplied by (2 when another guest shares the host's CPUs).
# Each category's TAP output goes to mm-<category>.tap in the run folder, the mincore suite's
# to mincore.tap; results.txt gets a line "<suite>/<test> PASS|FAIL|SKIP" per test.
# times.txt gets "<seconds> <exit status> <command>" for every run of a test.
set -u
run=$PWD
die() { echo "selftests job: $*"; exit 1; }

# What the tests need from the guest: THP on madvise, swap on zram, and a working folder on
# ext4 (memory-failure's page-cache cases and mincore's file case refuse tmpfs).
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo 64M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 ||
	die "no swap on zram0"
z=$(cat /sys/class/zram-control/hot_add) || die "no second zram device"
echo 512M >"/sys/block/zram$z/disksize" && mkfs.ext4 -q "/dev/zram$z" &&
	mkdir -p /tmp/ext4 && mount -t ext4 "/dev/zram$z" /tmp/ext4 || die "no ext4 on zram$z"
# The root file system is read-only: run from a copy.
cp -a "$PTW_KST" /tmp/ext4/kst || die "cannot copy $PTW_KST"

# run_vmtests.sh selects by category only, and under TCG some stress tests run for hours: its
# run_test() gets a time limit per test (a test that hits it exits 124 and counts as failed).
# uffd-unit-tests, uffd-wp-mremap, migration (six 20 s cases), charge_reserved_hugetlb.sh
# (its last case ended just past 60 s once), khugepaged, cow (670 cases, about 6 minutes),
# gup_longterm, the ksm tests, hugetlb_fault_after_madv (10000 MADV_DONTNEED-fault races on
# a 2M page, 123 s) and folio_split_race_test (209 s on the base alone) get longer; the tests in
# PTW_KST_LEFT_OUT (selftests/left-out-for-time) are not run: they exit 4, a skip, and the
# comparison reports them as left out. With another guest beside
# it, a guest gets less than half the CPU time it would alone: transhuge-stress -d 20 then
# timed out at 60 s, and the userfaultfd tests took 765 s where they take 254 s alone; such a
# run doubles every limit (PTW_KST_SLOWDOWN=2). scripts/test.sh runs one guest at a time.
# A test that fails for another reason is run once more, on both kernels alike: some THP
# tests (khugepaged) depend on timing under TCG and fail now and then on either kernel.
# The retried tests are listed in retried.txt; the second result counts.
cd /tmp/ext4/kst/mm || exit 1
# A test that dies (a crash, a time limit) does not restore the THP and khugepaged settings it
# changed, and the next test runs under them: seen here, khugepaged -s 2 aborted (a glibc heap
# assertion) without restoring its settings, its second run kept them, and split_huge_page_test,
# which passes alone, then failed twice. The settings are saved once, here, and written back
# before every test.
find /sys/kernel/mm/transparent_hugepage -type f -perm -u+w | sort | while read -r f; do
	v=$(cat "$f" 2>/dev/null) || continue
	case "$v" in *"["*"]"*) v=${v#*\[} && v=${v%%\]*} ;; esac
	echo "$f $v"
done >"$run/thp-settings"
[ -s "$run/thp-settings" ] || die "cannot read the THP settings"
cat >ptw-run.sh <<'PTW'
#!/bin/bash
# ptw-run.sh TEST [ARGS...]: run one selftest with a time limit, once more if it fails; the
# THP settings saved at the start of the job are written back before each run.
thp_restore() { while read -r f v; do echo "$v" >"$f" 2>/dev/null; done <"$PTW_RUN/thp-settings"; }
s=${PTW_KST_SLOWDOWN:-1}
for t in $PTW_KST_LEFT_OUT; do
	[ "$*" = "./$t" ] && { echo "# ptw: $t left out for time (selftests/left-out-for-time)"; exit 4; }
done
case "$1" in
./uffd-unit-tests | ./gup_longterm) limit=$((600 * s)) ;;
./cow) limit=$((900 * s)) ;;
./ksm_tests | ./ksm_functional_tests) limit=$((300 * s)) ;;
./uffd-wp-mremap | ./migration | ./charge_reserved_hugetlb.sh) limit=$((300 * s)) ;;
./khugepaged) limit=$((180 * s)) ;;
./hugetlb_fault_after_madv) limit=$((300 * s)) ;;
./folio_split_race_test) limit=$((600 * s)) ;;
*) limit=$((PTW_KST_TEST_TIMEOUT * s)) ;;
esac
# run: one run, its seconds and exit status added to times.txt
run() {
	local t0=$SECONDS rc=0
	thp_restore
	timeout "$limit" "$@" || rc=$?
	echo "$((SECONDS - t0)) $rc $*" >>"$PTW_RUN/times.txt"
	return $rc
}
run "$@"
rc=$?
case $rc in 0 | 4 | 124) exit $rc ;; esac
echo "# ptw: exit $rc, running it once more"
echo "$*" >>"$PTW_RUN/retried.txt"
run "$@"
PTW
chmod +x ptw-run.sh
export PTW_RUN=$run PTW_KST_TEST_TIMEOUT PTW_KST_SLOWDOWN PTW_KST_LEFT_OUT
sed -i -e 's|("\$@" 2>&1) \| tap_prefix|(./ptw-run.sh "$@" 2>\&1) \| tap_prefix|' run_vmtests.sh
grep -q '(./ptw-run.sh "$@"' run_vmtests.sh || die "cannot add the time limit to run_vmtests.sh"

tap() { # SUITE FILE: results.txt lines from a TAP file (the test name without TAP comments)
	sed -n 's/^\(not \)\{0,1\}ok [0-9]* \(.*\)$/\1|\2/p' "$2" | while IFS='|' read -r neg name; do
		case "$name" in
		*"# SKIP"*) echo "$1/${name%% # *} SKIP" ;;
		*) [ -n "$neg" ] && echo "$1/${name%% # *} FAIL" || echo "$1/${name%% # *} PASS" ;;
		esac
	done
}
# -d: the destructive tests too (hugetlb-soft-offline and hugetlb-read-hwpoison, in the hugetlb
# category), which poison or offline a few of the 2M pool's pages for the rest of the boot.
for c in $PTW_KST_CATS; do
	t0=$(date +%s)
	./run_vmtests.sh -d -t "$c" >"$run/mm-$c.tap" 2>&1
	echo "category $c: exit $?, $(($(date +%s) - t0))s"
	tap mm "$run/mm-$c.tap" >>"$run/results.txt"
done
cd /tmp/ext4/kst/mincore || exit 1
timeout "$PTW_KST_TEST_TIMEOUT" ./mincore_selftest >"$run/mincore.tap" 2>&1
echo "mincore: exit $?"
tap mincore "$run/mincore.tap" >>"$run/results.txt"
exit 0
