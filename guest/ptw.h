/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the guest programs: mmap flags for hugetlb sizes and the bits of a
 * /proc/<pid>/pagemap entry (Documentation/admin-guide/mm/pagemap.rst).
 */
#ifndef PTW_GUEST_H
#define PTW_GUEST_H

#include <sys/mman.h>

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT 26
#endif
#define MAP_HUGE_2MB (21 << MAP_HUGE_SHIFT)
#define MAP_HUGE_1GB (30 << MAP_HUGE_SHIFT)

#define PM_PFN_MASK ((1ULL << 55) - 1)
#define PM_SOFT_DIRTY (1ULL << 55)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_UFFD_WP (1ULL << 57)
#define PM_GUARD (1ULL << 58)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

#define SZ_64K (64UL << 10)
#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)

#endif
