#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages the harness needs (those not installed yet). Run as root.
. "$(dirname "$0")/lib.sh"

pkgs=(git make gcc perl python3 bc flex bison libelf-dev libssl-dev cpio xz-utils kmod
	ccache qemu-system-x86 busybox-static debian-archive-keyring libnuma-dev libcap-dev rsync
	e2fsprogs util-linux python3-ply python3-git
	gcc-aarch64-linux-gnu gcc-riscv64-linux-gnu gcc-s390x-linux-gnu gcc-powerpc64le-linux-gnu
	clang-19 lld-19 llvm-19)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
log "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -q update >/dev/null
apt-get -q install -y --no-install-recommends "${missing[@]}" >/dev/null
