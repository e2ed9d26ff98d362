# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the pt_range_walk harness. Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
PATCHES=$TOP/patches
# Caches that outlive a clone: the base .deb and ccache. CI on the same machine reuses them.
CACHE=${PTW_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ptwalk}
# PTW_FLAVOUR=perf: the kernels of scripts/bench.sh, built with configs/perf.config as well.
FLAVOUR=${PTW_FLAVOUR:+-$PTW_FLAVOUR}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}

# Debian's base package: preferred version, and the suite that carries it.
DEB_PKG=linux-source-7.3
DEB_VER_PREF=7.3.4-1~bpo13+1
DEB_SUITES="trixie-backports trixie"

# The scratch kernel tree, its base tag and the base worktree used for the unpatched build.
TREE=$BUILD/linux
BASE_TAG=ptw-base
BASE_TREE=$BUILD/base/linux

# Fixed identity and date for the base commit, so that its hash (and base-commit:) is the same
# on every machine that imports the same package.
BASE_IDENT_NAME="Linux base import"
BASE_IDENT_EMAIL="base@ptwalk.invalid"

ARCH=${ARCH:-x86_64}
JOBS=${JOBS:-$(nproc)}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A hash of the series files in folder $1 (what the scratch tree was last synced with).
series_hash() { cat "$1"/[0-9][0-9][0-9][0-9]-*.patch 2>/dev/null | sha256sum | cut -d' ' -f1; }

# Seconds since $1 (a `date +%s` value), for timing lines.
since() { echo $(($(date +%s) - $1)); }

# wanted FRAGMENT...: each option's line from the last fragment that sets it, as merge_config.sh
# applies them
wanted() {
	sed -nE 's/^(CONFIG_[A-Za-z0-9_]+)=.*/\1 &/p; s/^# (CONFIG_[A-Za-z0-9_]+) is not set$/\1 &/p' "$@" |
		awk '{ key = $1; sub(/^[^ ]+ /, ""); line[key] = $0; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
		END { for (i = 0; i < n; i++) print line[order[i]] }'
}

# kconfig MK SRC OUT FRAGMENT...: tinyconfig plus the fragments, in OUT, with the make command in
# the array named MK; then check that the .config has every option a fragment asks for. An
# option that the tree's Kconfig does not define (one the series adds, in the base tree) is
# logged and not checked.
kconfig() {
	local -n _mk=$1
	local src=$2 out=$3 line sym bad=0
	shift 3
	"${_mk[@]}" tinyconfig >/dev/null
	(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O "$out" .config "$@" >"$out/merge.log" 2>&1) ||
		{ cat "$out/merge.log" >&2; die "merge_config failed"; }
	"${_mk[@]}" olddefconfig >/dev/null
	while read -r line; do
		case "$line" in
		CONFIG_*=*)
			grep -qxF "$line" "$out/.config" && continue
			sym=${line%%=*}
			if ! grep -rqE "^[[:space:]]*(menu)?config[[:space:]]+${sym#CONFIG_}[[:space:]]*$" --include='Kconfig*' "$src"; then
				log "build: $sym is not defined in this tree (it comes with the series): not checked"
				continue
			fi
			echo "config: wanted $line, got: $(grep -E "^(# )?$sym[= ]" "$out/.config" || echo unset)" >&2
			bad=1
			;;
		"# CONFIG_"*" is not set") grep -qE "^${line:2:-11}=" "$out/.config" && { echo "config: wanted '$line'" >&2; bad=1; } ;;
		esac
	done < <(wanted "$@")
	[ $bad = 0 ]
}
