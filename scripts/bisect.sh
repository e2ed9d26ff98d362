#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every patch of the series on its own: scripts/build.sh rev at each commit from the base
# to the tip of the scratch tree, one line per patch, and a non-zero exit if one fails.
#
#   scripts/bisect.sh        THP off (configs/bisect-x86_64.config), as scripts/test.sh does
#   scripts/bisect.sh thp    THP on (configs/thp-on.config added): not part of scripts/test.sh,
#                            whose time it would add to; run it when the series changes
. "$(dirname "$0")/lib.sh"

rc=0
for r in $(git -C "$TREE" rev-list --reverse "$BASE_TAG"..HEAD); do
	t0=$(date +%s)
	name=$(git -C "$TREE" log -1 --format='%h %s' "$r")
	if "$TOP/scripts/build.sh" rev "$r" ${1:-} >"$BUILD/bisect-${1:-nothp}.log" 2>&1; then
		echo "PASS  $name ($(since "$t0")s)"
	else
		echo "FAIL  $name ($(since "$t0")s)"
		tail -20 "$BUILD/bisect-${1:-nothp}.log"
		rc=1
	fi
done
exit $rc
