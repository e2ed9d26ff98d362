// SPDX-License-Identifier: GPL-2.0
/*
 * ptw-oracle: build a fixed set of mappings and print, normalised, what the kernel reports
 * about each, so that the output of two kernels can be compared with diff.
 *
 * Every case runs in a child process of its own, pinned to CPU 0, and gets its own VMA(s).
 * Addresses are printed relative to the case's start, device and inode numbers are dropped,
 * and PFNs are printed as offsets inside their folio (from /proc/kpageflags), so that two boots
 * of the same kernel print the same text. Per case: its smaps blocks, smaps_rollup, numa_maps,
 * pagemap (run-length encoded), PAGEMAP_SCAN for each category, mincore, and the outcome of
 * mbind(MPOL_MF_MOVE) and migrate_pages() between nodes 0 and 1.
 *
 * Usage: ptw-oracle [CASE...]   (no argument: every case; "-l": list the cases)
 * Needs root, 2 NUMA nodes, 2M and 1G hugetlb pools, swap (zram), THP and userfaultfd.
 * A case that cannot be set up prints "error:" and makes the exit status 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/userfaultfd.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ptw.h"

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif

/* Userfaultfd read-write protection, new in 7.3: the host's headers may predate it. */
#ifndef UFFD_FEATURE_RWP
#define UFFD_FEATURE_RWP (1 << 17)
#define UFFD_FEATURE_RWP_ASYNC (1 << 18)
#define UFFDIO_REGISTER_MODE_RWP ((uint64_t)1 << 3)
struct uffdio_rwprotect {
	struct uffdio_range range;
	uint64_t mode;
};
#define UFFDIO_RWPROTECT_MODE_RWP ((uint64_t)1 << 0)
#define UFFDIO_RWPROTECT _IOWR(UFFDIO, 0x09, struct uffdio_rwprotect)
#endif
#include <sys/uio.h>
static const char *const scan_cats[] = {
	"WPALLOWED", "WRITTEN", "FILE", "PRESENT", "SWAPPED",
	"PFNZERO", "HUGE", "SOFT_DIRTY", "GUARD", "ACCESSED",
};
#define NR_SCAN_CATS (sizeof(scan_cats) / sizeof(scan_cats[0]))
#define ALL_SCAN_CATS ((1ULL << NR_SCAN_CATS) - 1)

#define KPF_COMPOUND_HEAD 15
#define KPF_COMPOUND_TAIL 16
#define KPF_HWPOISON 19
#define KPF_ZERO_PAGE 24

#define MPOL_BIND_ 2
#define MPOL_MF_MOVE_ (1 << 1)

static long psize;
static int kpf_fd = -1;

/* A case: the range it reports on, and what it did, filled in by its setup function. */
struct ctx {
	char *base;
	size_t len;
	int no_move;		/* skip mbind/migrate_pages (the case's pages are poisoned) */
};

static void out(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
}

static void fail(const char *what)
{
	out("error: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(1);
}

/* mmap with @align, so a THP or a huge page can back the range. */
static char *map_aligned(size_t len, size_t align, int prot, int flags, int fd)
{
	size_t extra = align > (size_t)psize ? align : 0;
	char *p = mmap(NULL, len + extra, prot, flags, fd, 0);
	uintptr_t a, s;

	if (p == MAP_FAILED)
		fail("mmap");
	if (!extra)
		return p;
	s = (uintptr_t)p;
	a = (s + align - 1) & ~(align - 1);
	if (a > s)
		munmap(p, a - s);
	if (s + len + extra > a + len)
		munmap((void *)(a + len), s + len + extra - (a + len));
	return (char *)a;
}

static char *map_anon(size_t len, size_t align)
{
	return map_aligned(len, align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
}

static char *map_huge(size_t len, size_t hsize, int shared)
{
	int flags = (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | MAP_HUGETLB |
		    (hsize == SZ_1G ? MAP_HUGE_1GB : MAP_HUGE_2MB);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, flags, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap hugetlb");
	return p;
}

static void touch(char *p, size_t len, size_t step)
{
	size_t i;

	for (i = 0; i < len; i += step)
		p[i] = 1;
}

static void sysfs_write(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		fail(path);
	close(fd);
}

/* ---- the reports ---------------------------------------------------------------------- */

/* /proc/kpageflags, read a block at a time: runs of PFNs are looked up in order. */
#define KPF_BLOCK 4096
static uint64_t kpf_cache[KPF_BLOCK];
static uint64_t kpf_cached = UINT64_MAX;

static uint64_t kpageflags(uint64_t pfn)
{
	uint64_t blk = pfn / KPF_BLOCK;
	ssize_t r;

	if (blk != kpf_cached) {
		memset(kpf_cache, 0, sizeof(kpf_cache));
		r = pread(kpf_fd, kpf_cache, sizeof(kpf_cache), blk * sizeof(kpf_cache));
		kpf_cached = r > 0 ? blk : UINT64_MAX;
	}
	return kpf_cache[pfn % KPF_BLOCK];
}

#define FOLIO_NONE (-2)		/* not present */
#define FOLIO_ZERO (-1)		/* the shared zero page */
#define FOLIO_SMALL (-3)	/* an order-0 folio */

/* Offset of @pfn inside its large folio, or one of the FOLIO_* kinds above. */
static long folio_offset(uint64_t pfn)
{
	uint64_t f = kpageflags(pfn), p = pfn;

	if (f & (1ULL << KPF_ZERO_PAGE))
		return FOLIO_ZERO;
	if (f & (1ULL << KPF_COMPOUND_HEAD))
		return 0;
	if (!(f & (1ULL << KPF_COMPOUND_TAIL)))
		return FOLIO_SMALL;
	while (p > 0 && !(kpageflags(--p) & (1ULL << KPF_COMPOUND_HEAD)))
		;
	return pfn - p;
}

static int smaps_line_is_header(const char *l, unsigned long *s, unsigned long *e)
{
	return sscanf(l, "%lx-%lx ", s, e) == 2;
}

/* Print "<rel start>-<rel end> <perms> <name>" for a maps header line. */
static void print_header(const char *tag, const char *l, uintptr_t base)
{
	unsigned long s, e, off;
	char perms[8], dev[16], name[256] = "";
	unsigned long ino;

	if (sscanf(l, "%lx-%lx %7s %lx %15s %lu %255[^\n]", &s, &e, perms, &off, dev, &ino, name) < 6)
		return;
	out("%s +%#lx-+%#lx %s %s\n", tag, s - base, e - base, perms, name);
}

static void report_smaps(struct ctx *c)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char l[512];
	unsigned long s, e;
	int in = 0;

	if (!f)
		fail("smaps");
	while (fgets(l, sizeof(l), f)) {
		if (smaps_line_is_header(l, &s, &e)) {
			in = s < (uintptr_t)c->base + c->len && e > (uintptr_t)c->base;
			if (in)
				print_header("smaps", l, (uintptr_t)c->base);
			continue;
		}
		if (in)
			out("  %s", l);
	}
	fclose(f);
}

#define MAX_FIELDS 48
struct fields {
	int n;
	char name[MAX_FIELDS][32];
	long kb[MAX_FIELDS];
};

static int field_idx(struct fields *f, const char *name)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name))
			return i;
	if (f->n == MAX_FIELDS)
		return -1;
	snprintf(f->name[f->n], sizeof(f->name[0]), "%s", name);
	f->kb[f->n] = 0;
	return f->n++;
}

enum which_vmas { ALL_VMAS, OTHER_VMAS, CASE_VMAS };

