#!/bin/sh
# Benchmark (not a test): wall time, CPU time (user+sys) and peak RSS of the plugin listing
# through the mock API, which adds --delay seconds to every response.
#   Plugin only:
#   1. 20,000 certificates at DELAY, --page-size 1000: --parallel 1 (sequential) vs the default 4
#   2. 10 vs 10,000 certificates with the defaults
#   Side by side with the official Node.js SDK (tests/bench/peer_node.js, the same job), each
#   followed by a "node/plugin" ratio row:
#   3. 1,000, 10,000 and 100,000 certificates, no delay (CPU and memory)
#   4. 20,000 certificates at DELAY, 4 pages in flight and sequential (wall time)
# In 3 and 4 the plugin runs with -t 120 --max-rate 1000 (the most it accepts), so neither its
# deadline nor its rate limit is what is measured; the peer has neither.
# Usage: tests/bench/bench.sh [PLUGIN]   (default: $PLUGIN, else ./plugin/check_tencentcloud_ssl)
# Needs python3 and GNU time (/usr/bin/time); node and npm for the peer (else its rows say
# "peer unavailable"). DELAY=0.3 by default. The SDK is installed once, from the npm registry,
# into PEER_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/check_tencentcloud_ssl-bench/node),
# never into the repository.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
plugin=${1:-${PLUGIN:-$srcdir/plugin/check_tencentcloud_ssl}}
delay=${DELAY:-0.3}
mock=$srcdir/tests/mock_api.py
peer_js=$here/peer_node.js
peer_pkg=tencentcloud-sdk-nodejs
peer_ver=4.1.313
peer_dir=${PEER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/check_tencentcloud_ssl-bench/node}
cmp_rate=1000

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

start_mock() { # account [delay]
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -f "$tmp/port"
	python3 "$mock" --port-file "$tmp/port" --account "$1" --delay "${2:-$delay}" \
		>"$tmp/mock.out" 2>"$tmp/mock.err" &
	mock_pid=$!
	i=0
	while [ ! -s "$tmp/port" ]; do
		i=$((i + 1))
		[ $i -gt 300 ] && { echo "bench: the mock did not start" >&2; cat "$tmp/mock.err" >&2; exit 2; }
		sleep 0.1
	done
	port=$(cat "$tmp/port")
}

# measure LABEL COMMAND...: one row; sets wall, cpu, rss, rc; stdout in $tmp/out
measure() {
	label=$1
	shift
	set +e
	/usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	set -e
	# GNU time puts "Command exited with non-zero status N" first when N != 0
	read -r wall user sys rss <<EOF
$(tail -n 1 "$tmp/time")
EOF
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	printf '%-50s %8s s %8s s %9s KiB   exit %d\n' "$label" "$wall" "$cpu" "$rss" "$rc"
	case $rc in 0 | 1 | 2) ;; *) sed -n 1p "$tmp/out" | cut -c1-200 ;; esac
}

run() { # label, plugin options...
	label=$1
	shift
	measure "$label" "$plugin" --endpoint "http://127.0.0.1:$port" -t 60 "$@"
}

# The counts of the first output line's perfdata, the same keys for both programs.
counts() {
	sed -n '1{s/.*|//;p;}' "$1" | tr ';' ' ' | tr ' ' '\n' |
		grep -E '^(certificates|ok|warning|critical|unknown)=' | tr '\n' ' '
}

ratio() { # peer plugin
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (b + 0 <= 0) printf "n/a"; else if (a / b >= 10) printf "%.0f", a / b;
		else printf "%.1f", a / b }'
}

