#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series' KUnit suite, run with the tree's own tool as mm/tests/.kunitconfig documents it:
#
#   1. kunit.py config --arch=x86_64 --kunitconfig=mm/tests: the .kunitconfig gives a .config
#      with every option it asks for (kunit.py fails otherwise);
#   2. kunit.py exec with the --qemu_args and --kernel_args of the .kunitconfig's comment, on the
#      patched test kernel (scripts/build.sh patched), whose config holds every option of the
#      .kunitconfig (checked here): `kunit.py run` would build a third kernel for the same
#      code, about 7 minutes on two cores with an empty ccache;
#   3. every case of the suite passes, from kunit.py's own KTAP parser (--json): a missing
#      suite, a failed, crashed or skipped case fails.
#
# kunit.py starts QEMU with -accel kvm first; where /dev/kvm exists but KVM does not work
# (this machine: no vmx/svm), QEMU hangs in it. Then a qemu-system-x86_64 in front of QEMU's
# on the PATH drops the kvm and hvf accelerators, so that QEMU uses TCG.
#
#   scripts/kunit.sh [SUITE...]     default: pt_range_walk
. "$(dirname "$0")/lib.sh"

suites=("${@:-pt_range_walk}")
out=$BUILD/linux-out
kc=$TREE/mm/tests/.kunitconfig
run=$BUILD/runs/kunit
kunit=("$TREE/tools/testing/kunit/kunit.py")
[ -f "$out/arch/x86/boot/bzImage" ] || die "no patched kernel: run scripts/build.sh patched"
[ -f "$kc" ] || die "no $kc"
rm -rf "$run" && mkdir -p "$run"

echo "1. kunit.py config --kunitconfig=mm/tests"
(cd "$TREE" && python3 "${kunit[@]}" config --arch="$ARCH" --kunitconfig=mm/tests \
	--build_dir="$BUILD/kunit-config") >"$run/config.log" 2>&1 ||
	{ tail -20 "$run/config.log"; echo "FAILED: kunit.py config: mm/tests/.kunitconfig does not give its options"; exit 1; }
rc=0
while read -r line; do
	grep -qxF "$line" "$out/.config" ||
		{ echo "FAILED: the test kernel's .config lacks $line of mm/tests/.kunitconfig"; rc=1; }
done < <(grep -E '^CONFIG_' "$kc")
[ $rc = 0 ] || exit 1

# The arguments of the documented command, from the comment of the .kunitconfig.
qemu_args=$(sed -n "s/.*--qemu_args='\([^']*\)'.*/\1/p" "$kc")
kernel_args=$(sed -n "s/.*--kernel_args='\([^']*\)'.*/\1/p" "$kc")
[ -n "$qemu_args" ] && [ -n "$kernel_args" ] || die "no --qemu_args or --kernel_args in $kc"

path=$PATH
if ! { [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; }; then
	mkdir -p "$BUILD/kunit-bin"
	real=$(command -v qemu-system-x86_64) || die "no qemu-system-x86_64"
	cat >"$BUILD/kunit-bin/qemu-system-x86_64" <<-EOF
	#!/bin/bash
	# kunit.py's QEMU without KVM (scripts/kunit.sh): the kvm and hvf accelerators dropped.
	a=()
	while [ \$# -gt 0 ]; do
		if [ "\$1" = -accel ] && { [ "\$2" = kvm ] || [ "\$2" = hvf ]; }; then shift 2; continue; fi
		a+=("\$1"); shift
	done
	exec $real "\${a[@]}"
	EOF
	chmod +x "$BUILD/kunit-bin/qemu-system-x86_64"
	path=$BUILD/kunit-bin:$PATH
	echo "no usable KVM: QEMU with TCG"
fi

echo "2. kunit.py exec --qemu_args='$qemu_args' --kernel_args='$kernel_args' on build/linux-out"
json=$run/kunit.json
(cd "$TREE" && PATH=$path python3 "${kunit[@]}" exec --arch="$ARCH" --build_dir="$out" \
	--kunitconfig=mm/tests --qemu_args="$qemu_args" --kernel_args="$kernel_args" \
	--timeout=900 --json="$json") >"$run/exec.log" 2>&1 || rc=$?
sed -n '/Starting KUnit Kernel/,$p' "$run/exec.log" | grep -vE '^\$ qemu|^Running tests with' | tail -40

echo "3. the suites' cases"
python3 - "$json" "${suites[@]}" <<'PY' || rc=1
import json, sys
doc = json.load(open(sys.argv[1]))
groups = {g["name"]: g for g in doc.get("sub_groups", [])}
bad = False
for suite in sys.argv[2:]:
    g = groups.get(suite)
    if g is None or not g.get("test_cases"):
        print(f"FAILED: KUnit suite {suite}: not in the kernel log, or no case")
        bad = True
        continue
    for c in g["test_cases"]:
        print(f"{suite}.{c['name']:<40} {c['status']}")
        if c["status"] != "PASS":
            print(f"FAILED: KUnit {suite}.{c['name']}: {c['status']}")
            bad = True
    if not bad:
        print(f"{suite}: {len(g['test_cases'])}/{len(g['test_cases'])} cases pass, suite PASS")
sys.exit(1 if bad else 0)
PY
exit $rc
