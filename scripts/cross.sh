#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Cross-builds of the patched tree on the other architectures whose HugeTLB the series reads:
# arm64, riscv, s390 and powerpc (book3s64), which map HugeTLB pages with PUDs too, with Debian's
# gcc cross compilers, and loongarch (PMDs only), which has none in this Debian release, with
# its clang 19 (LLVM=-19). Each builds mm/, fs/proc/ and arch/<arch>/mm/ (the code that reads
# PUD and PMD leaves and softleaf entries) with tinyconfig plus configs/cross/common.config and
# configs/cross/<arch>.config; the .config must keep every option asked for. Warnings in these
# folders fail the build.
#
# ARCH-nothp builds ARCH with THP off (configs/cross/nothp.config), where HugeTLB alone holds PMD
# leaves and ARCH_HAS_PMD_SOFTLEAVES is not selected.
#
#   scripts/cross.sh [ARCH[-nothp]...]   default: arm64 riscv s390 powerpc loongarch;
#                                        output in build/cross/<arch>[-nothp]
#
# PTW_CROSS_REV=REV builds the scratch tree at commit REV instead, in a worktree of its own
# (build/cross/linux-rev; scripts/test.sh: a patch that changes only one architecture's files,
# built at its own commit), with output in build/cross/<arch>[-nothp]-rev.
#
# A build whose key (the sources' git tree id, the toolchain, these configs and scripts) is
# stored in build-results/ passed before and is not built again (scripts/build-results.sh);
# PTW_BUILD_RUN=1 builds it. Uncommitted changes in the scratch tree make no key.
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no $TREE: run scripts/tree.sh first"
src=$TREE
if [ -n "${PTW_CROSS_REV:-}" ]; then
	PTW_CROSS_REV=$(git -C "$TREE" rev-parse -q --verify "$PTW_CROSS_REV^{commit}") || die "no commit $PTW_CROSS_REV in $TREE"
	src=$BUILD/cross/linux-rev
fi
# checkout: the worktree at PTW_CROSS_REV, made the first time a build needs it
checkout() {
	[ -n "${PTW_CROSS_REV:-}" ] && [ -z "${checked_out:-}" ] || return 0
	if ! git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1; then
		rm -rf "$src"
		git -C "$TREE" worktree prune
		mkdir -p "$BUILD/cross"
		git -C "$TREE" worktree add -q --detach "$src" "$PTW_CROSS_REV"
	fi
	git -C "$src" checkout -q --detach "$PTW_CROSS_REV"
	checked_out=1
}
rc=0
for name in ${*:-arm64 riscv s390 powerpc loongarch}; do
	a=${name%-nothp}
	frags=("$TOP/configs/cross/common.config" "$TOP/configs/cross/$a.config")
	if [ "$a" != "$name" ]; then
		grep -vE '^CONFIG_(TRANSPARENT_HUGEPAGE|PT_RANGE_WALK_KUNIT_TEST)=' "$TOP/configs/cross/common.config" >"$BUILD/cross-common-nothp.config"
		frags=("$BUILD/cross-common-nothp.config" "$TOP/configs/cross/$a.config" "$TOP/configs/cross/nothp.config")
	fi
	case "$a" in
	arm64) cross=aarch64-linux-gnu- ;;
	riscv) cross=riscv64-linux-gnu- ;;
	s390) cross=s390x-linux-gnu- ;;
	powerpc) cross=powerpc64le-linux-gnu- ;;
	loongarch) cross=llvm ;;
	*) die "no cross-build for $a" ;;
	esac
	out=$BUILD/cross/$name${PTW_CROSS_REV:+-rev}
	mkdir -p "$out"
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	if [ "$cross" = llvm ]; then
		command -v clang-19 >/dev/null || die "no clang-19: scripts/deps.sh installs it"
		mk=(make -s -C "$src" O="$out" ARCH="$a" LLVM=-19 CC="ccache clang-19" -j"$JOBS")
	else
		command -v "${cross}gcc" >/dev/null || die "no ${cross}gcc: scripts/deps.sh installs it"
		mk=(make -s -C "$src" O="$out" ARCH="$a" CROSS_COMPILE="$cross" CC="ccache ${cross}gcc" -j"$JOBS")
	fi
	# The key of this build (scripts/build-results.sh): none when the working tree has changes.
	key=$(
		tree=$("$TOP/scripts/build-results.sh" tree "${PTW_CROSS_REV:-WORKTREE}")
		[ -n "$tree" ] || exit 0
		echo "cross: $name: mm/ fs/proc/ arch/$a/mm/"
		echo "$tree"
		if [ "$cross" = llvm ]; then
			echo "compiler: $(clang-19 --version | head -1)"
			echo "binutils: $(ld.lld-19 --version | head -1)"
		else
			echo "compiler: $("${cross}gcc" --version | head -1)"
			echo "binutils: $("${cross}ld" --version | head -1)"
		fi
		echo "make: $(make --version | head -1)"
		for f in "${frags[@]}" "$TOP/scripts/cross.sh" "$TOP/scripts/lib.sh"; do
			echo "file: $(sha256sum "$f" | cut -c1-16) ${f#"$TOP"/}"
		done
	)
	if [ -n "$key" ] && "$TOP/scripts/build-results.sh" stored <<<"$key"; then
		echo "PASS $name: stored"
		continue
	fi
	checkout
	t0=$(date +%s)
	kconfig mk "$src" "$out" "${frags[@]}" ||
		{ echo "FAIL $name: the .config lacks options its fragments ask for"; rc=1; continue; }
	if "${mk[@]}" mm/ fs/proc/ "arch/$a/mm/" >"$out/build.log" 2>&1 && ! grep -q ': warning:' "$out/build.log"; then
		echo "PASS $name: mm/ fs/proc/ arch/$a/mm/ ($(since "$t0")s)"
		[ -z "$key" ] || "$TOP/scripts/build-results.sh" passed "$(since "$t0")" <<<"$key"
	else
		grep -E ': (warning|error):|Error' "$out/build.log" | head -20
		echo "FAIL $name: see ${out#"$TOP"/}/build.log"
		rc=1
	fi
done
exit $rc