/* Add up the "Name: N kB" lines of @path, over the VMAs @which selects; returns their count. */
static int read_fields(const char *path, struct ctx *c, enum which_vmas which, struct fields *f)
{
	FILE *fp = fopen(path, "r");
	char l[512], name[32];
	unsigned long s, e;
	long kb;
	int skip = 0, i, nvma = 0;

	if (!fp)
		fail(path);
	f->n = 0;
	while (fgets(l, sizeof(l), fp)) {
		if (smaps_line_is_header(l, &s, &e)) {
			int in = s < (uintptr_t)c->base + c->len && e > (uintptr_t)c->base;

			skip = which == OTHER_VMAS ? in : which == CASE_VMAS ? !in : 0;
			nvma += !skip;
			continue;
		}
		if (skip || sscanf(l, "%31[^:]: %ld kB", name, &kb) != 2)
			continue;
		i = field_idx(f, name);
		if (i >= 0)
			f->kb[i] += kb;
	}
	fclose(fp);
	return nvma;
}

static long field_kb(struct fields *f, const char *name, int *found)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->name[i], name)) {
			*found = 1;
			return f->kb[i];
		}
	*found = 0;
	return 0;
}

/*
 * smaps_rollup covers the whole process, whose other mappings (the program, libc, the stack)
 * hold page-cache pages shared with other processes. Print the case's share of it: the rollup
 * less the smaps of every VMA outside the case, for the fields smaps has too, read until two
 * rollups around the smaps reads agree. Proportional fields (Pss*, SwapPss) are truncated to
 * kB per VMA, so for them print whether the share matches the case's own smaps within that
 * rounding (one kB per VMA), and the numbers when it does not.
 */
static void report_rollup(struct ctx *c)
{
	struct fields a, b, other, own;
	int i, try, n_other = 0, found, found_own;

	for (try = 0; try < 10; try++) {
		read_fields("/proc/self/smaps_rollup", c, ALL_VMAS, &a);
		n_other = read_fields("/proc/self/smaps", c, OTHER_VMAS, &other);
		read_fields("/proc/self/smaps", c, CASE_VMAS, &own);
		read_fields("/proc/self/smaps_rollup", c, ALL_VMAS, &b);
		if (a.n == b.n && !memcmp(a.kb, b.kb, a.n * sizeof(a.kb[0])))
			break;
	}
	out("rollup (smaps_rollup less the other VMAs)%s\n", try == 10 ? " unstable" : "");
	for (i = 0; i < a.n; i++) {
		long share = a.kb[i] - field_kb(&other, a.name[i], &found);
		long mine = field_kb(&own, a.name[i], &found_own);

		if (!found)
			continue;
		if (!strstr(a.name[i], "Pss"))
			out("  %s: %ld kB\n", a.name[i], share);
		else if (found_own && share >= mine && share <= mine + n_other + 1)
			out("  %s: matches smaps\n", a.name[i]);
		else
			out("  %s: %ld kB, smaps of the case: %ld kB\n", a.name[i], share, mine);
	}
}

static void report_numa_maps(struct ctx *c, const char *tag)
{
	FILE *f = fopen("/proc/self/numa_maps", "r");
	char l[1024];
	unsigned long a;
	int n;

	if (!f)
		fail("numa_maps");
	while (fgets(l, sizeof(l), f)) {
		if (sscanf(l, "%lx %n", &a, &n) < 1)
			continue;
		if (a >= (uintptr_t)c->base && a < (uintptr_t)c->base + c->len)
			out("%s +%#lx %s", tag, a - (uintptr_t)c->base, l + n);
	}
	fclose(f);
}

struct pm_state {
	uint64_t flags;		/* the PM_* bits other than the frame */
	long foff;		/* folio offset of a present page, -1: zero page, -2: none */
	uint64_t pfn;
	int hwpoison;		/* of a present page, from /proc/kpageflags */
};

static void pm_flags_str(uint64_t e, char *buf)
{
	buf[0] = 0;
	if (e & PM_PRESENT)
		strcat(buf, " present");
	if (e & PM_SWAP)
		strcat(buf, " swap");
	if (e & PM_FILE)
		strcat(buf, " file");
	if (e & PM_MMAP_EXCLUSIVE)
		strcat(buf, " excl");
	if (e & PM_SOFT_DIRTY)
		strcat(buf, " soft-dirty");
	if (e & PM_UFFD_WP)
		strcat(buf, " uffd-wp");
	if (e & PM_GUARD)
		strcat(buf, " guard");
	if (!buf[0])
		strcpy(buf, " none");
}

static void print_pm_run(size_t from, size_t to, struct pm_state *st)
{
	char fl[96];

	pm_flags_str(st->flags, fl);
	out("pagemap +%#zx-+%#zx%s", from * psize, to * psize, fl);
	if (st->flags & PM_PRESENT) {
		if (st->foff == FOLIO_ZERO)
			out(" zero-page");
		else if (st->foff == FOLIO_SMALL)
			out(" small-folios");
		else
			out(" folio+%ld", st->foff);
		if (st->hwpoison)
			out(" hwpoison");
	}
	out("\n");
}

/* Does page @i (state @st) continue the run that started at @from in state @cur? */
static int pm_continues(struct pm_state *cur, size_t from, size_t i, struct pm_state *st)
{
	if (st->flags != cur->flags)
		return 0;
	if (!(st->flags & PM_PRESENT))
		return 1;
	if (st->hwpoison != cur->hwpoison)
		return 0;
	if (st->foff == FOLIO_SMALL || st->foff == FOLIO_ZERO)
		return st->foff == cur->foff;
	/* a large folio: the next page of the same one */
	return cur->foff >= 0 && st->pfn == cur->pfn + (i - from) && st->foff == cur->foff + (long)(i - from);
}

/* The pagemap of the range, a line per run of pages with the same flags in the same folio
 * (or each in an order-0 folio of its own). */
static void report_pagemap(struct ctx *c)
{
	size_t n = c->len / psize, i, from = 0;
	uint64_t *pm = malloc(n * sizeof(*pm));
	int fd = open("/proc/self/pagemap", O_RDONLY);
	struct pm_state cur = { 0 }, st;

	if (!pm || fd < 0)
		fail("pagemap");
	if (pread(fd, pm, n * sizeof(*pm), (uintptr_t)c->base / psize * sizeof(*pm)) !=
	    (ssize_t)(n * sizeof(*pm)))
		fail("pagemap read");
	close(fd);
	for (i = 0; i < n; i++) {
		st.flags = pm[i] & ~PM_PFN_MASK;
		st.pfn = pm[i] & PM_PFN_MASK;
		st.foff = FOLIO_NONE;
		st.hwpoison = 0;
		if (st.flags & PM_PRESENT) {
			uint64_t f = kpageflags(st.pfn);

			st.hwpoison = !!(f & (1ULL << KPF_HWPOISON));

			/* the next tail page of the current large folio: no walk back to its head */
			if (i > from && cur.foff >= 0 && st.pfn == cur.pfn + (i - from) &&
			    (f & (1ULL << KPF_COMPOUND_TAIL)))
				st.foff = cur.foff + (i - from);
			else
				st.foff = folio_offset(st.pfn);
		}
		if (i > from && pm_continues(&cur, from, i, &st))
			continue;
		if (i > from)
			print_pm_run(from, i, &cur);
		cur = st;
		from = i;
	}
	if (n)
		print_pm_run(from, n, &cur);
	free(pm);
}

/* PAGEMAP_SCAN with @a, on /proc/self/pagemap: what the ioctl returns. */
static long scan_ioctl(struct pm_scan_arg *a)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	long r;

	if (fd < 0)
		fail("pagemap");
	r = ioctl(fd, PAGEMAP_SCAN, a);
	close(fd);
	return r;
}

