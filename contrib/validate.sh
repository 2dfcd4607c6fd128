#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/validate.sh: a manual check, not part of `make check`, that the sample configs in
# contrib/ load in the real Icinga 2 and Nagios 4, and that both record what the plugin prints
# (one run of each against tests/mock_api.py, status.dat and icinga2.state read back).
# Debian 12, as root:
#
#   bash contrib/validate.sh [PATH/TO/check_tencentcloud_ssl]
#
# It installs icinga2-bin, icinga2-common and nagios4-core with apt-get when they are missing,
# starts no system service (everything runs from one temporary directory, removed at exit,
# with the processes it started) and prints one PASS/FAIL line per step; exit 1 on any FAIL.
# Set KEEP=1 to keep the temporary directory for a look.
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
plugin=${1:-$top/plugin/check_tencentcloud_ssl}
icinga_conf=$here/icinga2-check_tencentcloud_ssl.conf
nagios_cfg=$here/nagios-check_tencentcloud_ssl.cfg
mock=$top/tests/mock_api.py
# The mock's fixed account (tests/mock_api.py): not a real secret.
mock_id=AKIDmockEXAMPLE0000000000000000000000
mock_key=mockSecretKeyEXAMPLE000000000000

fails=0
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
die() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (apt-get, and Nagios runs its checks as user nagios)"
[ -x "$plugin" ] || die "no plugin at $plugin: run make first, or give its path"
plugin=$(cd "$(dirname "$plugin")" && pwd)/$(basename "$plugin")
for f in "$icinga_conf" "$nagios_cfg" "$mock"; do
	[ -r "$f" ] || die "missing $f"
done

