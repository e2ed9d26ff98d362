#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The main job: make the tree if there is none (base + patches/), build the patched kernel,
# boot it with hugepages= on the command line, and print the /proc/<pid>/smaps entries,
# numa_maps lines and a pagemap summary of a workload that maps anon memory, a THP, and 2M
# and 1G hugetlb, private and shared. Installs the Debian packages it misses first.
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/deps.sh"

t0=$(date +%s)
[ -d "$TREE/.git" ] || "$TOP/scripts/tree.sh"
"$TOP/scripts/build.sh" patched
"$TOP/scripts/guest-build.sh" >/dev/null
rc=0
"$TOP/scripts/boot.sh" patched "$TOP/guest/jobs/demo.sh" demo || rc=$?
echo
cat "$BUILD/runs/demo/guest.log"
echo
log "demo: done in $(since "$t0")s (guest log: build/runs/demo/guest.log, console: build/runs/demo/serial.log)"
exit $rc
