#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The series' KUnit suite: boot the patched kernel with the built-in KUnit tests enabled and
# what they need on the command line (HugeTLB pools of both sizes, 64K anonymous mTHP), then
# read the KTAP results out of the kernel log. Every case must pass; a skipped case fails.
#
#   scripts/kunit.sh [SUITE...]     default: pt_range_walk
. "$(dirname "$0")/lib.sh"

suites=("${@:-pt_range_walk}")
PTW_KUNIT=1 PTW_CMDLINE="${PTW_CMDLINE:-} thp_anon=64K:always;2M:inherit" \
	"$TOP/scripts/boot.sh" patched "$TOP/guest/jobs/kunit.sh" kunit
python3 "$TOP/scripts/ktap-check.py" "$BUILD/runs/kunit/dmesg.log" "${suites[@]}"
