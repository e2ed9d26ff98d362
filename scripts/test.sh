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
#      letter's subject, text and Origin section, and a build at every patch with THP off
#   3. the base and the patched kernel build with the same config (THP on); the patched tree's
#      mm code cross-builds for arm64, riscv, s390, powerpc and loongarch, with THP on and off;
#      kernel-doc adds no warning
#   4. each boots in QEMU with hugepages=, and the boot-check job passes in the guest with no
#      oops, BUG, WARNING or lockdep splat in the kernel log; the series' KUnit suite passes
#      in a boot of the patched kernel (scripts/kunit.sh); smaps, smaps_rollup, numa_maps and
#      pagemap are read while other threads map, fault, split, migrate and unmap memory
#      (guest/ptw-stress.c), with no warning or splat
#   5. the oracle: guest/ptw-oracle.c prints the same on the base and the patched kernel, and
#      each kernel prints the same twice (oracle/allow-list pins each difference a patch makes:
#      the base's lines and the patched kernel's lines in their place)
#   6. selftests/mm and selftests/mincore from each tree: every test that passes on the base
#      passes on the patched kernel, with as many of its own cases passing and none more
#      skipped or failed; the tests the series adds pass every case, none skipped
#      (selftests/known-base-failures lists the tests that fail on the base, and why);
#      the base's results are reused from an identical earlier run when there is one
#      (PTW_KST_REUSE=0 runs them again)
# The guest stages 4 and 5 boot the base and the patched kernel side by side.
. "$(dirname "$0")/lib.sh"
# Every test runs and is counted: a failing test does not end the run (lib.sh sets -e for the
# scripts it serves). Should the harness itself stop (an unset variable, a signal), the summary
# line is still the last line, with that stop counted as a failure.
set +e
trap 'if [ -z "${summarised:-}" ]; then echo "FAIL  the test command stopped before its end"; fail=$((fail + 1)); summary; fi' EXIT

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

# report NAME LOG RC T0: count and print one result
report() {
	if [ "$3" = 0 ]; then
		pass=$((pass + 1))
		printf 'PASS  %s (%ss)\n' "$1" "$(since "$4")"
		grep '^NOTE:' "$2" | sed 's/^/      /' || true
	else
		fail=$((fail + 1))
		printf 'FAIL  %s (%ss) -- %s\n' "$1" "$(since "$4")" "${2#"$TOP"/}"
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
	report "$name" "$f" $rc "$t0"
}

# both NAME CMD...: the same test for the base and the patched kernel at once, @k in NAME and
# CMD standing for the kernel. Under TCG a guest keeps about one host CPU busy: two guests side
# by side took 167 s where one took 152 s (the migration, mkdirty and soft_dirty selftests).
both() {
	local name=$1 i k rc r=0 t0
	shift
	local -a n f pid
	t0=$(date +%s)
	for i in 0 1; do
		k=$([ $i = 0 ] && echo base || echo patched)
		n[i]=${name//@k/$k}
		f[i]=$(logfile "${n[i]}" $i)
		"${@//@k/$k}" >"${f[i]}" 2>&1 &
		pid[i]=$!
	done
	for i in 0 1; do
		rc=0
		wait "${pid[i]}" || rc=$?
		report "${n[i]}" "${f[i]}" $rc "$t0" || r=1
	done
	return $r
}

S=$TOP/scripts
t "deps: the Debian packages the harness needs are installed (scripts/deps.sh)" "$S/deps.sh" || summary
t "harness: the oracle and selftest comparisons fail what they must" "$S/harness-check.sh"
t "tree: ptw-base + patches/ apply with git am" "$S/tree.sh" || summary

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

# Bisectability: every patch builds with THP off and HugeTLB on (configs/bisect-$ARCH.config,
# a lean config: where a half-applied series breaks most easily, and cheap enough to build nine
# times). The test config, THP on, is built for the base and for the whole series.
mapfile -t revs < <(git -C "$TREE" rev-list --reverse "$BASE_TAG"..HEAD 2>/dev/null || true)
for r in "${revs[@]}"; do
	t "series: builds with THP off at $(git -C "$TREE" log -1 --format='%h %s' "$r" | cut -c1-60)" \
		"$S/build.sh" rev "$r"
done

t "build: base kernel" "$S/build.sh" base
t "build: patched kernel" "$S/build.sh" patched
for a in arm64 riscv s390 powerpc loongarch {arm64,riscv,s390,powerpc,loongarch}-nothp; do
	t "cross: the patched tree's mm/, fs/proc/ and arch/${a%-nothp}/mm/ build for $a" "$S/cross.sh" $a
done
t "guest programs build" "$S/guest-build.sh"
t "selftests: build from the base tree" "$S/selftests.sh" build base
t "selftests: build from the patched tree" "$S/selftests.sh" build patched

# The guests: base and patched side by side.
both "boot: @k kernel, guest boot checks" "$S/boot.sh" @k "$TOP/guest/jobs/boot-check.sh" boot-@k
t "kunit: the pt_range_walk suite passes on the patched kernel, no case skipped" "$S/kunit.sh" &&
	grep -E '^pt_range_walk' "$logs"/*kunit__*.log | sed 's/^/      /'
# Reads of the walked /proc files while other threads change the mappings (guest/ptw-stress.c).
both "stress: @k kernel, /proc reads while mappings change, no warning or splat" \
	"$S/boot.sh" @k "$TOP/guest/jobs/stress.sh" stress-@k

# The oracle: the same workload on both kernels, compared case by case (scripts/oracle.sh).
both "oracle: @k kernel runs every case" "$S/oracle.sh" run @k
for k in base patched; do
	t "oracle: $k kernel prints the same twice" "$S/oracle.sh" same $k
done
t "oracle: base and patched print the same (oracle/allow-list aside)" "$S/oracle.sh" compare &&
	sed -n '/^case /,/^$/p' "$logs"/*oracle__base_and_patched*.log | sed 's/^/      /'

# The upstream selftests, built from each tree above and run on its kernel (scripts/selftests.sh),
# one kernel at a time: side by side, the CPU-bound tests slow down more than twice
# (userfaultfd: 765 s beside the other guest, 254 s alone), and the whole took as long as two
# runs one after the other. The base's results are those of an identical earlier run when the
# cache has one (scripts/selftests.sh reuse): not counted as a test, and said so.
f=$(logfile "selftests: base results reused")
if [ "${PTW_KST_REUSE:-1}" = 1 ] && "$S/selftests.sh" reuse base >"$f" 2>&1; then
	echo "      selftests: the base kernel's results reused, not run again: $(cat "$f")"
else
	t "selftests: run on the base kernel" "$S/selftests.sh" run base
fi
t "selftests: run on the patched kernel" "$S/selftests.sh" run patched
t "selftests: all that pass on the base pass on the patched kernel" "$S/selftests.sh" compare &&
	sed -n '/^test /,$p' "$logs"/*selftests__all_that_pass*.log | sed 's/^/      /'
summary
