#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Checks on one file of patches/, as a reviewer receives it.
#
#   check-patch.sh checkpatch FILE   checkpatch.pl --strict --ignore MISSING_SIGN_OFF finds nothing
#                                    (on a base without git history, commit ids cannot be
#                                    looked up: they are listed in a NOTE instead)
#   check-patch.sh trailers FILE     an Assisted-by: tag, and no Signed-off-by: (the DCO is the
#                                    human submitter's to certify, after review)
#   check-patch.sh cover FILE        the cover letter has a subject, text, and a section headed
#                                    "Origin" saying how the series was made and tested
#
# checkpatch.pl is the one of the scratch tree (build/linux), i.e. of the base.
. "$(dirname "$0")/lib.sh"

what=${1:-} f=${2:-}
[ -f "$f" ] || die "usage: check-patch.sh checkpatch|trailers|cover FILE"
f=$(cd "$(dirname "$f")" && pwd)/$(basename "$f")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git mailinfo "$tmp/msg" "$tmp/patch" <"$f" >"$tmp/info"

case "$what" in
checkpatch)
	[ -f "$TREE/scripts/checkpatch.pl" ] || die "no $TREE/scripts/checkpatch.pl: run scripts/tree.sh"
	ignore=MISSING_SIGN_OFF
	# checkpatch verifies a commit id (Fixes:, "commit <id>") against the tree's history. A base
	# imported from a tarball has none, so no upstream id can be found there: say which ids went
	# unverified. With BASE= a tree that has history, they are verified.
	if [ -z "$(git -C "$TREE" rev-list -1 "$BASE_TAG^" 2>/dev/null)" ]; then
		ids=$(grep -oiE '^(fixes:|.*\bcommit)[[:space:]]+[0-9a-f]{12,40}' "$tmp/msg" |
			grep -oE '[0-9a-f]{12,40}$' | sort -u | tr '\n' ' ' || true)
		if [ -n "$ids" ]; then
			ignore+=,UNKNOWN_COMMIT_ID
			echo "NOTE: commit ids not verifiable on a base without history: $ids"
		fi
	fi
	# checkpatch runs scripts/spdxcheck.py on new files with the python3 of PATH: Debian's, which
	# has the ply and git modules (deps.sh), not another one that PATH may name first.
	out=$(cd "$TREE" && PATH=/usr/bin:$PATH perl scripts/checkpatch.pl --strict --ignore "$ignore" --no-color -q \
		--no-summary "$f" 2>&1) || true
	if [ -n "$out" ]; then
		echo "$out"
		exit 1
	fi
	;;
trailers)
	bad=0
	grep -qE '^Assisted-by: [^ ].*' "$tmp/msg" || { echo "no Assisted-by: tag"; bad=1; }
	if grep -nE '^Signed-off-by:' "$tmp/msg"; then
		echo "a Signed-off-by: tag: only the human submitter adds it, after review"
		bad=1
	fi
	exit $bad
	;;
cover)
	bad=0
	subj=$(sed -n 's/^Subject: //p' "$tmp/info")
	case "$subj" in "" | *"*** SUBJECT HERE ***"*) echo "the cover letter has no subject"; bad=1 ;; esac
	if grep -qF '*** BLURB HERE ***' "$tmp/msg"; then echo "the cover letter has no text"; bad=1; fi
	grep -qE '^Origin' "$tmp/msg" || { echo "the cover letter has no section headed 'Origin'"; bad=1; }
	exit $bad
	;;
*) die "usage: check-patch.sh checkpatch|trailers|cover FILE" ;;
esac