static long pagemap_scan(struct ctx *c, uint64_t flags, uint64_t mask, struct page_region *v,
			 size_t nv, uint64_t *walk_end)
{
	struct pm_scan_arg a = {
		.size = sizeof(a), .flags = flags,
		.start = (uintptr_t)c->base, .end = (uintptr_t)c->base + c->len,
		.vec = (uintptr_t)v, .vec_len = nv,
		.category_mask = mask, .return_mask = ALL_SCAN_CATS,
	};
	long r = scan_ioctl(&a);

	if (walk_end)
		*walk_end = a.walk_end;
	return r;
}

static void print_regions(const char *tag, struct ctx *c, long r, struct page_region *v)
{
	long i;
	size_t k;

	if (r < 0) {
		out("%s: error %s\n", tag, strerror(errno));
		return;
	}
	out("%s: %ld region%s\n", tag, r, r == 1 ? "" : "s");
	for (i = 0; i < r; i++) {
		out("  +%#lx-+%#lx", (unsigned long)(v[i].start - (uintptr_t)c->base),
		    (unsigned long)(v[i].end - (uintptr_t)c->base));
		for (k = 0; k < NR_SCAN_CATS; k++)
			if (v[i].categories & (1ULL << k))
				out(" %s", scan_cats[k]);
		out("\n");
	}
}

/* PAGEMAP_SCAN of the whole range, then with each category as the only required one. */
static void report_scan(struct ctx *c)
{
	struct page_region v[256];
	char tag[64];
	size_t k;

	print_regions("scan all", c, pagemap_scan(c, 0, 0, v, 256, NULL), v);
	for (k = 0; k < NR_SCAN_CATS; k++) {
		snprintf(tag, sizeof(tag), "scan %s", scan_cats[k]);
		print_regions(tag, c, pagemap_scan(c, 0, 1ULL << k, v, 256, NULL), v);
	}
}

static void report_mincore(struct ctx *c)
{
	size_t n = c->len / psize, i, from = 0;
	unsigned char *v = malloc(n);

	if (!v)
		fail("malloc");
	if (mincore(c->base, c->len, v)) {
		out("mincore: error %s\n", strerror(errno));
		free(v);
		return;
	}
	for (i = 1; i <= n; i++) {
		if (i < n && (v[i] & 1) == (v[from] & 1))
			continue;
		out("mincore +%#zx-+%#zx %d\n", from * psize, i * psize, v[from] & 1);
		from = i;
	}
	free(v);
}

