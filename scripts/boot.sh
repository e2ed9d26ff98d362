#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot a built kernel in QEMU and run a job script in the guest.
#
#   scripts/boot.sh base|patched JOB [NAME]
#   scripts/boot.sh base|patched --exec 'COMMAND' [NAME]   run one shell command, print its output
#   scripts/boot.sh base|patched --shell [NAME]            an interactive shell on the console
#                                                          (exit it to power the guest off)
#
# The guest shares the host's root file system read-only over 9p (as virtme-ng does), so bash,
# libraries and the programs built under build/ are there without an image; the run folder
# build/runs/NAME is shared read-write, holds job.sh, and gets guest.log (the job's output),
# dmesg.log and serial.log. 2 NUMA nodes, one socket each; hugetlb pools from the command line.
# KVM when it really works (a CPU with vmx/svm and a usable /dev/kvm), TCG otherwise;
# PTW_ACCEL=kvm|tcg forces one.
#
# Exit status: the job's, or 1 when the kernel log has an oops, BUG, WARNING or lockdep splat
# (named on stderr), or 124 when the wall-clock limit (PTW_TIMEOUT, seconds) is hit.
#
# Settings: PTW_CPUS (vCPUs, split evenly over the 2 nodes; default 2), PTW_MEM (guest MiB,
# default 6144), PTW_HUGEPAGES (default
# "hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=512"), PTW_CMDLINE (added to the command
# line), PTW_KUNIT (1: run the built-in KUnit suites at boot; off otherwise), PTW_TIMEOUT
# (default 900), PTW_FLAVOUR (perf: boot the kernels scripts/build.sh built with that flavour),
# PTW_ICOUNT (1: TCG with -icount shift=0, where the guest clock advances one nanosecond per
# guest instruction, so that a time measured in the guest counts instructions).
. "$(dirname "$0")/lib.sh"

usage="usage: boot.sh base|patched JOB|--exec COMMAND|--shell [NAME]"
which=${1:-} job=${2:-} mode=job
case "$job" in
--exec)
	[ $# -ge 3 ] || die "$usage"
	mode=exec job=$(mktemp) name=${4:-$1-exec}
	printf 'cd /tmp
%s
' "$3" >"$job"
	trap 'rm -f "$job"' EXIT
	;;
--shell)
	mode=shell job=$(mktemp) name=${3:-$1-shell}
	# The job's output goes to guest.log: give the shell the console, as its controlling tty.
	printf 'cd /tmp
exec setsid -c bash -i </dev/ttyS0 >/dev/ttyS0 2>&1
' >"$job"
	trap 'rm -f "$job"' EXIT
	;;
*) name=${3:-$1} ;;
esac
[ -n "$which" ] && [ -f "$job" ] || die "$usage"
case "$which" in
patched) out=$BUILD/linux-out$FLAVOUR ;;
base) out=$BUILD/base/linux-out$FLAVOUR ;;
*) die "$usage" ;;
esac
kernel=$out/arch/x86/boot/bzImage
[ -f "$kernel" ] || die "no $which kernel: run scripts/build.sh $which"

run=$BUILD/runs/$name
rm -rf "$run"
mkdir -p "$run"
# The job sees where the harness and the guest programs are.
{
	printf 'export PTW_TOP=%q PTW_BIN=%q PTW_KERNEL=%q\n' "$TOP" "$BUILD/guest-bin" "$which"
	cat "$job"
} >"$run/job.sh"

cpus=${PTW_CPUS:-2}
[ $((cpus % 2)) = 0 ] && [ "$cpus" -ge 2 ] || die "PTW_CPUS=$cpus: an even number, at least 2"
mem=${PTW_MEM:-6144}
half=$((mem / 2))
hp=${PTW_HUGEPAGES:-hugepagesz=1G hugepages=2 hugepagesz=2M hugepages=512}
accel=${PTW_ACCEL:-}
[ -n "$accel" ] || [ "${PTW_ICOUNT:-0}" != 1 ] || accel=tcg
if [ -z "$accel" ]; then
	accel=tcg
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=kvm; fi
fi
case "$accel" in
kvm) acc=(-accel kvm -cpu host) ;;
tcg) acc=(-accel tcg,thread=multi -cpu max) ;;
*) die "PTW_ACCEL=$accel: kvm or tcg" ;;
esac
if [ "${PTW_ICOUNT:-0}" = 1 ]; then
	# icount needs one TCG thread for all vCPUs, and no KVM.
	[ "$accel" = tcg ] || die "PTW_ICOUNT=1 needs TCG (PTW_ACCEL=tcg)"
	acc=(-accel tcg -cpu max -icount shift=0)
