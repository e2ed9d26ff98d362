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
. "$(dirname "$0")/lib.sh"

store=$TOP/base-results/$ARCH
runs=$BUILD/runs

# Every file whose change can change what the base kernel prints in the guest.
key_files() {
	(cd "$TOP" && ls configs/mm-test.config "configs/$ARCH.config" guest/ptw-oracle.c guest/ptw-stress.c guest/ptw.h guest/init \
		guest/jobs/boot-check.sh guest/jobs/stress.sh guest/jobs/oracle.sh guest/jobs/selftests.sh \
		scripts/lib.sh scripts/boot.sh scripts/splat-check.sh scripts/known-splats.py splats/known-base \
		scripts/guest-build.sh scripts/oracle.sh scripts/selftests.sh \
		selftests/left-out-for-time)
}

key() {
	local f
	echo "base tree: $(git -C "$TREE" rev-parse "$BASE_TAG^{tree}")"
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
	[ -s "$store/key.txt" ] || { echo "no base results stored in ${store#"$TOP"/}"; exit 1; }
	if ! diff <(key) "$store/key.txt" >/dev/null; then
		echo "the stored base results (${store#"$TOP"/}, $(cat "$store/when")) are of another key:"
		diff <(key) "$store/key.txt" | sed -n 's/^< /  now:    /p; s/^> /  stored: /p'
		exit 1
	fi
	echo "key matches: base results of $(cat "$store/when")"
	;;
restore)
	"$0" check >/dev/null || die "the stored base results do not match this key"
	parts | while read -r dir files; do
		rm -rf "${runs:?}/$dir" && mkdir -p "$runs/$dir"
		(cd "$store/$dir" && cp $files "$runs/$dir/" 2>/dev/null) || true
	done
	;;
save)
	# Only a run whose every selftest failure is a known one of the base's.
	awk 'NR == FNR { if ($0 !~ /^#/ && NF) { sub(/ *\|.*/, ""); known[$0] = 1 }; next }
		$NF != "PASS" && $NF != "SKIP" { name = $0; sub(/ [A-Z]+$/, "", name); if (!(name in known)) { print "not a known base failure: " $0; bad = 1 } }
		END { exit bad }' "$TOP/selftests/known-base-failures" "$runs/selftests-base/results.txt" ||
		die "the base's selftests failed where selftests/known-base-failures does not say they do"
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
	log "base results saved in ${store#"$TOP"/}: commit them"
	;;
*) die "usage: base-results.sh key|check|restore|save" ;;
esac
