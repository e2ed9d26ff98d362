// SPDX-License-Identifier: GPL-2.0
/*
 * A QEMU TCG plugin for scripts/profile.sh: counts the guest instructions executed in
 * each translation block whose address is at or above a threshold (the kernel's half of
 * the address space by default), and writes "ADDRESS INSNS EXECUTIONS" lines, one per
 * block, to a file when QEMU exits.
 *
 *   qemu-system-x86_64 ... -plugin qemu-insn-count.so,out=FILE[,min=ADDRESS]
 *
 * A translation block ends at the first branch, so every instruction of a block runs as
 * often as the block does: the count is exact, but for blocks left by an exception. The
 * counters are added to by TCG inline, with no call per block. Only the few functions of
 * QEMU's plugin API (version 1, QEMU 7.2 and later) that this needs are declared here.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_info;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   void (*cb)(qemu_plugin_id_t, struct qemu_plugin_tb *));
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb, enum qemu_plugin_op op,
					      void *ptr, uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  void (*cb)(unsigned int, void *),
					  enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    void (*cb)(qemu_plugin_id_t, void *), void *userdata);

#define EXPORT __attribute__((visibility("default")))
EXPORT int qemu_plugin_version = 1;

struct block {
	uint64_t count;
	uint64_t vaddr;
	uint64_t insns;
	uint64_t start;		/* @count when the window opened */
	uint64_t counted;	/* in the windows closed so far */
};

/* Blocks are never moved: TCG adds to their counters by address. */
#define CHUNK 65536
static struct block **chunks;
static size_t nr_blocks, nr_chunks;
static uint64_t min_vaddr = 0x8000000000000000ULL, mark;
static int window_open;
static char *out_path;

static struct block *new_block(void)
{
	if (nr_blocks == nr_chunks * CHUNK) {
		chunks = realloc(chunks, (nr_chunks + 1) * sizeof(*chunks));
		if (!chunks || !(chunks[nr_chunks] = calloc(CHUNK, sizeof(struct block))))
			abort();
		nr_chunks++;
	}
	nr_blocks++;
	return &chunks[(nr_blocks - 1) / CHUNK][(nr_blocks - 1) % CHUNK];
}

static struct block *block_nr(size_t i)
{
	return &chunks[i / CHUNK][i % CHUNK];
}

/* The marked block ran: open the window, or close it and count what ran in it. */
static void toggle(unsigned int vcpu, void *data)
{
	for (size_t i = 0; i < nr_blocks; i++) {
		struct block *b = block_nr(i);

		if (window_open)
			b->counted += b->count - b->start;
		else
			b->start = b->count;
	}
	window_open = !window_open;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	struct block *b;

	if (vaddr < min_vaddr)
		return;
	b = new_block();
	b->vaddr = vaddr;
	b->insns = qemu_plugin_tb_n_insns(tb);
	qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, 1);
	if (mark && vaddr == mark)
		qemu_plugin_register_vcpu_tb_exec_cb(tb, toggle, QEMU_PLUGIN_CB_NO_REGS, NULL);
}

static void at_exit(qemu_plugin_id_t id, void *data)
{
	FILE *f = fopen(out_path, "w");

	if (!f)
		return;
	for (size_t i = 0; i < nr_blocks; i++) {
		struct block *b = block_nr(i);
		uint64_t n = mark ? b->counted : b->count;

		if (n)
			fprintf(f, "%" PRIx64 " %" PRIu64 " %" PRIu64 "\n", b->vaddr, b->insns, n);
	}
	fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info *info, int argc,
			       char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "out=", 4))
			out_path = argv[i] + 4;
		else if (!strncmp(argv[i], "mark=", 5))
			mark = strtoull(argv[i] + 5, NULL, 0);
		else if (!strncmp(argv[i], "min=", 4))
			min_vaddr = strtoull(argv[i] + 4, NULL, 0);
		else
			return -1;
	}
	if (!out_path)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, at_exit, NULL);
	return 0;
}
