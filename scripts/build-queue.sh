#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The builds that need no guest, one a line: "NAME<Tab>COMMAND", in the order scripts/test.sh
# runs them (in the background) and scripts/build-results.sh fill runs them (in the foreground).
#
# Bisectability: every patch builds with THP off and HugeTLB on (configs/bisect-$ARCH.config, a
# lean config: where a half-applied series breaks most easily). A patch that changes only
# another architecture's files is cross-built for it at its own commit instead (an x86 build
# would compile the same sources as at the patch before), and one that changes only files no
# kernel build reads (tools/, Documentation/, MAINTAINERS) is not built again (a line with no
# command says so). Then the patched tree's cross-builds, with THP on and off.
. "$(dirname "$0")/lib.sh"

S=$TOP/scripts
mapfile -t revs < <(git -C "$TREE" rev-list --reverse "$BASE_TAG"..HEAD 2>/dev/null || true)
for r in "${revs[@]}"; do
	subject=$(git -C "$TREE" log -1 --format='%h %s' "$r" | cut -c1-60)
	mapfile -t files < <(git -C "$TREE" diff --name-only "$r~" "$r")
	arches=$(printf '%s\n' "${files[@]}" | sed -n 's#^arch/\([^/]*\)/.*#\1#p' | sort -u)
	other=$(printf '%s\n' "${files[@]}" | grep -vE '^(arch/|tools/|Documentation/|MAINTAINERS$)' || true)
	if [ -z "$other" ] && [ -n "$arches" ] && ! grep -qx x86 <<<"$arches" && [ "$(wc -l <<<"$arches")" = 1 ]; then
		printf 'series: cross-builds for %s at %s\tenv PTW_CROSS_REV=%s %s %s\n' "$arches" "$subject" "$r" "$S/cross.sh" "$arches"
	elif [ -z "$other" ] && [ -z "$arches" ]; then
		printf 'series: %s changes only tools/, Documentation/ or MAINTAINERS: no kernel build\t\n' "$subject"
	else
		printf 'series: builds with THP off at %s\t%s rev %s\n' "$subject" "$S/build.sh" "$r"
	fi
done
for a in arm64 riscv s390 powerpc loongarch {arm64,riscv,s390,powerpc,loongarch}-nothp; do
	printf "cross: the patched tree's mm/, fs/proc/ and arch/%s/mm/ build for %s\t%s %s\n" "${a%-nothp}" "$a" "$S/cross.sh" "$a"
done
