#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The upstream tests: tools/testing/selftests/mm (and mincore) built from the tree under test
# and run in the guest, on the base and on the patched kernel; a test that passes on the base
# and not on the patched kernel fails the comparison.
#
#   scripts/selftests.sh build base|patched   make kselftest-install TARGETS="mm mincore"
#   scripts/selftests.sh run base|patched     boot, run the categories below in the guest
#   scripts/selftests.sh reuse base           the base's results from an identical earlier run
#   scripts/selftests.sh compare              the table, base against patched
#
# PTW_KST_CATS overrides the run_vmtests.sh categories; PTW_KST_SLOWDOWN multiplies the time
# limits (2 when another guest runs beside this one).
#
# The base's results depend on the base tree, its kernel's .config, the compiler, QEMU, the
# guest job and its settings, and not on the series. A base run whose every failure is listed
# in selftests/known-base-failures is kept in the cache (~/.cache/ptwalk/selftests-base/KEY,
# KEY a hash of all of these), and `reuse base` copies it back into build/runs/selftests-base
# when the key is the same: a flaky failure is never kept, and any change to what the base's
# results depend on runs it again. scripts/test.sh reuses it when it can, and says so.
. "$(dirname "$0")/lib.sh"

CATS=${PTW_KST_CATS:-hugetlb pagemap migration mkdirty soft_dirty userfaultfd memory-failure thp}

# base_key: a hash of everything the base kernel's selftest results depend on
base_key() {
	{
		git -C "$BASE_TREE" rev-parse HEAD
		cat "$BUILD/base/linux-out/.config"
		gcc --version | head -1
		qemu-system-x86_64 --version | head -1
		cat "$TOP/guest/init" "$TOP/guest/jobs/selftests.sh" "$TOP/scripts/boot.sh" "$0" \
			"$TOP/selftests/left-out-for-time"
		printf '%s|' "$CATS" "${PTW_KST_TEST_TIMEOUT:-60}" "${PTW_KST_SLOWDOWN:-1}" "${PTW_CPUS:-}" \
			"${PTW_MEM:-}" "${PTW_HUGEPAGES:-}" "${PTW_CMDLINE:-}" "${PTW_ACCEL:-}"
	} | sha256sum | cut -c1-16
}

# keep_base: the base run just made goes into the cache, if all its failures are known ones
keep_base() {
	local run=$BUILD/runs/selftests-base dir
	dir=$CACHE/selftests-base/$(base_key)
	[ -s "$run/results.txt" ] || return 0
	if awk 'NR == FNR { if ($0 !~ /^#/ && NF) { sub(/ *\|.*/, ""); known[$0] = 1 }; next }
		$NF != "PASS" { name = $0; sub(/ [A-Z]+$/, "", name); if (!(name in known)) bad = 1 }
		END { exit bad }' "$TOP/selftests/known-base-failures" "$run/results.txt"; then
		rm -rf "$dir" && mkdir -p "$dir"
		cp "$run"/*.txt "$run"/*.tap "$run/guest.log" "$dir/"
		date -u +%FT%TZ >"$dir/when"
		log "selftests: base results kept as ${dir#"$CACHE"/}"
	else
		log "selftests: the base run has a failure not in known-base-failures: not kept"
	fi
}

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
			"$out/kselftest/kselftest_install" "$CATS" "${PTW_KST_TEST_TIMEOUT:-60}" "${PTW_KST_SLOWDOWN:-1}" \
			"$(left_out)"
		cat "$TOP/guest/jobs/selftests.sh"
	} >"$job"
	rc=0
	# migration needs 3 CPUs or more (numa_num_task_cpus() - 2 threads).
	PTW_CPUS=${PTW_CPUS:-4} PTW_TIMEOUT=${PTW_TIMEOUT:-2400} "$TOP/scripts/boot.sh" "$2" "$job" "selftests-$2" || rc=$?
	rm -f "$job"
	grep '^category' "$BUILD/runs/selftests-$2/guest.log" || true
	[ $rc != 0 ] || [ "$2" != base ] || keep_base
	exit $rc
	;;
reuse)
	[ "${2:-}" = base ] || die "usage: selftests.sh reuse base"
	dir=$CACHE/selftests-base/$(base_key)
	[ -s "$dir/results.txt" ] || { echo "no base run with key ${dir##*/}"; exit 1; }
	run=$BUILD/runs/selftests-base
	rm -rf "$run" && mkdir -p "$run" && cp "$dir"/* "$run/"
	echo "key ${dir##*/}, run $(cat "$dir/when"): $(grep -c ' PASS$' "$run/results.txt") passed," \
		"$(grep -vc ' PASS$' "$run/results.txt") not"
	;;
compare)
	python3 "$TOP/scripts/selftests-compare.py" "$BUILD/runs/selftests-base/results.txt" \
		"$BUILD/runs/selftests-patched/results.txt" "$TOP/selftests/known-base-failures" \
		"$TOP/selftests/left-out-for-time"
	;;
*) die "usage: selftests.sh build|run base|patched, reuse base, or compare" ;;
esac
