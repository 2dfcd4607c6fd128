#!/bin/sh
# Benchmark (not a test): wall time, CPU time and peak RSS of the plugin listing
# through the mock API, which adds --delay seconds to every response.
#   1. 20,000 certificates, --page-size 1000: --parallel 1 (sequential) vs the default 4
#   2. 10 vs 10,000 certificates with the defaults
# Usage: tests/bench/bench.sh [PLUGIN]   (default: $PLUGIN, else ./plugin/check_tencentcloud_ssl)
# Needs python3 and GNU time (/usr/bin/time). DELAY=0.3 by default.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
plugin=${1:-${PLUGIN:-$srcdir/plugin/check_tencentcloud_ssl}}
delay=${DELAY:-0.3}
mock=$srcdir/tests/mock_api.py

[ -x "$plugin" ] || { echo "bench: no plugin at $plugin (build it, or pass its path)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: GNU time (/usr/bin/time) is needed" >&2; exit 2; }

tmp=$(mktemp -d)
mock_pid=
cleanup() {
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The mock's default credentials: a test account, nothing secret.
TENCENTCLOUD_SECRET_ID=AKIDmockEXAMPLE0000000000000000000000
TENCENTCLOUD_SECRET_KEY=mockSecretKeyEXAMPLE000000000000
export TENCENTCLOUD_SECRET_ID TENCENTCLOUD_SECRET_KEY
unset TENCENTCLOUD_SESSION_TOKEN http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

start_mock() { # account
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -f "$tmp/port"
	python3 "$mock" --port-file "$tmp/port" --account "$1" --delay "$delay" \
		>"$tmp/mock.out" 2>"$tmp/mock.err" &
	mock_pid=$!
	i=0
	while [ ! -s "$tmp/port" ]; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "bench: the mock did not start" >&2; cat "$tmp/mock.err" >&2; exit 2; }
		sleep 0.1
	done
	port=$(cat "$tmp/port")
}

run() { # label, plugin options...
	label=$1
	shift
	set +e
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$plugin" --endpoint "http://127.0.0.1:$port" \
		-t 60 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	# GNU time puts "Command exited with non-zero status N" first when N != 0
	read -r wall user sys rss <<EOF
$(tail -n 1 "$tmp/time")
EOF
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-42s %8s s %8s s %9s KiB   exit %d\n' "$label" "$wall" "$cpu" "$rss" "$rc"
	case $rc in 0 | 1 | 2) ;; *) sed -n 1p "$tmp/out" | cut -c1-200 ;; esac
}

printf 'mock delay %s s per response; plugin %s\n\n' "$delay" "$plugin"
printf '%-42s %10s %10s %13s\n' "run" "wall" "cpu" "peak RSS"

start_mock gen:20000
run "20000 certs, --parallel 1" --parallel 1
run "20000 certs, --parallel 4 (default)"
run "20000 certs, --parallel 8 --max-rate 20" --parallel 8 --max-rate 20

start_mock gen:10
run "10 certs (defaults)"
start_mock gen:10000
run "10000 certs (defaults)"
