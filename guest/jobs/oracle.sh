#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of the oracle (scripts/oracle.sh): runs ptw-oracle twice, into oracle-1.txt and
# oracle-2.txt in the run folder; the host compares the two (the same kernel must print the
# same text) and then the base kernel's with the patched kernel's.
set -u
die() { echo "oracle job: $*"; exit 1; }
# With ASLR on, the base kernel's mincore of a shared hugetlb range whose page is in the page
# cache but not mapped depends on whether a PMD table happens to exist there.
echo 0 >/proc/sys/kernel/randomize_va_space || die "cannot turn ASLR off"
thp=/sys/kernel/mm/transparent_hugepage
echo madvise >$thp/enabled || die "no THP"
# mTHP only where a case asks for it; PMD THP as the top-level setting says.
for d in $thp/hugepages-*kB; do [ -w "$d/enabled" ] && echo never >"$d/enabled"; done
pmd=$thp/hugepages-$(($(cat $thp/hpage_pmd_size) / 1024))kB/enabled
echo inherit >"$pmd" || die "no PMD THP"
echo 64M >/sys/block/zram0/disksize || die "no zram0"
mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 || die "no swap on zram0"
# ext4 for the page-cache PMD THP case (tmpfs page cache is shmem)
z=$(cat /sys/class/zram-control/hot_add) || die "no second zram device"
echo 64M >"/sys/block/zram$z/disksize" && mkfs.ext4 -q "/dev/zram$z" &&
	mkdir -p /tmp/ext4 && mount -t ext4 "/dev/zram$z" /tmp/ext4 || die "no ext4 on zram$z"
export PTW_EXT4=/tmp/ext4
rc=0
for i in 1 2; do
	"$PTW_BIN/ptw-oracle" >"oracle-$i.txt" 2>&1 || rc=1
done
grep -h '^error' oracle-1.txt oracle-2.txt
exit $rc
