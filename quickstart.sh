#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The README's quick start. As root on a fresh Debian 12 machine:
#   ./quickstart.sh demo    install build deps, build, run the plugin against the demo API
#   ./quickstart.sh check   install build deps, build, run the whole test suite
#   ./quickstart.sh ci-deps install what only .ci/run needs: clang (sanitizers), clang-format
#   ./quickstart.sh bench   install build deps and what the benchmark uses, build, run it
# CONFIGURE_FLAGS adds configure options (CI passes --enable-werror); a tree configured with
# other options is configured again and rebuilt from clean.
set -eu
cd "$(dirname "$0")"

PACKAGES="build-essential autoconf automake pkg-config libcurl4-openssl-dev libmbedtls-dev
libjsmn-dev python3 python3-prometheus-client openssl ca-certificates time valgrind"
CI_PACKAGES="clang libclang-rt-14-dev clang-format"
# the benchmark's floor (curl), its reference parser (simdjson) and the SDK's runtime: Debian's
# nodejs and npm only where there is no node or no npm, so a newer one is left as it is
BENCH_PACKAGES="curl g++ libsimdjson-dev"
command -v node >/dev/null 2>&1 || BENCH_PACKAGES="$BENCH_PACKAGES nodejs"
command -v npm >/dev/null 2>&1 || BENCH_PACKAGES="$BENCH_PACKAGES npm"

install_deps() { # the Debian packages named that are not installed yet
	missing=""
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	echo "Installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	# shellcheck disable=SC2086
	apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

# Configures a fresh tree; a configured one only when CONFIGURE_FLAGS is set and names other
# options than config.status was made with (it prints them shell-quoted), and then from clean.
configure_tree() {
	again=no
	if [ -f Makefile ] && [ -x config.status ]; then
		[ -n "${CONFIGURE_FLAGS+set}" ] || return 0
		have=$(eval "set -- $(./config.status --config); echo \"\$*\"")
		# shellcheck disable=SC2086
		want=$(set -- $CONFIGURE_FLAGS; echo "$*")
		[ "$have" = "$want" ] && return 0
		echo "Configured with '$have', CONFIGURE_FLAGS says '$want': configuring again"
		again=yes
	fi
	# shellcheck disable=SC2086
	./configure ${CONFIGURE_FLAGS:-}
	[ $again = no ] || make clean >/dev/null # the new flags apply to every object
}

build() {
	[ -x configure ] || autoreconf -fi
	configure_tree
	make -j"$(nproc)"
}

demo() {
	dir=$(mktemp -d)
	trap 'kill "$mock" 2>/dev/null; rm -rf "$dir"' EXIT
	python3 tests/mock_api.py --account sample --port 0 --port-file "$dir/port" >"$dir/mock.log" 2>&1 &
	mock=$!
	i=0
	while [ ! -s "$dir/port" ]; do
		i=$((i + 1))
		[ $i -le 100 ] || { cat "$dir/mock.log"; echo "demo API did not start" >&2; exit 1; }
		sleep 0.1
	done
	port=$(cat "$dir/port")
	# The demo API's own throwaway credentials (not real ones).
	export TENCENTCLOUD_SECRET_ID=AKIDmockEXAMPLE0000000000000000000000
	export TENCENTCLOUD_SECRET_KEY=mockSecretKeyEXAMPLE000000000000
	set -- ./plugin/check_tencentcloud_ssl --endpoint "http://127.0.0.1:$port" -w 30 -c 7
	echo "\$ check_tencentcloud_ssl --endpoint http://127.0.0.1:$port -w 30 -c 7"
	rc=0
	"$@" || rc=$?
	echo "(exit code $rc)"
	echo
	echo "\$ check_tencentcloud_ssl --endpoint http://127.0.0.1:$port -v --domain '*.example.com'"
	rc=0
	"$@" -v --domain '*.example.com' || rc=$?
	echo "(exit code $rc)"
}

# shellcheck disable=SC2086
case "${1:-}" in
demo) install_deps $PACKAGES && build && demo ;;
check) install_deps $PACKAGES && build && make check ;;
ci-deps) install_deps $CI_PACKAGES ;;
bench) install_deps $PACKAGES $BENCH_PACKAGES && build && sh tests/bench/bench.sh ;;
*) echo "usage: $0 demo|check|ci-deps|bench" >&2; exit 3 ;;
esac
