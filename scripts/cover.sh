#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# cover.sh read FILE: print a cover letter's subject and text (without the [PATCH 0/N] prefix,
# the shortlog, the diffstat and the base-commit) as a git branch description: the subject,
# a blank line, the text. export.sh turns that back into the cover letter with
# `git format-patch --cover-from-description=subject`.
. "$(dirname "$0")/lib.sh"

[ "${1:-}" = read ] && [ -f "${2:-}" ] || die "usage: cover.sh read FILE"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git mailinfo "$tmp/msg" "$tmp/patch" <"$2" >"$tmp/info"
sed -n 's/^Subject: //p' "$tmp/info"
echo
# The text ends where the shortlog starts: "Author Name (N):" followed by an indented line.
awk 'prev != "" && /^  / { exit } { if (prev != "") print prev; prev = "" }
     /^[^ ].* \([0-9]+\):$/ { prev = $0; next } { print }' "$tmp/msg" |
	sed -e :a -e '/^\n*$/{$d;N;ba' -e '}'