/* mbind(MPOL_BIND, node 1, MPOL_MF_MOVE), then migrate_pages() of the process from 1 to 0. */
static void report_migration(struct ctx *c)
{
	unsigned long n0 = 1, n1 = 2;
	long r;

	if (c->no_move) {
		out("mbind/migrate_pages: not run on this case\n");
		return;
	}
	r = syscall(SYS_mbind, c->base, c->len, MPOL_BIND_, &n1, 8 * sizeof(long), MPOL_MF_MOVE_);
	out("mbind MPOL_BIND N1 MPOL_MF_MOVE: %ld%s%s\n", r, r ? " " : "", r ? strerror(errno) : "");
	report_numa_maps(c, "  numa_maps");
	r = syscall(SYS_migrate_pages, 0, 8 * sizeof(long), &n1, &n0);
	out("migrate_pages N1 -> N0: %ld%s%s\n", r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
	report_numa_maps(c, "  numa_maps");
}

static void report(struct ctx *c, const char *stage)
{
	if (stage)
		out("-- %s\n", stage);
	report_smaps(c);
	report_numa_maps(c, "numa_maps");
	report_pagemap(c);
	report_scan(c);
	report_mincore(c);
}

/* ---- the cases -------------------------------------------------------------------------- */

/* @npages of small anonymous folios (no THP), the first @ntouch of them written. */
static void map_small(struct ctx *c, size_t npages, size_t ntouch)
{
	c->len = npages * psize;
	c->base = map_anon(c->len, 0);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	touch(c->base, ntouch * psize, psize);
}

static void case_anon_4k(struct ctx *c)
{
	map_small(c, 16, 8);
	c->base[12 * psize] = c->base[13 * psize];	/* read fault: the zero page */
}

static void case_anon_thp(struct ctx *c)
{
	c->len = 2 * SZ_2M;
	c->base = map_anon(c->len, SZ_2M);
	madvise(c->base, c->len, MADV_HUGEPAGE);
	touch(c->base, SZ_2M, psize);			/* one PMD THP, one PMD not faulted */
}

/* 512K with 64K mTHP enabled while the first @nr_folios folios are faulted. */
static void map_mthp_64k(struct ctx *c, int nr_folios)
{
	const char *d = "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled";

	sysfs_write(d, "always");
	c->len = 8 * SZ_64K;
	c->base = map_anon(c->len, SZ_64K);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	madvise(c->base, c->len, MADV_HUGEPAGE);
	touch(c->base, nr_folios * SZ_64K, psize);
	sysfs_write(d, "never");
}

static void case_anon_mthp(struct ctx *c)
{
	map_mthp_64k(c, 5);
}

static void case_shmem(struct ctx *c)
{
	c->len = 16 * psize;
	c->base = map_aligned(c->len, 0, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	touch(c->base, 8 * psize, psize);
}

static void case_tmpfs_file(struct ctx *c)
{
	int fd;

	/* A new inode: a tmpfs file keeps the shared policy an earlier run's mbind() gave it. */
	unlink("/tmp/ptw-oracle-file");
	fd = open("/tmp/ptw-oracle-file", O_RDWR | O_CREAT | O_EXCL, 0600);

	if (fd < 0 || ftruncate(fd, 16 * psize))
		fail("tmpfs file");
	c->len = 16 * psize;
	c->base = map_aligned(c->len, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	touch(c->base, 4 * psize, psize);
	c->base[8 * psize] = c->base[9 * psize];	/* read faults: page cache, mapped */
	close(fd);
}

static void hugetlb_case(struct ctx *c, size_t hsize, int shared, int npages, int ntouch)
{
	c->len = npages * hsize;
	c->base = map_huge(c->len, hsize, shared);
	touch(c->base, ntouch * hsize, hsize);
}

static void case_htlb_2m_private_full(struct ctx *c) { hugetlb_case(c, SZ_2M, 0, 2, 2); }
static void case_htlb_2m_private_part(struct ctx *c) { hugetlb_case(c, SZ_2M, 0, 3, 1); }
static void case_htlb_2m_private_none(struct ctx *c) { hugetlb_case(c, SZ_2M, 0, 2, 0); }
static void case_htlb_2m_shared_full(struct ctx *c) { hugetlb_case(c, SZ_2M, 1, 2, 2); }
static void case_htlb_2m_shared_part(struct ctx *c) { hugetlb_case(c, SZ_2M, 1, 3, 1); }
static void case_htlb_2m_shared_none(struct ctx *c) { hugetlb_case(c, SZ_2M, 1, 2, 0); }
static void case_htlb_1g_private_full(struct ctx *c) { hugetlb_case(c, SZ_1G, 0, 1, 1); }
static void case_htlb_1g_private_part(struct ctx *c) { hugetlb_case(c, SZ_1G, 0, 2, 1); }
static void case_htlb_1g_private_none(struct ctx *c) { hugetlb_case(c, SZ_1G, 0, 1, 0); }
static void case_htlb_1g_shared_full(struct ctx *c) { hugetlb_case(c, SZ_1G, 1, 1, 1); }
static void case_htlb_1g_shared_part(struct ctx *c) { hugetlb_case(c, SZ_1G, 1, 2, 1); }
static void case_htlb_1g_shared_none(struct ctx *c) { hugetlb_case(c, SZ_1G, 1, 1, 0); }

/*
 * Fork: the child reports while it shares the case's pages, then after it wrote one byte at
 * @cow (a COW of @what), and exits; the case goes on in the parent.
 */
static void fork_cow(struct ctx *c, size_t cow, const char *what)
{
	pid_t pid;
	int st;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		report(c, "child, after fork");
		c->base[cow] = 2;
		out("-- child, after COW of %s\n", what);
		report(c, NULL);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	out("-- parent, after the child exited\n");
}

/* Private hugetlb after fork. */
static void case_htlb_2m_fork(struct ctx *c)
{
	hugetlb_case(c, SZ_2M, 0, 2, 2);
	fork_cow(c, 0, "the first huge page");
}

/* Small anonymous pages after fork: PSS halves, then a page is the child's own. */
static void case_anon_4k_fork(struct ctx *c)
{
	case_anon_4k(c);
	fork_cow(c, psize, "page 1");
}

/*
 * 64K anonymous folios after fork: mapped by two processes, then one page of one folio
 * copied, which leaves that folio's pages with different mapcounts.
 */
static void case_anon_mthp_fork(struct ctx *c)
{
	case_anon_mthp(c);
	fork_cow(c, SZ_64K + 3 * psize, "page 3 of the second 64K folio");
}

/*
 * A private writable mapping of a shmem object with swapped-out pages: smaps counts them as
 * Swap where nothing is mapped, found in the object's page cache.
 */
static void case_shmem_private_swapped(struct ctx *c)
{
	int fd = memfd_create("ptw-oracle", 0);
	char *shared;

	c->len = 16 * psize;
	if (fd < 0 || ftruncate(fd, c->len))
		fail("memfd");
	shared = map_aligned(c->len, 0, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	touch(shared, c->len, psize);
	if (madvise(shared + 8 * psize, 6 * psize, MADV_PAGEOUT))
		fail("MADV_PAGEOUT");
	munmap(shared, c->len);
	c->base = map_aligned(c->len, 0, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd);
	close(fd);
	c->base[0] = 1;					/* COW: an anonymous page */
	c->base[psize] = c->base[2 * psize];		/* read faults: page cache, mapped */
	c->base[10 * psize] = 3;			/* COW of a swapped-out page */
}

static void case_swap(struct ctx *c)
{
	map_small(c, 16, 12);
	if (madvise(c->base + 4 * psize, 8 * psize, MADV_PAGEOUT))
		fail("MADV_PAGEOUT");
}

static void case_soft_dirty(struct ctx *c)
{
	map_small(c, 16, 8);
	sysfs_write("/proc/self/clear_refs", "4");
	touch(c->base + 2 * psize, 2 * psize, psize);	/* dirty again: pages 2 and 3 */
	touch(c->base + 12 * psize, psize, psize);	/* a new page after the clear */
}

static int uffd_register(struct ctx *c, int writeprotect)
{
	struct uffdio_api api = { .api = UFFD_API, .features = UFFD_FEATURE_WP_UNPOPULATED |
				  UFFD_FEATURE_WP_HUGETLBFS_SHMEM | UFFD_FEATURE_WP_ASYNC };
	struct uffdio_register reg = { .range = { (uintptr_t)c->base, c->len },
				       .mode = UFFDIO_REGISTER_MODE_WP };
	struct uffdio_writeprotect wp = { .range = { (uintptr_t)c->base, c->len },
					  .mode = UFFDIO_WRITEPROTECT_MODE_WP };
	int fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0 || ioctl(fd, UFFDIO_API, &api) || ioctl(fd, UFFDIO_REGISTER, &reg) ||
	    (writeprotect && ioctl(fd, UFFDIO_WRITEPROTECT, &wp)))
		fail("userfaultfd write-protect");
	return fd;
}

static int uffd_wp_register(struct ctx *c)
{
	return uffd_register(c, 1);
}

/*
 * PAGEMAP_SCAN of [from, to) of the case's range, with @flags, @nv regions of output (none if
 * 0), @max_pages and the required @mask; prints what it returns, its regions and walk_end.
 */
static void scan_try(struct ctx *c, const char *tag, uint64_t flags, size_t from, size_t to,
		     size_t nv, uint64_t max_pages, uint64_t mask)
{
	struct page_region v[64];
	struct pm_scan_arg a = {
		.size = sizeof(a), .flags = flags,
		.start = (uintptr_t)c->base + from, .end = (uintptr_t)c->base + to,
		.vec = nv ? (uintptr_t)v : 0, .vec_len = nv, .max_pages = max_pages,
		.category_mask = mask, .return_mask = ALL_SCAN_CATS,
	};
	long r = scan_ioctl(&a);

	print_regions(tag, c, r, v);
	if (r >= 0)
		out("  walk_end +%#lx\n", (unsigned long)(a.walk_end - (uintptr_t)c->base));
}

#define WP_SCAN (PM_SCAN_WP_MATCHING_ | PM_SCAN_CHECK_WPASYNC_)
#define WRITTEN (1ULL << 1)

/* uffd-wp (async) on a range that is partly populated: markers on the rest. Then a write to
 * one unit, and PAGEMAP_SCAN with PM_SCAN_WP_MATCHING to protect it again. */
static void uffd_case(struct ctx *c, size_t unit)
{
	struct page_region v[64];
	uint64_t we;
	long r;

	touch(c->base, 2 * unit, unit);
	uffd_wp_register(c);
	report(c, "after UFFDIO_WRITEPROTECT");
	c->base[unit] = 3;
	touch(c->base + 3 * unit, unit, unit);
	report(c, "after writes to the second and fourth unit");
	r = pagemap_scan(c, PM_SCAN_WP_MATCHING_ | PM_SCAN_CHECK_WPASYNC_, 1 << 1, v, 64, &we);
	print_regions("scan WRITTEN with PM_SCAN_WP_MATCHING", c, r, v);
	out("  walk_end +%#lx\n", (unsigned long)(we - (uintptr_t)c->base));
	out("-- after PM_SCAN_WP_MATCHING\n");
}

static void case_uffd_wp_anon(struct ctx *c)
{
	c->len = 8 * psize;
	c->base = map_anon(c->len, 0);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	uffd_case(c, psize);
}

static void case_uffd_wp_shmem(struct ctx *c)
{
	c->len = 8 * psize;
	c->base = map_aligned(c->len, 0, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1);
	uffd_case(c, psize);
}

static void case_uffd_wp_hugetlb(struct ctx *c)
{
	c->len = 6 * SZ_2M;
	c->base = map_huge(c->len, SZ_2M, 0);
	uffd_case(c, SZ_2M);
}

/*
 * Two PMD THPs under uffd-wp (async), written and not protected, then PM_SCAN_WP_MATCHING on
 * part of the first: it is split and only that part protected; then on all of the second.
 */
static void case_uffd_wp_thp(struct ctx *c)
{
	c->len = 2 * SZ_2M;
	c->base = map_anon(c->len, SZ_2M);
	madvise(c->base, c->len, MADV_HUGEPAGE);
	touch(c->base, c->len, psize);
	uffd_register(c, 0);
	scan_try(c, "scan WRITTEN WP of +64K-+1M", WP_SCAN, SZ_64K, SZ_2M / 2, 64, 0, WRITTEN);
	scan_try(c, "scan WRITTEN WP of +2M-+4M", WP_SCAN, SZ_2M, 2 * SZ_2M, 64, 0, WRITTEN);
	scan_try(c, "scan WRITTEN", 0, 0, c->len, 64, 0, WRITTEN);
	out("-- after PM_SCAN_WP_MATCHING\n");
}

/* 64K mTHPs written after write-protection; protected again up to max_pages, mid-folio. */
static void case_uffd_wp_mthp(struct ctx *c)
{
	map_mthp_64k(c, 6);
	uffd_wp_register(c);
	touch(c->base + SZ_64K, 3 * SZ_64K, psize);
	scan_try(c, "scan WRITTEN WP, max_pages 20", WP_SCAN, 0, c->len, 64, 20, WRITTEN);
	scan_try(c, "scan WRITTEN, 1 region", 0, 0, c->len, 1, 0, WRITTEN);
	scan_try(c, "scan all, 2 regions", 0, 0, c->len, 2, 0, 0);
	scan_try(c, "scan all, max_pages 1", 0, c->len - SZ_64K, c->len, 64, 1, 0);
	out("-- after PM_SCAN_WP_MATCHING\n");
}

/*
 * 2M HugeTLB pages written after write-protection, then PM_SCAN_WP_MATCHING on ranges that
 * start or end inside one: it cannot be protected in part.
 */
static void case_uffd_wp_hugetlb_part(struct ctx *c)
{
	c->len = 3 * SZ_2M;
	c->base = map_huge(c->len, SZ_2M, 0);
	touch(c->base, c->len, SZ_2M);
	uffd_wp_register(c);
	touch(c->base, c->len, SZ_2M);
	scan_try(c, "scan WRITTEN WP of +4K-+6M", WP_SCAN, psize, c->len, 64, 0, WRITTEN);
	scan_try(c, "scan WRITTEN WP of +0-+4M+4K", WP_SCAN, 0, 2 * SZ_2M + psize, 64, 0, WRITTEN);
	scan_try(c, "scan WRITTEN WP, max_pages 600", WP_SCAN, 0, c->len, 64, 600, WRITTEN);
	out("-- after PM_SCAN_WP_MATCHING\n");
}

/*
 * uffd-wp (async) registered but nothing protected: PM_SCAN_WP_MATCHING protects what is
 * written, holes included, with and without an output buffer.
 */
static void unpopulated_case(struct ctx *c, size_t unit)
{
	uffd_register(c, 0);
	touch(c->base + unit, unit, unit < SZ_2M ? (size_t)psize : unit);
	scan_try(c, "scan WRITTEN WP of the first half", WP_SCAN, 0, c->len / 2, 64, 0, WRITTEN);
	scan_try(c, "scan WP of the rest, no output", WP_SCAN, c->len / 2, c->len, 0, 0, 0);
	scan_try(c, "scan WRITTEN", 0, 0, c->len, 64, 0, WRITTEN);
	out("-- after PM_SCAN_WP_MATCHING\n");
}

static void case_uffd_unpop_anon(struct ctx *c)
{
	c->len = 2 * SZ_2M;
	c->base = map_anon(c->len, SZ_2M);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	unpopulated_case(c, 16 * psize);
}

static void case_uffd_unpop_thp(struct ctx *c)
{
	c->len = 4 * SZ_2M;
	c->base = map_anon(c->len, SZ_2M);
	madvise(c->base, c->len, MADV_HUGEPAGE);
	unpopulated_case(c, SZ_2M);
}

/* 2M HugeTLB alone in its 1G of address space. */
static void case_uffd_unpop_hugetlb(struct ctx *c)
{
	c->len = 4 * SZ_2M;
	c->base = map_aligned(c->len, SZ_1G, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS |
			      MAP_HUGETLB | MAP_HUGE_2MB | MAP_NORESERVE, -1);
	unpopulated_case(c, SZ_2M);
}

/*
 * 2M HugeTLB at 32T, where no page table is: PM_SCAN_WP_MATCHING of all of it before anything
 * is written (the first huge page gets a marker, and a page table that the rest is then read
 * in), then writes to the first and third huge page.
 */
static void case_uffd_notable_hugetlb(struct ctx *c)
{
	c->len = 4 * SZ_2M;
	c->base = mmap((void *)(1UL << 45), c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		       MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB | MAP_NORESERVE |
		       MAP_FIXED_NOREPLACE, -1, 0);
	if (c->base != (void *)(1UL << 45))
		fail("mmap at 32T");
	uffd_register(c, 0);
	scan_try(c, "scan all WP", WP_SCAN, 0, c->len, 64, 0, 0);
	report(c, "after PM_SCAN_WP_MATCHING");
	c->base[0] = 1;
	c->base[2 * SZ_2M] = 1;
	scan_try(c, "scan WRITTEN WP", WP_SCAN, 0, c->len, 64, 0, WRITTEN);
	out("-- after writes and PM_SCAN_WP_MATCHING\n");
}

static void case_uffd_unpop_hugetlb_1g(struct ctx *c)
{
	c->len = 2 * SZ_1G;
	c->base = map_huge(c->len, SZ_1G, 0);
	unpopulated_case(c, SZ_1G);
}

/* The ioctl's argument checks: each bad argument gets the errno it got before. */
static void case_pagemap_scan_args(struct ctx *c)
{
	struct page_region v[4];
	struct pm_scan_arg good = {
		.size = sizeof(good), .vec_len = 4, .return_mask = ALL_SCAN_CATS,
	}, a;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	c->len = 16 * psize;
	c->base = map_anon(c->len, 0);
	touch(c->base, 4 * psize, psize);
	if (fd < 0)
		fail("pagemap");
	good.start = (uintptr_t)c->base;
	good.end = (uintptr_t)c->base + c->len;
	good.vec = (uintptr_t)v;
#define SCAN_BAD(what, change) do { \
		long r; \
		a = good; \
		change; \
		r = ioctl(fd, PAGEMAP_SCAN, &a); \
		out("scan with %s: %ld %s\n", what, r, r < 0 ? strerror(errno) : ""); \
	} while (0)
	SCAN_BAD("nothing wrong", (void)0);
	SCAN_BAD("a short size", a.size -= 8);
	SCAN_BAD("an unknown flag", a.flags = 1 << 2);
	SCAN_BAD("an unknown category", a.category_mask = 1ULL << 20);
	SCAN_BAD("an unknown return category", a.return_mask = 1ULL << 12);
	SCAN_BAD("an unaligned start", a.start += 1);
	SCAN_BAD("an unaligned end", a.end -= 1);
	SCAN_BAD("start == end", a.end = a.start);
	SCAN_BAD("end before start", a.end = a.start - psize);
	SCAN_BAD("no vec but a vec_len", a.vec = 0);
	SCAN_BAD("a vec in kernel space", a.vec = 0xffff888000000000ULL);
	SCAN_BAD("an end in kernel space", a.end = 0xffff888000000000ULL);
	SCAN_BAD("WP without wp-async", a.flags = WP_SCAN);
	SCAN_BAD("WP_MATCHING alone", a.flags = PM_SCAN_WP_MATCHING_);
#undef SCAN_BAD
	close(fd);
}

static void case_numa(struct ctx *c)
{
	unsigned long n1 = 2;

	c->len = 16 * psize;
	c->base = map_anon(c->len, 0);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	if (syscall(SYS_mbind, c->base + 8 * psize, 8 * psize, MPOL_BIND_, &n1, 8 * sizeof(long), 0))
		fail("mbind");
	touch(c->base, c->len, psize);
}

static void case_prot_none(struct ctx *c)
{
	c->len = 8 * psize;
	c->base = map_anon(c->len, 0);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	touch(c->base, 4 * psize, psize);
	if (mprotect(c->base, c->len, PROT_NONE))
		fail("mprotect");
}

static void case_htlb_prot_none(struct ctx *c)
{
	hugetlb_case(c, SZ_2M, 0, 2, 1);
	if (mprotect(c->base, c->len, PROT_NONE))
		fail("mprotect");
}

/* process_vm_readv() of the case's first byte: bytes read and the byte, or the errno. */
static void gup_read(struct ctx *c, const char *what)
{
	char buf = 0;
	struct iovec local = { &buf, 1 }, remote = { c->base, 1 };
	ssize_t r = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);

	if (r < 0)
		out("process_vm_readv %s: %s\n", what, strerror(errno));
	else
		out("process_vm_readv %s: %zd byte(s), %#x\n", what, r, (unsigned char)buf);
}

/*
 * GUP of a HugeTLB page that is not accessible. Read-write protected with async uffd RWP, the
 * page is a PROT_NONE entry in an accessible VMA: GUP must fault on it, as an access does,
 * which resolves the protection (PAGEMAP_SCAN then says ACCESSED), and must not follow it
 * unfaulted. Then the mapping is made PROT_NONE: process_vm_readv() fails. Both as for a 2M
 * page, whose PMD GUP reads with pmd_protnone() checks: the 1G page is a PUD, which x86 reads
 * as present when PROT_NONE with this series.
 */
static void gup_protnone_case(struct ctx *c, size_t hsize)
{
	struct uffdio_api api = { .api = UFFD_API,
				  .features = UFFD_FEATURE_RWP | UFFD_FEATURE_RWP_ASYNC };
	int fd;

	hugetlb_case(c, hsize, 0, 1, 1);
	c->no_move = 1;
	fd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || ioctl(fd, UFFDIO_API, &api)) {
		out("no userfaultfd RWP: %s\n", strerror(errno));
	} else {
		struct uffdio_register reg = {
			.range = { (uintptr_t)c->base, c->len }, .mode = UFFDIO_REGISTER_MODE_RWP };
		struct uffdio_rwprotect rwp = {
			.range = { (uintptr_t)c->base, c->len }, .mode = UFFDIO_RWPROTECT_MODE_RWP };

		if (ioctl(fd, UFFDIO_REGISTER, &reg) || ioctl(fd, UFFDIO_RWPROTECT, &rwp))
			fail("userfaultfd RWP");
		scan_try(c, "scan ACCESSED, RW-protected", 0, 0, c->len, 4, 0, 1ULL << 9);
		gup_read(c, "of the RW-protected page");
		scan_try(c, "scan ACCESSED, after process_vm_readv", 0, 0, c->len, 4, 0, 1ULL << 9);
		close(fd);
	}
	if (mprotect(c->base, c->len, PROT_NONE))
		fail("mprotect");
	gup_read(c, "of the PROT_NONE mapping");
}

