#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/bench.sh: ptw-bench over each kind of mapping, into bench.txt in the
# run folder. PTW_BENCH_MIB and PTW_BENCH_REPS size the mapping and the number of reads;
# PTW_BENCH_KINDS picks the kinds (default: all).
set -u
die() { echo "bench job: $*"; exit 1; }
thp=/sys/kernel/mm/transparent_hugepage
mib=${PTW_BENCH_MIB:-256} reps=${PTW_BENCH_REPS:-7}
kinds=${PTW_BENCH_KINDS:-anon-4k anon-64k anon-thp thp-pte shmem-4k file swap markers hugetlb-2m hugetlb-1g}
echo 0 >/proc/sys/kernel/randomize_va_space || die "cannot turn ASLR off"
echo madvise >$thp/enabled || die "no THP"
echo never >$thp/shmem_enabled || die "no shmem THP setting"
for d in $thp/hugepages-*kB; do [ -w "$d/enabled" ] && echo never >"$d/enabled"; done
# Swap for "swap", a disk file system for "file": both on zram.
echo $((mib * 2))M >/sys/block/zram0/disksize && mkswap /dev/zram0 >/dev/null &&
	swapon /dev/zram0 || die "no swap on zram0"
z=$(cat /sys/class/zram-control/hot_add) || die "no second zram device"
echo $((mib * 2))M >"/sys/block/zram$z/disksize" && mkfs.ext4 -q "/dev/zram$z" &&
	mkdir -p /tmp/ext4 && mount -t ext4 "/dev/zram$z" /tmp/ext4 || die "no ext4 on zram$z"
: >bench.txt
for kind in $kinds; do
	echo never >$thp/hugepages-64kB/enabled || die "no 64K mTHP"
	echo never >$thp/hugepages-2048kB/enabled || die "no 2M THP"
	[ "$kind" = anon-64k ] && echo always >$thp/hugepages-64kB/enabled
	case "$kind" in anon-thp|thp-pte) echo madvise >$thp/hugepages-2048kB/enabled ;; esac
	"$PTW_BIN/ptw-bench" "$kind" "$mib" "$reps" /tmp/ext4 >>bench.txt || die "ptw-bench $kind"
	rm -f /tmp/ext4/ptw-bench.data
done
cat bench.txt
