#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test command: every test the project has, one line each, then "N passed, N failed".
# Exits non-zero when any test fails. A test's full output is in build/test-logs/.
#
#   0. the Debian packages it needs, installed where missing (scripts/deps.sh); the harness: its
#      comparisons, fed made-up outputs, fail what they must
#      (scripts/harness-check.sh)
#   1. the tree: ptw-base + patches/ applied with git am (nothing else runs if this fails)
#   2. the series: checkpatch --strict (sign-off aside) and trailers on every patch, the cover
#      letter's subject, text and Origin section, kernel-doc; a build at every patch with THP
#      off, or, for a patch that changes only another architecture's files, a cross-build of
#      that architecture at the patch
#   3. the patched kernel builds with the test config (THP on); its mm code cross-builds for
#      arm64, riscv, s390, powerpc and loongarch, with THP on and off
#   4. the patched kernel boots in QEMU with hugepages=, and the boot-check job passes in the
#      guest with no oops, BUG, WARNING or lockdep splat in the kernel log; the series' KUnit
#      suite passes (scripts/kunit.sh); smaps, smaps_rollup, numa_maps, pagemap and
#      PAGEMAP_SCAN (write-protecting) run while other threads map, fault, split, migrate and
#      unmap memory (guest/ptw-stress.c), with no warning or splat
#   5. the oracle: guest/ptw-oracle.c prints the same on the base and the patched kernel, and
#      each kernel prints the same twice (oracle/allow-list pins each difference a patch makes:
#      the base's lines and the patched kernel's lines in their place)
#   6. selftests/mm and selftests/mincore from each tree: every test that passes on the base
#      passes on the patched kernel, with as many of its own cases passing and none more
#      skipped or failed; the tests the series adds pass every case, none skipped
#      (selftests/known-base-failures lists the tests that fail on the base, and why)
#
# The base kernel's results (its boot check, stress test, oracle and selftests) depend on the
# base, the config, the toolchain and the harness's guest side, not on the series: they are kept
# in base-results/ with the key of all of that, and used when the key is this machine's
# (scripts/base-results.sh); then the base kernel is neither built nor booted. When the key
# differs, the base kernel is built and run like the patched one, and the run says how to
# store its results. PTW_BASE_RUN=1 runs the base even when the key matches.
# The patched kernel's oracle and selftests, an hour of guest time under TCG, are kept the same
# way in patched-results/, keyed by the base plus the series (scripts/base-results.sh --patched):
# a run of an unchanged series compares the stored ones; PTW_PATCHED_RUN=1 runs them.
#
# Order: the checks that fail fastest first; then the builds that need no guest (every patch,
# the cross-builds) start in the background at the lowest CPU priority, while the patched
# kernel is built and the guests run: a guest under TCG mostly keeps one host CPU busy, and
# the builds take the other. Their results are printed when they are done, after the guests'.
# Those stored in build-results/ with their key are not built again (scripts/build-results.sh).
# The patched kernel's build starts beside the series' checks (one CPU each, mostly) and is
# reported in its place. The patched kernel's selftests run in two guests side by side, lane
# 2 in the background after the patched kernel's oracle guest (scripts/selftests-lanes.sh): on
# the machine of 2026-12-07, in one guest with the oracle beside, they did not end within 4800 s
# (hugetlb 938 s, userfaultfd 824 s, thp 635 s, cow cut at 1462 s), the oracle took 1170 s.
. "$(dirname "$0")/lib.sh"
# Every test runs and is counted: a failing test does not end the run (lib.sh sets -e for the
# scripts it serves). Should the harness itself stop (an unset variable, a signal), the summary
# line is still the last line, with that stop counted as a failure.
set +e
# The background jobs (the builds; the oracle guest and selftest lane 2) run in process groups
# of their own, ended with the run.
trap 'for p in ${bg_pid:-} ${build_pid:-} ${lane2_pid:-}; do kill -- -"$p" 2>/dev/null; done
	if [ -z "${summarised:-}" ]; then echo "FAIL  the test command stopped before its end"; fail=$((fail + 1)); summary; fi' EXIT

logs=$BUILD/test-logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0 fail=0
t_start=$(date +%s)

