#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the commits of build/linux on top of ptw-base into patches/ as
# `git format-patch --cover-letter --base` output. Deterministic: exporting an unchanged tree
# changes no byte (zero commit ids, fixed abbreviation, no user git config, and the cover
# letter's From/Date taken from the newest commit). The cover letter's subject and text come
# from the branch description (`git -C build/linux branch --edit-description`).
. "$(dirname "$0")/lib.sh"

out=${PATCHES_OUT:-$PATCHES}
[ -d "$TREE/.git" ] || die "no $TREE: run scripts/tree.sh first"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
g() { git -C "$TREE" -c core.abbrev=12 -c diff.algorithm=myers "$@"; }

[ -z "$(g status --porcelain --untracked-files=no)" ] ||
	log "export: note: $TREE has uncommitted changes; they are not exported"
n=$(g rev-list --count "$BASE_TAG"..HEAD)
mkdir -p "$out"
rm -f "$out"/[0-9][0-9][0-9][0-9]-*.patch
if [ "$n" = 0 ]; then
	[ "$out" != "$PATCHES" ] || series_hash "$PATCHES" >"$TREE/.git/ptw-synced"
	log "export: no commits on $BASE_TAG: $out holds no patches"
	exit 0
fi

# The cover letter's identity and date: the newest commit's author.
IFS=$'\t' read -r an ae ad < <(g log -1 --format='%an%x09%ae%x09%ad' --date=raw HEAD)
GIT_COMMITTER_NAME=$an GIT_COMMITTER_EMAIL=$ae GIT_COMMITTER_DATE=$ad \
	g format-patch -q --cover-letter --cover-from-description=subject --base="$BASE_TAG" \
	--zero-commit --no-signature --no-numbered-files --subject-prefix=PATCH \
	-o "$out" "$BASE_TAG"..HEAD
[ "$out" != "$PATCHES" ] || series_hash "$PATCHES" >"$TREE/.git/ptw-synced"
log "export: $n patches and a cover letter in ${out#"$TOP"/}"
