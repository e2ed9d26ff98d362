#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build the guest programs in guest/*.c into build/guest-bin. The guest runs them from there:
# it sees the host's root file system, so they link against the host's libraries.
. "$(dirname "$0")/lib.sh"

bin=$BUILD/guest-bin
mkdir -p "$bin"
for c in "$TOP"/guest/*.c; do
	[ -f "$c" ] || continue
	b=$bin/$(basename "$c" .c)
	[ "$b" -nt "$c" ] && [ "$b" -nt "$TOP/guest/ptw.h" ] && continue
	gcc -O2 -g -Wall -Wextra -Werror -o "$b" "$c" ${PTW_GUEST_LDLIBS:-} ||
		die "guest program $(basename "$c") does not build"
done
echo "$bin"
