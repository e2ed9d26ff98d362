#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The oracle: the same workload (guest/ptw-oracle.c) on the base and on the patched kernel,
# compared case by case. Any difference fails unless oracle/allow-list names the patch that
# makes it on purpose and says why.
#
#   scripts/oracle.sh run base|patched   boot the kernel and run ptw-oracle twice in the guest
#   scripts/oracle.sh same base|patched  the two runs on one kernel print the same text
#   scripts/oracle.sh compare            base against patched, with the allow-list
#   scripts/oracle.sh                    all of the above (kernels built by scripts/build.sh)
#
# Outputs: build/runs/oracle-{base,patched}/oracle-{1,2}.txt.
. "$(dirname "$0")/lib.sh"

cmp_py=$TOP/scripts/oracle-compare.py
res() { echo "$BUILD/runs/oracle-$1/oracle-$2.txt"; }

case "${1:-all}" in
run)
	"$TOP/scripts/guest-build.sh" >/dev/null
	"$TOP/scripts/boot.sh" "$2" "$TOP/guest/jobs/oracle.sh" "oracle-$2"
	;;
same)
	# The base may be nondeterministic where it has a bug that a patch fixes: the allow-list
	# says where. The patched kernel must print the same text twice, to the letter.
	allow=()
	[ "$2" = base ] && allow=(--allow "$TOP/oracle/allow-list" --patches "$PATCHES" --either-way)
	python3 "$cmp_py" "$(res "$2" 1)" "$(res "$2" 2)" "${allow[@]}" --labels "run 1,run 2"
	;;
compare)
	python3 "$cmp_py" "$(res base 1)" "$(res patched 1)" --allow "$TOP/oracle/allow-list" \
		--patches "$PATCHES" --labels base,patched
	;;
all)
	rc=0
	for k in base patched; do
		"$0" run "$k" || rc=1
		"$0" same "$k" || rc=1
	done
	"$0" compare || rc=1
	exit $rc
	;;
*) die "usage: oracle.sh [run base|patched | same base|patched | compare]" ;;
esac
