#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test; make check never runs it): issue 10's targets in one run, side by
# side, as ratios. Every row is the median of RUNS (default 3) runs of wall time, CPU time
# (user+sys) and peak RSS of the process (tests/bench/rusage: wait4's rusage, microseconds),
# against tests/mock_api.py.
#   1. parse + evaluate throughput over a saved 1,000-certificate page, no network
#      (tests/bench/bench_parse when the tree has it, else tests/bench/bench_feed), beside
#      a reference point: simdjson on the same page (DOM and On-Demand), each kernel the CPU runs
#      (ref_simdjson.cpp; needs g++ and libsimdjson-dev, else its row says why not)
#   2. 1,000 / 10,000 / 100,000 certificates, no delay: the plugin, the official Node.js SDK
#      (peer_node.js, the same job) and the floor: the curl CLI downloading the same pages from
#      the same mock (requests signed beforehand by sign_pages.py), 4 in flight like the plugin
#   3. at 10,000 and 100,000: a cached run (--cache-file, TTL not expired) against the uncached
#      one, and the cache file's bytes per certificate
#   4. 20 pages (20,000 certificates), each answered DELAY (default 0.3 s) after its request
#      (the mock's --latency: the time it takes to make a page is inside it), plugin defaults,
#      against curl fetching the same pages from the same mock, one started every 0.1 s
#   5. HTTPS: 1,000 certificates over the mock's HTTPS, --cacert naming one CA vs a bundle of
#      the system's CAs plus the mock's (145 certificates on Debian 12)
# In 2 and 3 the plugin runs with -t 120 --max-rate 1000 (the most it accepts), so neither its
# deadline nor its rate limit is what is measured; the peer and curl have neither.
# Usage: tests/bench/bench.sh [PLUGIN]   (default: $PLUGIN, else ./plugin/check_tencentcloud_ssl
# of the build tree, whose make builds the throughput program)
# Needs python3 and curl; node and npm for the peer (else its rows say "peer unavailable"),
# openssl for the HTTPS row (the mock makes its CA with it); `./quickstart.sh bench` installs
# them all, builds and runs this. The SDK is installed
# once, from the npm registry, into PEER_DIR (default
# ${XDG_CACHE_HOME:-$HOME/.cache}/check_tencentcloud_ssl-bench/node), never into the repository.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
srcdir=$(cd "$here/../.." && pwd)
plugin=${1:-${PLUGIN:-$srcdir/plugin/check_tencentcloud_ssl}}
builddir=$(cd "$(dirname "$plugin")/.." && pwd)
delay=${DELAY:-0.3}
runs=${RUNS:-3}
sizes=${SIZES:-1000 10000 100000}
mock=$srcdir/tests/mock_api.py
peer_js=$here/peer_node.js
peer_pkg=tencentcloud-sdk-nodejs
peer_ver=4.1.313
peer_dir=${PEER_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/check_tencentcloud_ssl-bench/node}
cmp_rate=1000

[ -x "$plugin" ] || { echo "bench: no plugin at $plugin (build it, or pass its path)" >&2; exit 2; }
command -v curl >/dev/null 2>&1 || { echo "bench: the curl CLI is needed (the floor)" >&2; exit 2; }

make -s -C "$builddir" tests/bench/rusage >/dev/null 2>&1 || true
rusage=$builddir/tests/bench/rusage
[ -x "$rusage" ] || { echo "bench: cannot build $rusage (make -C $builddir tests/bench/rusage)" >&2; exit 2; }

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

start_mock() { # account delay [mock options]
	[ -n "$mock_pid" ] && kill "$mock_pid" 2>/dev/null && wait "$mock_pid" 2>/dev/null
	rm -f "$tmp/port"
	acct=$1 d=$2
	shift 2
	python3 "$mock" --port-file "$tmp/port" --account "$acct" --delay "$d" "$@" \
		>"$tmp/mock.out" 2>"$tmp/mock.err" &
	mock_pid=$!
	i=0
	while [ ! -s "$tmp/port" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && { echo "bench: the mock did not start" >&2; cat "$tmp/mock.err" >&2; exit 2; }
		sleep 0.1
	done
	port=$(cat "$tmp/port")
}

median() { # one number a line on stdin
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}

# measure LABEL COMMAND...: RUNS runs, one row of medians; sets wall, cpu, rss, rc; the last
# run's stdout in $tmp/out
measure() {
	label=$1
	shift
	: >"$tmp/samples"
	k=0
	while [ $k -lt "$runs" ]; do
		k=$((k + 1))
		set +e
		"$rusage" "$tmp/time" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
		rc=$?
		set -e
		cat "$tmp/time" >>"$tmp/samples"
	done
	wall=$(awk '{ printf "%.2f\n", $1 }' "$tmp/samples" | median)
	cpu=$(awk '{ printf "%.3f\n", $2 + $3 }' "$tmp/samples" | median)
	rss=$(awk '{ print $4 }' "$tmp/samples" | median)
	printf '%-46s %8s s %8s s %9s KiB   exit %d\n' "$label" "$wall" "$cpu" "$rss" "$rc"
	case $rc in 0 | 1 | 2) ;; *) sed -n 1p "$tmp/out" | cut -c1-200 ;; esac
}

