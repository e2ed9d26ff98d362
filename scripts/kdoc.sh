#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kernel-doc on every C file and header the series touches: no warning that the base tree
# does not already give for the same file (line numbers aside).
. "$(dirname "$0")/lib.sh"

[ -d "$TREE/.git" ] || die "no $TREE: run scripts/tree.sh first"
mapfile -t files < <(git -C "$TREE" diff --name-only --diff-filter=AM "$BASE_TAG"..HEAD -- '*.c' '*.h')
[ ${#files[@]} -gt 0 ] || { echo "the series touches no C file"; exit 0; }
# kernel-doc WORKTREE FILES: its warnings without line numbers, sorted
kdoc() {
	local wt=$1
	shift
	(cd "$wt" && PATH=/usr/bin:$PATH scripts/kernel-doc -none -Wall "$@" 2>&1) |
		sed -E 's/:[0-9]+ /: /' | sort -u
}
tmp=$(mktemp -d)
trap 'git -C "$TREE" worktree remove --force "$tmp/base" 2>/dev/null || true; rm -rf "$tmp"' EXIT
git -C "$TREE" worktree add -q --detach "$tmp/base" "$BASE_TAG" || die "no worktree of $BASE_TAG"
old=()
for f in "${files[@]}"; do [ -f "$tmp/base/$f" ] && old+=("$f"); done
kdoc "$TREE" "${files[@]}" >"$tmp/patched"
[ ${#old[@]} = 0 ] && : >"$tmp/old" || kdoc "$tmp/base" "${old[@]}" >"$tmp/old"
new=$(comm -23 "$tmp/patched" "$tmp/old")
echo "kernel-doc on ${#files[@]} files the series touches: $(wc -l <"$tmp/patched") warnings, $(wc -l <"$tmp/old") of them on the base"
[ -z "$new" ] || { echo "new warnings:"; echo "$new"; exit 1; }
