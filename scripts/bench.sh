#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# What reads of /proc/self/{smaps,smaps_rollup,numa_maps,pagemap} and PAGEMAP_SCAN cost on
# the base and on the patched kernel, in guest instructions per 4K page of the mapping read.
#
#   scripts/bench.sh     build both kernels -O2 without debugging (PTW_FLAVOUR=perf,
#                        configs/perf.config), boot each in turn, never both at once, and
#                        print the table
#
# Each kernel boots under TCG with -icount shift=0 (scripts/boot.sh PTW_ICOUNT=1): the guest
# clock then advances one nanosecond per guest instruction, so the median time of a read,
# measured in the guest (guest/ptw-bench.c), is the number of instructions it executed; two
# boots of one kernel give the same medians. With PTW_BENCH_WALL=1 each kernel boots a
# second time without -icount, and the table adds TCG's wall time per page, which varies by
# some 20% between boots: a second opinion, not a measurement to decide on.
#
# Settings: PTW_BENCH_MIB (the size of each mapping, default 256; the 1G HugeTLB one is
# 1 GiB), PTW_BENCH_REPS (reads per interface, the median kept; default 7),
# PTW_BENCH_KINDS (the mappings, guest/jobs/bench.sh), PTW_BENCH_KERNELS (default
# "base patched"; a kernel left out is read from its last run in build/runs/bench-*).
# The table goes to stdout and to build/runs/bench.txt.
. "$(dirname "$0")/lib.sh"

export PTW_FLAVOUR=perf
kernels=${PTW_BENCH_KERNELS:-base patched}
"$TOP/scripts/guest-build.sh" >/dev/null
for k in $kernels; do
	"$TOP/scripts/build.sh" "$k" >&2
done
for k in $kernels; do
	for mode in icount ${PTW_BENCH_WALL:+wall}; do
		[ "$mode" = wall ] && [ "$PTW_BENCH_WALL" != 1 ] && continue
		job=$(mktemp)
		{
			printf 'export PTW_BENCH_MIB=%q PTW_BENCH_REPS=%q PTW_BENCH_KINDS=%q\n' \
				"${PTW_BENCH_MIB:-256}" "${PTW_BENCH_REPS:-7}" "${PTW_BENCH_KINDS:-}"
			cat "$TOP/guest/jobs/bench.sh"
		} >"$job"
		rc=0
		PTW_ICOUNT=$([ $mode = icount ] && echo 1 || echo 0) PTW_TIMEOUT=${PTW_TIMEOUT:-3600} \
			"$TOP/scripts/boot.sh" "$k" "$job" "bench-$mode-$k" >&2 || rc=$?
		rm -f "$job"
		[ "$rc" = 0 ] || die "bench on the $k kernel failed ($rc): build/runs/bench-$mode-$k/guest.log"
	done
done
python3 - "$BUILD/runs" "${PTW_BENCH_WALL:-0}" <<'PY' | tee "$BUILD/runs/bench.txt"
import os, sys
runs, wall = sys.argv[1], sys.argv[2] == "1"
def load(mode, k):
    p = os.path.join(runs, f"bench-{mode}-{k}", "bench.txt")
    if not os.path.exists(p):
        sys.exit(f"bench: no {p}: run with PTW_BENCH_KERNELS={k}")
    d = {}
    for l in open(p):
        kind, iface, v = l.split()
        d[kind, iface] = float(v)
    return d
base, patched = load("icount", "base"), load("icount", "patched")
if wall:
    wbase, wpatched = load("wall", "base"), load("wall", "patched")
head = f"{'mapping':<11} {'interface':<13} {'base':>9} {'patched':>9} {'base/patched':>12}"
if wall:
    head += f"   {'wall ns: base':>13} {'patched':>8} {'ratio':>6}"
print("instructions per 4K page (median), under -icount shift=0; above 1x: the patched kernel is cheaper")
print(head)
for key in base:
    b, p = base[key], patched.get(key, float("nan"))
    line = f"{key[0]:<11} {key[1]:<13} {b:9.1f} {p:9.1f} {b / p:11.2f}x"
    if wall:
        wb, wp = wbase.get(key, float("nan")), wpatched.get(key, float("nan"))
        line += f"   {wb:13.1f} {wp:8.1f} {wb / wp:5.2f}x"
    print(line)
PY
