#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Cross-builds of the patched tree on the other architectures that map HugeTLB pages with PUDs
# and that Debian has a cross compiler for: arm64, riscv, s390 and powerpc (book3s64).
# loongarch has none in this Debian release. Each builds mm/, fs/proc/ and arch/<arch>/mm/ (the
# code that reads PUD and PMD leaves and softleaf entries) with tinyconfig plus
# configs/cross/common.config and configs/cross/<arch>.config; the .config must keep every
# option asked for. Warnings in these folders fail the build.
#
#   scripts/cross.sh [ARCH...]    default: arm64 riscv s390 powerpc; output in build/cross/<arch>
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no $TREE: run scripts/tree.sh first"
rc=0
for a in ${*:-arm64 riscv s390 powerpc}; do
	case "$a" in
	arm64) cross=aarch64-linux-gnu- ;;
	riscv) cross=riscv64-linux-gnu- ;;
	s390) cross=s390x-linux-gnu- ;;
	powerpc) cross=powerpc64le-linux-gnu- ;;
	*) die "no cross-build for $a" ;;
	esac
	command -v "${cross}gcc" >/dev/null || die "no ${cross}gcc: scripts/deps.sh installs it"
	out=$BUILD/cross/$a
	mkdir -p "$out"
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	mk=(make -s -C "$TREE" O="$out" ARCH="$a" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$JOBS")
	t0=$(date +%s)
	kconfig mk "$TREE" "$out" "$TOP/configs/cross/common.config" "$TOP/configs/cross/$a.config" ||
		{ echo "FAIL $a: the .config lacks options its fragments ask for"; rc=1; continue; }
	if "${mk[@]}" mm/ fs/proc/ "arch/$a/mm/" >"$out/build.log" 2>&1 && ! grep -q ': warning:' "$out/build.log"; then
		echo "PASS $a: mm/ fs/proc/ arch/$a/mm/ ($(since "$t0")s)"
	else
		grep -E ': (warning|error):|Error' "$out/build.log" | head -20
		echo "FAIL $a: see ${out#"$TOP"/}/build.log"
		rc=1
	fi
done
exit $rc