need=()
dpkg -s icinga2-bin icinga2-common >/dev/null 2>&1 || need+=(icinga2-bin icinga2-common)
dpkg -s nagios4-core >/dev/null 2>&1 || need+=(nagios4-core)
if [ ${#need[@]} -gt 0 ]; then
	echo "installing: ${need[*]}"
	# (a fresh machine may have no package lists yet: update once and try again)
	{ DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null 2>&1 ||
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			"${need[@]}" >/dev/null; }; } || die "apt-get install ${need[*]}"
fi
command -v icinga2 >/dev/null || die "icinga2 not found after install"
command -v nagios4 >/dev/null || die "nagios4 not found after install"

tmp=$(mktemp -d /tmp/validate-tencentcloud-ssl.XXXXXX) || die "mktemp"
pids=
cleanup() {
	for p in $pids; do
		kill "$p" 2>/dev/null && wait "$p" 2>/dev/null
	done
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

help=$("$plugin" --help 2>&1)
# has_option OPT: the plugin's --help documents OPT ("-w," or "--domain=" or "--bound-only ").
has_option() {
	printf '%s\n' "$help" | grep -qE -- "(^|[[:space:],])$1([]=,[:space:][]|\$)"
}
# every TEST PASS_TEXT FAIL_TEXT < <(names, one a line): PASS when `TEST name` holds for every
# name, else FAIL with the names it does not hold for. (Not from a pipe: fail counts here.)
every() {
	local name bad=
	while read -r name; do
		"$1" "$name" || bad="$bad $name"
	done
	if [ -z "$bad" ]; then pass "$2"; else fail "$3:$bad"; fi
}

# ---------------------------------------------------------------------------------------------
# 1. Icinga 2: our CheckCommand, the example Service of its comment, and one Service that sets
#    every custom variable, through `icinga2 daemon -C` (validation only, no daemon).

mkdir -p "$tmp/icinga/conf" "$tmp/icinga/cache" "$tmp/icinga/data" "$tmp/icinga/log" \
	"$tmp/icinga/run"
ic=$tmp/icinga/conf
cp "$icinga_conf" "$ic/tencentcloud_ssl.conf"
# The example as shipped, uncommented: the lines between "/* Example" and "*/".
sed -n '/^\/\* Example/,/^\*\//p' "$icinga_conf" | sed '1d;$d' >"$ic/example.conf"
cat >"$ic/icinga2.conf" <<EOF
const PluginDir = "$(dirname "$plugin")"
include <itl>
include "tencentcloud_ssl.conf"
include "example.conf"
include "all-vars.conf"
object Host "monitoring.example.com" {
	check_command = "dummy"
}
EOF
cat >"$ic/all-vars.conf" <<'EOF'
object Service "tencentcloud-ssl-all-vars" {
	host_name = "monitoring.example.com"
	check_command = "tencentcloud_ssl"
	vars.tencentcloud_ssl_extra_opts = "prod@/etc/icinga2/tencentcloud.ini"
	vars.tencentcloud_ssl_warning = "25%"
	vars.tencentcloud_ssl_critical = "10%"
	vars.tencentcloud_ssl_timeout = "30:unknown"
	vars.tencentcloud_ssl_verbose = true
	vars.tencentcloud_ssl_secret_id = "AKIDEXAMPLE"
	vars.tencentcloud_ssl_secret_key_file = "/etc/icinga2/secrets/tencentcloud.key"
	vars.tencentcloud_ssl_session_token_file = "/etc/icinga2/secrets/token"
	vars.tencentcloud_ssl_profile = "prod"
	vars.tencentcloud_ssl_credentials_file = "/etc/icinga2/secrets/tencentcloud"
	vars.tencentcloud_ssl_cvm_role = "auto"
	vars.tencentcloud_ssl_metadata_url = "http://127.0.0.1:8080/latest/meta-data/"
	vars.tencentcloud_ssl_role_arn = "qcs::cam::uin/100000000001:roleName/ssl-readonly"
	vars.tencentcloud_ssl_role_session_name = "icinga"
	vars.tencentcloud_ssl_role_duration = 1800
	vars.tencentcloud_ssl_sts_endpoint = "https://sts.tencentcloudapi.com"
	vars.tencentcloud_ssl_endpoint = "https://ssl.intl.tencentcloudapi.com"
	vars.tencentcloud_ssl_region = "ap-guangzhou"
	vars.tencentcloud_ssl_language = "en-US"
	vars.tencentcloud_ssl_cacert = "/etc/ssl/certs/ca-certificates.crt"
	vars.tencentcloud_ssl_insecure = false
	vars.tencentcloud_ssl_proxy = "http://proxy.example.com:3128"
	vars.tencentcloud_ssl_proxy_user_file = "/etc/icinga2/secrets/proxy"
	vars.tencentcloud_ssl_retries = 3
	vars.tencentcloud_ssl_page_size = 500
	vars.tencentcloud_ssl_max_rate = 5
	vars.tencentcloud_ssl_parallel = 2
	vars.tencentcloud_ssl_cache_file = "/var/cache/icinga2/tencentcloud_ssl.cache"
	vars.tencentcloud_ssl_cache_ttl = 600
	vars.tencentcloud_ssl_search_key = "example"
	vars.tencentcloud_ssl_certificate_type = "SVR"
	vars.tencentcloud_ssl_project_id = 1001
	vars.tencentcloud_ssl_statuses = [ 1, 3 ]
	vars.tencentcloud_ssl_deployable = 1
	vars.tencentcloud_ssl_upload = 0
	vars.tencentcloud_ssl_renew = 1
	vars.tencentcloud_ssl_filter_source = "buy"
	vars.tencentcloud_ssl_is_sm = 0
	vars.tencentcloud_ssl_hostable = 1
	vars.tencentcloud_ssl_tags = [ "env=prod", "team=pay" ]
	vars.tencentcloud_ssl_is_pending_issue = false
	vars.tencentcloud_ssl_expiration_sort = "ASC"
	vars.tencentcloud_ssl_filter_expiring = false
	vars.tencentcloud_ssl_all_statuses = false
	vars.tencentcloud_ssl_include_ignored = true
	vars.tencentcloud_ssl_include_replaced = false
	vars.tencentcloud_ssl_exclude_replaced = true
	vars.tencentcloud_ssl_bound_only = true
	vars.tencentcloud_ssl_domains = [ "*.example.com", "example.com" ]
	vars.tencentcloud_ssl_exclude_domains = [ "legacy.example.com" ]
	vars.tencentcloud_ssl_exclude_ids = [ "Ignr0003" ]
	vars.tencentcloud_ssl_empty_state = "unknown"
	vars.tencentcloud_ssl_perfdata_per_cert = true
	vars.tencentcloud_ssl_max_output = 8000
	vars.tencentcloud_ssl_output = "text"
	vars.tencentcloud_ssl_now = 1767225600
	vars.tencentcloud_ssl_env_secret_id = "AKIDEXAMPLE"
	vars.tencentcloud_ssl_env_secret_key = "secret-key-example"
	vars.tencentcloud_ssl_env_session_token = "token-example"
	vars.tencentcloud_ssl_env_credentials_file = "/etc/icinga2/secrets/tencentcloud"
}
EOF
# Private paths, run as root: nothing of /var/lib/icinga2 or /var/cache/icinga2 is touched.
icinga_defs=(-DConfiguration.CacheDir="$tmp/icinga/cache" -DConfiguration.DataDir="$tmp/icinga/data"
	-DConfiguration.LogDir="$tmp/icinga/log" -DConfiguration.InitRunDir="$tmp/icinga/run"
	-DConfiguration.RunAsUser=root -DConfiguration.RunAsGroup=root)
if icinga2 daemon -C -c "$ic/icinga2.conf" "${icinga_defs[@]}" >"$tmp/icinga/validate.out" 2>&1 &&
	! grep -qE 'critical/|warning/' "$tmp/icinga/validate.out"; then
	pass "icinga2 daemon -C: CheckCommand, example Service and all-vars Service load" \
		"($(grep -o 'Instantiated [0-9]* Service[s]*' "$tmp/icinga/validate.out" | tr '\n' ' '))"
else
	fail "icinga2 daemon -C:"
	grep -E 'critical/|warning/|^ *[^[]' "$tmp/icinga/validate.out" | sed 's/^/    /'
fi

# Every argument key of the CheckCommand is an option of the plugin, and every custom variable
# the all-vars Service sets is used by the CheckCommand (a typo would be silently ignored).
every has_option "icinga2: every argument is a plugin option" \
	"icinga2: arguments the plugin does not know" < <(grep -oE \
	'^[[:space:]]*"-{1,2}[a-z-]+"[[:space:]]*=' "$icinga_conf" | tr -d '" =\t')
used_by_argument() { grep -q "\\\$$1\\\$" "$icinga_conf"; }
every used_by_argument "icinga2: every custom variable of the examples is used by an argument" \
	"icinga2: custom variables no argument uses" < <(grep -oE 'vars\.tencentcloud_ssl_[a-z_]+' \
	"$ic/all-vars.conf" "$ic/example.conf" | sed 's/.*vars\.//' | sort -u)
set_by_all_vars() { grep -q "vars\.$1 = " "$ic/all-vars.conf"; }
every set_by_all_vars \
	"icinga2: the all-vars Service sets every custom variable of the CheckCommand" \
	"icinga2: custom variables the all-vars Service does not set" < <(grep -oE \
	'\$tencentcloud_ssl_[a-z_]+\$' "$icinga_conf" | tr -d '$' | sort -u)
# Every option of --help is an argument (but -h, -V and --secret-key: secrets only via env).
is_argument() {
	local short
	short=$(printf '%s\n' "$help" | grep -oE -- "^ -[a-zA-Z], $1\b" | cut -c2-3)
	grep -qE -- "^[[:space:]]*\"($1${short:+|$short})\" = " "$icinga_conf"
}
every is_argument "icinga2: every option of --help is an argument of the CheckCommand" \
	"icinga2: options of --help the CheckCommand lacks" < <(printf '%s\n' "$help" |
	grep -E '^ {1,2}-' | grep -oE -- '--[a-z][a-z-]*' | grep -vxE -- '--(help|version|secret-key)')
n_args=$(grep -cE '^[[:space:]]*"-{1,2}[a-z-]+" = \{' "$icinga_conf")
n_desc=$(grep -cE '^[[:space:]]*description = "' "$icinga_conf")
if [ "$n_args" -gt 0 ] && [ "$n_args" = "$n_desc" ]; then
	pass "icinga2: all $n_args arguments have a description"
else
	fail "icinga2: $n_args arguments, $n_desc descriptions"
fi

# ---------------------------------------------------------------------------------------------
# 2. Nagios 4: our command definitions in a minimal main config, through `nagios4 -v`.
#    3. then one real run of Nagios against the mock, reading what status.dat recorded.

nd=$tmp/nagios
mkdir -p "$nd/plugins" "$nd/checkresults" "$nd/cache"
cp "$nagios_cfg" "$nd/commands.cfg"

# The mock API, on a free port.
python3 "$mock" --account sample --port-file "$tmp/mock.port" >"$tmp/mock.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do
	[ -s "$tmp/mock.port" ] && break
	sleep 0.1
done
[ -s "$tmp/mock.port" ] || die "mock_api.py did not start: $(cat "$tmp/mock.log")"
endpoint=http://127.0.0.1:$(cat "$tmp/mock.port")
# A second mock with an odd account: names with ';' and '|', which Nagios treats specially.
python3 - "$tmp/odd.json" <<'PYEOF'
import json, sys, time
def bj(t):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(t + 8 * 3600))
now = int(time.time())
certs = []
for cid, dom, days in (("Semi0005", "semi;colon.example.com", 5),
                       ("Pipe0020", "pipe|bar.example.com", 20),
                       ("Both0100", "a;b|c.example.com", 100)):
    certs.append({"CertificateId": cid, "Domain": dom, "Alias": "", "Status": 1,
                  "CertBeginTime": bj(now - 200 * 86400),
                  "CertEndTime": bj(now + days * 86400 + 3600),
                  "SubjectAltName": [dom], "BoundResource": [], "IsIgnore": False,
                  "CertificateExtra": {"ReplacedBy": "", "ReplacedFor": ""},
                  "IsExpiring": days <= 30, "ProjectId": "0", "From": "upload",
                  "CertificateType": "SVR", "Tags": [], "Deployable": True,
                  "RenewAble": False, "IsSM": False})
json.dump(certs, open(sys.argv[1], "w"))
PYEOF
python3 "$mock" --account "$tmp/odd.json" --port-file "$tmp/odd.port" >"$tmp/odd.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do
	[ -s "$tmp/odd.port" ] && break
	sleep 0.1
done
[ -s "$tmp/odd.port" ] || die "mock_api.py (odd account) did not start: $(cat "$tmp/odd.log")"
odd_endpoint=http://127.0.0.1:$(cat "$tmp/odd.port")

# Credentials as an admin would keep them: a profile in a file of mode 600 and a key file,
# owned by the user the checks run as.
printf '[mock]\nsecret_id = %s\nsecret_key = %s\n' "$mock_id" "$mock_key" >"$nd/credentials"
printf '%s\n' "$mock_key" >"$nd/secret.key"
# $USER1$ of the shipped commands: a wrapper that only points the plugin at the mock (there is no
# environment variable for the endpoint), names the credentials file for the "mock" profile, and
# moves the shipped key file and --cache-file under the temporary directory.
cat >"$nd/plugins/check_tencentcloud_ssl" <<EOF
#!/bin/bash
export TENCENTCLOUD_CREDENTIALS_FILE='$nd/credentials'
args=()
for a in "\$@"; do
	case \$a in
	/var/lib/nagios4/check_tencentcloud_ssl*) a='$nd/cache/'\${a##*/} ;;
	/etc/nagios4/tencentcloud.key) a='$nd/secret.key' ;;
	esac
	args+=("\$a")
