#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The upstream tests: tools/testing/selftests/mm (and mincore) built from the tree under test
# and run in the guest, on the base and on the patched kernel; a test that passes on the base
# and not on the patched kernel fails the comparison.
#
#   scripts/selftests.sh build base|patched   make kselftest-install TARGETS="mm mincore"
#   scripts/selftests.sh run base|patched     boot, run the categories below in the guest
#   scripts/selftests.sh compare              the table, base against patched
#
# PTW_KST_CATS overrides the run_vmtests.sh categories; PTW_KST_TEST_TIMEOUT is the time limit
# of a test (120 s: with CONFIG_PAGE_TABLE_CHECK_ENFORCED every page table change is checked,
# and transhuge-stress -d 20 and soft-dirty took over 60 s); PTW_KST_SLOWDOWN multiplies the
# time limits (2 when another guest or a build runs beside this one).
#
# The base's results are kept in the repo with what they depend on: scripts/base-results.sh.
. "$(dirname "$0")/lib.sh"

CATS=${PTW_KST_CATS:-hugetlb pagemap migration mkdirty soft_dirty userfaultfd memory-failure thp cow gup_test ksm madv_guard pfnmap}

# left_out: the mm tests of selftests/left-out-for-time, as run_vmtests.sh runs them
left_out() { sed -n 's#^mm/\([^ |]*\) *|.*#\1#p' "$TOP/selftests/left-out-for-time" | tr '\n' ' '; }
tree_of() { case "$1" in base) echo "$BASE_TREE $BUILD/base/linux-out" ;; patched) echo "$TREE $BUILD/linux-out" ;; *) die "base or patched" ;; esac; }

case "${1:-}" in
build)
	read -r src out < <(tree_of "$2")
	# ARCH=x86_64, not the x86 that the top-level make would pass on: selftests/mm builds its
	# 64-bit-only helpers (write_to_hugetlbfs, for the hugetlb cgroup tests) only for x86_64.
	make -s -C "$src" O="$out" ARCH="$ARCH" TARGETS="mm mincore" -j"$JOBS" CC="ccache gcc" kselftest-install \
		>"$out/kselftest-build.log" 2>&1 || { tail -30 "$out/kselftest-build.log"; die "selftests build failed"; }
	[ -x "$out/kselftest/kselftest_install/mm/run_vmtests.sh" ] || die "no run_vmtests.sh installed"
	;;
run)
	read -r src out < <(tree_of "$2")
	job=$(mktemp)
	{
		printf 'export PTW_KST=%q PTW_KST_CATS=%q PTW_KST_TEST_TIMEOUT=%q PTW_KST_SLOWDOWN=%q PTW_KST_LEFT_OUT=%q\n' \
			"$out/kselftest/kselftest_install" "$CATS" "${PTW_KST_TEST_TIMEOUT:-120}" "${PTW_KST_SLOWDOWN:-1}" \
			"$(left_out)"
		cat "$TOP/guest/jobs/selftests.sh"
	} >"$job"
	rc=0
	# migration needs 3 CPUs or more (numa_num_task_cpus() - 2 threads).
	PTW_CPUS=${PTW_CPUS:-4} PTW_TIMEOUT=${PTW_TIMEOUT:-2400} "$TOP/scripts/boot.sh" "$2" "$job" "selftests-$2" || rc=$?
	rm -f "$job"
	grep '^category' "$BUILD/runs/selftests-$2/guest.log" || true
	exit $rc
	;;
compare)
	python3 "$TOP/scripts/selftests-compare.py" "$BUILD/runs/selftests-base/results.txt" \
		"$BUILD/runs/selftests-patched/results.txt" "$TOP/selftests/known-base-failures" \
		"$TOP/selftests/left-out-for-time" "$TOP/selftests/changed-cases"
	;;
*) die "usage: selftests.sh build|run base|patched, or compare" ;;
esac
