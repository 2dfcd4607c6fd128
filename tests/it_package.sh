#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Debian package, end to end: builds it from a copy of the source tree with
# `dpkg-buildpackage -us -uc -b`, runs lintian (no error, no warning), checks what it contains,
# installs it with dpkg -i, runs the installed plugin (--version, its man page, the demo against
# tests/mock_api.py), loads the packaged CheckCommand through Icinga 2's `include
# <plugins-contrib>` when icinga2 is there, and removes the package again.
#
#   bash tests/it_package.sh
#
# As root on Debian 12 (installs the build dependencies with apt-get); prints TAP. Skips (exit 0,
# "1..0 # SKIP reason") where the build dependencies cannot be installed. The test suite is not
# run again inside the build (DEB_BUILD_OPTIONS=nocheck: CI runs it on its own); set
# PACKAGE_CHECK=1 to run it there too. KEEP=1 keeps the temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
pkg=monitoring-plugins-tencentcloud-ssl
plugin=/usr/lib/nagios/plugins/check_tencentcloud_ssl
# shellcheck source=tests/testlib.sh
. "$here/testlib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (apt-get, dpkg -i)"
command -v dpkg-buildpackage >/dev/null || skip "not a Debian system (no dpkg-buildpackage)"

n=0
fails=0
ok() { # ok EXIT-CODE NAME [DIAG-FILE]
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fails=$((fails + 1))
		[ -n "${3:-}" ] && [ -r "$3" ] && tail -n 30 "$3" | sed 's/^/# /'
	fi
}

tmp=$(mktemp -d /tmp/it-package.XXXXXX)
chmod 755 "$tmp"
installed_here=0
mockpid=
cleanup() {
	[ -n "$mockpid" ] && kill "$mockpid" 2>/dev/null && wait "$mockpid" 2>/dev/null
	[ "$installed_here" = 1 ] && dpkg --purge "$pkg" >/dev/null 2>&1
	if [ "${KEEP:-0}" = 1 ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build dependencies (debian/control) and the tools, by name from Debian.
need=()
for p in build-essential debhelper lintian fakeroot man-db $(sed -n '/^Build-Depends:/,/^[A-Z]/p' \
	"$top/debian/control" | sed '1s/^Build-Depends://;$d' | tr ',' '\n' |
	sed 's/[(<].*//;s/[[:space:]]//g' | grep -v '^debhelper-compat$' | grep .); do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
	echo "# installing: ${need[*]}"
	# (a fresh machine may have no package lists yet: update once and try again)
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends "${need[@]}"; }; } >"$tmp/apt.log" 2>&1 || skip "cannot install ${need[*]} (apt-get failed)"
fi

# A clean copy of the tree: what git tracks (and new files not ignored), else the whole tree.
mkdir -p "$tmp/src"
if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
	git -C "$top" ls-files -co --exclude-standard -z | (cd "$top" && tar --null -T - -cf -) |
		tar -C "$tmp/src" -xf -
else
	cp -a "$top/." "$tmp/src/"
fi

