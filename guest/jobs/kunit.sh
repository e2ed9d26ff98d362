#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Guest job of scripts/kunit.sh: the built-in KUnit suites ran during boot, before init; their
# KTAP output is in the kernel log, which scripts/boot.sh saves as dmesg.log.
echo "kunit boot: $(uname -r): $(cat /proc/cmdline)"
exit 0
