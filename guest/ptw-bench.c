// SPDX-License-Identifier: GPL-2.0
/*
 * ptw-bench: the time a read of /proc/self/smaps, smaps_rollup, numa_maps and pagemap takes
 * over one large mapping of one kind, per 4K page of the mapping.
 *
 *   ptw-bench KIND MIB REPS
 *
 * KIND: anon-4k (small folios), anon-64k (64K mTHP, mapped by PTEs), anon-thp (PMD THP),
 * hugetlb-2m (MAP_HUGETLB, 2M pages). The mapping is touched once; each file is then read
 * REPS times and the fastest read is printed, as "KIND FILE NS_PER_PAGE", one line a file.
 * The caller sets the THP sizes up (guest/jobs/bench.sh).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define SZ_2M (2UL << 20)

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

static char *map(const char *kind, size_t len)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS;
	size_t extra = SZ_2M;
	char *p;
	uintptr_t a;

	if (!strcmp(kind, "hugetlb-2m")) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags | MAP_HUGETLB, -1, 0);
		if (p == MAP_FAILED)
			die("mmap hugetlb");
		return p;
	}
	p = mmap(NULL, len + extra, PROT_READ | PROT_WRITE, flags, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	a = ((uintptr_t)p + SZ_2M - 1) & ~(SZ_2M - 1);
	if (!strcmp(kind, "anon-4k"))
		madvise((void *)a, len, MADV_NOHUGEPAGE);
	else if (!strcmp(kind, "anon-thp"))
		madvise((void *)a, len, MADV_HUGEPAGE);
	else if (strcmp(kind, "anon-64k"))
		die("kind: anon-4k, anon-64k, anon-thp or hugetlb-2m");
	return (char *)a;
}

/* Read @path whole, or the pagemap entries of [@p, @p + @len) when @p is set. */
static void read_file(const char *path, char *p, size_t len, char *buf, size_t bufsz)
{
	int fd = open(path, O_RDONLY);
	ssize_t r;

	if (fd < 0)
		die(path);
	if (p) {
		if (pread(fd, buf, len / 4096 * 8, (uintptr_t)p / 4096 * 8) != (ssize_t)(len / 4096 * 8))
			die("pagemap");
	} else {
		while ((r = read(fd, buf, bufsz)) > 0)
			;
		if (r < 0)
			die(path);
	}
	close(fd);
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "smaps", "smaps_rollup", "numa_maps", "pagemap" };
	size_t len, i, bufsz = 4 << 20;
	char *p, *buf = malloc(bufsz), path[64];
	int reps, f, r;

	if (argc != 4 || !buf)
		return 2;
	len = strtoul(argv[2], NULL, 0) << 20;
	reps = atoi(argv[3]);
	p = map(argv[1], len);
	for (i = 0; i < len; i += 4096)
		p[i] = 1;
	for (f = 0; f < 4; f++) {
		double best = 0;
		int pm = !strcmp(files[f], "pagemap");

		snprintf(path, sizeof(path), "/proc/self/%s", files[f]);
		for (r = 0; r < reps; r++) {
			double t = now_ns();

			read_file(path, pm ? p : NULL, len, buf, bufsz);
			t = now_ns() - t;
			if (!r || t < best)
				best = t;
		}
		printf("%s %s %.2f\n", argv[1], files[f], best / (len / 4096));
	}
	return 0;
}
