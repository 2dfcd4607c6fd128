#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Distributed Icinga 2 on its own engine (contrib/icinga2-distributed.conf): a master and a
# satellite on 127.0.0.1, each with its own config, state and certificates (icinga2 pki, made
# here). The master schedules two services (one per domain) with command_endpoint = the
# satellite; the satellite runs the plugin against tests/mock_api.py, with its credentials and
# its cache in its own directory. Asserts through the master's REST API that the master recorded
# each result as the plugin printed it (state, output, perfdata) with the satellite as
# check_source, and that both services shared one listing in the satellite's cache.
#
#   bash tests/icinga2-distributed.sh [PATH/TO/check_tencentcloud_ssl]
#
# As root (installs icinga2-bin with apt-get when missing); prints TAP. Skips (exit 0, "1..0 #
# SKIP reason") where Icinga 2 cannot be installed. KEEP=1 keeps the temporary directory.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
plugin=${1:-${PLUGIN:-$top/plugin/check_tencentcloud_ssl}}
conf=$top/contrib/icinga2-check_tencentcloud_ssl.conf
mock=$top/tests/mock_api.py
# shellcheck source=tests/testlib.sh
. "$here/testlib.sh"
[ "$(id -u)" = 0 ] || skip "needs root (apt-get, private Icinga 2 instances)"
[ -x "$plugin" ] || { echo "Bail out! no plugin at $plugin"; exit 1; }
if ! command -v icinga2 >/dev/null; then
	# (a fresh machine may have no package lists yet: update once and try again)
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
		icinga2-bin icinga2-common ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends icinga2-bin icinga2-common; }; } >/dev/null 2>&1 ||
		skip "icinga2 cannot be installed (apt-get install icinga2-bin failed)"
fi
command -v icinga2 >/dev/null || skip "no icinga2 after install"

n=0
fails=0
ok() { # ok COND-EXIT-CODE NAME
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fails=$((fails + 1)); fi
}

tmp=$(mktemp -d /tmp/icinga2-distributed.XXXXXX)
pids=
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
	if [ "${KEEP:-0}" = 1 ]; then echo "# kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
pm=$(free_port)
ps_=$(free_port)
while [ "$ps_" = "$pm" ]; do ps_=$(free_port); done

# The mock API, logging every request (how many listings the satellite made).
python3 "$mock" --account sample --port 0 --port-file "$tmp/mock.port" --log "$tmp/mock.requests" \
	>"$tmp/mock.out" 2>&1 &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$tmp/mock.port" ] && break; sleep 0.1; done
[ -s "$tmp/mock.port" ] || { echo "Bail out! mock did not start: $(cat "$tmp/mock.out")"; exit 1; }
endpoint=http://127.0.0.1:$(cat "$tmp/mock.port")

# Per instance: DataDir (certificates, state), CacheDir, LogDir, run dir; run as root.
defs() {
	echo "-DConfiguration.DataDir=$tmp/$1/data -DConfiguration.CacheDir=$tmp/$1/cache" \
		"-DConfiguration.LogDir=$tmp/$1/log -DConfiguration.InitRunDir=$tmp/$1/run" \
		"-DConfiguration.RunAsUser=root -DConfiguration.RunAsGroup=root"
}
for i in master satellite; do mkdir -p "$tmp/$i/data/certs" "$tmp/$i/cache" "$tmp/$i/log" "$tmp/$i/run"; done
mkdir -p "$tmp/satellite/tencentcloud"

# PKI at run time: a CA on the master, a certificate per endpoint signed by it.
# shellcheck disable=SC2046
{
	icinga2 pki new-ca $(defs master) &&
		for cn in master.test satellite.test; do
			node=${cn%.test}
			icinga2 pki new-cert --cn "$cn" --key "$tmp/$node/data/certs/$cn.key" \
				--csr "$tmp/$node/data/certs/$cn.csr" $(defs master) &&
				icinga2 pki sign-csr --csr "$tmp/$node/data/certs/$cn.csr" \
					--cert "$tmp/$node/data/certs/$cn.crt" $(defs master) &&
				cp "$tmp/master/data/ca/ca.crt" "$tmp/$node/data/certs/ca.crt" || exit 1
		done
} >"$tmp/pki.log" 2>&1
ok $? "icinga2 pki: a CA and a certificate for each endpoint"