fi

cmdline="console=ttyS0 loglevel=5 panic=-1 oops=panic root=/dev/root rootfstype=9p"
cmdline+=" rootflags=trans=virtio,version=9p2000.L,msize=262144 ro init=$TOP/guest/init $hp"
cmdline+=" PTW_TOP=$TOP PTW_BUILD=$BUILD ${PTW_CMDLINE:-}"
# Built-in KUnit suites run at boot only where asked for (PTW_KUNIT=1; scripts/kunit.sh runs
# them with kunit.py exec instead).
[ "${PTW_KUNIT:-0}" = 1 ] || cmdline+=" kunit.enable=0"

qemu=(qemu-system-x86_64 -nodefaults -no-user-config -display none -no-reboot
	"${acc[@]}" -smp "$cpus,sockets=2,cores=$((cpus / 2)),threads=1" -m "${mem}M"
	-object "memory-backend-ram,id=m0,size=${half}M" -object "memory-backend-ram,id=m1,size=$((mem - half))M"
	-numa "node,nodeid=0,cpus=0-$((cpus / 2 - 1)),memdev=m0"
	-numa "node,nodeid=1,cpus=$((cpus / 2))-$((cpus - 1)),memdev=m1"
	-kernel "$kernel" -append "$cmdline"
	-fsdev local,id=root,path=/,security_model=none,readonly=on,multidevs=remap
	-device virtio-9p-pci,fsdev=root,mount_tag=/dev/root
	-fsdev "local,id=out,path=$run,security_model=none,multidevs=remap"
	-device virtio-9p-pci,fsdev=out,mount_tag=ptwout
	-serial "file:$run/serial.log" -monitor none)
if [ $mode = shell ]; then
	# The console on this terminal (Ctrl-A X quits QEMU), kept in serial.log as well.
	qemu=("${qemu[@]:0:${#qemu[@]}-4}" -chardev "stdio,id=con,mux=on,logfile=$run/serial.log,signal=off"
		-serial chardev:con -mon chardev=con,mode=readline)
	printf '%q ' "${qemu[@]}" >"$run/qemu.cmd"
	"${qemu[@]}"
	exit
fi
printf '%q ' "${qemu[@]}" >"$run/qemu.cmd"

t0=$(date +%s)
log "boot: $which kernel ($accel) running ${job#"$TOP"/} in ${run#"$TOP"/}"
rc=0
timeout "${PTW_TIMEOUT:-900}" "${qemu[@]}" </dev/null >"$run/qemu.log" 2>&1 || rc=$?
secs=$(since "$t0")
if [ $rc = 124 ]; then
	tail -20 "$run/serial.log" >&2
	log "boot: $which: wall-clock limit of ${PTW_TIMEOUT:-900}s hit"
	exit 124
fi
[ $rc = 0 ] || { cat "$run/qemu.log" >&2; die "qemu failed ($rc)"; }

# Kernel splats, in the saved ring buffer and on the console (scripts/splat-check.sh).
found=0
"$TOP/scripts/splat-check.sh" "$which" "$run" || found=1
if [ $found = 1 ]; then
	log "boot: $which: kernel splat in ${run#"$TOP"/}/dmesg.log or serial.log"
	exit 1
fi
status=$(sed -n 's/^PTW-EXIT: \([0-9]*\).*/\1/p' "$run/serial.log" | tail -1)
if [ -z "$status" ]; then
	tail -20 "$run/serial.log" >&2
	log "boot: $which: the guest did not finish (no PTW-EXIT line) after ${secs}s"
	exit 1
fi
echo "$which $accel ${secs}s $(date -u +%FT%TZ)" >>"$BUILD/boot-times.log"
log "boot: $which: guest job exited $status after ${secs}s"
[ $mode = exec ] && cat "$run/guest.log"
if [ "$status" != 0 ] && [ -s "$run/guest.log" ]; then
	# The guest's own account of what failed: its error lines, else the end of its output.
	{ grep -E 'FAIL|[Ee]rror|not ok|^# ' "$run/guest.log" || tail -n 5 "$run/guest.log"; } |
		tail -n 10 | sed "s|^|FAILED: guest ($which): |"
fi
exit "$status"
