/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --help and --version in the Monitoring Plugins layout: the revision and
 * licence block, a description, the usage, then each option on its own line
 * with its meaning and default indented below it. */
#include "config.h"

#include <stdio.h>

#include "help.h"

const char usage_line[] = "Usage: " PROGNAME " [-w THRESHOLD] [-c THRESHOLD] [-v]\n"
                          "       [-t SECONDS[:STATE]] [credentials] [connection] [API filters]\n"
                          "       [selection] [output]     (" PROGNAME " --help: every option)\n";

static const char licence[] =
    "The " PROGNAME " plugin comes with ABSOLUTELY NO WARRANTY. You may\n"
    "redistribute copies of it under the terms of the GNU General Public License,\n"
    "version 3 or (at your option) any later version (GPL-3.0-or-later).\n"
    "For more information about these matters, see the file named LICENSE.\n";

void print_version(FILE *f)
{
	fputs(PROGNAME " v" PACKAGE_VERSION "\n", f);
	fputs(licence, f);
}

static const char intro[] =
    "Copyright (c) 2026 The " PROGNAME " authors\n"
    "\n"
    "Checks that no TLS certificate of a Tencent Cloud account is about to expire.\n"
    "Lists them all with the SSL Certificates API (DescribeCertificates, signed\n"
    "TC3-HMAC-SHA256), works out the days left of each selected certificate and\n"
    "prints one Nagios status line, long output and perfdata.\n"
    "\n";

static const char general[] =
    "\n"
    "Options:\n"
    " -h, --help\n"
    "    Print this help and exit\n"
    " -V, --version\n"
    "    Print the version and the licence and exit\n"
    " -v, --verbose\n"
    "    More detail, repeatable: -v lists every selected certificate in the long\n"
    "    output and adds notes on stderr (a line per page listed); -vv one line\n"
    "    per request and the proxy used; -vvv request headers. Never a secret\n"
    " --extra-opts[=[SECTION][@FILE]]\n"
    "    Read long options (name = value, no dashes; a flag: name =) from SECTION\n"
    "    of an INI FILE, as the Monitoring Plugins do (default SECTION:\n"
    "    " PROGNAME "; default FILE: $MP_CONFIG_FILE, else\n"
    "    monitoring-plugins.ini as they look it up). The command line wins; -v\n"
    "    warns when group or others can read FILE\n"
    " -w, --warning=THRESHOLD\n"
    "    WARNING when the days left match (default: 30). THRESHOLD is a number N\n"
    "    (fewer than N days left), a Nagios range against days left (10:, ~:10,\n"
    "    10:20, @10:20) or N% (less than N percent of the validity period left)\n"
    " -c, --critical=THRESHOLD\n"
    "    CRITICAL likewise (default: 7). An expired certificate is always CRITICAL\n"
    " -t, --timeout=SECONDS[:STATE]\n"
    "    One deadline for the whole run, all pages and retries (default:\n"
    "    10:unknown); past it the check ends with STATE (ok, warning, critical,\n"
    "    unknown) and says how far the listing got\n";

