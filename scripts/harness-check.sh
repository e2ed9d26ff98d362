#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The comparisons of the test command, fed made-up outputs: what must pass passes and what must
# fail fails. A check that cannot fail is no check; this shows that these can.
#
#   scripts/harness-check.sh
#
# Each line printed is "ok" or "FAILED:" and what was tried; the exit status is 1 when any
# comparison gave the wrong answer.
. "$(dirname "$0")/lib.sh"

tmp=$(mktemp -d)
trap '[ -n "${PTW_KEEP:-}" ] || rm -rf "$tmp"' EXIT
bad=0
# expect RC WHAT CMD...: CMD must exit with RC
expect() {
	local want=$1 what=$2 rc=0
	shift 2
	"$@" >"$tmp/out" 2>&1 || rc=$?
	if [ "$rc" = "$want" ]; then
		echo "ok      $what"
	else
		echo "FAILED: $what: exit $rc, wanted $want"
		sed 's/^/        | /' "$tmp/out"
		bad=1
	fi
}

# The oracle comparison (scripts/oracle-compare.py) with a pinned allow-list entry.
mkdir -p "$tmp/patches"
touch "$tmp/patches/0001-fix.patch"
cat >"$tmp/allow" <<'A'
case: *-1g*
base:   Shared_Hugetlb:  1048576 kB
base:   Private_Hugetlb:       0 kB
patched:   Shared_Hugetlb:        0 kB
patched:   Private_Hugetlb: 1048576 kB
patch: 0001-fix.patch
why: made up
A
out() { # FILE CASE LINE...
	local f=$1 c=$2
	shift 2
	{ echo "### $c"; echo "smaps"; printf '%s\n' "$@"; echo "end"; } >"$f"
}
oc() { python3 "$TOP/scripts/oracle-compare.py" "$@" --allow "$tmp/allow" --patches "$tmp/patches"; }
S='  Shared_Hugetlb:  1048576 kB' s='  Shared_Hugetlb:        0 kB'
P='  Private_Hugetlb:       0 kB' p='  Private_Hugetlb: 1048576 kB'
out "$tmp/base" x-1g "$S" "$P"
out "$tmp/same" x-1g "$S" "$P"
expect 0 "oracle: the same output passes" oc "$tmp/base" "$tmp/same"
out "$tmp/fixed" x-1g "$s" "$p"
expect 0 "oracle: the pinned base -> patched lines pass" oc "$tmp/base" "$tmp/fixed"
expect 1 "oracle: the pinned lines the other way round fail" oc "$tmp/fixed" "$tmp/base"
expect 0 "oracle: ... unless both are runs of the base (--either-way)" oc "$tmp/fixed" "$tmp/base" --either-way
out "$tmp/zero" x-1g "$s" "$P"
expect 1 "oracle: a 1G page counted in neither field fails" oc "$tmp/base" "$tmp/zero"
out "$tmp/other" x-2m "$s" "$p"
out "$tmp/base2m" x-2m "$S" "$P"
expect 1 "oracle: the pinned lines in a case the entry does not name fail" oc "$tmp/base2m" "$tmp/other"
out "$tmp/extra" x-1g "$s" "$p" "  Rss: 4 kB"
expect 1 "oracle: a line with no partner fails" oc "$tmp/base" "$tmp/extra"
out "$tmp/gone" x-1g "$s"
expect 1 "oracle: a dropped line fails" oc "$tmp/base" "$tmp/gone"
grep -v '^patched:' "$tmp/allow" >"$tmp/allow2"
expect 1 "oracle: an entry without its patched line is an error" \
	python3 "$TOP/scripts/oracle-compare.py" "$tmp/base" "$tmp/same" --allow "$tmp/allow2" --patches "$tmp/patches"

