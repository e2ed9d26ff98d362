#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of the boot check (scripts/test.sh): the guest has what the tests rely on (2 NUMA
# nodes, the hugetlb pools of the command line, THP and the /proc files), and the demo workload
# runs. On the patched kernel (PTW_KERNEL=patched) the demo must also report the sizes below;
# on the base they are printed for information: the base reports a private 1G hugetlb page as
# Shared_Hugetlb (fixed by the series' first patch). Each check prints "PTW-CHECK: ok|FAIL".
set -u
fails=0
check() { # check WHAT EXPECTED ACTUAL
	if [ "${info:-0}" = 1 ]; then
		echo "PTW-INFO: base kernel: $1 = $3 (the patched kernel must give $2)"
	elif [ "$2" = "$3" ]; then
		echo "PTW-CHECK: ok   $1 = $3"
	else
		echo "PTW-CHECK: FAIL $1: expected '$2', got '$3'"
		fails=$((fails + 1))
	fi
}
hp=/sys/kernel/mm/hugepages
check "NUMA nodes online" "0-1" "$(cat /sys/devices/system/node/online)"
check "1G hugetlb pool" 2 "$(cat $hp/hugepages-1048576kB/nr_hugepages 2>&1)"
check "2M hugetlb pool" 512 "$(cat $hp/hugepages-2048kB/nr_hugepages 2>&1)"
check "THP available" yes "$([ -w /sys/kernel/mm/transparent_hugepage/enabled ] && echo yes)"
check "mTHP 64K control" yes "$([ -d /sys/kernel/mm/transparent_hugepage/hugepages-64kB ] && echo yes)"
check "zram available" yes "$([ -e /sys/class/zram-control ] && echo yes)"
check "hwpoison injector" yes "$([ -e /sys/kernel/debug/hwpoison/corrupt-pfn ] && echo yes)"
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled

out=$("$PTW_BIN/ptw-demo")
rc=$?
echo "$out"
check "ptw-demo exit status" 0 "$rc"
# field CASE FIELD: the value of an smaps field in the block of one demo case
field() {
	awk -v c="== $1" -v f="$2:" '$0 == c { in_case = 1; next } /^== / { in_case = 0 }
		in_case && $1 == f { print $2 " " $3; exit }' <<<"$out"
}
[ "$PTW_KERNEL" = patched ] || info=1
check "anon THP AnonHugePages" "2048 kB" "$(field "anon THP (2M, MADV_HUGEPAGE)" AnonHugePages)"
for c in "2M private" "2M shared"; do
	check "hugetlb $c Private_Hugetlb" "2048 kB" "$(field "hugetlb $c" Private_Hugetlb)"
done
for c in "1G private" "1G shared"; do
	check "hugetlb $c Private_Hugetlb" "1048576 kB" "$(field "hugetlb $c" Private_Hugetlb)"
done
info=0
echo "PTW-CHECKS: $fails failed"
exit $((fails > 0))
