#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Where the guest instructions of one scripts/bench.sh row go, kernel function by kernel
# function.
#
#   scripts/profile.sh base|patched KIND INTERFACE [TOP]
#
# e.g. scripts/profile.sh patched anon-64k numa_maps. KIND and INTERFACE are those of
# guest/ptw-bench.c. The kernel is the one scripts/bench.sh builds (configs/perf.config;
# scripts/build.sh with PTW_FLAVOUR=perf builds it). It boots under -icount shift=0 with a
# QEMU plugin (scripts/qemu-insn-count.c) that counts the instructions executed in every
# kernel translation block between the two system calls with which ptw-bench marks its
# timed reads (PTW_BENCH_MARK), PTW_PROFILE_READS (default 10) of INTERFACE. That count,
# divided by the reads and by the pages of the mapping, is what one read costs per 4K page,
# attributed to the function each block is in (the vmlinux symbol table: an inlined
# function counts as its caller). Printed: the TOP (default 25) functions, and the total,
# which is the kernel's part of the INTERFACE column of scripts/bench.sh (the rest is the
# reading program's own instructions). Also in build/runs/profile-KERNEL-KIND-INTERFACE.txt.
# PTW_PROFILE_ANNOTATE=FUNC[,FUNC...] prints those functions' disassembly (objdump), each
# instruction with how often it ran per 4K page and read.
. "$(dirname "$0")/lib.sh"

[ $# -ge 3 ] || die "usage: profile.sh base|patched KIND INTERFACE [TOP]"
which=$1 kind=$2 iface=$3 top=${4:-25}
export PTW_FLAVOUR=perf
case "$which" in
patched) out=$BUILD/linux-out-perf ;;
base) out=$BUILD/base/linux-out-perf ;;
*) die "profile.sh: base or patched" ;;
esac
[ -f "$out/vmlinux" ] || die "no $out/vmlinux: run PTW_FLAVOUR=perf scripts/build.sh $which"
plugin=$BUILD/qemu-insn-count.so
gcc -O2 -shared -fPIC -fvisibility=hidden -Wall -Werror -o "$plugin" "$TOP/scripts/qemu-insn-count.c" ||
	die "the QEMU plugin does not build"
"$TOP/scripts/guest-build.sh" >/dev/null
mib=${PTW_BENCH_MIB:-256} reads=${PTW_PROFILE_READS:-10}
name=profile-$which-$kind-$iface
marker=$(awk '$3 == "__x64_sys_sched_rr_get_interval" { print $1 }' "$out/System.map")
[ -n "$marker" ] || die "no __x64_sys_sched_rr_get_interval in $out/System.map"
job=$(mktemp)
{
	printf 'export PTW_BENCH_MIB=%q PTW_BENCH_REPS=%q PTW_BENCH_KINDS=%q PTW_BENCH_IFACES=%q PTW_BENCH_MARK=1\n' \
		"$mib" "$reads" "$kind" "$iface"
	cat "$TOP/guest/jobs/bench.sh"
} >"$job"
# QEMU with the plugin: boot.sh's QEMU, through a wrapper first in PATH.
real=$(command -v qemu-system-x86_64) || die "no qemu-system-x86_64"
wrap=$BUILD/profile-bin
mkdir -p "$wrap"
printf '#!/bin/sh\nexec %q "$@" -plugin %q\n' "$real" \
	"$plugin,out=$BUILD/runs/$name/blocks.txt,mark=0x$marker" >"$wrap/qemu-system-x86_64"
chmod +x "$wrap/qemu-system-x86_64"
rc=0
PATH=$wrap:$PATH PTW_ICOUNT=1 PTW_TIMEOUT=${PTW_TIMEOUT:-1800} \
	"$TOP/scripts/boot.sh" "$which" "$job" "$name" >&2 || rc=$?
rm -f "$job"
[ "$rc" = 0 ] || die "profile boot failed ($rc): build/runs/$name/guest.log"
pages=$((mib * 256))
[ "$kind" = hugetlb-1g ] && pages=262144
python3 - "$out/System.map" "$BUILD/runs/$name/blocks.txt" "$reads" "$pages" "$top" \
	"$which $kind $iface" "$BUILD/runs/$name/guest.log" <<'PY' | tee "$BUILD/runs/$name.txt"
import bisect, sys
smap, blocks, reads, pages, top, title, log = sys.argv[1:]
reads, pages, top = int(reads), int(pages), int(top)
syms = []
for line in open(smap):
    addr, kind, name = line.split()[:3]
    if kind in "tTwW":
        syms.append((int(addr, 16), name))
syms.sort()
addrs = [a for a, _ in syms]
cost = {}
for line in open(blocks):
    vaddr, insns, count = line.split()
    i = bisect.bisect_right(addrs, int(vaddr, 16)) - 1
    name = syms[i][1] if i >= 0 else "?"
    cost[name] = cost.get(name, 0) + int(insns) * int(count) / reads / pages
total = sum(cost.values())
bench = [l.split()[2] for l in open(log) if len(l.split()) == 3 and l.split()[1] == title.split()[2]]
print(f"{title}: kernel instructions per 4K page and read, by function ({reads} reads; "
      f"total {total:.1f}" + (f"; ptw-bench measured {bench[-1]} in all" if bench else "") + ")")
for name, v in sorted(cost.items(), key=lambda kv: -kv[1])[:top]:
    print(f"{v:9.2f}  {name}")
PY
[ -z "${PTW_PROFILE_ANNOTATE:-}" ] && exit 0
for fn in ${PTW_PROFILE_ANNOTATE//,/ }; do
	read -r start end < <(awk -v f="$fn" '$3 == f { s = $1; getline; print s, $1; exit }' "$out/System.map")
	[ -n "${start:-}" ] || die "no $fn in $out/System.map"
	objdump -d --no-show-raw-insn --start-address=0x"$start" --stop-address=0x"$end" "$out/vmlinux" |
		python3 -c '
import re, sys
blocks, reads, pages = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
insns = [l.rstrip() for l in sys.stdin if re.match(r"^ *[0-9a-f]+:", l)]
addrs = [int(l.split(":")[0], 16) for l in insns]
index = {a: i for i, a in enumerate(addrs)}
runs = [0.0] * len(insns)
for line in open(blocks):
    vaddr, n, count = line.split()
    i = index.get(int(vaddr, 16))
    if i is None:
        continue
    for j in range(i, min(i + int(n), len(insns))):
        runs[j] += int(count) / reads / pages
print(f"{sys.argv[4]}: {sum(runs):.2f} instructions per 4K page and read")
for r, l in zip(runs, insns):
    print(f"{r:8.3f} {l}")
' "$BUILD/runs/$name/blocks.txt" "$reads" "$pages" "$fn" | tee -a "$BUILD/runs/$name.txt"
done