ratio() { # a b: ×(a / b), one decimal below 100 (×14.6 must not read as ×15), or n/a
	awk -v a="$1" -v b="$2" 'BEGIN {
		if (a + 0 <= 0 || b + 0 <= 0) printf "n/a"; else if (a / b >= 100) printf "×%.0f", a / b;
		else printf "×%.1f", a / b }'
}

mib_diff() { # KiB a - b, in MiB
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", (a - b) / 1024 }'
}

# The counts of the first output line's perfdata, the same keys for the plugin and the peer.
counts() {
	sed -n '1{s/.*|//;p;}' "$1" | tr ';' ' ' | tr ' ' '\n' |
		grep -E '^(certificates|ok|warning|critical|unknown)=' | tr '\n' ' '
}

plugin_run() { # label, plugin options...
	l=$1
	shift
	measure "$l" "$plugin" --endpoint "http://127.0.0.1:$port" -t 120 --max-rate "$cmp_rate" "$@"
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
	new=$peer_dir.new.$$
	rm -rf "$new"
	mkdir -p "$new" 2>/dev/null || { peer_why="cannot create $new"; return 0; }
	echo "bench: installing $peer_pkg@$peer_ver into $peer_dir" >&2
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

# The throughput program: the parser's bench_parse when the tree has it, else bench_feed.
throughput_prog() {
	for p in bench_parse bench_feed; do
		if [ -f "$here/$p.c" ]; then
			make -s -C "$builddir" "tests/bench/$p" >"$tmp/make.log" 2>&1 || true
			[ -x "$builddir/tests/bench/$p" ] && { echo "$builddir/tests/bench/$p"; return 0; }
		fi
	done
	return 1
}

setup_peer
started=$(date +%s)
printf 'bench: %s UTC, nproc %s, %s; medians of %s runs\n' "$(date -u '+%Y-%m-%d %H:%M')" \
	"$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" "$runs"
printf 'plugin %s; %s\n' "$plugin" "$(curl --version | head -n 1 | cut -d' ' -f1-3)"
if [ -n "$peer_why" ]; then
	printf 'peer unavailable: %s\n' "$peer_why"
else
	printf 'peer %s@%s on node %s (%s)\n' "$peer_pkg" "$peer_ver" "$(node --version)" "$peer_dir"
fi

# ---- 1. parse + evaluate ----
start_mock gen:1000 0
mkdir -p "$tmp/page"
python3 "$here/sign_pages.py" "http://127.0.0.1:$port" 1000 1000 "$tmp/page" >"$tmp/page.cfg"
curl -s -K "$tmp/page.cfg" 2>/dev/null
printf '\n1. parse + evaluate, a saved page of 1,000 certificates (%s bytes), no network\n' \
	"$(wc -c <"$tmp/page/page0.json")"
mbs() { sed -n 's/^\(.*[^0-9]\)*\([0-9][0-9]*\) MB\/s.*/\2/p' | tail -n 1; } # its last line's MB/s
ours=
if prog=$(throughput_prog); then
	"$prog" "$tmp/page/page0.json" >"$tmp/ours1" 2>&1 || true
	printf '%-46s %s   (target >= 1500 MB/s)\n' "$(basename "$prog")" "$(tail -n 1 "$tmp/ours1")"
	ours=$(mbs <"$tmp/ours1")
else
	printf 'no throughput program could be built (see make -C %s tests/bench/bench_feed)\n' \
		"$builddir"
fi
# The scanner alone, to split that cost: validating the page, then also matching the
# certificates' names (nothing kept).
if [ -f "$here/bench_scan.c" ] && make -s -C "$builddir" tests/bench/bench_scan >/dev/null 2>&1; then
	for mode in skip watch; do
		printf '%-46s %s\n' "bench_scan $mode" \
			"$("$builddir/tests/bench/bench_scan" "$tmp/page/page0.json" $mode 2>&1 | tail -n 1)"
	done
fi
# The reference point: simdjson on the same page, each kernel this CPU runs, then ours once
# more (the machine's speed drifts; the better of our two runs is compared).
printf '%s\n' "reference point: simdjson (Debian's libsimdjson-dev) on the same page, reading the kept members"
if ! printf '#include <simdjson.h>\n' | ${CXX:-c++} -std=c++17 -E -x c++ - >/dev/null 2>&1; then
	echo "  reference unavailable: no C++ compiler or no simdjson.h (./quickstart.sh bench installs it)"
elif ! ${CXX:-c++} -std=c++17 -O2 -o "$tmp/ref_simdjson" "$here/ref_simdjson.cpp" -lsimdjson \
	>"$tmp/ref.log" 2>&1; then
	echo "  reference unavailable: ref_simdjson.cpp does not build: $(head -n 1 "$tmp/ref.log" | cut -c1-150)"
else
	"$tmp/ref_simdjson" "$tmp/page/page0.json" >"$tmp/ref.out" 2>&1 || true
	if [ -n "$ours" ]; then
		"$prog" "$tmp/page/page0.json" >"$tmp/ours2" 2>&1 || true
		o2=$(mbs <"$tmp/ours2")
		printf '  %-44s %s MB/s, then %s MB/s\n' "$(basename "$prog"), before and after:" "$ours" "$o2"
		[ -n "$o2" ] && [ "$o2" -gt "$ours" ] && ours=$o2
	fi
	while IFS= read -r line; do
		printf '  %s\n' "$line"
		r=$(printf '%s\n' "$line" | mbs)
		if [ -n "$ours" ] && [ -n "$r" ]; then
			printf '    %-42s %s; the target 1500 MB/s is %s of it\n' \
				"$(basename "$prog") ÷ this row:" "$(ratio "$ours" "$r")" "$(ratio 1500 "$r")"
		fi
	done <"$tmp/ref.out"
fi

# ---- 2 and 3. sizes, side by side; the cache ----
printf '\n2. whole process, no delay; plugin -t 120 --max-rate %s, the peer and curl unlimited\n' \
	"$cmp_rate"
printf '%-46s %10s %10s %13s\n' "run" "wall" "cpu" "peak RSS"
summary=
for n in $sizes; do
	start_mock "gen:$n" 0
	plugin_run "$n certs: plugin"
	p_wall=$wall p_cpu=$cpu p_rss=$rss p_rc=$rc
	p_counts=$(counts "$tmp/out")
	if [ -n "$peer_why" ]; then
		printf '%-46s peer unavailable: %s\n' "$n certs: node SDK" "$peer_why"
		n_cpu=n/a n_rss=n/a n_wall=n/a # ratio() prints n/a for these
	else
		measure "$n certs: node SDK" env NODE_PATH="$peer_dir/node_modules" \
			node "$peer_js" --port "$port"
		n_wall=$wall n_cpu=$cpu n_rss=$rss
		n_counts=$(counts "$tmp/out")
		if [ "$rc" != "$p_rc" ] || [ "$n_counts" != "$p_counts" ] || [ -z "$p_counts" ]; then
			printf '  WARNING: the programs disagree: plugin exit %s, %s; node exit %s, %s\n' \
				"$p_rc" "$p_counts" "$rc" "$n_counts"
		fi
	fi
	python3 "$here/sign_pages.py" "http://127.0.0.1:$port" "$n" 1000 - >"$tmp/floor.cfg"
	measure "$n certs: floor (curl CLI, 4 in flight)" \
		curl -s -K "$tmp/floor.cfg" --parallel --parallel-max 4
	f_wall=$wall f_cpu=$cpu f_rss=$rss
	printf '  %-44s cpu %s, wall %s, rss %s\n' "SDK ÷ plugin:" "$(ratio "$n_cpu" "$p_cpu")" \
		"$(ratio "$n_wall" "$p_wall")" "$(ratio "$n_rss" "$p_rss")"
	printf '  %-44s cpu %s, wall %s; peak RSS %s MiB\n' "plugin ÷ floor:" \
		"$(ratio "$p_cpu" "$f_cpu")" "$(ratio "$p_wall" "$f_wall")" "$(mib_diff "$p_rss" "$f_rss")"
	n_cell="$n_cpu s"
	[ "$n_cpu" = n/a ] && n_cell=n/a
	line=$(printf '| %s | %s s | %s | %s | %s s | %s | %s MiB |' "$n" "$p_cpu" "$n_cell" \
		"$(ratio "$n_cpu" "$p_cpu")" "$f_cpu" "$(ratio "$p_cpu" "$f_cpu")" \
		"$(mib_diff "$p_rss" "$f_rss")")
	summary="$summary$line
"
	case $n in
	1000) ;;
	*)
		cfile=$tmp/cache.$n
		"$plugin" --endpoint "http://127.0.0.1:$port" -t 120 --max-rate "$cmp_rate" \
			--cache-file "$cfile" --cache-ttl 3600 >/dev/null 2>&1 || true
		plugin_run "$n certs: plugin, cached" --cache-file "$cfile" --cache-ttl 3600
		bytes=$(wc -c <"$cfile")
		printf '  %-44s cpu %s less; cache file %s bytes, %s per certificate\n' \
			"cached vs uncached:" "$(ratio "$p_cpu" "$cpu")" "$bytes" \
			"$(awk -v b="$bytes" -v n="$n" 'BEGIN { printf "%.0f", b / n }')"
		cache_rows="${cache_rows:-}$(printf '| %s | %s s | %s s | %s | %s |' "$n" "$p_cpu" \
			"$cpu" "$(ratio "$p_cpu" "$cpu")" \
			"$(awk -v b="$bytes" -v n="$n" 'BEGIN { printf "%.0f", b / n }')")
