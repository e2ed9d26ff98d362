#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the scratch kernel tree build/linux: the base as one tagged commit (ptw-base) plus the
# series in patches/ applied with `git am`, on branch "series".
#
#   scripts/tree.sh              base = Debian's linux-source-7.3 (see scripts/base.sh)
#   BASE=/path/to/git scripts/tree.sh   base = HEAD (or BASEREV) of your own tree, e.g. mm-unstable
#   FORCE=1 scripts/tree.sh      throw away commits in build/linux that are not exported
#
# A patch that does not apply stops it, names the patch and exits 1.
. "$(dirname "$0")/lib.sh"

g() { git -C "$TREE" "$@"; }

# Commits need an identity; a fresh CI machine may have none.
git config user.email >/dev/null 2>&1 || export GIT_COMMITTER_NAME="ptwalk harness" \
	GIT_COMMITTER_EMAIL="harness@ptwalk.invalid" GIT_AUTHOR_NAME="ptwalk harness" \
	GIT_AUTHOR_EMAIL="harness@ptwalk.invalid"

base_id() {
	if [ -n "${BASE:-}" ]; then
		echo "dir:$(cd "$BASE" && pwd)@$(git -C "$BASE" rev-parse "${BASEREV:-HEAD}")"
	else
		echo "deb:$(basename "$1")"
	fi
}

# Debian's tarball ends its .gitignore with a block that ignores everything at the top level
# ("/*" and "!/debian/"). Drop it, so the tree behaves like a plain upstream tree.
strip_debian_gitignore() {
	perl -0pi -e 's/\n#\n# Debian packaging:[^\n]*\n#[^\n]*\n#\n\/\*\n!\/debian\/\n/\n/' "$TREE/.gitignore"
	! grep -qx '/\*' "$TREE/.gitignore" || die "could not remove Debian's '/*' rule from .gitignore"
}

create_from_deb() {
	local deb=$1 t0
	t0=$(date +%s)
	rm -rf "$TREE"
	mkdir -p "$TREE"
	log "tree: extracting $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/src/linux-source-7.3.tar.xz |
		tar -xJ --strip-components=1 -C "$TREE"
	strip_debian_gitignore
	g init -q -b series
	g config core.autocrlf false
	log "tree: importing base into git"
	g add -A -f
	# Fixed identity and date: the same package gives the same base commit everywhere.
	GIT_AUTHOR_NAME="$BASE_IDENT_NAME" GIT_AUTHOR_EMAIL="$BASE_IDENT_EMAIL" \
		GIT_COMMITTER_NAME="$BASE_IDENT_NAME" GIT_COMMITTER_EMAIL="$BASE_IDENT_EMAIL" \
		GIT_AUTHOR_DATE="2026-01-01T00:00:00Z" GIT_COMMITTER_DATE="2026-01-01T00:00:00Z" \
		g commit -q --no-verify -m "Linux $(make -s -C "$TREE" kernelversion 2>/dev/null) from Debian $(basename "$deb" .deb)"
	g tag -f "$BASE_TAG" >/dev/null
	log "tree: base imported in $(since "$t0")s"
}

create_from_dir() {
	local rev
	rev=$(git -C "$BASE" rev-parse --verify "${BASEREV:-HEAD}^{commit}") || die "BASE=$BASE: no commit ${BASEREV:-HEAD}"
	rm -rf "$TREE"
	log "tree: cloning $BASE at $rev (shared objects)"
	git clone -q --shared --no-checkout "$BASE" "$TREE"
	g checkout -q -B series "$rev"
	g tag -f "$BASE_TAG" >/dev/null
}

# Refuse to drop work: uncommitted changes, or commits beyond the base whose export is neither
# what patches/ holds now nor what the tree was last synced with (applied or exported).
check_nothing_to_lose() {
	[ "${FORCE:-0}" = 1 ] && return 0
	if [ -n "$(g status --porcelain --untracked-files=no)" ]; then
		die "$TREE has uncommitted changes: commit them and run scripts/export.sh, or FORCE=1"
	fi
	[ "$(g rev-list --count "$BASE_TAG"..HEAD)" = 0 ] && return 0
	local tmp h
	tmp=$(mktemp -d)
	PATCHES_OUT=$tmp "$TOP/scripts/export.sh" >/dev/null 2>&1 && h=$(series_hash "$tmp")
	rm -rf "$tmp"
	[ -n "${h:-}" ] && { [ "$h" = "$(series_hash "$PATCHES")" ] ||
		[ "$h" = "$(cat "$TREE/.git/ptw-synced" 2>/dev/null)" ]; } && return 0
	die "$TREE has commits that are not exported to patches/: run scripts/export.sh, or FORCE=1"
}

mkdir -p "$BUILD"
if [ -n "${BASE:-}" ]; then
	[ -d "$BASE/.git" ] || git -C "$BASE" rev-parse --git-dir >/dev/null 2>&1 || die "BASE=$BASE is not a git tree"
	id=$(base_id)
else
	deb=$("$TOP/scripts/base.sh")
	id=$(base_id "$deb")
fi

if [ -d "$TREE/.git" ] && [ "$(cat "$TREE/.git/ptw-base-id" 2>/dev/null)" = "$id" ] &&
	g rev-parse -q --verify "$BASE_TAG" >/dev/null; then
	check_nothing_to_lose
	[ -d "$TREE/.git/rebase-apply" ] && g am --abort
	g checkout -q -f -B series "$BASE_TAG"
else
	[ -d "$TREE" ] && [ "${FORCE:-0}" != 1 ] && [ -d "$TREE/.git" ] &&
		[ "$(g rev-list --count "$BASE_TAG"..HEAD 2>/dev/null || echo 0)" != 0 ] &&
		check_nothing_to_lose
	if [ -n "${BASE:-}" ]; then create_from_dir; else create_from_deb "$deb"; fi
	echo "$id" >"$TREE/.git/ptw-base-id"
fi

# The cover letter's subject and text become the branch description, which export.sh turns
# back into the cover letter.
cover=$PATCHES/0000-cover-letter.patch
mapfile -t series < <(ls "$PATCHES"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | grep -v '/0000-cover-letter\.patch$' || true)
if [ ${#series[@]} -gt 0 ]; then
	pbase=$(sed -n 's/^base-commit: //p' "${series[-1]}" "$cover" 2>/dev/null | head -1)
	tbase=$(g rev-parse "$BASE_TAG")
	[ -z "$pbase" ] || [ "$pbase" = "$tbase" ] ||
		log "tree: note: the series was made on base-commit $pbase, this base is $tbase"
	for p in "${series[@]}"; do
		if ! g am -q --committer-date-is-author-date "$p" >"$BUILD/am.log" 2>&1; then
			grep -vE '^(hint:|When you have|If you prefer|To restore)' "$BUILD/am.log" >&2
			g am --abort >/dev/null 2>&1 || true
			die "patch does not apply: patches/$(basename "$p")"
		fi
	done
fi
if [ -f "$cover" ]; then
	"$TOP/scripts/cover.sh" read "$cover" | g config --file "$TREE/.git/config" branch.series.description "$(cat)"
fi
series_hash "$PATCHES" >"$TREE/.git/ptw-synced"
log "tree: $TREE = $BASE_TAG + ${#series[@]} patches ($(g describe --always --tags HEAD))"
