#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The speed of /proc/self/{smaps,smaps_rollup,numa_maps,pagemap} reads on the base and on the
# patched kernel: guest/ptw-bench.c over 4K, 64K mTHP, PMD THP and 2M HugeTLB mappings, the
# fastest of PTW_BENCH_REPS reads (default 10) of a PTW_BENCH_MIB mapping (default 256).
#
#   scripts/bench.sh     boot each kernel in turn, never both at once, and print the table
#
# The kernels are those scripts/build.sh built. Under TCG the times are those of an emulated
# CPU: compare the two kernels with each other, not with hardware.
. "$(dirname "$0")/lib.sh"

"$TOP/scripts/guest-build.sh" >/dev/null
for k in base patched; do
	job=$(mktemp)
	{
		printf 'export PTW_BENCH_MIB=%q PTW_BENCH_REPS=%q\n' "${PTW_BENCH_MIB:-256}" \
			"${PTW_BENCH_REPS:-10}"
		cat "$TOP/guest/jobs/bench.sh"
	} >"$job"
	rc=0
	"$TOP/scripts/boot.sh" "$k" "$job" "bench-$k" >/dev/null || rc=$?
	rm -f "$job"
	[ "$rc" = 0 ] || die "bench on the $k kernel failed ($rc): build/runs/bench-$k/guest.log"
done
python3 - "$BUILD/runs/bench-base/bench.txt" "$BUILD/runs/bench-patched/bench.txt" <<'PY'
import sys
def load(p):
    return {(k, f): float(v) for k, f, v in (l.split() for l in open(p) if l.strip())}
base, patched = load(sys.argv[1]), load(sys.argv[2])
print(f"{'mapping':<12} {'file':<13} {'base ns/page':>12} {'patched':>9} {'speed-up':>8}")
for key in base:
    b, p = base[key], patched.get(key, float("nan"))
    print(f"{key[0]:<12} {key[1]:<13} {b:12.2f} {p:9.2f} {b / p:7.2f}x")
PY