zones() {
	cat <<EOF
object Endpoint "master.test" {
	host = "127.0.0.1"
	port = $pm
}
object Endpoint "satellite.test" {
	host = "127.0.0.1"
	port = $ps_
}
object Zone "master" {
	endpoints = [ "master.test" ]
}
object Zone "satellite" {
	endpoints = [ "satellite.test" ]
	parent = "master"
}
EOF
}

# The start every node's icinga2.conf shares, up to the open ApiListener: NODE ZONE PORT.
node_head() {
	cat <<EOF
const NodeName = "$1"
const ZoneName = "$2"
const PluginDir = "$(dirname "$plugin")"
include <itl>
include "$conf"
$(zones)
object ApiListener "api" {
	bind_host = "127.0.0.1"
	bind_port = $3
EOF
}

# The satellite: the CheckCommand as shipped, accepts commands from its parent zone, no checker.
{ node_head satellite.test satellite "$ps_"; cat <<EOF
	accept_commands = true
	accept_config = false
}
object FileLogger "debug" {
	path = "$tmp/satellite/log/debug.log"
	severity = "notice"
}
EOF
} >"$tmp/satellite/icinga2.conf"
# Its account: a profile in a file only the satellite has.
printf '[mock]\nsecret_id = %s\nsecret_key = %s\n' "$mock_id" "$mock_key" \
	>"$tmp/satellite/tencentcloud/credentials"
chmod 600 "$tmp/satellite/tencentcloud/credentials"

# The master: schedules, records, serves the REST API; the services of contrib's layout.
api_pw=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
{ node_head master.test master "$pm"; cat <<EOF
}
object ApiUser "test" {
	password = "$api_pw"
	permissions = [ "*" ]
}
object CheckerComponent "checker" { }
object FileLogger "debug" {
	path = "$tmp/master/log/debug.log"
	severity = "notice"
}
# zone: what zones.d/master/ gives the objects of contrib's layout (command_endpoint needs one).
object Host "satellite.test" {
	zone = "master"
	check_command = "dummy"
	enable_active_checks = false
	vars.tencentcloud_ssl_domains = [ "*.example.com", "*.example.net" ]
}
apply Service "tencentcloud-ssl-" for (domain in host.vars.tencentcloud_ssl_domains) {
	check_command = "tencentcloud_ssl"
	command_endpoint = host.name
	zone = "master"
	check_interval = 5s
	retry_interval = 5s
	vars.tencentcloud_ssl_domains = [ domain ]
	vars.tencentcloud_ssl_endpoint = "$endpoint"
	vars.tencentcloud_ssl_profile = "mock"
	vars.tencentcloud_ssl_env_credentials_file = "$tmp/satellite/tencentcloud/credentials"
	vars.tencentcloud_ssl_cache_file = "$tmp/satellite/cache/tencentcloud_ssl.cache"
	vars.tencentcloud_ssl_cache_ttl = 600
	vars.tencentcloud_ssl_perfdata_per_cert = true
	assign where host.vars.tencentcloud_ssl_domains
}
EOF
} >"$tmp/master/icinga2.conf"

for i in satellite master; do
	# shellcheck disable=SC2046
	icinga2 daemon -C -c "$tmp/$i/icinga2.conf" $(defs $i) >"$tmp/$i/validate.out" 2>&1
	ok $? "icinga2 daemon -C: the $i's configuration loads"
