// SPDX-License-Identifier: GPL-2.0
/*
 * ptw-bench: what a read of /proc/self/{smaps,smaps_rollup,numa_maps,pagemap} and a
 * PAGEMAP_SCAN cost over one large mapping of one kind, per 4K page of the mapping.
 *
 *   ptw-bench KIND MIB REPS [DIR]
 *
 * KIND:
 *   anon-4k     small anonymous folios (MADV_NOHUGEPAGE)
 *   anon-64k    64K mTHP, mapped by PTEs (the caller enables 64K mTHP)
 *   anon-thp    PMD THP (MADV_HUGEPAGE; the caller enables 2M THP)
 *   thp-pte     PMD THPs mapped by PTEs: each split by an mprotect() of its first page
 *   shmem-4k    MAP_SHARED anonymous memory (shmem), small folios
 *   file        page-cache pages of a file in DIR (a disk file system), mapped read-only
 *   swap        anonymous pages paged out (MADV_PAGEOUT; the caller sets swap up)
 *   markers     an unpopulated anonymous range write-protected by userfaultfd (uffd-wp
 *               markers in every PTE)
 *   hugetlb-2m  MAP_HUGETLB, 2M pages
 *   hugetlb-1g  MAP_HUGETLB, 1G pages (the mapping is 1 GiB whatever MIB says)
 *
 * Each interface is timed REPS times with CLOCK_MONOTONIC and the median is printed, as
 * "KIND INTERFACE NS_PER_PAGE", one line each. Interfaces: smaps, smaps_rollup and
 * numa_maps (the whole file), pagemap (the entries of the mapping), scan (PAGEMAP_SCAN of
 * the mapping, every category returned) and scan-wp (PAGEMAP_SCAN with
 * PM_SCAN_WP_MATCHING | PM_SCAN_CHECK_WPASYNC for written pages, on the mapping registered
 * for asynchronous uffd-wp and write-protected: it finds nothing written, so it is the cost
 * of checking every entry; not for "file", which uffd-wp does not support).
 *
 * Under QEMU's -icount shift=0 the guest clock advances a nanosecond per instruction, so
 * the numbers are guest instructions per page (scripts/bench.sh). PTW_BENCH_IFACES (a
 * comma-separated list of the names above) times only those; PTW_BENCH_MARK marks the
 * timed reads for scripts/profile.sh.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ptw.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define PTW_IS_WRITTEN (1ULL << 1)
#define PTW_ALL_CATEGORIES 0xffULL

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void touch(char *p, size_t len)
{
	for (size_t i = 0; i < len; i += 4096)
		p[i] = 1;
}

/* @len bytes, 2M-aligned, of anonymous memory (MAP_SHARED: shmem). */
static char *map_aligned(size_t len, int shared)
{
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS;
	char *p = mmap(NULL, len + SZ_2M, PROT_READ | PROT_WRITE, flags, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		die("mmap");
	a = ((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1);
	return (char *)a;
}

static int uffd_wp(char *p, size_t len, int protect)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_UNPOPULATED |
				  UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_ASYNC };
	struct uffdio_register reg = { .range = { (uintptr_t)p, len },
				       .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)p, len },
					  .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 || ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ||
	    (protect && ioctl(fd, UFFDIO_WRITEPROTECT, &wp)))
		die("userfaultfd write-protect");
	return fd;
}

/* The mapping of @kind, @*len bytes (set for hugetlb-1g), populated as the kind says. */
static char *map(const char *kind, size_t *len, const char *dir)
{
	char *p, path[256];
	int fd;

	if (!strcmp(kind, "hugetlb-2m") || !strcmp(kind, "hugetlb-1g")) {
		int shift = kind[8] == '2' ? 21 : 30;

		if (shift == 30)
			*len = SZ_1G;
		p = mmap(NULL, *len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | (shift << MAP_HUGE_SHIFT), -1, 0);
		if (p == MAP_FAILED)
			die("mmap hugetlb");
		touch(p, *len);
		return p;
	}
	if (!strcmp(kind, "file")) {
		snprintf(path, sizeof(path), "%s/ptw-bench.data", dir ? dir : ".");
		fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || ftruncate(fd, *len))
			die(path);
		p = mmap(NULL, *len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			die("mmap file");
		touch(p, *len);
		if (msync(p, *len, MS_SYNC) || munmap(p, *len))
			die("msync");
		p = mmap(NULL, *len, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			die("mmap file");
		for (size_t i = 0; i < *len; i += 4096)
			*(volatile char *)(p + i);
		close(fd);
		return p;
	}
	p = map_aligned(*len, !strcmp(kind, "shmem-4k"));
	if (!strcmp(kind, "anon-4k") || !strcmp(kind, "swap") || !strcmp(kind, "shmem-4k")) {
		madvise(p, *len, MADV_NOHUGEPAGE);
	} else if (!strcmp(kind, "anon-thp") || !strcmp(kind, "thp-pte")) {
		madvise(p, *len, MADV_HUGEPAGE);
	} else if (!strcmp(kind, "markers")) {
		madvise(p, *len, MADV_NOHUGEPAGE);
		uffd_wp(p, *len, 1);
		return p;
	} else if (strcmp(kind, "anon-64k")) {
		fprintf(stderr, "ptw-bench: no kind %s\n", kind);
		exit(2);
	}
	touch(p, *len);
	if (!strcmp(kind, "thp-pte")) {
		/* Split each PMD and make the VMA one again: the THPs stay, mapped by PTEs. */
		for (size_t i = 0; i < *len; i += SZ_2M)
			if (mprotect(p + i, 4096, PROT_READ) ||
			    mprotect(p + i, 4096, PROT_READ | PROT_WRITE))
				die("mprotect");
		/* Nor may khugepaged map them by PMDs again. */
		madvise(p, *len, MADV_NOHUGEPAGE);
	}
	if (!strcmp(kind, "swap") && madvise(p, *len, MADV_PAGEOUT))
		die("MADV_PAGEOUT");
	return p;
}

static void read_whole(const char *path, char *buf, size_t bufsz)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		die(path);
	while ((r = read(fd, buf, bufsz)) > 0)
		;
	if (r < 0)
		die(path);
	close(fd);
}