# The selftest comparison (scripts/selftests-compare.py), with the cases inside a test.
tap() { # DIR NAME "RESULT..." : one mm test whose cases are ok, fail or skip
	local d=$1 n=$2 r i=0 top=ok
	mkdir -p "$d"
	{
		echo "TAP version 13"
		echo "# running ./$n"
		for r in $3; do
			i=$((i + 1))
			case $r in
			ok) echo "# ok $i case $i" ;;
			fail) echo "# not ok $i case $i" && top="not ok" ;;
			skip) echo "# ok $i # SKIP case $i" ;;
			xfail) echo "# ok $i # XFAIL case $i" ;;
			esac
		done
		echo "$top 1 $n"
	} >>"$d/mm-x.tap"
	echo "mm/$n $([ "$top" = ok ] && echo PASS || echo FAIL)" >>"$d/results.txt"
}
: >"$tmp/kbf"
sc() { python3 "$TOP/scripts/selftests-compare.py" "$1/results.txt" "$2/results.txt" "$tmp/kbf"; }
tap "$tmp/kb" t "ok ok ok"
tap "$tmp/kp" t "ok ok ok"
expect 0 "selftests: the same cases pass" sc "$tmp/kb" "$tmp/kp"
tap "$tmp/kq" t "ok ok skip"
expect 1 "selftests: a case skipped on the patched kernel only fails, the test passing" sc "$tmp/kb" "$tmp/kq"
tap "$tmp/kr" t "ok ok fail"
expect 1 "selftests: a case failing on the patched kernel only fails" sc "$tmp/kb" "$tmp/kr"
tap "$tmp/ks" t "ok ok ok"
tap "$tmp/ks" new "ok skip"
expect 1 "selftests: a skipped case in a test the series adds fails" sc "$tmp/kb" "$tmp/ks"
tap "$tmp/kt" t "ok ok ok"
tap "$tmp/kt" new "ok ok"
expect 0 "selftests: a test the series adds, every case passing, passes" sc "$tmp/kb" "$tmp/kt"
# A case a patch changes on purpose, pinned in changed-cases: it holds, or it fails.
scp() { python3 "$TOP/scripts/selftests-compare.py" "$1/results.txt" "$2/results.txt" "$tmp/kbf" /dev/null "$tmp/pins"; }
tap "$tmp/ku" t "ok ok xfail"
echo "mm/t | case 3 | PASS -> XFAIL | patch 1" >"$tmp/pins"
expect 1 "selftests: a case passing on the base, an XFAIL on the patched kernel, unpinned, fails" sc "$tmp/kb" "$tmp/ku"
expect 0 "selftests: ... and pinned PASS -> XFAIL, passes" scp "$tmp/kb" "$tmp/ku"
expect 1 "selftests: a pinned change that does not happen fails" scp "$tmp/kb" "$tmp/kp"
echo "mm/t | case 2 | PASS -> XFAIL | patch 1" >"$tmp/pins"
expect 1 "selftests: a pin on another case than the one that changed fails" scp "$tmp/kb" "$tmp/ku"
# The patched kernel's two selftest lanes, merged (scripts/selftests-lanes.sh merge): a test
# both lanes run (the mincore suite) counts with its worse result.
lanes() { BUILD=$tmp/lb "$TOP/scripts/selftests-lanes.sh" merge; }
for n in 1 2; do
	mkdir -p "$tmp/lb/lanes/$n/runs/selftests-patched"
	cp "$tmp/kb/mm-x.tap" "$tmp/lb/lanes/$n/runs/selftests-patched/"
done
printf '%s\n' "mm/t PASS" "mincore/global read only PASS" >"$tmp/lb/lanes/1/runs/selftests-patched/results.txt"
printf '%s\n' "mm/u PASS" "mincore/global read only PASS" >"$tmp/lb/lanes/2/runs/selftests-patched/results.txt"
expect 0 "selftests: two lanes merge" lanes
expect 0 "selftests: ... into one line a test" cmp -s "$tmp/lb/runs/selftests-patched/results.txt" \
	<(printf '%s\n' "mm/t PASS" "mincore/global read only PASS" "mm/u PASS")
sed -i 's/read only PASS/read only FAIL/' "$tmp/lb/lanes/2/runs/selftests-patched/results.txt"
lanes >/dev/null 2>&1
expect 1 "selftests: a test passing in one lane and failing in the other fails" \
	grep -qx "mincore/global read only PASS" "$tmp/lb/runs/selftests-patched/results.txt"
rm "$tmp/lb/lanes/2/runs/selftests-patched/results.txt"
expect 1 "selftests: a lane with no results fails the merge" lanes
# The splat check of a guest's kernel log (scripts/splat-check.sh), with a known-base entry
# like splats/known-base's, and the lines of a real warning of the base (stress-base).
cat >"$tmp/known-splats" <<'K'
WARNING: .*mm/page_table_check\.c:206 at __page_table_check_ptes_set\+ | do_pagemap_scan\+ | 0001-fix.patch | made up
K
runlog() { # FOLDER LOG LINES...: a run folder whose LOG (dmesg.log or serial.log) holds LINES
	local d=$tmp/$1 f=$2
	shift 2
	rm -rf "$d" && mkdir -p "$d"
	printf '%s\n' "Linux version 7.3.4" "$@" "PTW-EXIT: 0" >"$d/$f"
	[ "$f" = dmesg.log ] || echo "Linux version 7.3.4" >"$d/dmesg.log"
}
sc_base() { PTW_KNOWN_SPLATS=$tmp/known-splats PTW_KNOWN_SPLATS_PATCHES=$tmp/patches "$TOP/scripts/splat-check.sh" base "$@"; }
sc_patched() { PTW_KNOWN_SPLATS=$tmp/known-splats PTW_KNOWN_SPLATS_PATCHES=$tmp/patches "$TOP/scripts/splat-check.sh" patched "$@"; }
warn=(
	"------------[ cut here ]------------"
	"WARNING: ../linux/mm/page_table_check.c:206 at __page_table_check_ptes_set+0x96/0x124, CPU#0: ptw-stress/74"
	"CPU: 0 UID: 0 PID: 74 Comm: ptw-stress Not tainted 7.3.4+ #1 PREEMPTLAZY"
	"Call Trace:"
	" <TASK>"
	" ? set_ptes.constprop.0+0x1d/0x23"
	" ? pagemap_scan_pmd_entry+0x4be/0x76e"
	" ? do_pagemap_scan+0x220/0x390"
	" </TASK>"
	"---[ end trace 0000000000000000 ]---"
)
runlog clean dmesg.log "zram0: detected capacity change"
expect 0 "splats: a clean log passes" sc_patched "$tmp/clean"
runlog nodmesg serial.log "zram0: detected capacity change"
rm "$tmp/nodmesg/dmesg.log"
expect 1 "splats: a run without the guest's saved kernel log fails" sc_patched "$tmp/nodmesg"
runlog known dmesg.log "${warn[@]}"
expect 0 "splats: a base bug's warning pinned in known-base passes on the base" sc_base "$tmp/known"
grep -q '^NOTE: dmesg.log: 1 warning(s) of the base excused' "$tmp/out" &&
	echo "ok      splats: ... and the run says it excused it" || { echo "FAILED: splats: no NOTE of the excused warning"; bad=1; }
