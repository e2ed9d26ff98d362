#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The kernel log of a guest run, checked for splats: an oops, BUG, WARNING, lockdep report, page
# dump, bad page state, bad page table entry or bad swap entry.
#
#   scripts/splat-check.sh base|patched RUN_FOLDER
#
# It reads dmesg.log (the ring buffer the guest saved at the end, which every run must have; it
# may have wrapped in a long job) and serial.log (the console: loglevel=5, so KERN_WARNING and
# the levels above it, from boot to power-off) in RUN_FOLDER, prints each log's first splat
# lines as "FAILED: kernel splat in <log>: <line>" (all of them in RUN_FOLDER/splats-<log>),
# and exits 1 when it found any. "bad pud/pmd/pte" is what pud_ERROR() and friends print when
# an entry is neither none, present nor bad as the walker thinks.
#
# Excused: the page dump gup_test asks for (its DUMP_USER_PAGES_TEST has dump_page() print its
# pages with the reason below, which nothing else prints), and, on the base kernel only, the
# warnings of base bugs that a patch of the series fixes, whole, as splats/known-base pins
# them (scripts/known-splats.py, which prints a NOTE for each; PTW_KNOWN_SPLATS names another
# file, and PTW_KNOWN_SPLATS_PATCHES its patches folder, for scripts/harness-check.sh).
. "$(dirname "$0")/lib.sh"

which=${1:-} run=${2:-}
[ -d "$run" ] && { [ "$which" = base ] || [ "$which" = patched ]; } ||
	die "usage: splat-check.sh base|patched RUN_FOLDER"

splat='(BUG:|WARNING:|Oops|kernel BUG at|Kernel panic|general protection fault|Call Trace:|'
splat+='INFO: (possible|inconsistent|trying to register|suspicious RCU)|possible circular locking|'
splat+='possible recursive locking|UBSAN:|KASAN:|page dumped because|bad page state|'
splat+='bad (pgd|p4d|pud|pmd|pte) |Bad swap file entry|Bad page map|Bad rss-counter)'
asked='page dumped because: gup_test: dump_pages\(\) test[[:space:]]*$'

found=0
[ -s "$run/dmesg.log" ] || { echo "FAILED: no kernel log saved by the guest: ${run#"$TOP"/}/dmesg.log"; found=1; }
for klog in "$run/dmesg.log" "$run/serial.log"; do
	[ -s "$klog" ] || continue
	read=$klog
	if [ "$which" = base ]; then
		read=$run/${klog##*/}.unexcused
		python3 "$TOP/scripts/known-splats.py" "${PTW_KNOWN_SPLATS:-$TOP/splats/known-base}" "${PTW_KNOWN_SPLATS_PATCHES:-$PATCHES}" \
			"$splat" "$klog" >"$read" || die "scripts/known-splats.py failed on $klog"
	fi
	hits=$run/splats-${klog##*/}
	{ grep -vE "$asked" "$read" || true; } | { grep -E "$splat" || true; } >"$hits"
	[ -s "$hits" ] || continue
	head -n 5 "$hits" | sed "s|^|FAILED: kernel splat in ${klog##*/}: |"
	found=1
done
exit $found
