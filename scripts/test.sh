#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The test command: every test the project has, one line each, then "N passed, N failed".
# Exits non-zero when any test fails. A test's full output is in build/test-logs/.
#
#   1. the tree: ptw-base + patches/ applied with git am (nothing else runs if this fails)
#   2. the series: checkpatch --strict (sign-off aside) and trailers on every patch, the cover
#      letter's subject, text and Origin section, and a build at every patch but the last
#   3. the base and the patched kernel build with the same config
#   4. each boots in QEMU with hugepages=, and the boot-check job passes in the guest with no
#      oops, BUG, WARNING or lockdep splat in the kernel log; the series' KUnit suite passes
#      in a boot of the patched kernel (scripts/kunit.sh)
#   5. the oracle: guest/ptw-oracle.c prints the same on the base and the patched kernel, and
#      each kernel prints the same twice (oracle/allow-list lists the differences a patch makes)
#   6. selftests/mm and selftests/mincore from each tree: every test that passes on the base
#      passes on the patched kernel (selftests/known-base-failures lists the others, and why)
. "$(dirname "$0")/lib.sh"

logs=$BUILD/test-logs
rm -rf "$logs"
mkdir -p "$logs"
pass=0 fail=0
t_start=$(date +%s)

summary() {
	echo
	log "test: finished in $(since "$t_start")s"
	echo "$pass passed, $fail failed"
	[ "$fail" = 0 ]
	exit
}

# t NAME CMD...: run one test, its output in build/test-logs/<n>-<slug>.log
t() {
	local name=$1 slug f t0
	shift
	slug=$(printf '%02d-%s' $((pass + fail + 1)) "$(tr -c 'A-Za-z0-9.\n-' _ <<<"$name" | cut -c1-60)")
	f=$logs/$slug.log
	t0=$(date +%s)
	if "$@" >"$f" 2>&1; then
		pass=$((pass + 1))
		printf 'PASS  %s (%ss)\n' "$name" "$(since "$t0")"
		grep '^NOTE:' "$f" | sed 's/^/      /' || true
	else
		fail=$((fail + 1))
		printf 'FAIL  %s (%ss) -- %s\n' "$name" "$(since "$t0")" "${f#"$TOP"/}"
		tail -n 15 "$f" | sed 's/^/      | /'
		return 1
	fi
}

S=$TOP/scripts
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
# Bisectability: every patch but the last builds (the last is the patched kernel below).
mapfile -t revs < <(git -C "$TREE" rev-list --reverse "$BASE_TAG"..HEAD~1 2>/dev/null || true)
for r in "${revs[@]}"; do
	t "series: builds at $(git -C "$TREE" log -1 --format='%h %s' "$r" | cut -c1-70)" "$S/build.sh" rev "$r"
done

t "build: base kernel" "$S/build.sh" base
t "build: patched kernel" "$S/build.sh" patched
t "guest programs build" "$S/guest-build.sh"
t "boot: base kernel, guest boot checks" "$S/boot.sh" base "$TOP/guest/jobs/boot-check.sh" boot-base
t "boot: patched kernel, guest boot checks" "$S/boot.sh" patched "$TOP/guest/jobs/boot-check.sh" boot-patched
t "kunit: the pt_range_walk suite passes on the patched kernel, no case skipped" "$S/kunit.sh" &&
	grep -E '^pt_range_walk' "$logs"/*kunit__*.log | sed 's/^/      /'

# The oracle: the same workload on both kernels, compared case by case (scripts/oracle.sh).
for k in base patched; do
	t "oracle: $k kernel runs every case" "$S/oracle.sh" run $k
	t "oracle: $k kernel prints the same twice" "$S/oracle.sh" same $k
done
t "oracle: base and patched print the same (oracle/allow-list aside)" "$S/oracle.sh" compare &&
	sed -n '/^case /,/^$/p' "$logs"/*oracle__base_and_patched*.log | sed 's/^/      /'

# The upstream selftests, built from each tree and run on its kernel (scripts/selftests.sh).
for k in base patched; do
	t "selftests: build from the $k tree" "$S/selftests.sh" build $k
	t "selftests: run on the $k kernel" "$S/selftests.sh" run $k
done
t "selftests: all that pass on the base pass on the patched kernel" "$S/selftests.sh" compare &&
	sed -n '/^test /,$p' "$logs"/*selftests__all_that_pass*.log | sed 's/^/      /'
summary
