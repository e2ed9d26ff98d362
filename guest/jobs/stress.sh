#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of the stress test (scripts/test.sh): ptw-stress reads smaps, smaps_rollup,
# numa_maps and pagemap while its threads map, fault, zap, page out, split, migrate and unmap
# 4K, 64K mTHP, PMD THP and 2M HugeTLB memory. The host fails the run on any warning, oops or
# lockdep splat in the kernel log, or when the wall-clock limit is hit.
set -u
die() { echo "stress job: $*"; exit 1; }
thp=/sys/kernel/mm/transparent_hugepage
echo madvise >$thp/enabled || die "no THP"
echo always >$thp/hugepages-64kB/enabled || die "no 64K mTHP"
echo 64M >/sys/block/zram0/disksize || die "no zram0"
mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 || die "no swap on zram0"
"$PTW_BIN/ptw-stress" "${PTW_STRESS_SECONDS:-30}"