static void case_gup_protnone_2m(struct ctx *c) { gup_protnone_case(c, SZ_2M); }
static void case_gup_protnone_1g(struct ctx *c) { gup_protnone_case(c, SZ_1G); }

static void case_mlock(struct ctx *c)
{
	map_small(c, 8, 0);
	if (mlock(c->base, 4 * psize))
		fail("mlock");
}

/* A PMD THP mlocked, and 64K mTHPs of which the first three are mlocked. */
static void case_mlock_thp(struct ctx *c)
{
	case_anon_thp(c);
	if (mlock(c->base, SZ_2M))
		fail("mlock");
}

static void case_mlock_mthp(struct ctx *c)
{
	map_mthp_64k(c, 5);
	if (mlock(c->base, 3 * SZ_64K))
		fail("mlock");
}

/* Pages given back with MADV_FREE: LazyFree until memory runs short, which it does not. */
static void case_madv_free(struct ctx *c)
{
	map_small(c, 16, 12);
	if (madvise(c->base + 4 * psize, 6 * psize, MADV_FREE))
		fail("MADV_FREE");
}

/* Guard regions (MADV_GUARD_INSTALL) over faulted and unfaulted pages. */
#ifndef MADV_GUARD_INSTALL
#define MADV_GUARD_INSTALL 102
#endif
static void case_guard(struct ctx *c)
{
	map_small(c, 16, 8);
	if (madvise(c->base + 2 * psize, 3 * psize, MADV_GUARD_INSTALL) ||
	    madvise(c->base + 10 * psize, 2 * psize, MADV_GUARD_INSTALL))
		fail("MADV_GUARD_INSTALL");
}