start=$(date +%s)
(cd "$tmp/src" && DEB_BUILD_OPTIONS=$([ "${PACKAGE_CHECK:-0}" = 1 ] || echo nocheck) \
	dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
ok $? "dpkg-buildpackage -us -uc -b builds ($(($(date +%s) - start)) s)" "$tmp/build.log"
deb=
for f in "$tmp/${pkg}"_*.deb; do [ -e "$f" ] && deb=$f; done
[ -n "$deb" ] || { echo "Bail out! no .deb built"; exit 1; }

lintian --pedantic "$tmp"/*.changes >"$tmp/lintian.out" 2>&1
grep -E '^[EW]: ' "$tmp/lintian.out" >"$tmp/lintian.bad"
[ ! -s "$tmp/lintian.bad" ] && ! grep -qi 'internal error' "$tmp/lintian.out"
ok $? "lintian --pedantic: no error, no warning" "$tmp/lintian.bad"
sed 's/^/# lintian: /' "$tmp/lintian.out"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$tmp/contents"
missing=
for f in "$plugin" /usr/share/man/man1/check_tencentcloud_ssl.1.gz \
	/usr/share/icinga2/include/plugins-contrib.d/tencentcloud-ssl.conf \
	/usr/share/doc/$pkg/examples/nagios-check_tencentcloud_ssl.cfg \
	/usr/share/doc/$pkg/examples/icinga2-check_tencentcloud_ssl.conf \
	/usr/share/doc/$pkg/examples/icinga2-distributed.conf /usr/share/doc/$pkg/copyright; do
	grep -qx "$f" "$tmp/contents" || missing="$missing $f"
done
[ -z "$missing" ]
ok $? "the package holds the plugin, man page, CheckCommand, samples and copyright${missing:+ (missing:$missing)}"
! grep -q '^/usr/local\|^/usr/share/check_tencentcloud_ssl' "$tmp/contents"
ok $? "nothing under /usr/local or the make-install sample directory"
dpkg-deb -f "$deb" Depends >"$tmp/depends"
grep -q 'libmbedcrypto' "$tmp/depends"
ok $? "Depends computed from the binary (\${shlibs:Depends}): $(cat "$tmp/depends")"
# libcurl is loaded with dlopen (lib/curlload.h), so dpkg-shlibdeps cannot see it: debian/rules
# names it, at least the version built against
curl_pkg=$(dpkg-query -S "$(pkg-config --variable=libdir libcurl)/libcurl.so.4" | cut -d: -f1)
grep -q "$curl_pkg (>= $(pkg-config --modversion libcurl))" "$tmp/depends"
ok $? "Depends names $curl_pkg (>= the version built against), which the plugin loads at run time"

dpkg-deb -x "$deb" "$tmp/root"
file "$tmp/root$plugin" | grep -q ', stripped'
ok $? "the packaged plugin is stripped"

if dpkg -s "$pkg" >/dev/null 2>&1; then
	echo "# $pkg was already installed: dpkg -i upgrades it in place and leaves it installed"
else
	installed_here=1
fi
dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1
ok $? "dpkg -i installs it (its dependencies are met)" "$tmp/dpkg.log"

"$plugin" --version >"$tmp/version" 2>&1
ok $? "the installed plugin runs: $(head -n 1 "$tmp/version")" "$tmp/version"
grep -q 'GNU General Public License' "$tmp/version"
ok $? "--version names the licence"
[ "$(man -w check_tencentcloud_ssl 2>/dev/null)" = /usr/share/man/man1/check_tencentcloud_ssl.1.gz ] &&
	MANWIDTH=80 man check_tencentcloud_ssl 2>"$tmp/man.err" | grep -q 'EXIT STATUS' && ! [ -s "$tmp/man.err" ]
ok $? "man check_tencentcloud_ssl finds and renders the page" "$tmp/man.err"

# The demo (quickstart.sh demo) against the installed plugin.
python3 "$top/tests/mock_api.py" --account sample --port 0 --port-file "$tmp/port" \
	>"$tmp/mock.log" 2>&1 &
mockpid=$!
for _ in $(seq 100); do [ -s "$tmp/port" ] && break; sleep 0.1; done
TENCENTCLOUD_SECRET_ID=$mock_id TENCENTCLOUD_SECRET_KEY=$mock_key \
	"$plugin" --endpoint "http://127.0.0.1:$(cat "$tmp/port")" -w 30 -c 7 >"$tmp/demo.out" 2>&1
rc=$?
sed 's/^/# demo: /' "$tmp/demo.out"
[ "$rc" = 2 ] && grep -q '^TENCENTCLOUD_SSL CRITICAL - .* certificates: .* | certificates=' "$tmp/demo.out"
ok $? "the demo against the installed plugin: CRITICAL with status line and perfdata (exit $rc)"

if command -v icinga2 >/dev/null; then
	mkdir -p "$tmp/icinga"
	# What Debian's /etc/icinga2/constants.conf defines, for the other plugins-contrib.d files.
	cat >"$tmp/icinga/icinga2.conf" <<'EOF'
const PluginDir = "/usr/lib/nagios/plugins"
const ManubulonPluginDir = "/usr/lib/nagios/plugins"
const PluginContribDir = "/usr/lib/nagios/plugins"
include <itl>
include <plugins>
include <plugins-contrib>
object Host "h" {
	check_command = "dummy"
}
object Service "tencentcloud-ssl" {
	host_name = "h"
	check_command = "tencentcloud_ssl"
	vars.tencentcloud_ssl_domains = [ "*.example.com" ]
}
EOF
	icinga2 daemon -C -c "$tmp/icinga/icinga2.conf" -DConfiguration.DataDir="$tmp/icinga" \
		-DConfiguration.CacheDir="$tmp/icinga" -DConfiguration.LogDir="$tmp/icinga" \
		-DConfiguration.RunAsUser=root -DConfiguration.RunAsGroup=root >"$tmp/icinga/out" 2>&1 &&
		! grep -q 'critical/' "$tmp/icinga/out"
	ok $? "Icinga 2 finds the packaged CheckCommand through include <plugins-contrib>" "$tmp/icinga/out"
else
	n=$((n + 1))
	echo "ok $n # SKIP icinga2 not installed: the packaged CheckCommand is not loaded"
fi

if [ "$installed_here" = 1 ]; then
	dpkg --purge "$pkg" >"$tmp/purge.log" 2>&1 && [ ! -e "$plugin" ]
	ok $? "dpkg --purge removes it again" "$tmp/purge.log"
	installed_here=0
fi

echo "1..$n"
[ "$fails" = 0 ]