"
		;;
	esac
done

# ---- 4. latency ----
printf '\n4. 20 pages, each answered %s s after its request, plugin defaults (--parallel 4, --max-rate 10)\n' "$delay"
start_mock gen:20000 0 --latency "$delay" # the reply $delay s after its request, making it included
# The same 20 pages from the same mock, one curl started every 0.1 s (curl's --rate does
# nothing with --parallel): what this mock on this machine allows, its serving included.
python3 "$here/sign_pages.py" "http://127.0.0.1:$port" 20000 1000 - |
	awk -v d="$tmp/lat" 'BEGIN { k = 0 } /^next$/ { k++; next } { print > (d "." k) }'
cat >"$tmp/lat.sh" <<'EOS'
k=0
while [ $k -lt 20 ]; do
	curl -s -K "$1.$k" &
	k=$((k + 1))
	sleep 0.1
done
wait
EOS
# once, not measured: the mock makes each certificate once and keeps it, so no run below waits
# for Python making pages on the same 2 cores (a real API server is not on them)
sh "$tmp/lat.sh" "$tmp/lat" >/dev/null
measure "20000 certs: plugin (defaults)" "$plugin" --endpoint "http://127.0.0.1:$port"
lat_wall=$wall
printf '  %-44s %s s (20 requests at 10/s: the last starts at 1.9 s, ends %s s later)\n' \
	"floor, in theory:" "$(awk -v d="$delay" 'BEGIN { printf "%.2f", 1.9 + d }')" "$delay"
