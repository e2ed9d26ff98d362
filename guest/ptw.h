/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Constants shared by the guest programs: mmap flags for hugetlb sizes, the bits of a
 * /proc/<pid>/pagemap entry (Documentation/admin-guide/mm/pagemap.rst), and the PAGEMAP_SCAN
 * and userfaultfd write-protect definitions that the host's headers may predate.
 */
#ifndef PTW_GUEST_H
#define PTW_GUEST_H

#include <linux/fs.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <sys/ioctl.h>
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

/* From the uapi headers of 7.3. */
#ifndef PAGEMAP_SCAN
struct page_region {
	uint64_t start, end, categories;
};

struct pm_scan_arg {
	uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
	uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define PAGEMAP_SCAN _IOWR('f', 16, struct pm_scan_arg)
#endif
#define PM_SCAN_WP_MATCHING_ (1 << 0)
#define PM_SCAN_CHECK_WPASYNC_ (1 << 1)
#ifndef UFFD_FEATURE_WP_UNPOPULATED
#define UFFD_FEATURE_WP_UNPOPULATED (1 << 13)
#endif
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif

#define SZ_64K (64UL << 10)
#define SZ_2M (2UL << 20)
#define SZ_1G (1UL << 30)

#endif