/* Soft-dirty cleared, then one page written again: in a PMD THP, and in one 64K mTHP. */
static void case_thp_soft_dirty(struct ctx *c)
{
	case_anon_thp(c);
	sysfs_write("/proc/self/clear_refs", "4");
	c->base[5 * psize] = 2;
}

static void case_mthp_soft_dirty(struct ctx *c)
{
	map_mthp_64k(c, 4);
	sysfs_write("/proc/self/clear_refs", "4");
	c->base[SZ_64K + 3 * psize] = 2;	/* one page of the second folio */
}

/*
 * 64K mTHPs moved by mremap() to an address 32K off a 64K boundary, with a 2M boundary in
 * the middle of the third folio: each folio is mapped by PTEs of two 64K ranges, and the third
 * by PTEs of two page tables.
 */
static void case_mthp_mremap(struct ctx *c)
{
	char *area = map_anon(2 * SZ_2M, SZ_2M);
	char *to = area + SZ_2M - 2 * SZ_64K - SZ_64K / 2;

	map_mthp_64k(c, 5);
	c->base = mremap(c->base, c->len, c->len, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	if (c->base != to)
		fail("mremap");
}

static void case_htlb_mremap(struct ctx *c)
{
	char *p;

	hugetlb_case(c, SZ_2M, 0, 2, 2);
	p = mremap(c->base, c->len, c->len, MREMAP_MAYMOVE | MREMAP_FIXED,
		   map_huge(c->len, SZ_2M, 0));
	if (p == MAP_FAILED)
		fail("mremap");
	c->base = p;
}

/*
 * The PMD table of a shared HugeTLB mapping shared by two processes: 1 GiB of 2M pages
 * (MAP_NORESERVE: only the pages touched are allocated) at a 1 GiB boundary, so that the
 * child's faults find the parent's PMD table through the file and share it. The child
 * reports while it shares the table, having faulted two more pages through it.
 */
static void case_htlb_pmd_share(struct ctx *c)
{
	pid_t pid;
	int st;

	c->len = SZ_1G;
	c->base = map_aligned(c->len, SZ_1G, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_2MB |
			      MAP_NORESERVE, -1);
	touch(c->base, 4 * SZ_2M, SZ_2M);
	c->no_move = 1;		/* a page not faulted would be allocated by the move */
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		touch(c->base + 8 * SZ_2M, 2 * SZ_2M, SZ_2M);
		c->base[SZ_2M] = 3;
		report(c, "child, sharing the parent's PMD table");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	out("-- parent, after the child exited\n");
}

/* A 1G HugeTLB page made PROT_NONE (not moved: 1 GiB copied twice costs a minute). */
static void case_htlb_1g_prot_none(struct ctx *c)
{
	hugetlb_case(c, SZ_1G, 0, 1, 1);
	c->no_move = 1;
	if (mprotect(c->base, c->len, PROT_NONE))
		fail("mprotect");
}

/*
 * pagemap read without CAP_SYS_ADMIN: after setresuid() to nobody the PFN field of present
 * entries reads 0, and so does the swap type and offset of swapped-out ones. Printed here
 * as the raw frame field is zero or not, a run of pages per line; the reports that follow
 * are of the same unprivileged process (their folio offsets are then those of PFN 0).
 */
static void case_unpriv_pagemap(struct ctx *c)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t n = 16, i, from = 0;
	uint64_t pm[16], key, cur = 0;

	map_small(c, n, 12);
	c->base[14 * psize] = c->base[15 * psize];	/* the zero page */
	if (madvise(c->base + 4 * psize, 4 * psize, MADV_PAGEOUT))
		fail("MADV_PAGEOUT");
	if (fd < 0)
		fail("pagemap");
	close(fd);
	/* dumpable again, so that /proc/self is the process's own, not root's */
	if (setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534) ||
	    prctl(PR_SET_DUMPABLE, 1))
		fail("setresuid");
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pread(fd, pm, sizeof(pm), (uintptr_t)c->base / psize * 8) != sizeof(pm))
		fail("pagemap, unprivileged");
	close(fd);
	for (i = 0; i <= n; i++) {
		key = i < n ? (pm[i] & ~PM_PFN_MASK) | !!(pm[i] & PM_PFN_MASK) : ~0ULL;
		if (i && key == cur)
			continue;
		if (i) {
			char fl[96];

			pm_flags_str(cur & ~1ULL, fl);
			out("unprivileged pagemap +%#zx-+%#zx%s, frame %s\n", from * psize,
			    i * psize, fl, cur & 1 ? "shown" : "0");
		}
		cur = key;
		from = i;
	}
}