measure "20000 certs: floor (curl, one start per 0.1 s)" sh "$tmp/lat.sh" "$tmp/lat"
lat_floor=$wall
printf '  %-44s wall %s\n' "plugin ÷ floor:" "$(ratio "$lat_wall" "$lat_floor")"

# ---- 5. HTTPS ----
printf '\n5. HTTPS, 1,000 certificates, --cacert one CA vs a bundle\n'
if command -v openssl >/dev/null 2>&1; then
	mkdir -p "$tmp/tls"
	start_mock gen:1000 0 --tls-dir "$tmp/tls"
	sys=/etc/ssl/certs/ca-certificates.crt
	[ -r "$sys" ] && cat "$sys" >"$tmp/bundle.pem"
	cat "$tmp/tls/ca.pem" >>"$tmp/bundle.pem"
	nb=$(grep -c 'BEGIN CERTIFICATE' "$tmp/bundle.pem")
	measure "1000 certs: --cacert one CA" "$plugin" --endpoint "https://127.0.0.1:$port" \
		-t 60 --max-rate "$cmp_rate" --cacert "$tmp/tls/ca.pem"
	o_cpu=$cpu o_rss=$rss o_wall=$wall
	measure "1000 certs: --cacert bundle of $nb" "$plugin" --endpoint "https://127.0.0.1:$port" \
		-t 60 --max-rate "$cmp_rate" --cacert "$tmp/bundle.pem"
	printf '  %-44s cpu %s, wall %s; peak RSS %s MiB\n' "bundle ÷ one CA:" \
		"$(ratio "$cpu" "$o_cpu")" "$(ratio "$wall" "$o_wall")" "$(mib_diff "$rss" "$o_rss")"
	https_row=$(printf '| one CA: %s s, %s KiB | %s CAs: %s s, %s KiB |' "$o_cpu" "$o_rss" "$nb" \
		"$cpu" "$rss")
else
	echo "  openssl not found: no HTTPS row"
	https_row="| n/a | n/a |"
fi

printf '\nsummary (markdown)\n'
printf '| certificates | plugin CPU | SDK CPU | SDK ÷ plugin | floor CPU | plugin ÷ floor | plugin RSS − floor |\n'
printf '|---|---|---|---|---|---|---|\n'
printf '%s' "$summary"
printf '\n| certificates | uncached CPU | cached CPU | uncached ÷ cached | cache bytes/cert |\n'
printf '|---|---|---|---|---|\n'
printf '%s' "${cache_rows:-}"
printf '\n20 pages at %s s: %s s wall (measured floor %s s). HTTPS %s\n' "$delay" "$lat_wall" "$lat_floor" "$https_row"
printf 'bench: %s s in all\n' "$(($(date +%s) - started))"
