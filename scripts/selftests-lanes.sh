#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The patched kernel's selftests in two guests side by side. A guest under TCG mostly keeps one
# host CPU busy, and the selftests run one test at a time: one guest leaves the second CPU idle.
# The categories are split in two lanes of about the same time; each lane boots its own guest.
#
#   scripts/selftests-lanes.sh run N       run lane N's categories on the patched kernel
#   scripts/selftests-lanes.sh merge       lanes 1 and 2 as build/runs/selftests-patched, the
#                                          folder scripts/selftests.sh compare reads
#   scripts/selftests-lanes.sh cats N      the categories of lane N
#
# Lane N runs scripts/selftests.sh run patched unchanged, with BUILD set to build/lanes/N: a
# folder whose trees, builds and guest programs are links to build/'s and whose runs/ is its
# own. Its results are in build/lanes/N/runs/selftests-patched/; the merged folder links them as
# lane-1 and lane-2.
#
# The split, from the patched kernel's category times in the CI run of 2026-12-07 (seconds,
# beside the oracle guest; cow from the base's 482 s and that machine's factor of about 3):
# lane 1: cow ~1500, hugetlb 938, soft_dirty 239, pagemap 152, and the small ones; lane 2,
# which scripts/test.sh starts after the oracle guest (628 s alone): userfaultfd 824, thp 635,
# gup_test (the base: 162 s), migration 128, ksm. A lane whose time grows past the other's
# shows in the two run lines of scripts/test.sh.
. "$(dirname "$0")/lib.sh"

lane_cats() {
	case "$1" in
	1) echo "cow hugetlb soft_dirty pagemap mkdirty memory-failure madv_guard pfnmap" ;;
	2) echo "userfaultfd thp gup_test migration ksm" ;;
	*) die "lane 1 or 2" ;;
	esac
}

main=$BUILD
case "${1:-}" in
cats) lane_cats "${2:-}" ;;
run)
	n=${2:-}
	cats=$(lane_cats "$n")
	lane=$main/lanes/$n
	mkdir -p "$lane"
	for d in linux linux-out guest-bin; do
		[ -e "$main/$d" ] || die "no $main/$d: build the patched kernel, its selftests and the guest programs first"
		ln -sfn "$main/$d" "$lane/$d"
	done
	BUILD=$lane PTW_KST_CATS=$cats exec "$TOP/scripts/selftests.sh" run patched
	;;
merge)
	out=$main/runs/selftests-patched
	rm -rf "$out"
	mkdir -p "$out"
	for n in 1 2; do
		r=$main/lanes/$n/runs/selftests-patched
		[ -f "$r/results.txt" ] || die "lane $n has no results ($r/results.txt)"
		ln -s "$r" "$out/lane-$n"
		# mincore.tap: each lane runs the mincore suite; lane 1's is kept, both count below.
		for f in "$r"/mm-*.tap "$r"/mincore.tap; do
			[ ! -e "$f" ] || [ -e "$out/${f##*/}" ] || cp "$f" "$out/"
		done
		for f in times.txt retried.txt guest.log; do
			[ ! -f "$r/$f" ] || cat "$r/$f" >>"$out/$f"
		done
	done
	# A test in both lanes (the mincore suite) counts with its worse result: FAIL, then SKIP.
	cat "$main"/lanes/[12]/runs/selftests-patched/results.txt | awk '
		{ r = $NF; name = substr($0, 1, length($0) - length(r) - 1); rank = (r == "FAIL") ? 3 : (r == "SKIP") ? 2 : 1
		  if (!(name in best)) { order[n++] = name; best[name] = r; worst[name] = rank }
		  else if (rank > worst[name]) { best[name] = r; worst[name] = rank } }
		END { for (i = 0; i < n; i++) print order[i] " " best[order[i]] }' >"$out/results.txt"
	echo "merged lanes 1 and 2: $(wc -l <"$out/results.txt") results in ${out#"$TOP"/}"
	;;
*) die "usage: selftests-lanes.sh run 1|2, merge, or cats 1|2" ;;
esac