/*
 * KSM: 12 pages made mergeable, four with one content, four with another and four unique;
 * ksmd runs until the eight are merged into two KSM pages (or 60 s have gone by).
 */
static void case_ksm(struct ctx *c)
{
	int i, merged = -1;

	map_small(c, 16, 0);
	for (i = 0; i < 12; i++)
		memset(c->base + i * psize, i < 4 ? 'a' : i < 8 ? 'b' : 'c' + i, psize);
	if (madvise(c->base, 12 * psize, MADV_MERGEABLE))
		fail("MADV_MERGEABLE");
	sysfs_write("/sys/kernel/mm/ksm/sleep_millisecs", "0");
	sysfs_write("/sys/kernel/mm/ksm/pages_to_scan", "1000");
	sysfs_write("/sys/kernel/mm/ksm/run", "1");
	for (i = 0; i < 600 && merged != 8; i++) {
		FILE *f = fopen("/proc/self/ksm_stat", "r");
		char line[128];

		if (!f)
			fail("/proc/self/ksm_stat");
		while (fgets(line, sizeof(line), f))
			sscanf(line, "ksm_merging_pages %d", &merged);
		fclose(f);
		if (merged != 8)
			usleep(100000);
	}
	sysfs_write("/sys/kernel/mm/ksm/run", "0");
	out("ksm: %d pages merged\n", merged);
}

/* A VM_PFNMAP mapping: four pages of /dev/mem at the first System RAM below 1 MiB. */
static void case_pfnmap(struct ctx *c)
{
	int fd = open("/dev/mem", O_RDONLY);

	if (fd < 0)
		fail("/dev/mem");
	c->len = 4 * psize;
	c->base = mmap(NULL, c->len, PROT_READ, MAP_SHARED, fd, 0x1000);
	if (c->base == MAP_FAILED)
		fail("mmap /dev/mem");
	close(fd);
	out("pfnmap: first byte read\n");
	(void)*(volatile char *)c->base;
}

/*
 * A shmem PMD THP (ShmemPmdMapped): a 4M memfd, shmem THP on for it, the first 2M written, a
 * page of the second read.
 */
static void case_shmem_thp(struct ctx *c)
{
	const char *s = "/sys/kernel/mm/transparent_hugepage/shmem_enabled";
	int fd;

	sysfs_write(s, "always");
	fd = memfd_create("ptw-oracle-thp", 0);
	c->len = 2 * SZ_2M;
	if (fd < 0 || ftruncate(fd, c->len))
		fail("memfd");
	c->base = map_aligned(c->len, SZ_2M, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	touch(c->base, SZ_2M, psize);
	sysfs_write(s, "never");
	close(fd);
}

/*
 * A page-cache PMD THP (FilePmdMapped): a 4M file on ext4 (PTW_EXT4, set up by the oracle
 * job), its page cache dropped, mapped read-only with MADV_HUGEPAGE and read, so that
 * readahead brings in PMD-sized folios and the fault maps the first by its PMD.
 */
static void case_file_thp(struct ctx *c)
{
	const char *dir = getenv("PTW_EXT4");
	char path[256], buf[4096];
	int fd, i;

	if (!dir)
		fail("PTW_EXT4 not set");
	snprintf(path, sizeof(path), "%s/ptw-oracle-file", dir);
	unlink(path);
	fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		fail(path);
	memset(buf, 'f', sizeof(buf));
	c->len = 2 * SZ_2M;
	for (i = 0; i < (int)(c->len / sizeof(buf)); i++)
		if (write(fd, buf, sizeof(buf)) != sizeof(buf))
			fail("write");
	if (fsync(fd))
		fail("fsync");
	sysfs_write("/proc/sys/vm/drop_caches", "3");
	c->base = map_aligned(c->len, SZ_2M, PROT_READ, MAP_PRIVATE, fd);
	if (madvise(c->base, c->len, MADV_HUGEPAGE))
		fail("MADV_HUGEPAGE");
	(void)*(volatile char *)c->base;
	close(fd);
}

static sigjmp_buf bus_jmp;
static volatile int bus_lsb = -1;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	bus_lsb = si->si_addr_lsb;
	siglongjmp(bus_jmp, 1);
}

/* MADV_HWPOISON one page of the range, and an access to it; print what the process saw. */
static void poison(struct ctx *c, size_t off)
{
	struct sigaction sa = { .sa_sigaction = on_sigbus, .sa_flags = SA_SIGINFO };
	volatile char *p = c->base + off;
	long r;

	sigaction(SIGBUS, &sa, NULL);
	c->no_move = 1;
	bus_lsb = -1;
	if (!sigsetjmp(bus_jmp, 1)) {
		r = madvise(c->base + off, psize, MADV_HWPOISON);
		out("MADV_HWPOISON +%#zx: %ld%s%s, SIGBUS lsb %d\n", off, r, r ? " " : "",
		    r ? strerror(errno) : "", bus_lsb);
	} else {
		out("MADV_HWPOISON +%#zx: SIGBUS during the call, lsb %d\n", off, bus_lsb);
	}
	bus_lsb = -1;
	if (!sigsetjmp(bus_jmp, 1)) {
		(void)*p;
		out("access +%#zx: no signal\n", off);
	} else {
		out("access +%#zx: SIGBUS, lsb %d\n", off, bus_lsb);
	}
}

static void case_hwpoison_anon(struct ctx *c)
{
	c->len = 8 * psize;
	c->base = map_anon(c->len, 0);
	madvise(c->base, c->len, MADV_NOHUGEPAGE);
	touch(c->base, 4 * psize, psize);
	poison(c, 2 * psize);
}

static void case_hwpoison_thp(struct ctx *c)
{
	c->len = SZ_2M;
	c->base = map_anon(c->len, SZ_2M);
	madvise(c->base, c->len, MADV_HUGEPAGE);
	touch(c->base, c->len, psize);
	poison(c, 5 * psize);
}

static void case_hwpoison_hugetlb(struct ctx *c)
{
	hugetlb_case(c, SZ_2M, 0, 2, 2);
	poison(c, SZ_2M + 3 * psize);
}

struct oracle_case {
	const char *name;
	void (*setup)(struct ctx *c);
};

