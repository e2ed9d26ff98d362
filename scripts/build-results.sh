#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Builds that passed, kept in the repo (build-results/) with the key of everything a build's
# outcome depends on: the git tree id of the sources built (so the same patch on another base,
# or any change to it or to a patch before it, is another key), the compiler, binutils and make
# versions, and the configs and scripts the build reads. A build of the test command's queue
# (scripts/build.sh rev, the build at every patch; scripts/cross.sh) whose key is stored is
# not built again: the test says so on a NOTE line, with the stored result it stands on.
# PTW_BUILD_RUN=1 builds everything. PTW_BUILD_RESULTS names another store (scripts/harness-check.sh).
#
#   scripts/build-results.sh stored    key on stdin: exit 0 and say so when it is stored
#   scripts/build-results.sh passed S  key on stdin: a build of it passed here in S seconds
#                                      (kept in build/build-results/ until saved)
#   scripts/build-results.sh save      this machine's passed builds into build-results/; the
#                                      stored ones of trees that no commit of the series has
#                                      any more are dropped; then commit build-results/
#   scripts/build-results.sh fill      the test command's builds (scripts/build-queue.sh), one
#                                      after another here, those stored aside; then save
#   scripts/build-results.sh tree REV  the key's line for the sources at REV of the scratch
#                                      tree; nothing (no key: build, do not store) for the
#                                      working tree when it has changes no commit holds
#
# A key's "file:" lines name the repo's files by their sha256; scripts/build.sh and
# scripts/cross.sh make the keys (build_key in each).
. "$(dirname "$0")/lib.sh"

store=${PTW_BUILD_RESULTS:-$TOP/build-results}
here=$BUILD/build-results

# id: a result's file name, from its key on stdin
id() { sha256sum | cut -c1-16; }

case "${1:-}" in
stored)
	key=$(cat)
	f=$store/$(id <<<"$key").txt
	[ "${PTW_BUILD_RUN:-0}" != 1 ] && [ -f "$f" ] && [ "$(sed '/^result: /,$d' "$f")" = "$key" ] || exit 1
	echo "NOTE: not built again: $(sed -n 's/^result: //p' "$f") with the same key (${f#"$TOP"/}); PTW_BUILD_RUN=1 builds it"
	;;
passed)
	key=$(cat)
	mkdir -p "$here"
	printf '%s\nresult: built and passed on %s in %ss\n' "$key" "$(date -u +%F)" "${2:?seconds}" \
		>"$here/$(id <<<"$key").txt"
	;;
tree)
	rev=${2:?REV}
	if [ "$rev" = WORKTREE ]; then
		[ -z "$(git -C "$TREE" status --porcelain)" ] || exit 0
		rev=HEAD
	fi
	echo "tree: $(git -C "$TREE" rev-parse "$rev^{tree}")"
	;;
fill)
	n=0 bad=0
	while IFS=$'\t' read -r name cmd; do
		[ -n "$cmd" ] || continue
		n=$((n + 1))
		t0=$(date +%s)
		read -ra words <<<"$cmd"
		if "${words[@]}" >"$BUILD/build-results-fill.log" 2>&1; then
			log "PASS $name ($(since "$t0")s)"
		else
			log "FAIL $name ($(since "$t0")s)"
			tail -5 "$BUILD/build-results-fill.log" >&2
			bad=$((bad + 1))
		fi
	done < <("$TOP/scripts/build-queue.sh")
	log "build results: $n builds, $bad failed"
	"$0" save
	[ $bad = 0 ]
	;;
save)
	mkdir -p "$store"
	n=0
	for f in "$here"/*.txt; do
		[ -f "$f" ] || continue
		cp "$f" "$store/" && n=$((n + 1))
	done
	# Keep the results of the trees of the series' commits, built with the files as they are.
	trees=$(git -C "$TREE" log --format=%T "$BASE_TAG..HEAD")
	dropped=0
	for f in "$store"/*.txt; do
		[ -f "$f" ] || continue
		if grep -qxF "$(sed -n 's/^tree: //p' "$f")" <<<"$trees" &&
			sed -n 's/^file: //p' "$f" | while read -r sum path; do
				[ "$(sha256sum "$TOP/$path" 2>/dev/null | cut -c1-16)" = "$sum" ] || exit 1
			done; then
			continue
		fi
		rm -f "$f" && dropped=$((dropped + 1))
	done
	log "build results: $n saved, $dropped of other trees or files dropped, $(ls "$store" | wc -l) in ${store#"$TOP"/}: commit them"
	;;
*) die "usage: build-results.sh stored|passed SECONDS|tree REV|fill|save" ;;
esac