summary() {
	summarised=1
	echo
	log "test: finished in $(since "$t_start")s"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

# logfile NAME [N]: the log of the test that comes N after the next one (default 0)
logfile() {
	printf '%s/%02d-%s.log' "$logs" $((pass + fail + 1 + ${2:-0})) \
		"$(tr -c 'A-Za-z0-9.\n-' _ <<<"$1" | cut -c1-60)"
}

# report NAME LOG RC SECONDS: count and print one result
report() {
	if [ "$3" = 0 ]; then
		pass=$((pass + 1))
		printf 'PASS  %s (%ss)\n' "$1" "$4"
		grep '^NOTE:' "$2" | sed 's/^/      /' || true
	else
		fail=$((fail + 1))
		printf 'FAIL  %s (%ss) -- %s\n' "$1" "$4" "${2#"$TOP"/}"
		# What failed, as the test names it ("FAILED: " lines), then the end of its log.
		grep -h '^FAILED: ' "$2" | head -n 40 | sed 's/^FAILED: /      ! /'
		tail -n 15 "$2" | sed 's/^/      | /'
		return 1
	fi
}

# t NAME CMD...: run one test, its output in build/test-logs/<n>-<slug>.log
t() {
	local name=$1 f t0 rc=0
	shift
	f=$(logfile "$name")
	t0=$(date +%s)
	"$@" >"$f" 2>&1 || rc=$?
	report "$name" "$f" $rc "$(since "$t0")"
}

# guests NAME CMD...: the same test on each kernel of $kernels at once (the patched kernel
# alone when the base's results are stored), @k in NAME and CMD standing for the kernel.
guests() {
	local name=$1 i k rc r=0 t0
	shift
	local -a n f pid
	t0=$(date +%s)
	for i in "${!kernels[@]}"; do
		k=${kernels[i]}
		n[i]=${name//@k/$k}
		f[i]=$(logfile "${n[i]}" "$i")
		"${@//@k/$k}" >"${f[i]}" 2>&1 &
		pid[i]=$!
	done
	for i in "${!kernels[@]}"; do
		rc=0
		wait "${pid[i]}" || rc=$?
		report "${n[i]}" "${f[i]}" $rc "$(since "$t0")" || { r=1; [ "${kernels[i]}" != base ] || base_ok=0; }
	done
	return $r
}

# Background tests: queued with bg NAME CMD..., started by bg_start, which runs them one after
# another at the lowest CPU priority; bg_report waits for them and reports each in order.
bgdir=$logs/background
mkdir -p "$bgdir"
bg_n=0
bg() {
	bg_n=$((bg_n + 1))
	printf '%s\n' "$1" >"$bgdir/$bg_n.name"
	shift
	printf '%q ' "$@" >"$bgdir/$bg_n.cmd"
}
bg_start() {
	set -m
	(
		for ((i = 1; i <= bg_n; i++)); do
			t0=$(date +%s) rc=0
			eval "nice -n 19 $(cat "$bgdir/$i.cmd")" >"$bgdir/$i.log" 2>&1 </dev/null || rc=$?
			echo "$rc $(since "$t0")" >"$bgdir/$i.rc"
		done
	) &
	bg_pid=$!
	set +m
}
bg_report() {
	local i name f rc secs
	wait "$bg_pid"
	for ((i = 1; i <= bg_n; i++)); do
		name=$(cat "$bgdir/$i.name")
		f=$(logfile "$name")
		mv "$bgdir/$i.log" "$f"
		read -r rc secs <"$bgdir/$i.rc" || rc=1 secs=0
		report "$name" "$f" "$rc" "$secs"
	done
}

S=$TOP/scripts
t "deps: the Debian packages the harness needs are installed (scripts/deps.sh)" "$S/deps.sh" || summary
t "harness: the oracle and selftest comparisons fail what they must" "$S/harness-check.sh"
t "tree: ptw-base + patches/ apply with git am" "$S/tree.sh" || summary

# Queued now, started after the quick checks below: a build at every patch, the cross-builds
# (scripts/build-queue.sh says which and why). Those whose key is stored passed before and are
# not built again (scripts/build-results.sh).
while IFS=$'\t' read -r name cmd; do
	if [ -z "$cmd" ]; then
		echo "      $name"
	else
		read -ra words <<<"$cmd"
		bg "$name" "${words[@]}"
	fi
done < <("$S/build-queue.sh")

# bg_job JOB CMD...: run CMD, its output in $bgdir/JOB.log, "<exit status> <seconds>" in
# $bgdir/JOB.rc; bg_result NAME JOB reports it as the test NAME.
bg_job() {
	local job=$1 t0 rc=0
	shift
	t0=$(date +%s)
	"$@" >"$bgdir/$job.log" 2>&1 </dev/null || rc=$?
	echo "$rc $(since "$t0")" >"$bgdir/$job.rc"
}
bg_result() {
	local f rc secs
	f=$(logfile "$1")
	mv "$bgdir/$2.log" "$f"
	read -r rc secs <"$bgdir/$2.rc" || rc=1 secs=0
	report "$1" "$f" "$rc" "$secs"
}

# The patched kernel's build, beside the series' checks below; reported in its place.
set -m
bg_job build-patched "$S/build.sh" patched &
build_pid=$!
set +m

mapfile -t series < <(ls "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null || true)
[ ${#series[@]} -gt 0 ] || echo "      (patches/ holds no patches yet)"
for p in "${series[@]}"; do
	n=$(basename "$p")
	if [ "$n" = 0000-cover-letter.patch ]; then
		t "series: cover letter has a subject, text and an Origin section" "$S/check-patch.sh" cover "$p"
		continue
	fi
	t "series: checkpatch --strict $n" "$S/check-patch.sh" checkpatch "$p"
	t "series: Assisted-by and no Signed-off-by in $n" "$S/check-patch.sh" trailers "$p"
done
t "series: kernel-doc gives no warning the base does not" "$S/kdoc.sh"
bg_start

# The base kernel's results: stored, or run here.
kernels=(base patched)
base_ok=1
f=$(logfile "base results")
if [ "${PTW_BASE_RUN:-0}" != 1 ] && "$S/base-results.sh" check >"$f" 2>&1 && "$S/base-results.sh" restore >>"$f" 2>&1; then
	kernels=(patched)
	echo "      base kernel: not built or booted; its results are the stored ones ($(head -1 "$f" | sed 's/^key matches: //'), base-results/$ARCH)"
else
	sed 's/^/      /' "$f"
	echo "      base kernel: built and run here (PTW_BASE_RUN=${PTW_BASE_RUN:-0})"
	t "build: base kernel" "$S/build.sh" base || base_ok=0
fi
# The patched kernel's oracle and selftest results: stored with the key of the series and the
# rest (scripts/base-results.sh --patched), when the base's are, or run here.
patched_stored=0
if [ "${kernels[*]}" = patched ] && [ "${PTW_PATCHED_RUN:-0}" != 1 ]; then
	f=$(logfile "patched results")
	if "$S/base-results.sh" --patched check >"$f" 2>&1 && "$S/base-results.sh" --patched restore >>"$f" 2>&1; then
		patched_stored=1
		echo "      patched kernel: its oracle output and selftest results are the stored ones" \
			"($(head -1 "$f" | sed 's/^key matches: //'), patched-results/$ARCH): not run again; PTW_PATCHED_RUN=1 runs them"
	else
		sed 's/^/      /' "$f"
		echo "      patched kernel: its oracle and selftests run here"
	fi
fi
wait "$build_pid"
bg_result "build: patched kernel" build-patched
t "guest programs build" "$S/guest-build.sh"
for k in "${kernels[@]}"; do
	t "selftests: build from the $k tree" "$S/selftests.sh" build $k || { [ $k != base ] || base_ok=0; }
done

# The patched kernel's selftests run in two lanes, two guests side by side
# (scripts/selftests-lanes.sh); lane 2 runs in the background. With the base's results stored
# it starts now, after the oracle guest, beside the boot check, KUnit, the stress test and lane
# 1; otherwise beside lane 1, after the base's selftests. The patched kernel's time limits are
# multiplied by 5 (PTW_KST_SLOWDOWN=5): its tests get the time they need beside another guest,
# on a machine like that of 2026-12-07, some three times slower than the one the stored base
# results come from. There, in the two lanes, hugetlb_fault_after_madv took 830 s (118 s on the
# base there; limit 300 s times the factor) and soft-dirty was cut at 360 s (75 s); alone, it
# took 226 s. The base's results decide which tests count. The base's limits, when it runs
# here, are not changed, so that its results are those its key says.
kst_slow=${PTW_KST_SLOWDOWN:-5}
kst_timeout=${PTW_TIMEOUT:-$((2400 + 1200 * kst_slow))}
# lane_timeout: a lane's wall-clock limit, cut so that the run prints its summary within
# PTW_DEADLINE seconds of its start (default 5100: CI stops a run at 90 minutes, and a run
# stopped there prints nothing); a lane stopped by it fails with its wall-clock limit.
lane_timeout() {
	local left=$((${PTW_DEADLINE:-5100} - $(since "$t_start") - 180))
	[ "$left" -lt "$kst_timeout" ] || left=$kst_timeout
	[ "$left" -gt 60 ] || left=60
	echo "$left"
}
lane2_pid=
# start_lane2 [oracle]: lane 2 of the patched kernel's selftests in the background, after the
# patched kernel's oracle guest when asked, once the background builds are done
start_lane2() {
	local with_oracle=${1:-}
	set -m
	(
		while kill -0 "$bg_pid" 2>/dev/null; do sleep 10; done
		[ -z "$with_oracle" ] || bg_job oracle env PTW_TIMEOUT=3600 "$S/oracle.sh" run patched
		bg_job lane2 env PTW_KST_SLOWDOWN="$kst_slow" PTW_TIMEOUT="$(lane_timeout)" \
			"$S/selftests-lanes.sh" run 2
	) &
	lane2_pid=$!
	set +m
}
if [ "${kernels[*]}" = patched ] && [ $patched_stored = 0 ]; then
	start_lane2 oracle
	echo "      oracle: the patched kernel's guest runs in the background, then lane 2 of its selftests; reported after lane 1"
fi

guests "boot: @k kernel, guest boot checks" "$S/boot.sh" @k "$TOP/guest/jobs/boot-check.sh" boot-@k
t "kunit: the pt_range_walk suite passes on the patched kernel, no case skipped" "$S/kunit.sh" &&
	grep -E '^pt_range_walk' "$logs"/*kunit__*.log | sed 's/^/      /'
# Reads of the walked /proc files while other threads change the mappings (guest/ptw-stress.c).
guests "stress: @k kernel, /proc reads while mappings change, no warning or splat" \
	"$S/boot.sh" @k "$TOP/guest/jobs/stress.sh" stress-@k

# The oracle: the same workload on both kernels, compared case by case (scripts/oracle.sh);
# with the base's results stored, the patched kernel's, beside its selftests (see above).
oracle_checks() {
	for k in base patched; do
		t "oracle: $k kernel prints the same twice" "$S/oracle.sh" same $k || { [ $k != base ] || base_ok=0; }
	done
	t "oracle: base and patched print the same (oracle/allow-list aside)" "$S/oracle.sh" compare &&
		sed -n '/^case /,/^$/p' "$logs"/*oracle__base_and_patched*.log | sed 's/^/      /'
}
if [ "${kernels[*]}" != patched ]; then
	guests "oracle: @k kernel runs every case" "$S/oracle.sh" run @k
	oracle_checks
fi

# The upstream selftests, built from each tree above and run on its kernel (scripts/selftests.sh):
# the base's, when it runs here, alone, in one guest; the patched kernel's in two lanes.
# While the background builds run, a guest under TCG runs slower than alone, even beside a
# build at the lowest priority (the caches are shared): soft-dirty, 22 s alone, hit its 60 s
# limit beside one.
if [ "${kernels[0]}" = base ]; then
	t "selftests: run on the base kernel" env PTW_KST_SLOWDOWN="${PTW_KST_SLOWDOWN:-1}" \
		PTW_TIMEOUT="${PTW_TIMEOUT:-3600}" "$S/selftests.sh" run base || base_ok=0
	start_lane2
fi
if [ $patched_stored = 1 ]; then
	oracle_checks
else
	echo "      selftests: the patched kernel's time limits multiplied by $kst_slow"
	t "selftests: run on the patched kernel, lane 1 ($("$S/selftests-lanes.sh" cats 1))" \
		env PTW_KST_SLOWDOWN="$kst_slow" PTW_TIMEOUT="$(lane_timeout)" "$S/selftests-lanes.sh" run 1
	wait "$lane2_pid" || true
	if [ "${kernels[*]}" = patched ]; then
		bg_result "oracle: patched kernel runs every case" oracle
		oracle_checks
	fi
	bg_result "selftests: run on the patched kernel, lane 2 ($("$S/selftests-lanes.sh" cats 2))" lane2
	t "selftests: the patched kernel's two lanes merged" "$S/selftests-lanes.sh" merge
fi
t "selftests: all that pass on the base pass on the patched kernel" "$S/selftests.sh" compare &&
	sed -n '/^test /,$p' "$logs"/*selftests__all_that_pass*.log | sed 's/^/      /'
if [ $patched_stored = 0 ] && [ "${kernels[*]}" = patched ]; then
	echo "      patched kernel: to keep its oracle and selftest results for later runs of this series:" \
		"scripts/base-results.sh --patched save (it checks both comparisons pass), then commit patched-results/"
fi
if [ "${kernels[0]}" = base ]; then
	if [ $base_ok = 1 ]; then
		echo "      base kernel: every base test passed; to store its results for later runs:" \
			"scripts/base-results.sh save (it checks the selftest failures are known ones), then commit base-results/"
	else
		echo "      base kernel: a base test failed: its results are not to be stored"
	fi
fi

# The builds run in the background.
bg_report
stored=$(grep -l '^NOTE: not built again' "$logs"/*series__* "$logs"/*cross__* 2>/dev/null | wc -l)
built=$(ls "$BUILD/build-results" 2>/dev/null | wc -l)
echo "      builds: $stored of the queue's passed before with the same key (build-results/); $built passed here:" \
	"to store them, scripts/build-results.sh save, then commit build-results/"
summary