done
exec '$plugin' --endpoint '$endpoint' "\${args[@]}"
EOF
chmod 755 "$nd/plugins/check_tencentcloud_ssl"
printf '$USER1$=%s\n$USER3$=%s\n' "$nd/plugins" "$mock_id" >"$nd/resource.cfg"

cat >"$nd/objects.cfg" <<EOF
define timeperiod {
	timeperiod_name 24x7
	alias           always
	sunday          00:00-24:00
	monday          00:00-24:00
	tuesday         00:00-24:00
	wednesday       00:00-24:00
	thursday        00:00-24:00
	friday          00:00-24:00
	saturday        00:00-24:00
}
define command {
	command_name    notify-none
	command_line    /bin/true
}
define contact {
	contact_name                  admin
	host_notifications_enabled    0
	service_notifications_enabled 0
	host_notification_period      24x7
	service_notification_period   24x7
	host_notification_options     n
	service_notification_options  n
	host_notification_commands    notify-none
	service_notification_commands notify-none
}
define host {
	host_name             monitoring
	address               127.0.0.1
	max_check_attempts    1
	check_period          24x7
	contacts              admin
	notification_interval 0
	notification_period   24x7
	notifications_enabled 0
}
define service {
	name                  tc-ssl
	register              0
	host_name             monitoring
	max_check_attempts    1
	check_interval        3600
	retry_interval        3600
	check_period          24x7
	contacts              admin
	notification_interval 0
	notification_period   24x7
	notifications_enabled 0
}
# The shipped commands, with the arguments of their comments (USER3 from resource.cfg).
define service {
	use                   tc-ssl
	service_description   default
	check_command         check_tencentcloud_ssl!30!7
}
define service {
	use                   tc-ssl
	service_description   profile
	check_command         check_tencentcloud_ssl_profile!mock!30!7
}
define service {
	use                   tc-ssl
	service_description   domain
	check_command         check_tencentcloud_ssl_domain!*.example.com!30!7
}
# The plugin itself with --perfdata-per-cert (long output, then a second '|' perfdata block).
define command {
	command_name    check_tencentcloud_ssl_percert
	command_line    $plugin --endpoint $endpoint --credentials-file $nd/credentials --profile mock --perfdata-per-cert
}
define service {
	use                   tc-ssl
	service_description   percert
	check_command         check_tencentcloud_ssl_percert
}
# Odd names, every certificate in the long output (-v) and in the perfdata.
define command {
	command_name    check_tencentcloud_ssl_odd
	command_line    $plugin --endpoint $odd_endpoint --credentials-file $nd/credentials --profile mock -v --perfdata-per-cert
}
define service {
	use                   tc-ssl
	service_description   odd
	check_command         check_tencentcloud_ssl_odd
}
EOF