# compare LABEL [PLUGIN OPTIONS -- PEER OPTIONS]: both programs on the running mock
compare() {
	clabel=$1
	shift
	popts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do popts="$popts $1"; shift; done
	[ $# -gt 0 ] && shift
	# shellcheck disable=SC2086 # popts: plain words
	measure "$clabel: plugin" "$plugin" --endpoint "http://127.0.0.1:$port" -t 120 \
		--max-rate "$cmp_rate" $popts
	p_wall=$wall p_cpu=$cpu p_rss=$rss p_rc=$rc
	p_counts=$(counts "$tmp/out")
	if [ -n "$peer_why" ]; then
		printf '%-50s peer unavailable: %s\n' "$clabel: node SDK" "$peer_why"
		return 0
	fi
	measure "$clabel: node SDK" env NODE_PATH="$peer_dir/node_modules" \
		node "$peer_js" --port "$port" "$@"
	printf '%-50s wall ×%s, cpu ×%s, rss ×%s\n' "  node/plugin:" "$(ratio "$wall" "$p_wall")" \
		"$(ratio "$cpu" "$p_cpu")" "$(ratio "$rss" "$p_rss")"
	n_counts=$(counts "$tmp/out")
	if [ "$rc" != "$p_rc" ] || [ "$n_counts" != "$p_counts" ] || [ -z "$p_counts" ]; then
		printf '  WARNING: the programs disagree: plugin exit %s, %s; node exit %s, %s\n' \
			"$p_rc" "$p_counts" "$rc" "$n_counts"
	fi
}

# Sets peer_why to why the peer cannot run, or to "" when it can (installing it when missing).
setup_peer() {
	peer_why=
	if ! command -v node >/dev/null 2>&1; then
		peer_why="node not found"
		return 0
	fi
	loads() {
		NODE_PATH=$1/node_modules node -e \
			"require('$peer_pkg/tencentcloud/services/ssl');
			 if (require('$peer_pkg/package.json').version !== '$peer_ver') process.exit(1)" \
			>/dev/null 2>&1
	}
	loads "$peer_dir" && return 0
	if ! command -v npm >/dev/null 2>&1; then
		peer_why="npm not found (needed once to install $peer_pkg@$peer_ver)"
		return 0
	fi
	echo "bench: installing $peer_pkg@$peer_ver into $peer_dir" >&2
	new=$peer_dir.new.$$
	rm -rf "$new"
	mkdir -p "$new" 2>/dev/null || { peer_why="cannot create $new"; return 0; }
	to=
	command -v timeout >/dev/null 2>&1 && to="timeout 300"
	if $to npm install --no-audit --no-fund --prefix "$new" "$peer_pkg@$peer_ver" \
		>"$tmp/npm.log" 2>&1; then
		if loads "$new"; then
			rm -rf "$peer_dir"
			mv "$new" "$peer_dir"
			return 0
		fi
		why="installed, but it does not load in node $(node --version)"
	else
		# npm's own words: "npm error code E404", then its one-line message
		why=$(grep -E -m 2 '^npm error (code |404 |[A-Za-z]*Error)' "$tmp/npm.log" |
			sed 's/^npm error //' | tr '\n' ' ' | sed 's/ *$//' | cut -c1-150)
		[ -n "$why" ] || why=$(grep -v '^[[:space:]]*$' "$tmp/npm.log" | tail -n 1 | cut -c1-150)
		[ -n "$why" ] || why="no output (timed out after 300 s?)"
	fi
	rm -rf "$new"
	peer_why="npm install $peer_pkg@$peer_ver failed: $why"
}

setup_peer
printf 'mock delay %s s per response where not 0; plugin %s\n' "$delay" "$plugin"
if [ -n "$peer_why" ]; then
	printf 'peer unavailable: %s\n\n' "$peer_why"
else
	printf 'peer %s@%s on node %s (%s)\n\n' "$peer_pkg" "$peer_ver" "$(node --version)" "$peer_dir"
fi
printf '%-50s %10s %10s %13s\n' "run" "wall" "cpu" "peak RSS"

start_mock gen:20000
run "20000 certs, --parallel 1" --parallel 1
run "20000 certs, --parallel 4 (default)"
run "20000 certs, --parallel 8 --max-rate 20" --parallel 8 --max-rate 20

start_mock gen:10
run "10 certs (defaults)"
start_mock gen:10000
run "10000 certs (defaults)"

printf '\nside by side, the plugin with -t 120 --max-rate %s, the peer without a rate limit\n' \
	"$cmp_rate"
for n in 1000 10000 100000; do
	start_mock "gen:$n" 0
	compare "$n certs, delay 0"
done
start_mock gen:20000
compare "20000 certs, delay $delay, 4 in flight"
compare "20000 certs, delay $delay, sequential" --parallel 1 -- --sequential