done
if [ "$fails" != 0 ]; then
	grep -hE 'critical/' "$tmp"/*/validate.out | sed 's/^/# /'
	echo "1..$n"
	exit 1
fi
for i in satellite master; do
	# shellcheck disable=SC2046
	icinga2 daemon -c "$tmp/$i/icinga2.conf" $(defs $i) >"$tmp/$i/daemon.out" 2>&1 &
	pids="$pids $!"
done

# What the plugin prints for each service, run directly (the expected results).
for d in '*.example.com' '*.example.net'; do
	TENCENTCLOUD_CREDENTIALS_FILE=$tmp/satellite/tencentcloud/credentials "$plugin" \
		--endpoint "$endpoint" --profile mock --domain "$d" --perfdata-per-cert -w 30 -c 7 \
		>"$tmp/expect.${d#\*.}"
	echo $? >>"$tmp/expect.${d#\*.}"
done

python3 - "$tmp" "$pm" "$api_pw" "$n" <<'EOF'
import base64, json, os, re, ssl, sys, time, urllib.request

tmp, port, pw, n = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
ctx = ssl.create_default_context(cafile=tmp + "/master/data/certs/ca.crt")
ctx.check_hostname = False  # the certificate names the endpoint master.test, not 127.0.0.1
auth = "Basic " + base64.b64encode(("test:" + pw).encode()).decode()


def services():
    req = urllib.request.Request(
        "https://127.0.0.1:%d/v1/objects/services?attrs=last_check_result&attrs=name" % port,
        headers={"Authorization": auth, "Accept": "application/json"})
    with urllib.request.urlopen(req, context=ctx, timeout=5) as r:
        return {o["attrs"]["name"]: o["attrs"]["last_check_result"]
                for o in json.load(r)["results"]}


bad = 0


def tap(good, name, diag=""):
    global n, bad
    n += 1
    bad += 0 if good else 1
    print("%s %d - %s" % ("ok" if good else "not ok", n, name))
    if not good and diag:
        print("\n".join("# " + ln for ln in str(diag).splitlines()))
    return good


names = ["tencentcloud-ssl-*.example.com", "tencentcloud-ssl-*.example.net"]
got, err, deadline = {}, "", time.time() + 90
while time.time() < deadline:
    try:
        got = services()
        if all(got.get(s) and got[s].get("check_source") == "satellite.test" for s in names):
            break
    except Exception as e:  # the API is not up yet
        err = repr(e)
    time.sleep(1)
tap(bool(got), "master's REST API answers", err)
for s in names:
    cr = got.get(s) or {}
    with open("%s/expect.%s" % (tmp, s.split("*.")[1]), encoding="utf-8") as f:
        out, _, rc = f.read().rstrip("\n").rpartition("\n")
    text, perf = [], []
    for ln in out.split("\n"):  # Icinga 2: text before a '|', perfdata items after it
        a, sep, b = ln.partition("|")
        text.append(a if sep and "=" in b else ln)
        perf.extend(b.split() if sep and "=" in b else [])
    fix = lambda v: re.sub(r"fetch_time=[0-9.]+s", "fetch_time=Xs", v)
    want_perf = [fix(re.sub(r"^'([^' ]*)'=", r"\1=", p)) for p in perf]
    tap(cr.get("check_source") == "satellite.test", "%s: executed on the satellite" % s,
        json.dumps(cr)[:2000])
    tap(str(cr.get("exit_status")) == rc.strip() and rc.strip() in ("1", "2"),
        "%s: the master recorded state %s as the plugin exited" % (s, rc.strip()), cr.get("exit_status"))
    tap((cr.get("output") or "").rstrip() == "\n".join(text).rstrip() and
        out.startswith("TENCENTCLOUD_SSL "),
        "%s: the master recorded the output as printed" % s,
        "master: %r\nplugin: %r" % (cr.get("output"), out))
    tap([fix(p) for p in cr.get("performance_data") or []] == want_perf and len(want_perf) > 7,
        "%s: the master recorded the %d perfdata items as printed" % (s, len(want_perf)),
        "master: %r\nplugin: %r" % (cr.get("performance_data"), want_perf))
cache = tmp + "/satellite/cache/tencentcloud_ssl.cache"
tap(os.path.exists(cache) and (os.stat(cache).st_mode & 0o077) == 0,
    "the satellite's own cache file, mode 0600")
# The direct runs above listed twice without a cache; the satellite's services once in all.
reqs = [json.loads(ln) for ln in open(tmp + "/mock.requests")] if os.path.exists(
    tmp + "/mock.requests") else []
tap(len(reqs) == 3, "both services shared one listing through the cache (%d requests to the "
    "mock, 2 of them the direct runs)" % len(reqs))
open(tmp + "/n", "w").write(str(n))
sys.exit(1 if bad else 0)
EOF
py=$?
n=$(cat "$tmp/n" 2>/dev/null || echo "$n")
[ "$py" = 0 ] || fails=$((fails + 1)) # (its own results are in the TAP above)
if [ "$fails" != 0 ]; then
	for i in master satellite; do
		echo "# --- $i log (last lines)"
		grep -E 'critical|warning|Executing|check result' "$tmp/$i/log/debug.log" 2>/dev/null |
			tail -n 15 | sed 's/^/# /'
	done
fi
echo "1..$n"
[ "$fails" = 0 ]