cat >"$nd/nagios.cfg" <<EOF
log_file=$nd/nagios.log
cfg_file=$nd/commands.cfg
cfg_file=$nd/objects.cfg
resource_file=$nd/resource.cfg
object_cache_file=$nd/objects.cache
precached_object_file=$nd/objects.precache
status_file=$nd/status.dat
status_update_interval=1
temp_file=$nd/nagios.tmp
temp_path=$nd
lock_file=$nd/nagios.lock
check_result_path=$nd/checkresults
state_retention_file=$nd/retention.dat
retain_state_information=0
query_socket=$nd/nagios.qh
nagios_user=nagios
nagios_group=nagios
check_external_commands=0
use_syslog=0
log_initial_states=1
interval_length=1
service_inter_check_delay_method=n
host_inter_check_delay_method=n
max_service_check_spread=1
check_result_reaper_frequency=1
enable_notifications=0
enable_event_handlers=0
enable_flap_detection=0
process_performance_data=0
check_for_updates=0
illegal_object_name_chars=\`~!\$%^&*|'"<>?,()=
illegal_macro_output_chars=\`~\$&|'"<>
EOF
chown -R nagios:nagios "$nd"
chmod 600 "$nd/credentials" "$nd/secret.key"
chmod 711 "$tmp"

nagios_ok=0
if nagios4 -v "$nd/nagios.cfg" >"$nd/verify.out" 2>&1 &&
	grep -q 'Total Errors:   0' "$nd/verify.out"; then
	nagios_ok=1
	pass "nagios4 -v: command definitions load ($(grep -E 'Total (Warnings|Errors)' \
		"$nd/verify.out" | tr -s ' \n' ' '))"
	grep -E '^Warning' "$nd/verify.out" | sed 's/^/    /'
else
	fail "nagios4 -v:"
	grep -E 'Error|Warning' "$nd/verify.out" | sed 's/^/    /'
fi
every has_option "nagios: every option of the command lines is a plugin option" \
	"nagios: options the plugin does not know" < <(grep -E '^[[:space:]]*command_line' \
	"$nagios_cfg" | grep -oE '[[:space:]]-{1,2}[a-z-]+')

# One run: Nagios in the foreground (in the background of this script), every service checked
# once at start, then stopped. status.dat is rewritten every second.
checked=0
if [ "$nagios_ok" = 1 ]; then
	nagios4 "$nd/nagios.cfg" >"$nd/nagios.out" 2>&1 &
	npid=$!
	pids="$pids $npid"
fi
for _ in $(seq 60); do
	[ "$nagios_ok" = 1 ] && kill -0 "$npid" 2>/dev/null || break
	checked=$(grep -c 'has_been_checked=1' "$nd/status.dat" 2>/dev/null)
	# The host is never checked (no check_command): 5 services.
	[ "${checked:-0}" -ge 5 ] && break
	sleep 0.5
done
# Nagios removes its status file when it stops.
cp "$nd/status.dat" "$nd/status.copy" 2>/dev/null
[ "$nagios_ok" = 1 ] && kill "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
if [ "$nagios_ok" != 1 ]; then
	fail "nagios4 run: skipped, the configuration does not load"
elif [ "${checked:-0}" -lt 5 ]; then
	fail "nagios4 run: not all 5 check results in status.dat after 30 s"
	tail -20 "$nd/nagios.log" | sed 's/^/    /'
else # (not indented: heredocs follow)

# What Nagios recorded, verbatim, next to what the plugin prints for the same arguments; then
# what Nagios 4 should have made of it (first line up to '|': plugin_output with ';' as ':';
# next lines up to one with '|': long_plugin_output, newlines as \n; the rest: perfdata).
"$nd/plugins/check_tencentcloud_ssl" --profile mock -w 30 -c 7 -t 30 >"$nd/expect.profile"
echo $? >>"$nd/expect.profile"
"$nd/plugins/check_tencentcloud_ssl" --secret-id "$mock_id" \
	--secret-key-file /etc/nagios4/tencentcloud.key -w 30 -c 7 -t 30 >"$nd/expect.default"
echo $? >>"$nd/expect.default"
"$nd/plugins/check_tencentcloud_ssl" --secret-id "$mock_id" \
	--secret-key-file /etc/nagios4/tencentcloud.key --domain '*.example.com' -w 30 -c 7 \
	--cache-file "/var/lib/nagios4/check_tencentcloud_ssl.expect.$mock_id.cache" \
	--cache-ttl 600 >"$nd/expect.domain"
echo $? >>"$nd/expect.domain"
"$plugin" --endpoint "$endpoint" --credentials-file "$nd/credentials" --profile mock \
	--perfdata-per-cert >"$nd/expect.percert"
echo $? >>"$nd/expect.percert"
"$plugin" --endpoint "$odd_endpoint" --credentials-file "$nd/credentials" --profile mock -v \
	--perfdata-per-cert >"$nd/expect.odd" 2>/dev/null
echo $? >>"$nd/expect.odd"

python3 - "$nd" <<'EOF'
import re
import sys

nd = sys.argv[1]
services, cur = {}, None
with open(nd + "/status.copy", encoding="utf-8", errors="surrogateescape") as f:
    for line in f:
        line = line.rstrip("\n")
        if line.strip() == "servicestatus {":
            cur = {}
        elif line.strip() == "}" and cur is not None:
            services[cur["service_description"]] = cur
            cur = None
        elif cur is not None and "=" in line:
            k, v = line.strip().split("=", 1)
            cur[k] = v


def nagios_view(out):
    """(plugin_output, long_plugin_output, performance_data) that Nagios 4 should record for
    out: what a plugin means, before Nagios's own cosmetics (see norm)."""
    lines = out.split("\n")
    first, _, perf = lines[0].partition("|")
    short, longs, perfs, in_perf = first.strip().replace(";", ":"), [], [perf], False
    for ln in lines[1:]:
        if in_perf:
            perfs.append(ln)
        elif "|" in ln:
            a, _, b = ln.partition("|")
            if a:
                longs.append(a)
            perfs.append(b)
            in_perf = True
        else:
            longs.append(ln)
    lo = "\\n".join(x.replace("\\", "\\\\") for x in longs)
    return short, lo, " ".join(perfs)


def norm(key, v):
    """Nagios 4 ends the long output with a \\n when the perfdata block starts its own line, and
    joins perfdata blocks with one more space; fetch_time changes from run to run."""
    v = v.strip()
    if key == "long_plugin_output":
        while v.endswith("\\n"):
            v = v[:-2]
    if key == "performance_data":
        v = " ".join(re.sub(r"fetch_time=[0-9.]+s", "fetch_time=Xs", v).split())
    return v


bad = 0
for name in ("default", "profile", "domain", "percert", "odd"):
    s = services.get(name)
    print("--- service %s: status.dat, verbatim" % name)
    if s is None:
        print("FAIL: nagios4 run: service %s missing from status.dat" % name)
        bad += 1
        continue
    for k in ("current_state", "plugin_output", "long_plugin_output", "performance_data"):
        print("%s=%s" % (k, s.get(k, "")))
    with open("%s/expect.%s" % (nd, name), encoding="utf-8", errors="surrogateescape") as f:
        text = f.read()
    out, _, rc = text.rstrip("\n").rpartition("\n")
    want = dict(zip(("plugin_output", "long_plugin_output", "performance_data"),
                    nagios_view(out)))
    want["current_state"] = rc.strip()
    diff = [k for k in want if norm(k, s.get(k, "")) != norm(k, want[k])]
    if diff:
        bad += 1
        print("FAIL: nagios4 run, service %s: Nagios recorded other %s than the plugin printed"
              % (name, ", ".join(diff)))
        for k in diff:
            print("    plugin printed %s=%s" % (k, want[k]))
        continue
    notes = []
    if s.get("long_plugin_output", "").endswith("\\n"):
        notes.append("a trailing \\n on long_plugin_output")
    if "  " in s.get("performance_data", ""):
        notes.append("a double space in performance_data")
    if ";" in out.split("\n")[0].partition("|")[0]:
        notes.append("';' of the first line as ':'")
    print("PASS: nagios4 run, service %s: state %s, output, long output and perfdata recorded as "
          "printed%s" % (name, s["current_state"],
                         " (Nagios added: %s)" % ", ".join(notes) if notes else ""))
sys.exit(1 if bad else 0)
EOF
[ $? = 0 ] || fails=$((fails + 1))
fi

# ---------------------------------------------------------------------------------------------
# 4. Icinga 2 for real: the daemon in the foreground (private paths, as root, checker only) runs
#    our CheckCommand once against the mock; its state file, dumped at shutdown, holds the check
#    result as Icinga parsed it.

ir=$tmp/icinga-run
mkdir -p "$ir/cache" "$ir/data" "$ir/log" "$ir/run"
cat >"$ir/icinga2.conf" <<EOF
const PluginDir = "$(dirname "$plugin")"
include <itl>
include "$ic/tencentcloud_ssl.conf"
object CheckerComponent "checker" { }
object FileLogger "debug-file" {
	path = "$ir/log/debug.log"
	severity = "notice"
}
object Host "monitoring.example.com" {
	check_command = "dummy"
	enable_active_checks = false
}
object Service "tencentcloud-ssl" {
	host_name = "monitoring.example.com"
	check_command = "tencentcloud_ssl"
	check_interval = 2s
	vars.tencentcloud_ssl_endpoint = "$endpoint"
	vars.tencentcloud_ssl_credentials_file = "$nd/credentials"
	vars.tencentcloud_ssl_profile = "mock"
	vars.tencentcloud_ssl_domains = [ "*.example.com", "*.example.net" ]
	vars.tencentcloud_ssl_perfdata_per_cert = true
}
EOF
icinga2 daemon -c "$ir/icinga2.conf" -DConfiguration.CacheDir="$ir/cache" \
	-DConfiguration.DataDir="$ir/data" -DConfiguration.LogDir="$ir/log" \
	-DConfiguration.InitRunDir="$ir/run" -DConfiguration.RunAsUser=root \
	-DConfiguration.RunAsGroup=root >"$ir/daemon.out" 2>&1 &
ipid=$!
pids="$pids $ipid"
for _ in $(seq 60); do
	kill -0 "$ipid" 2>/dev/null || break
	grep -qa 'terminated with exit code' "$ir/log/debug.log" 2>/dev/null && break
	sleep 0.5
done
kill "$ipid" 2>/dev/null && wait "$ipid" 2>/dev/null
"$plugin" --credentials-file "$nd/credentials" --domain '*.example.com' --domain '*.example.net' \
	--endpoint "$endpoint" --perfdata-per-cert --profile mock -c 7 -w 30 >"$ir/expect"
echo $? >>"$ir/expect"
python3 - "$ir" <<'EOF'
import json
import re
import sys

ir = sys.argv[1]
cr = None
try:
    data = open(ir + "/data/icinga2.state", "rb").read()
except OSError as e:
    print("FAIL: icinga2 run: no state file (%s); see %s/log" % (e, ir))
    sys.exit(1)
i = 0
while i < len(data):  # netstrings: LEN:JSON,
    j = data.index(b":", i)
    n = int(data[i:j])
    o = json.loads(data[j + 1:j + 1 + n])
    i = j + 1 + n + 1
    if o.get("type") == "Service":
        cr = o["update"].get("last_check_result")
if not cr:
    print("FAIL: icinga2 run: no check result recorded; see %s/log/debug.log" % ir)
    sys.exit(1)
print("--- icinga2 last_check_result, verbatim (JSON)")
for k in ("exit_status", "output", "performance_data", "command"):
    print("%s=%s" % (k, json.dumps(cr.get(k), ensure_ascii=False)))

with open(ir + "/expect", encoding="utf-8") as f:
    out, _, rc = f.read().rstrip("\n").rpartition("\n")
# Icinga 2.13: a line with '|' followed by an '=' gives its text before '|' and perfdata after;
# perfdata items are split at single spaces, and quotes around a label without spaces dropped.
text, perf = [], []
for ln in out.split("\n"):
    a, sep, b = ln.partition("|")
    if sep and "=" in b:
        text.append(a)
        perf.extend(b.split())
    else:
        text.append(ln)
want = [re.sub(r"^'([^' ]*)'=", r"\1=", p) for p in perf]
fix = lambda v: re.sub(r"fetch_time=[0-9.]+s", "fetch_time=Xs", v)
bad = []
if str(cr.get("exit_status")) != rc.strip():
    bad.append("exit_status %s, the plugin exited %s" % (cr.get("exit_status"), rc.strip()))
if cr.get("output", "").rstrip() != "\n".join(text).rstrip():
    bad.append("output differs from the plugin's text")
got = [fix(p) for p in cr.get("performance_data") or []]
if got != [fix(p) for p in want]:
    mangled = [p for p in got if p not in [fix(w) for w in want]]
    bad.append("performance_data differs; items Icinga made that the plugin did not print: %s"
               % json.dumps(mangled, ensure_ascii=False))
if bad:
    for b in bad:
        print("FAIL: icinga2 run: " + b)
    sys.exit(1)
print("PASS: icinga2 run: exit %s, output and %d perfdata items recorded as printed"
      % (rc.strip(), len(got)))
EOF
[ $? = 0 ] || fails=$((fails + 1))

if [ "$fails" = 0 ]; then
	echo "PASS: all"
else
	echo "FAIL: $fails step(s) failed"
	exit 1
fi