static const char credentials[] =
    "\n"
    "Credentials (first found wins; a route is taken whole):\n"
    " --secret-id=ID\n"
    "    SecretId; needs --secret-key-file or --secret-key\n"
    " --secret-key-file=FILE\n"
    "    The first line of FILE is the SecretKey (keep it mode 600)\n"
    " --secret-key=KEY\n"
    "    The SecretKey itself: visible in ps until read, prefer the file\n"
    " --session-token-file=FILE\n"
    "    Token of temporary credentials, sent as X-TC-Token, whichever route gave\n"
    "    the key (wins over the route's own token)\n"
    " --profile=NAME\n"
    "    Section of the credentials file (default: default)\n"
    " --credentials-file=FILE\n"
    "    INI file of profiles (default: $TENCENTCLOUD_CREDENTIALS_FILE, else\n"
    "    ~/.tencentcloud/credentials; without HOME, the passwd entry's home)\n"
    " --cvm-role=NAME\n"
    "    Temporary keys of the CVM instance role NAME from the metadata service;\n"
    "    auto discovers the name. Wins over the environment and the profile; not\n"
    "    with --secret-id. Without it the metadata service is never asked\n"
    " --metadata-url=URL\n"
    "    Metadata service for --cvm-role\n"
    "    (default: http://metadata.tencentyun.com/latest/meta-data/)\n"
    " --role-arn=ARN\n"
    "    STS AssumeRole into ARN (qcs::cam::uin/UIN:roleName/NAME) with the\n"
    "    credentials found; the role's temporary keys sign the listing (a\n"
    "    profile's role_arn does the same)\n"
    " --role-session-name=NAME\n"
    "    RoleSessionName of AssumeRole (default: " PROGNAME ")\n"
    " --role-duration=SECONDS\n"
    "    DurationSeconds of AssumeRole, 1..43200 (default: 900)\n"
    " --sts-endpoint=URL\n"
    "    STS endpoint (default: https://sts.tencentcloudapi.com)\n"
    " Without these options: TENCENTCLOUD_SECRET_ID, TENCENTCLOUD_SECRET_KEY and\n"
    " TENCENTCLOUD_SESSION_TOKEN, then the profile. Secrets never appear in any\n"
    " output.\n";

static const char connection[] =
    "\n"
    "Connection:\n"
    " --endpoint=URL\n"
    "    API endpoint: scheme, host, optional port (default:\n"
    "    " DEFAULT_ENDPOINT "; international site:\n"
    "    https://ssl.intl.tencentcloudapi.com)\n"
    " --region=REGION\n"
    "    Sent as X-TC-Region (default: none)\n"
    " --language=LANG\n"
    "    zh-CN or en-US: language of API error messages (default: none)\n"
    " --cacert=FILE\n"
    "    CA bundle for the endpoint (default: the system store)\n"
    " --insecure\n"
    "    Do not verify the endpoint's TLS certificate (never the default)\n"
    " --proxy=URL\n"
    "    HTTP(S) proxy (default: https_proxy, no_proxy of the environment);\n"
    "    credentials in URL are blanked from the command line once read\n"
    " --proxy-user-file=FILE\n"
    "    user:password for the proxy, the first line of FILE\n"
    " --retries=N\n"
    "    Retries of a request on transient errors, 0..10 (default: 2)\n"
    " --page-size=N\n"
    "    Certificates per request, 1..1000 (default: 1000)\n"
    " --max-rate=N\n"
    "    Most requests started per second, 1..1000 (default: 10)\n"
    " --parallel=N\n"
    "    Most requests in flight, 1..32 (default: 4)\n"
    " --cache-file=PATH\n"
    "    Share one listing between the checks of one account (mode 0600)\n"
    " --cache-ttl=SECONDS\n"
    "    Age up to which a cached listing is used (default: 300)\n";

static const char filters[] =
    "\n"
    "API filters (sent to the API with DescribeCertificates' names):\n"
    " --search-key=TEXT\n"
    "    SearchKey: certificate id, alias or domain\n"
    " --certificate-type=TYPE\n"
    "    CA (client) or SVR (server)\n"
    " --project-id=N\n"
    "    ProjectId\n"
    " --status=N\n"
    "    CertificateStatus, 0..15 (1 issued, 3 expired); repeatable\n"
    " --deployable=0/1, --upload=0/1, --renew=0/1, --is-sm=0/1, --hostable=0/1\n"
    "    Deployable, Upload, Renew, IsSM, Hostable: 0 or 1\n"
    " --filter-source=SOURCE\n"
    "    upload or buy\n"
    " --tag=KEY=VALUE\n"
    "    Tags; repeatable, all must match\n"
    " --is-pending-issue\n"
    "    IsPendingIssue=1\n"
    " --expiration-sort=ORDER\n"
    "    ASC or DESC\n"
    " --filter-expiring\n"
    "    FilterExpiring=1: only what the API considers expiring; each one returned\n"
    "    is at least WARNING\n"
    " The local selection still applies: --status 0 needs --all-statuses.\n";

