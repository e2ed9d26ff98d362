#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The base kernel's results, kept in the repo (base-results/$ARCH/) with the key of everything
# they depend on, so that a test run on a new machine need not build and boot the base kernel.
# What the base kernel prints depends on the base tree, the kernel config, the compiler, QEMU,
# the host userland the guest runs (the root file system is the host's, over 9p), the guest
# programs and jobs, the scripts that boot and drive them and their settings; not on the series.
#
#   scripts/base-results.sh key       the key of this tree and machine (key.txt's format)
#   scripts/base-results.sh check     exit 0 if the stored key is this key; else say what differs
#   scripts/base-results.sh restore   the stored results into build/runs/, where the tests read them
#   scripts/base-results.sh save      this machine's base results (build/runs/) into the repo,
#                                     with this key; scripts/test.sh prints when to run it
#
# Stored: the boot check's and the stress test's logs (each passed), the oracle's two runs, and
# the selftests' results, TAP output and times. A run is stored only when every base test of it
# passed (scripts/test.sh checks; its selftest failures all in selftests/known-base-failures).
#
#   scripts/base-results.sh --patched key|check|restore|save
#
# The same for the patched kernel's two long guest runs, in patched-results/$ARCH/: the oracle's
# two runs and the selftests of both lanes (scripts/selftests-lanes.sh), keyed by the patched
# tree (base and series) instead of the base tree, and scripts/selftests-lanes.sh besides. Under
# TCG they take most of an hour; stored, a test run whose series has not changed compares them
# with the base's instead of running them again (scripts/test.sh says so, and
# PTW_PATCHED_RUN=1 runs them). Saved only when the oracle's and the selftests' comparisons with
# the base pass.
. "$(dirname "$0")/lib.sh"

kernel=base
[ "${1:-}" != --patched ] || { kernel=patched && shift; }
store=$TOP/$kernel-results/$ARCH
runs=$BUILD/runs

# Every file whose change can change what the base kernel prints in the guest.
key_files() {
	(cd "$TOP" && ls configs/mm-test.config "configs/$ARCH.config" guest/ptw-oracle.c guest/ptw-stress.c guest/ptw.h guest/init \
		guest/jobs/boot-check.sh guest/jobs/stress.sh guest/jobs/oracle.sh guest/jobs/selftests.sh \
		scripts/lib.sh scripts/boot.sh scripts/splat-check.sh scripts/known-splats.py splats/known-base \
		scripts/guest-build.sh scripts/oracle.sh scripts/selftests.sh \
		selftests/left-out-for-time)
	[ $kernel = base ] || (cd "$TOP" && ls scripts/selftests-lanes.sh)
}

key() {
	local f
	if [ $kernel = base ]; then
		echo "base tree: $(git -C "$TREE" rev-parse "$BASE_TAG^{tree}")"
	else
		echo "patched tree: $(git -C "$TREE" rev-parse "HEAD^{tree}")"
	fi
	echo "compiler: $(gcc --version | head -1)"
	echo "qemu: $(qemu-system-"$ARCH" --version | head -1)"
	echo "userland: Debian $(cat /etc/debian_version), $(bash --version | head -1)"
	echo "settings: PTW_KST_CATS=${PTW_KST_CATS:-} PTW_KST_TEST_TIMEOUT=${PTW_KST_TEST_TIMEOUT:-}" \
		"PTW_KST_SLOWDOWN=${PTW_KST_SLOWDOWN:-} PTW_CPUS=${PTW_CPUS:-} PTW_MEM=${PTW_MEM:-}" \
		"PTW_HUGEPAGES=${PTW_HUGEPAGES:-} PTW_CMDLINE=${PTW_CMDLINE:-} PTW_ACCEL=${PTW_ACCEL:-}" \
		"PTW_STRESS_SECONDS=${PTW_STRESS_SECONDS:-}"
	key_files | while read -r f; do
		echo "file: $(sha256sum "$TOP/$f" | cut -c1-16) $f"
	done
}

# The results: run folder, and the files of it that are kept.
parts() {
	if [ $kernel = patched ]; then
		printf '%s\n' "oracle-patched oracle-1.txt oracle-2.txt" \
			"selftests-patched results.txt times.txt mm-*.tap mincore.tap retried.txt"
		return
	fi
	cat <<-EOF
	boot-base guest.log
	stress-base guest.log
	oracle-base oracle-1.txt oracle-2.txt
	selftests-base results.txt times.txt mm-*.tap mincore.tap retried.txt
	EOF
}

case "${1:-}" in
key) key ;;
check)
	[ -s "$store/key.txt" ] || { echo "no $kernel results stored in ${store#"$TOP"/}"; exit 1; }
	if ! diff <(key) "$store/key.txt" >/dev/null; then
		echo "the stored $kernel results (${store#"$TOP"/}, $(cat "$store/when")) are of another key:"
		diff <(key) "$store/key.txt" | sed -n 's/^< /  now:    /p; s/^> /  stored: /p'
		exit 1
	fi
	echo "key matches: $kernel results of $(cat "$store/when")"
	;;
restore)
	[ -s "$store/key.txt" ] && diff <(key) "$store/key.txt" >/dev/null ||
		die "the stored $kernel results do not match this key"
	parts | while read -r dir files; do
		rm -rf "${runs:?}/$dir" && mkdir -p "$runs/$dir"
		(cd "$store/$dir" && cp $files "$runs/$dir/" 2>/dev/null) || true
	done
	;;
save)
	if [ $kernel = patched ]; then
		# Only a run whose comparisons with the base pass.
		"$TOP/scripts/oracle.sh" same patched >/dev/null && "$TOP/scripts/oracle.sh" compare >/dev/null ||
			die "the patched kernel's oracle output is not the base's, or not the same twice"
		"$TOP/scripts/selftests.sh" compare >/dev/null ||
			die "the patched kernel's selftests do not pass where the base's do"
	else
		# Only a run whose every selftest failure is a known one of the base's.
		awk 'NR == FNR { if ($0 !~ /^#/ && NF) { sub(/ *\|.*/, ""); known[$0] = 1 }; next }
			$NF != "PASS" && $NF != "SKIP" { name = $0; sub(/ [A-Z]+$/, "", name); if (!(name in known)) { print "not a known base failure: " $0; bad = 1 } }
			END { exit bad }' "$TOP/selftests/known-base-failures" "$runs/selftests-base/results.txt" ||
			die "the base's selftests failed where selftests/known-base-failures does not say they do"
	fi
	new=$(mktemp -d)
	key >"$new/key.txt"
	date -u +%FT%TZ >"$new/when"
	parts | while read -r dir files; do
		mkdir -p "$new/$dir"
		(cd "$runs/$dir" && cp $files "$new/$dir/" 2>/dev/null) || true
		[ -n "$(ls "$new/$dir")" ] || die "no results in build/runs/$dir"
	done
	rm -rf "$store" && mkdir -p "$(dirname "$store")" && mv "$new" "$store"
	chmod 755 "$store"
	log "$kernel results saved in ${store#"$TOP"/}: commit them"
	;;
*) die "usage: base-results.sh [--patched] key|check|restore|save" ;;
esac