expect 1 "splats: ... and fails on the patched kernel" sc_patched "$tmp/known"
runlog console serial.log "${warn[@]:1}"
expect 0 "splats: ... and passes on the base in the console's form (no cut-here line)" sc_base "$tmp/console"
runlog otherline dmesg.log "${warn[@]/c:206 at/c:235 at}"
expect 1 "splats: the same call trace from another WARNING line fails on the base" sc_base "$tmp/otherline"
runlog othertrace dmesg.log "${warn[@]/do_pagemap_scan/do_madvise}"
expect 1 "splats: the same WARNING line from another call trace fails on the base" sc_base "$tmp/othertrace"
runlog inside dmesg.log "${warn[@]:0:4}" "BUG: KASAN: use-after-free in zap_pte_range+0x1/0x2" "${warn[@]:4}"
expect 1 "splats: a splat printed inside an excused warning fails on the base" sc_base "$tmp/inside"
runlog second dmesg.log "${warn[@]}" "WARNING: mm/memory.c:100 at zap_pte_range+0x1/0x2" "---[ end trace 0000000000000000 ]---"
expect 1 "splats: another warning after an excused one fails on the base" sc_base "$tmp/second"
runlog cut dmesg.log "${warn[@]:0:6}"
expect 1 "splats: a known warning cut off before its end fails on the base" sc_base "$tmp/cut"
echo "WARNING: x | y | 0002-missing.patch | made up" >>"$tmp/known-splats"
expect 1 "splats: a known-base entry naming a patch that is not there is an error" sc_base "$tmp/known"
runlog gupdump dmesg.log "page dumped because: gup_test: dump_pages() test"
expect 0 "splats: the page dump gup_test asks for passes" sc_patched "$tmp/gupdump"
runlog pagedump dmesg.log "page dumped because: nonzero mapcount"
expect 1 "splats: any other page dump fails" sc_patched "$tmp/pagedump"
runlog badpud serial.log "mm/pgtable-generic.c:30: bad pud 00000000a1b2c3d4(8000000123400e7)."
expect 1 "splats: a bad pud on the console fails" sc_patched "$tmp/badpud"

# Stored build results (scripts/build-results.sh): a build stands on one only for its own key.
br() { PTW_BUILD_RESULTS=$tmp/results BUILD=$tmp/build "$TOP/scripts/build-results.sh" "$@"; }
printf '%s\n' "build: vmlinux x86_64" "tree: 0123abcd" "compiler: gcc 12" "file: 89ab configs/x.config" >"$tmp/key"
br passed 30 <"$tmp/key"
mkdir -p "$tmp/results" && cp "$tmp/build/build-results/"*.txt "$tmp/results/"
expect 0 "builds: a build of a stored key is not built again" br stored <"$tmp/key"
sed 's/0123abcd/0123abce/' "$tmp/key" >"$tmp/key2"
expect 1 "builds: the same build of another tree is built" br stored <"$tmp/key2"
sed 's/89ab/89ac/' "$tmp/key" >"$tmp/key3"
expect 1 "builds: the same tree with another config is built" br stored <"$tmp/key3"
expect 1 "builds: PTW_BUILD_RUN=1 builds a stored one" env PTW_BUILD_RUN=1 \
	PTW_BUILD_RESULTS="$tmp/results" BUILD="$tmp/build" "$TOP/scripts/build-results.sh" stored <"$tmp/key"
sed -i 's/gcc 12/gcc 13/' "$tmp/results/"*.txt
expect 1 "builds: a stored file whose key is not its name's is not used" br stored <"$tmp/key"
exit $bad
