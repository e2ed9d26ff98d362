#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/bench.sh: ptw-bench over each kind of mapping, into bench.txt in the
# run folder. PTW_BENCH_MIB and PTW_BENCH_REPS size the mapping and the number of reads.
set -u
die() { echo "bench job: $*"; exit 1; }
thp=/sys/kernel/mm/transparent_hugepage
mib=${PTW_BENCH_MIB:-256} reps=${PTW_BENCH_REPS:-10}
echo madvise >$thp/enabled || die "no THP"
for d in $thp/hugepages-*kB; do [ -w "$d/enabled" ] && echo never >"$d/enabled"; done
: >bench.txt
for kind in anon-4k anon-64k anon-thp hugetlb-2m; do
	echo never >$thp/hugepages-64kB/enabled || die "no 64K mTHP"
	echo never >$thp/hugepages-2048kB/enabled || die "no 2M THP"
	[ "$kind" = anon-64k ] && echo always >$thp/hugepages-64kB/enabled
	[ "$kind" = anon-thp ] && echo madvise >$thp/hugepages-2048kB/enabled
	# hugetlb-2m: the 2M pool holds 512 pages, 1 GiB
	"$PTW_BIN/ptw-bench" "$kind" "$mib" "$reps" >>bench.txt || die "ptw-bench $kind"
done
cat bench.txt
