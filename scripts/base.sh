#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch Debian's linux-source-7.3 package into the cache and print the path of the .deb.
#
# The package lives in a newer Debian suite than this machine's. A temporary apt source list is
# made at run time from the machine's own apt configuration (the URI its Debian source already
# uses), in a private apt state directory, so the system's apt setup is not touched. The .deb is
# kept in $CACHE/debs, and a later run with it there needs no network.
#
# Prefers $DEB_VER_PREF; falls back to the newest 7.3.x served, and says which one it used.
. "$(dirname "$0")/lib.sh"

debs=$CACHE/debs
mkdir -p "$debs"

cached() {
	local v=$1 f
	f=$(ls "$debs"/"${DEB_PKG}"_"${v//:/%3a}"_all.deb 2>/dev/null | head -1) || true
	[ -n "$f" ] && echo "$f"
}

f=$(cached "$DEB_VER_PREF") || true
if [ -n "$f" ]; then
	log "base: $DEB_PKG $DEB_VER_PREF (cached)"
	echo "$f"
	exit 0
fi

# The Debian archive URI this machine already uses, from deb822 or one-line sources.
debian_uri() {
	local f u
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		u=$(awk 'tolower($1)=="uris:"{print $2; exit}' "$f")
		case "$u" in */debian | */debian/) echo "${u%/}"; return 0 ;; esac
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		u=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i !~ /^\[/ && $i !~ /\]$/) {print $i; exit}}' "$f")
		case "$u" in */debian | */debian/) echo "${u%/}"; return 0 ;; esac
	done
	return 1
}

uri=$(debian_uri) || die "no Debian archive URI in this machine's apt configuration"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "$keyring missing (apt-get install debian-archive-keyring)"

st=$(mktemp -d)
trap 'rm -rf "$st"' EXIT
mkdir -p "$st/lists/partial" "$st/cache/archives/partial"
for s in $DEB_SUITES; do
	echo "deb [signed-by=$keyring] $uri $s main"
done >"$st/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$st/sources.list" -o Dir::Etc::sourceparts=/dev/null
	-o "Dir::State::Lists=$st/lists" -o "Dir::Cache=$st/cache"
	-o APT::Sandbox::User=root)

log "base: apt update of temporary source list ($DEB_SUITES)"
apt-get -q "${apt_opts[@]}" update >"$st/update.log" 2>&1 ||
	{ cat "$st/update.log" >&2; die "apt-get update of the temporary source list failed"; }

versions=$(apt-cache "${apt_opts[@]}" madison "$DEB_PKG" | awk -F'|' '{gsub(/ /,"",$2); print $2}')
[ -n "$versions" ] || die "$DEB_PKG is not served by $DEB_SUITES"
if grep -qxF "$DEB_VER_PREF" <<<"$versions"; then
	ver=$DEB_VER_PREF
else
	ver=$(grep '^7\.3\.' <<<"$versions" | sort -V | tail -1)
	[ -n "$ver" ] || die "no 7.3.x version of $DEB_PKG served (have: $versions)"
	log "base: preferred $DEB_VER_PREF not served; falling back to $ver"
fi

(cd "$st" && apt-get -q "${apt_opts[@]}" download "$DEB_PKG=$ver" >"$st/download.log" 2>&1) ||
	{ cat "$st/download.log" >&2; die "download of $DEB_PKG=$ver failed"; }
mv "$st"/"${DEB_PKG}"_*_all.deb "$debs/"
f=$(cached "$ver") || die "downloaded .deb not found"
log "base: $DEB_PKG $ver (downloaded)"
echo "$f"