/* Hwpoison cases last: a poisoned page leaves its pool for the rest of the boot. */
/* The result of a pagemap read: bytes read, or the errno. */
static void pagemap_try(int fd, size_t len, off_t off, const char *what)
{
	uint64_t v[4];
	ssize_t r = pread(fd, v, len, off);

	out("pagemap read %s: %s\n", what, r < 0 ? strerror(errno) : r == 0 ? "0 bytes" :
	    r == (ssize_t)len ? "all bytes" : "some bytes");
}

/*
 * Holes inside and outside VMAs, and pagemap reads at odd places: 64 pages, of which pages
 * 8-15 are anonymous and touched, 16-31 are not mapped at all, the rest PROT_NONE. Reads at an
 * unaligned offset or length, of nothing, across and past the end of user space (wherever the
 * guest's paging mode puts it) and far past it give the same bytes or errno as before.
 */
static void case_pagemap_edges(struct ctx *c)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	off_t at;

	c->len = 64 * psize;
	c->base = map_aligned(c->len, 0, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	if (mmap(c->base + 8 * psize, 8 * psize, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED)
		fail("mmap fixed");
	touch(c->base + 8 * psize, 8 * psize, psize);
	munmap(c->base + 16 * psize, 16 * psize);
	c->no_move = 1;
	if (fd < 0)
		fail("pagemap");
	at = (uintptr_t)c->base / psize * 8;
	pagemap_try(fd, 8, at + 1, "at an unaligned offset");
	pagemap_try(fd, 7, at, "of an unaligned length");
	pagemap_try(fd, 0, at, "of 0 bytes");
	pagemap_try(fd, 16, at + 15 * 8, "across a VMA's end into a hole");
	/* 128 TiB ends user space with 4-level page tables, 64 PiB with 5 */
	pagemap_try(fd, 32, ((1ULL << 47) - 2 * psize) / psize * 8, "across 128 TiB");
	pagemap_try(fd, 8, (1ULL << 47) / psize * 8, "at 128 TiB");
	pagemap_try(fd, 32, ((1ULL << 56) - 2 * psize) / psize * 8, "across 64 PiB");
	pagemap_try(fd, 8, (1ULL << 56) / psize * 8, "at 64 PiB");
	pagemap_try(fd, 8, INT64_MAX & ~7LL, "at the largest offset");
	close(fd);
}

static const struct oracle_case cases[] = {
	{ "anon-4k", case_anon_4k },
	{ "anon-4k-fork", case_anon_4k_fork },
	{ "anon-thp", case_anon_thp },
	{ "anon-mthp-64k", case_anon_mthp },
	{ "anon-mthp-64k-fork", case_anon_mthp_fork },
	{ "shmem", case_shmem },
	{ "shmem-private-swapped", case_shmem_private_swapped },
	{ "tmpfs-file", case_tmpfs_file },
	{ "hugetlb-2m-private-full", case_htlb_2m_private_full },
	{ "hugetlb-2m-private-part", case_htlb_2m_private_part },
	{ "hugetlb-2m-private-none", case_htlb_2m_private_none },
	{ "hugetlb-2m-shared-full", case_htlb_2m_shared_full },
	{ "hugetlb-2m-shared-part", case_htlb_2m_shared_part },
	{ "hugetlb-2m-shared-none", case_htlb_2m_shared_none },
	{ "hugetlb-1g-private-full", case_htlb_1g_private_full },
	{ "hugetlb-1g-private-part", case_htlb_1g_private_part },
	{ "hugetlb-1g-private-none", case_htlb_1g_private_none },
	{ "hugetlb-1g-shared-full", case_htlb_1g_shared_full },
	{ "hugetlb-1g-shared-part", case_htlb_1g_shared_part },
	{ "hugetlb-1g-shared-none", case_htlb_1g_shared_none },
	{ "hugetlb-2m-fork", case_htlb_2m_fork },
	{ "swap", case_swap },
	{ "soft-dirty", case_soft_dirty },
	{ "uffd-wp-anon", case_uffd_wp_anon },
	{ "uffd-wp-shmem", case_uffd_wp_shmem },
	{ "uffd-wp-hugetlb", case_uffd_wp_hugetlb },
	{ "uffd-wp-thp", case_uffd_wp_thp },
	{ "uffd-wp-mthp-64k", case_uffd_wp_mthp },
	{ "uffd-wp-hugetlb-part", case_uffd_wp_hugetlb_part },
	{ "uffd-unpopulated-anon", case_uffd_unpop_anon },
	{ "uffd-unpopulated-thp", case_uffd_unpop_thp },
	{ "uffd-unpopulated-hugetlb-2m", case_uffd_unpop_hugetlb },
	{ "uffd-unpopulated-hugetlb-1g", case_uffd_unpop_hugetlb_1g },
	{ "uffd-no-table-hugetlb-2m", case_uffd_notable_hugetlb },
	{ "pagemap-scan-args", case_pagemap_scan_args },
	{ "numa", case_numa },
	{ "prot-none", case_prot_none },
	{ "hugetlb-prot-none", case_htlb_prot_none },
	{ "gup-protnone-hugetlb-2m", case_gup_protnone_2m },
	{ "gup-protnone-hugetlb-1g", case_gup_protnone_1g },
	{ "mlock", case_mlock },
	{ "hugetlb-mremap", case_htlb_mremap },
	{ "mlock-thp", case_mlock_thp },
	{ "mlock-mthp-64k", case_mlock_mthp },
	{ "madv-free", case_madv_free },
	{ "guard-regions", case_guard },
	{ "thp-soft-dirty", case_thp_soft_dirty },
	{ "mthp-64k-soft-dirty", case_mthp_soft_dirty },
	{ "mthp-64k-mremap-across-tables", case_mthp_mremap },
	{ "hugetlb-pmd-share", case_htlb_pmd_share },
	{ "hugetlb-1g-prot-none", case_htlb_1g_prot_none },
	{ "unprivileged-pagemap", case_unpriv_pagemap },
	{ "ksm", case_ksm },
	{ "pfnmap", case_pfnmap },
	{ "shmem-thp", case_shmem_thp },
	{ "file-thp", case_file_thp },
	{ "hwpoison-anon", case_hwpoison_anon },
	{ "hwpoison-thp", case_hwpoison_thp },
	{ "hwpoison-hugetlb", case_hwpoison_hugetlb },
	{ "pagemap-edges", case_pagemap_edges },
};
#define NR_CASES (sizeof(cases) / sizeof(cases[0]))

static int run_case(const struct oracle_case *oc)
{
	struct ctx c = { 0 };
	pid_t pid;
	int st;

	out("### %s\n", oc->name);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 1;
	if (!pid) {
		oc->setup(&c);
		report(&c, NULL);
		report_rollup(&c);
		report_migration(&c);
		fflush(stdout);
		_exit(0);
	}
	if (waitpid(pid, &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st)) {
		out("error: case %s: child %s %d\n", oc->name,
		    WIFSIGNALED(st) ? "killed by signal" : "exited", WIFSIGNALED(st) ?
		    WTERMSIG(st) : WEXITSTATUS(st));
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	cpu_set_t cpus;
	size_t i;
	int ret = 0, k;

	psize = sysconf(_SC_PAGESIZE);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (argc > 1 && !strcmp(argv[1], "-l")) {
		for (i = 0; i < NR_CASES; i++)
			puts(cases[i].name);
		return 0;
	}
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		fail("sched_setaffinity");
	kpf_fd = open("/proc/kpageflags", O_RDONLY);
	if (kpf_fd < 0)
		fail("/proc/kpageflags");
	for (i = 0; i < NR_CASES; i++) {
		int want = argc < 2;

		for (k = 1; k < argc; k++)
			want |= !strcmp(argv[k], cases[i].name);
		if (want)
			ret |= run_case(&cases[i]);
	}
	fflush(stdout);
	return ret;
}
