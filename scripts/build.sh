#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the test kernel from the scratch tree.
#
#   scripts/build.sh patched   build/linux (base + series)      -> build/linux-out
#   scripts/build.sh base      build/base/linux (ptw-base tag)  -> build/base/linux-out
#   scripts/build.sh rev REV   build/bisect/linux (at REV)      -> build/bisect/linux-out
#   scripts/build.sh rev REV thp                               -> build/bisect/linux-out-thp
#
# base and patched use tinyconfig plus the same fragments in configs/ (the test config), so
# they differ only by the series. rev builds vmlinux with configs/bisect-$ARCH.config (THP off,
# HugeTLB on): the check that every patch builds on its own, which scripts/test.sh makes; with
# "thp", configs/thp-on.config turns THP on in it (scripts/bisect.sh thp). A rev build whose
# key (the tree id at REV, the toolchain, the config and these scripts) is stored in
# build-results/ passed before and is not built again (scripts/build-results.sh);
# PTW_BUILD_RUN=1 builds it.
# PTW_FLAVOUR=perf builds base and patched with configs/perf.config added (-O2, as distribution
# kernels are built, for scripts/bench.sh), into build/linux-out-perf and
# build/base/linux-out-perf.
# Every option a fragment asks for is checked in the final .config. ccache is used with
# CCACHE_BASEDIR=build/, and the two trees sit at the same relative place to their output
# folders, so the base and patched builds share cache entries for every unchanged file.
. "$(dirname "$0")/lib.sh"

which=${1:-patched}
case "$which" in
patched) src=$TREE out=$BUILD/linux-out$FLAVOUR ;;
base) src=$BASE_TREE out=$BUILD/base/linux-out$FLAVOUR rev=$BASE_TAG ;;
rev) src=$BUILD/bisect/linux out=$BUILD/bisect/linux-out${3:+-$3} rev=${2:-} ;;
*) die "usage: build.sh patched|base|rev REV" ;;
esac
[ -d "$TREE/.git" ] || die "no $TREE: run scripts/tree.sh first"
# REV as the scratch tree names it (HEAD is its HEAD, not the worktree's).
[ "$which" = patched ] || rev=$(git -C "$TREE" rev-parse -q --verify "$rev^{commit}") || die "no commit '$rev' in $TREE"

case "$ARCH" in
x86_64) karch=x86_64 image=arch/x86/boot/bzImage target=bzImage cross= ;;
arm64) karch=arm64 image=arch/arm64/boot/Image target=Image cross=aarch64-linux-gnu- ;;
*) die "ARCH=$ARCH not supported" ;;
esac
frags=("$TOP/configs/mm-test.config" "$TOP/configs/$ARCH.config")
if [ "$which" = rev ]; then
	frags=("$TOP/configs/bisect-$ARCH.config")
	[ -f "${frags[0]}" ] || die "no configs/bisect-$ARCH.config"
	case "${3:-}" in
	"") ;;
	thp) frags+=("$TOP/configs/thp-on.config") ;;
	*) die "build.sh rev REV [thp]" ;;
	esac
	target=vmlinux image=vmlinux
fi
extra=${PTW_EXTRA_CONFIG:-}
[ -z "$extra" ] || frags+=("$extra")
[ -z "$FLAVOUR" ] || [ "$which" = rev ] || frags+=("$TOP/configs/${FLAVOUR#-}.config")

# A build at a patch whose key is stored passed before (scripts/build-results.sh).
build_key() {
	local tree
	tree=$("$TOP/scripts/build-results.sh" tree "$rev") && [ -n "$tree" ] || return 1
	echo "build: vmlinux $ARCH${3:+ $3}"
	echo "$tree"
	echo "compiler: $("${cross}gcc" --version | head -1)"
	echo "binutils: $("${cross}ld" --version | head -1)"
	echo "make: $(make --version | head -1)"
	for f in "${frags[@]}" "$TOP/scripts/build.sh" "$TOP/scripts/lib.sh"; do
		echo "file: $(sha256sum "$f" | cut -c1-16) ${f#"$TOP"/}"
	done
}
if [ "$which" = rev ] && [ -z "$extra" ]; then
	key=$(build_key "$@") || die "no key for $rev"
	"$TOP/scripts/build-results.sh" stored <<<"$key" && exit 0
fi

# base and rev build a worktree of the scratch tree, re-made if the tree was re-made.
if [ "$which" != patched ]; then
	if ! git -C "$src" rev-parse -q --verify HEAD >/dev/null 2>&1 ||
		[ "$(cd "$src" && cd "$(git rev-parse --git-common-dir)" && pwd)" != "$(git -C "$TREE" rev-parse --absolute-git-dir)" ]; then
		rm -rf "$src"
		git -C "$TREE" worktree prune
		mkdir -p "$(dirname "$src")"
		git -C "$TREE" worktree add -q --detach "$src" "$rev"
	fi
	git -C "$src" checkout -q --detach "$rev"
fi

cc="${cross}gcc"
if command -v ccache >/dev/null; then
	cc="ccache $cc"
	export CCACHE_BASEDIR=$BUILD CCACHE_NOHASHDIR=1
	mkdir -p "$CCACHE_DIR"
fi
mk=(make -s -C "$src" O="$out" ARCH="$karch" CROSS_COMPILE="$cross" CC="$cc" -j"$JOBS"
	KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=ptwalk KBUILD_BUILD_HOST=qemu)

t0=$(date +%s)
mkdir -p "$out"
kconfig mk "$src" "$out" "${frags[@]}" || die "the $which kernel's .config lacks options its fragments ask for"

log "build: $which kernel ($ARCH, $(git -C "$src" describe --always --tags HEAD)) in ${out#"$TOP"/}"
if ! "${mk[@]}" "$target" >"$out/build.log" 2>&1; then
	grep -E 'error|Error' "$out/build.log" | head -30 >&2
	die "$which kernel build failed: see ${out#"$TOP"/}/build.log"
fi
# A warning fails the build, as it fails the cross-builds (scripts/cross.sh).
if grep -qE ': warning:' "$out/build.log"; then
	grep -E ': warning:' "$out/build.log" | head -20 | sed 's/^/FAILED: build warning: /'
	die "$which kernel: the build gave warnings: see ${out#"$TOP"/}/build.log"
fi
echo "$which $ARCH $(since "$t0")s $(date -u +%FT%TZ)" >>"$BUILD/build-times.log"
[ -z "${key:-}" ] || "$TOP/scripts/build-results.sh" passed "$(since "$t0")" <<<"$key"
log "build: $which kernel built in $(since "$t0")s: ${out#"$TOP"/}/$image"