static void read_pagemap(char *p, size_t len, char *buf)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t n = len / 4096 * 8;

	if (fd < 0 || pread(fd, buf, n, (uintptr_t)p / 4096 * 8) != n)
		die("pagemap");
	close(fd);
}

static void scan(char *p, size_t len, int wp)
{
	static struct page_region v[1024];
	struct pm_scan_arg a = {
		.size = sizeof(a), .start = (uintptr_t)p, .end = (uintptr_t)p + len,
		.vec = (uintptr_t)v, .vec_len = 1024,
	};
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (wp) {
		a.flags = PM_SCAN_WP_MATCHING_ | PM_SCAN_CHECK_WPASYNC_;
		a.category_mask = a.return_mask = PTW_IS_WRITTEN;
	} else {
		a.category_anyof_mask = a.return_mask = PTW_ALL_CATEGORIES;
	}
	if (fd < 0 || ioctl(fd, PAGEMAP_SCAN, &a) < 0 || a.walk_end != a.end)
		die("PAGEMAP_SCAN");
	close(fd);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

enum iface { SMAPS, SMAPS_ROLLUP, NUMA_MAPS, PAGEMAP, SCAN, SCAN_WP, NR_IFACES };
static const char *const names[] = { "smaps", "smaps_rollup", "numa_maps", "pagemap",
				     "scan", "scan-wp" };

static void run(enum iface f, char *p, size_t len, char *buf, size_t bufsz)
{
	char path[64];

	switch (f) {
	case PAGEMAP:
		read_pagemap(p, len, buf);
		break;
	case SCAN:
	case SCAN_WP:
		scan(p, len, f == SCAN_WP);
		break;
	default:
		snprintf(path, sizeof(path), "/proc/self/%s", names[f]);
		read_whole(path, buf, bufsz);
		break;
	}
}

/*
 * With PTW_BENCH_MARK set, a system call that nothing else in the guest makes, before and
 * after the timed reads: scripts/profile.sh counts the kernel's instructions between the two.
 */
static void mark(void)
{
	struct timespec ts;

	if (getenv("PTW_BENCH_MARK"))
		syscall(SYS_sched_rr_get_interval, 0, &ts);
}

/* PTW_BENCH_IFACES, a comma-separated list of interfaces, picks some (scripts/profile.sh). */
static int wanted(enum iface f)
{
	const char *list = getenv("PTW_BENCH_IFACES");
	size_t n = strlen(names[f]);

	if (!list || !*list)
		return 1;
	for (const char *s = list; s; s = strchr(s, ',') ? strchr(s, ',') + 1 : NULL)
		if (!strncmp(s, names[f], n) && (s[n] == ',' || !s[n]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	size_t len, bufsz = 4 << 20;
	char *p, *buf = malloc(bufsz);
	double *t;
	int reps;

	if (argc < 4 || argc > 5 || !buf)
		return 2;
	len = strtoul(argv[2], NULL, 0) << 20;
	reps = atoi(argv[3]);
	t = calloc(reps, sizeof(*t));
	if (reps < 1 || !t)
		return 2;
	p = map(argv[1], &len, argc > 4 ? argv[4] : NULL);
	for (enum iface f = 0; f < NR_IFACES; f++) {
		if (!wanted(f))
			continue;
		if (f == SCAN_WP) {
			if (!strcmp(argv[1], "file"))
				break;
			/* markers: registered and write-protected already */
			if (strcmp(argv[1], "markers"))
				uffd_wp(p, len, 1);
			scan(p, len, 1);
		}
		/* One untimed read first: the file's own allocations, caches warm. */
		run(f, p, len, buf, bufsz);
		mark();
		for (int r = 0; r < reps; r++) {
			double t0 = now_ns();

			run(f, p, len, buf, bufsz);
			t[r] = now_ns() - t0;
		}
		mark();
		qsort(t, reps, sizeof(*t), cmp_double);
		printf("%s %s %.2f\n", argv[1], names[f], t[reps / 2] / (len / 4096));
	}
	return 0;
}
