// SPDX-License-Identifier: GPL-2.0
/*
 * ptw-demo: map anon memory, a THP, and 2M and 1G hugetlb (private and shared), touch them,
 * and print what the kernel reports about each mapping: its /proc/self/smaps block, its
 * numa_maps line and a summary of its pagemap entries. Run in the test guest by scripts/demo.sh.
 *
 * A mapping whose huge page size the kernel has no pool for is reported as such, not skipped
 * silently; any other failure exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ptw.h"

struct demo_case {
	const char *name;
	size_t len;
	size_t align;
	int flags;
	int advice;
};

static const struct demo_case cases[] = {
	{ "anon 4K (256K, no THP)", 256 << 10, 0, MAP_PRIVATE | MAP_ANONYMOUS, MADV_NOHUGEPAGE },
	{ "anon THP (2M, MADV_HUGEPAGE)", SZ_2M, SZ_2M, MAP_PRIVATE | MAP_ANONYMOUS, MADV_HUGEPAGE },
	{ "hugetlb 2M private", SZ_2M, 0, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, 0 },
	{ "hugetlb 2M shared", SZ_2M, 0, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB, 0 },
	{ "hugetlb 1G private", SZ_1G, 0, MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, 0 },
	{ "hugetlb 1G shared", SZ_1G, 0, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, 0 },
};

static long page_size;

static void *map_case(const struct demo_case *c)
{
	size_t extra = c->align ? c->align : 0;
	char *p = mmap(NULL, c->len + extra, PROT_READ | PROT_WRITE, c->flags, -1, 0);
	uintptr_t a;

	if (p == MAP_FAILED)
		return NULL;
	if (!c->align)
		return p;
	/* Trim to an aligned range, so a THP can back it. */
	a = ((uintptr_t)p + c->align - 1) & ~(c->align - 1);
	if (a > (uintptr_t)p)
		munmap(p, a - (uintptr_t)p);
	if ((uintptr_t)p + c->len + extra > a + c->len)
		munmap((void *)(a + c->len), (uintptr_t)p + c->len + extra - (a + c->len));
	return (void *)a;
}

/* Print the smaps block of the VMA that starts at @addr, indented. */
static int print_smaps(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0, found = 0;
	unsigned long start, end;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &start, &end) == 2) {
			in = start == addr;
			found |= in;
			if (in)
				printf("  smaps:      %s", line);
			continue;
		}
		if (in)
			printf("    %s", line);
	}
	fclose(f);
	return found ? 0 : -1;
}

static int print_numa_maps(uintptr_t addr)
{
	FILE *f = fopen("/proc/self/numa_maps", "r");
	char line[512];
	int found = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (strtoul(line, NULL, 16) == addr) {
			printf("  numa_maps:  %s", line);
			found = 1;
		}
	}
	fclose(f);
	return found ? 0 : -1;
}

/* Count pagemap flags over the mapping, and how many physically contiguous runs it is in. */
static int print_pagemap(uintptr_t addr, size_t len)
{
	size_t n = len / page_size, i, present = 0, swap = 0, excl = 0, file = 0, sd = 0, wp = 0;
	size_t runs = 0;
	uint64_t *pm = malloc(n * sizeof(*pm)), prev = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);
	ssize_t r;

	if (!pm || fd < 0)
		return -1;
	r = pread(fd, pm, n * sizeof(*pm), addr / page_size * sizeof(*pm));
	close(fd);
	if (r != (ssize_t)(n * sizeof(*pm))) {
		free(pm);
		return -1;
	}
	for (i = 0; i < n; i++) {
		uint64_t e = pm[i];

		present += !!(e & PM_PRESENT);
		swap += !!(e & PM_SWAP);
		excl += !!(e & PM_MMAP_EXCLUSIVE);
		file += !!(e & PM_FILE);
		sd += !!(e & PM_SOFT_DIRTY);
		wp += !!(e & PM_UFFD_WP);
		if ((e & PM_PRESENT) && (!i || !(prev & PM_PRESENT) ||
					 (e & PM_PFN_MASK) != (prev & PM_PFN_MASK) + 1))
			runs++;
		prev = e;
	}
	printf("  pagemap:    %zu pages: present %zu, swap %zu, exclusive %zu, file/shared %zu, soft-dirty %zu, uffd-wp %zu; %zu physically contiguous run%s\n",
	       n, present, swap, excl, file, sd, wp, runs, runs == 1 ? "" : "s");
	free(pm);
	return 0;
}

int main(void)
{
	size_t i;
	int ret = 0;

	page_size = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct demo_case *c = &cases[i];
		char *p = map_case(c);

		printf("== %s\n", c->name);
		if (!p) {
			if (errno == ENOMEM || errno == EINVAL) {
				printf("  not mapped: %s (no huge page pool of this size?)\n", strerror(errno));
				ret = 1;
				continue;
			}
			perror("mmap");
			return 1;
		}
		if (c->advice && madvise(p, c->len, c->advice))
			perror("madvise");
		memset(p, 0x5a, c->len);
		printf("  mapped at:  %p, %zu kB, touched\n", p, c->len >> 10);
		if (print_smaps((uintptr_t)p) || print_numa_maps((uintptr_t)p) ||
		    print_pagemap((uintptr_t)p, c->len)) {
			printf("  error: cannot read /proc/self for this mapping\n");
			ret = 1;
		}
	}
	return ret;
}
