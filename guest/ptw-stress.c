// SPDX-License-Identifier: GPL-2.0
/*
 * ptw-stress: read /proc/<pid>/smaps, smaps_rollup, numa_maps and pagemap while other threads
 * change what they walk: map, fault and unmap anonymous 4K, 64K mTHP and PMD THP memory and 2M
 * HugeTLB; zap it with MADV_DONTNEED, page it out, split THPs (MADV_COLD on part of one, then
 * a partial munmap), and move pages between the two NUMA nodes with mbind(MPOL_MF_MOVE).
 * Half of the mappings are registered for asynchronous userfaultfd write-protection, and the
 * reader also runs PAGEMAP_SCAN with PM_SCAN_WP_MATCHING over the whole address space, which
 * write-protects the written pages it reports: the one reader that changes the entries.
 *
 *   ptw-stress SECONDS
 *
 * The reads must all succeed; the kernel must neither warn, oops, deadlock nor splat lockdep,
 * which the host checks in the kernel log (scripts/boot.sh). Prints the number of reads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ptw.h"

#define LEN		(8 * SZ_2M)
#define PAGE_IS_WRITTEN_	(1ULL << 1)
#define MPOL_BIND_	2
#define MPOL_MF_MOVE_	(1 << 1)

static atomic_int stop;
static atomic_long changes;
static int uffd = -1;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static char *map_aligned(size_t len, int hugetlb)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | (hugetlb ? MAP_HUGETLB : 0);
	char *p = mmap(NULL, len + (hugetlb ? 0 : SZ_2M), PROT_READ | PROT_WRITE, flags, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		return NULL;
	if (hugetlb)
		return p;
	a = ((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	munmap((char *)a + len, (uintptr_t)p + SZ_2M - a);
	return (char *)a;
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		p[i] = 1;
}

/* One round of changes to a fresh mapping of one kind. */
static void churn(int kind, unsigned int *seed)
{
	unsigned long node = 1UL << (rand_r(seed) & 1);
	size_t off = (rand_r(seed) % 8) * SZ_2M;
	char *p = map_aligned(LEN, kind == 3);

	if (!p)
		return;		/* the HugeTLB pool may be in use by another thread */
	if (kind == 0)
		madvise(p, LEN, MADV_NOHUGEPAGE);
	if (kind == 2)
		madvise(p, LEN, MADV_HUGEPAGE);
	if (rand_r(seed) & 1) {
		struct uffdio_register reg = { .range = { (uintptr_t)p, LEN },
					       .mode = UFFDIO_REGISTER_MODE_WP };

		if (ioctl(uffd, UFFDIO_REGISTER, &reg))
			die("UFFDIO_REGISTER");
	}
	touch(p, LEN);
	syscall(SYS_mbind, p + off, SZ_2M, MPOL_BIND_, &node, 8 * sizeof(node), MPOL_MF_MOVE_);
	madvise(p + off + 4096 * 3, 4096 * 5, MADV_DONTNEED);
	madvise(p + off, SZ_2M / 2, MADV_PAGEOUT);
	touch(p + off, SZ_2M);
	munmap(p + off + SZ_2M / 2, 4096 * 7);	/* splits a PMD THP, or a HugeTLB EINVAL */
	munmap(p, LEN);
	atomic_fetch_add(&changes, 1);
}

static void *changer(void *arg)
{
	unsigned int seed = (uintptr_t)arg;

	while (!atomic_load(&stop))
		churn(rand_r(&seed) % 4, &seed);
	return NULL;
}

static long read_all(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	long total = 0;
	ssize_t r;

	if (fd < 0)
		die(path);
	while ((r = read(fd, buf, len)) > 0)
		total += r;
	if (r < 0)
		die(path);
	close(fd);
	return total;
}

/* pagemap of the whole of the lower 128 TiB, in 2M steps where something is mapped. */
static void read_pagemap(char *buf)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long start, end;
	char line[512];
	int fd = open("/proc/self/pagemap", O_RDONLY);

	if (!f || fd < 0)
		die("maps/pagemap");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &start, &end) != 2)
			continue;
		for (; start < end; start += SZ_2M) {
			size_t n = (end - start < SZ_2M ? end - start : SZ_2M) / 4096 * 8;

			if (pread(fd, buf, n, start / 4096 * 8) < 0)
				die("pagemap read");
		}
	}
	fclose(f);
	close(fd);
}

/*
 * PAGEMAP_SCAN of the lower 128 TiB for written pages, write-protecting them: VMAs not
 * registered for asynchronous write-protection are passed over. Returns the regions found.
 */
static long scan_wp(void)
{
	static struct page_region v[64];
	struct pm_scan_arg a = {
		.size = sizeof(a), .flags = PM_SCAN_WP_MATCHING_, .start = 0, .end = 1ULL << 47,
		.vec = (uintptr_t)v, .vec_len = 64, .category_mask = PAGE_IS_WRITTEN_,
		.return_mask = PAGE_IS_WRITTEN_,
	};
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long r, found = 0;

	if (fd < 0)
		die("pagemap");
	do {
		r = ioctl(fd, PAGEMAP_SCAN, &a);
		if (r < 0)
			die("PAGEMAP_SCAN");
		found += r;
		a.start = a.walk_end;
	} while (a.walk_end < a.end);
	close(fd);
	return found;
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "/proc/self/smaps", "/proc/self/smaps_rollup",
					     "/proc/self/numa_maps" };
	time_t end = time(NULL) + (argc > 1 ? atoi(argv[1]) : 20);
	char *buf = malloc(1 << 20);
	pthread_t t[3];
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_UNPOPULATED |
				  UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_ASYNC };
	long reads = 0, regions = 0;
	int i;

	if (!buf)
		die("malloc");
	uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (uffd < 0 || ioctl(uffd, UFFDIO_API, &api))
		die("userfaultfd");
	for (i = 0; i < 3; i++)
		if (pthread_create(&t[i], NULL, changer, (void *)(uintptr_t)(i + 1)))
			die("pthread_create");
	while (time(NULL) < end) {
		for (i = 0; i < 3; i++)
			read_all(files[i], buf, 1 << 20);
		read_pagemap(buf);
		regions += scan_wp();
		reads += 5;
	}
	atomic_store(&stop, 1);
	for (i = 0; i < 3; i++)
		pthread_join(t[i], NULL);
	printf("ptw-stress: %ld reads (%ld written regions write-protected) while %ld mappings were changed\n",
	       reads, regions, atomic_load(&changes));
	return 0;
}
