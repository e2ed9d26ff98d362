#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/demo.sh: the hugetlb workload, printed for a person to read.
# PTW_BIN is set by the host (see scripts/demo.sh).
set -u
echo madvise >/sys/kernel/mm/transparent_hugepage/enabled
echo "kernel: $(uname -r), NUMA nodes online: $(cat /sys/devices/system/node/online)"
for d in /sys/kernel/mm/hugepages/hugepages-*; do
	echo "hugetlb pool $(basename "$d"): $(cat "$d/nr_hugepages") pages, $(cat "$d/free_hugepages") free"
done
echo
"$PTW_BIN/ptw-demo"