static const char selection[] =
    "\n"
    "Local selection (default: issued or expired, not ignored, and not replaced\n"
    "unless still bound somewhere):\n"
    " --all-statuses\n"
    "    Every status\n"
    " --include-ignored\n"
    "    Also certificates whose expiry notices are muted (IsIgnore)\n"
    " --include-replaced\n"
    "    Every replaced certificate (ReplacedBy set), bound or not\n"
    " --exclude-replaced\n"
    "    No replaced certificate, not even one still bound\n"
    " --bound-only\n"
    "    Only certificates deployed somewhere (BoundResource)\n"
    " --domain=GLOB\n"
    "    Only certificates with a name (Domain or SAN) matching GLOB,\n"
    "    case-insensitive fnmatch(3); repeatable\n"
    " --exclude-domain=GLOB\n"
    "    Drop certificates with a name matching GLOB; repeatable\n"
    " --exclude-id=ID\n"
    "    Drop one certificate; repeatable\n";

static const char output[] =
    "\n"
    "Output:\n"
    " --empty-state=STATE\n"
    "    State when nothing is selected (default: ok)\n"
    " --perfdata-per-cert\n"
    "    Add 'days_<id>_<domain>'=N;W;C;; per selected certificate\n"
    " --max-output=BYTES\n"
    "    Cap on stdout, Nagios 4 cuts past 4 KiB (default: 4000; 0: none)\n"
    " --output=FORMAT\n"
    "    text (default), json (one JSON document) or openmetrics (Prometheus\n"
    "    text format, for node_exporter's textfile collector); same exit code\n"
    " --now=EPOCH\n"
    "    Evaluate as if the clock said EPOCH (requests are signed with the real\n"
    "    clock)\n";

static const char examples[] =
    "\n"
    "Examples:\n"
    "  " PROGNAME " --secret-id AKID... \\\n"
    "      --secret-key-file /etc/nagios/tencentcloud.key -w 30 -c 7\n"
    "  " PROGNAME " --profile prod --domain '*.example.com' -w 25% -c 10%\n"
    "  Nagios:   define command { command_name check_tencentcloud_ssl\n"
    "              command_line $USER1$/" PROGNAME " --profile $ARG1$ }\n"
    "  Icinga 2: check_command = \"tencentcloud_ssl\" (the CheckCommand ships in\n"
    "            plugins-contrib.d), vars.tencentcloud_ssl_profile = \"prod\"\n"
    "  Samples: /usr/share/doc/monitoring-plugins-tencentcloud-ssl/examples/, or\n"
    "  share/check_tencentcloud_ssl/contrib/ below the prefix of make install\n"
    "\n"
    "Notes:\n"
    "  CertEndTime is Beijing time (UTC+08:00) in the API; days left are counted\n"
    "  from it whatever the host's time zone, shown with +08:00, rounded down.\n"
    "  Keep secrets off the command line: a key file (mode 600), the environment,\n"
    "  a profile, --extra-opts, a CVM role or AssumeRole. Nagios and Icinga 2 run\n"
    "  as user nagios on Debian, often without HOME: then ~ is nagios's passwd home.\n"
    "  Big accounts (100,000 certificates take ~10 s at 10 requests/s) should\n"
    "  raise -t or share a --cache-file.\n"
    "  Exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.\n"
    "  Full manual: man " PROGNAME "\n";

void print_help(FILE *f)
{
	print_version(f);
	fputs(intro, f);
	fputs(usage_line, f);
	fputs(general, f);
	fputs(credentials, f);
	fputs(connection, f);
	fputs(filters, f);
	fputs(selection, f);
	fputs(output, f);
	fputs(examples, f);
}
