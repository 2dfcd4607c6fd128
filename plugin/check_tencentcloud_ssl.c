/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_tencentcloud_ssl: is any TLS certificate of a Tencent Cloud account
 * about to expire? Parses options into a config, lists and evaluates the
 * certificates through lib/, prints the result and exits with its state. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "config.h"

#include "cache.h"
#include "client.h"
#include "clock.h"
#include "creds.h"
#include "cvm.h"
#include "endpoint.h"
#include "proxy.h"
#include "evaluate.h"
#include "help.h"
#include "extraopts.h"
#include "output.h"
#include "report.h"
#include "request.h"
#include "state.h"
#include "secret.h"
#include "sts.h"
#include "tc3.h"

struct config {
	struct creds_opts creds;
	struct client_opts client;
	struct api_filters filters;
	struct select_opts select;
	struct eval_opts eval;
	struct out_opts out;
	const char *warn_text, *crit_text;
	long timeout;
	enum tc_state timeout_state;
	int now_given;
	const char *cache_file;
	long cache_ttl;
	const char *proxy_user_file;
	int verbose;
	/* credentials beyond keys (issue 12) */
	long role_duration;       /* --role-duration */
	const char *sts_endpoint; /* --sts-endpoint, NULL = STS_DEFAULT_ENDPOINT */
	struct creds *cr;         /* loaded in main() */
	int cr_fetched;           /* CVM role / AssumeRole keys fetched */
};

enum {
	OPT_SECRET_ID = 256,
	OPT_SECRET_KEY,
	OPT_SECRET_KEY_FILE,
	OPT_SESSION_TOKEN_FILE,
	OPT_PROFILE,
	OPT_CREDENTIALS_FILE,
	OPT_ENDPOINT,
	OPT_REGION,
	OPT_LANGUAGE,
	OPT_CACERT,
	OPT_INSECURE,
	OPT_PROXY,
	OPT_PROXY_USER_FILE,
	OPT_RETRIES,
	OPT_PAGE_SIZE,
	OPT_MAX_RATE,
	OPT_PARALLEL,
	OPT_SEARCH_KEY,
	OPT_CERTIFICATE_TYPE,
	OPT_PROJECT_ID,
	OPT_STATUS,
	OPT_DEPLOYABLE,
	OPT_UPLOAD,
	OPT_RENEW,
	OPT_FILTER_SOURCE,
	OPT_IS_SM,
	OPT_HOSTABLE,
	OPT_TAG,
	OPT_IS_PENDING_ISSUE,
	OPT_EXPIRATION_SORT,
	OPT_FILTER_EXPIRING,
	OPT_ALL_STATUSES,
	OPT_INCLUDE_IGNORED,
	OPT_INCLUDE_REPLACED,
	OPT_EXCLUDE_REPLACED,
	OPT_BOUND_ONLY,
	OPT_DOMAIN,
	OPT_EXCLUDE_DOMAIN,
	OPT_EXCLUDE_ID,
	OPT_EMPTY_STATE,
	OPT_NOW,
	OPT_MAX_OUTPUT,
	OPT_PERFDATA_PER_CERT,
	OPT_OUTPUT,
	OPT_CACHE_FILE,
	OPT_CACHE_TTL,
	OPT_CVM_ROLE,
	OPT_METADATA_URL,
	OPT_ROLE_ARN,
	OPT_ROLE_SESSION_NAME,
	OPT_ROLE_DURATION,
	OPT_STS_ENDPOINT,
	OPT_EXTRA_OPTS,
};

static const struct option long_options[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"verbose", no_argument, NULL, 'v'},
    {"warning", required_argument, NULL, 'w'},
    {"critical", required_argument, NULL, 'c'},
    {"timeout", required_argument, NULL, 't'},
    {"secret-id", required_argument, NULL, OPT_SECRET_ID},
    {"secret-key", required_argument, NULL, OPT_SECRET_KEY},
    {"secret-key-file", required_argument, NULL, OPT_SECRET_KEY_FILE},
    {"session-token-file", required_argument, NULL, OPT_SESSION_TOKEN_FILE},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"credentials-file", required_argument, NULL, OPT_CREDENTIALS_FILE},
    {"endpoint", required_argument, NULL, OPT_ENDPOINT},
    {"region", required_argument, NULL, OPT_REGION},
    {"language", required_argument, NULL, OPT_LANGUAGE},
    {"cacert", required_argument, NULL, OPT_CACERT},
    {"insecure", no_argument, NULL, OPT_INSECURE},
    {"proxy", required_argument, NULL, OPT_PROXY},
    {"proxy-user-file", required_argument, NULL, OPT_PROXY_USER_FILE},
    {"retries", required_argument, NULL, OPT_RETRIES},
    {"page-size", required_argument, NULL, OPT_PAGE_SIZE},
    {"max-rate", required_argument, NULL, OPT_MAX_RATE},
    {"parallel", required_argument, NULL, OPT_PARALLEL},
    {"search-key", required_argument, NULL, OPT_SEARCH_KEY},
    {"certificate-type", required_argument, NULL, OPT_CERTIFICATE_TYPE},
    {"project-id", required_argument, NULL, OPT_PROJECT_ID},
    {"status", required_argument, NULL, OPT_STATUS},
    {"deployable", required_argument, NULL, OPT_DEPLOYABLE},
    {"upload", required_argument, NULL, OPT_UPLOAD},
    {"renew", required_argument, NULL, OPT_RENEW},
    {"filter-source", required_argument, NULL, OPT_FILTER_SOURCE},
    {"is-sm", required_argument, NULL, OPT_IS_SM},
    {"hostable", required_argument, NULL, OPT_HOSTABLE},
    {"tag", required_argument, NULL, OPT_TAG},
    {"is-pending-issue", no_argument, NULL, OPT_IS_PENDING_ISSUE},
    {"expiration-sort", required_argument, NULL, OPT_EXPIRATION_SORT},
    {"filter-expiring", no_argument, NULL, OPT_FILTER_EXPIRING},
    {"all-statuses", no_argument, NULL, OPT_ALL_STATUSES},
    {"include-ignored", no_argument, NULL, OPT_INCLUDE_IGNORED},
    {"include-replaced", no_argument, NULL, OPT_INCLUDE_REPLACED},
    {"bound-only", no_argument, NULL, OPT_BOUND_ONLY},
    {"domain", required_argument, NULL, OPT_DOMAIN},
    {"exclude-domain", required_argument, NULL, OPT_EXCLUDE_DOMAIN},
    {"exclude-id", required_argument, NULL, OPT_EXCLUDE_ID},
    {"exclude-replaced", no_argument, NULL, OPT_EXCLUDE_REPLACED},
    {"empty-state", required_argument, NULL, OPT_EMPTY_STATE},
    {"now", required_argument, NULL, OPT_NOW},
    {"max-output", required_argument, NULL, OPT_MAX_OUTPUT},
    {"perfdata-per-cert", no_argument, NULL, OPT_PERFDATA_PER_CERT},
    {"output", required_argument, NULL, OPT_OUTPUT},
    {"cache-file", required_argument, NULL, OPT_CACHE_FILE},
    {"cache-ttl", required_argument, NULL, OPT_CACHE_TTL},
    {"cvm-role", required_argument, NULL, OPT_CVM_ROLE},
    {"metadata-url", required_argument, NULL, OPT_METADATA_URL},
    {"role-arn", required_argument, NULL, OPT_ROLE_ARN},
    {"role-session-name", required_argument, NULL, OPT_ROLE_SESSION_NAME},
    {"role-duration", required_argument, NULL, OPT_ROLE_DURATION},
    {"sts-endpoint", required_argument, NULL, OPT_STS_ENDPOINT},
    {"extra-opts", optional_argument, NULL, OPT_EXTRA_OPTS},
    {NULL, 0, NULL, 0},
};

/* A usage error: one line saying why, then the usage line, exit UNKNOWN. */
static _Noreturn void usage_error(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	out_error(stdout, TC_UNKNOWN, msg);
	fputs(usage_line, stdout);
	exit(TC_UNKNOWN);
}

static long parse_long(const char *opt, const char *s, long min, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max || s[0] == '+' || s[0] == ' ')
		usage_error("%s must be an integer from %ld to %ld, not '%s'", opt, min, max, s);
	return v;
}

static int parse_flag(const char *opt, const char *s)
{
	if (strcmp(s, "0") != 0 && strcmp(s, "1") != 0)
		usage_error("%s must be 0 or 1, not '%s'", opt, s);
	return s[0] - '0';
}

static const char *parse_choice(const char *opt, const char *s, const char *a, const char *b)
{
	if (strcmp(s, a) == 0) return a;
	if (strcmp(s, b) == 0) return b;
	usage_error("%s must be %s or %s, not '%s'", opt, a, b, s);
}

/* Values that go into request bodies or headers: no control characters, capped. */
static const char *parse_text(const char *opt, const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max) usage_error("%s must be 1 to %zu bytes long", opt, max);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			usage_error("%s contains a control character", opt);
	return s;
}

/* --proxy is copied, then its user:password@ blanked from the command line
 * (visible in ps until here, like --secret-key). */
static char proxy_url[PROXY_MAX_URL + 1];
static int role_duration_given;

static const char *keep_proxy(char *arg)
{
	parse_text("--proxy", arg, PROXY_MAX_URL);
	snprintf(proxy_url, sizeof proxy_url, "%s", arg);
	proxy_blank_credentials(arg);
	return proxy_url;
}

static void add_to_list(const char *opt, const char **list, size_t *n, size_t max, const char *v)
{
	if (*n >= max) usage_error("%s given more than %zu times", opt, max);
	list[(*n)++] = parse_text(opt, v, 1024);
}

static void parse_timeout(struct config *c, const char *s)
{
	char num[32];
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : strlen(s);
	if (n == 0 || n >= sizeof num) usage_error("-t must be SECONDS[:STATE], not '%s'", s);
	memcpy(num, s, n);
	num[n] = '\0';
	c->timeout = parse_long("-t", num, 1, 86400);
	if (colon && tc_state_parse(colon + 1, &c->timeout_state) != 0)
		usage_error("-t state must be ok, warning, critical or unknown, not '%s'",
		            colon + 1);
}

static void parse_threshold(const char *opt, const char *s, struct thr *t)
{
	if (thr_parse(s, t) != 0)
		usage_error("%s must be a number of days, a Nagios range or N%%, not '%s'", opt, s);
}

/* getopt_long's '?': an unknown, ambiguous or valued flag. The name is shown
 * up to any '=' only: what follows may be a secret (--secret-k=KEY). */
static _Noreturn void bad_option(const char *arg, int opt)
{
	int n = (int)strcspn(arg, "=");
	if (strncmp(arg, "--", 2) != 0) usage_error("unknown option -%c", opt);
	if (opt) usage_error("option %.*s takes no value", n, arg);
	char names[256] = "";
	int matches = 0;
	for (const struct option *o = long_options; o->name; o++) {
		if (strncmp(o->name, arg + 2, (size_t)n - 2) != 0) continue;
		size_t len = strlen(names);
		snprintf(names + len, sizeof names - len, "%s--%s", matches++ ? ", " : "", o->name);
	}
	if (matches > 1) usage_error("ambiguous option %.*s (%s)", n, arg, names);
	usage_error("unknown option %.*s", n, arg);
}

static void defaults(struct config *c)
{
	memset(c, 0, sizeof *c);
	req_filters_init(&c->filters);
	c->client.endpoint = DEFAULT_ENDPOINT;
	c->client.retries = 2;
	c->client.page_size = 1000;
	c->client.max_rate = 10;
	c->client.parallel = 4;
	c->client.filters = &c->filters;
	c->warn_text = "30";
	c->crit_text = "7";
	c->timeout = 10;
	c->timeout_state = TC_UNKNOWN;
	c->cache_ttl = -1;
	c->out.max_output = 4000;
	c->out.empty_state = TC_OK;
	c->role_duration = CREDS_DEFAULT_DURATION;
}

static void parse_args(int argc, char **argv, struct config *c)
{
	int opt;
	defaults(c);
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hVvw:c:t:", long_options, NULL)) != -1) {
		const char *name = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
		switch (opt) {
		case 'h':
			print_help(stdout);
			exit(TC_OK);
		case 'V':
			print_version(stdout);
			exit(TC_OK);
		case 'v':
			c->verbose++;
			break;
		case 'w':
			c->warn_text = optarg;
			break;
		case 'c':
			c->crit_text = optarg;
			break;
		case 't':
			parse_timeout(c, optarg);
			break;
		case OPT_SECRET_ID:
			c->creds.secret_id = parse_text("--secret-id", optarg, CREDS_MAX_ID - 1);
			break;
		case OPT_SECRET_KEY:
			c->creds.secret_key = optarg;
			break;
		case OPT_SECRET_KEY_FILE:
			c->creds.secret_key_file = optarg;
			break;
		case OPT_SESSION_TOKEN_FILE:
			c->creds.session_token_file = optarg;
			break;
		case OPT_PROFILE:
			c->creds.profile = parse_text("--profile", optarg, 128);
			break;
		case OPT_CREDENTIALS_FILE:
			c->creds.credentials_file = optarg;
			break;
		case OPT_ENDPOINT:
			c->client.endpoint = optarg;
			break;
		case OPT_REGION:
			c->client.region = parse_text("--region", optarg, 64);
			break;
		case OPT_LANGUAGE:
			c->client.language = parse_choice("--language", optarg, "zh-CN", "en-US");
			break;
		case OPT_CACERT:
			c->client.cacert = optarg;
			break;
		case OPT_INSECURE:
			c->client.insecure = 1;
			break;
		case OPT_PROXY:
			c->client.proxy = keep_proxy(optarg);
			break;
		case OPT_PROXY_USER_FILE:
			c->proxy_user_file = optarg;
			break;
		case OPT_RETRIES:
			c->client.retries =
			    (int)parse_long("--retries", optarg, 0, CLIENT_MAX_RETRIES);
			break;
		case OPT_PAGE_SIZE:
			c->client.page_size = parse_long("--page-size", optarg, 1, CLIENT_MAX_PAGE);
			break;
		case OPT_MAX_RATE:
			c->client.max_rate =
			    (int)parse_long("--max-rate", optarg, 1, RETRY_MAX_RATE);
			break;
		case OPT_PARALLEL:
			c->client.parallel =
			    (int)parse_long("--parallel", optarg, 1, CLIENT_MAX_PARALLEL);
			break;
		case OPT_SEARCH_KEY:
			c->filters.search_key = parse_text("--search-key", optarg, 256);
			break;
		case OPT_CERTIFICATE_TYPE:
			c->filters.certificate_type =
			    parse_choice("--certificate-type", optarg, "CA", "SVR");
			break;
		case OPT_PROJECT_ID:
			c->filters.project_id = parse_long("--project-id", optarg, 0, LONG_MAX);
			break;
		case OPT_STATUS:
			if (c->filters.n_statuses >= REQ_MAX_LIST)
				usage_error("--status given too often");
			c->filters.statuses[c->filters.n_statuses++] =
			    parse_long("--status", optarg, 0, 15);
			break;
		case OPT_DEPLOYABLE:
			c->filters.deployable = parse_flag("--deployable", optarg);
			break;
		case OPT_UPLOAD:
			c->filters.upload = parse_flag("--upload", optarg);
			break;
		case OPT_RENEW:
			c->filters.renew = parse_flag("--renew", optarg);
			break;
		case OPT_IS_SM:
			c->filters.is_sm = parse_flag("--is-sm", optarg);
			break;
		case OPT_HOSTABLE:
			c->filters.hostable = parse_flag("--hostable", optarg);
			break;
		case OPT_FILTER_SOURCE:
			c->filters.filter_source =
			    parse_choice("--filter-source", optarg, "upload", "buy");
			break;
		case OPT_TAG: {
			char *eq = strchr(optarg, '=');
			if (!eq || eq == optarg)
				usage_error("--tag must be KEY=VALUE, not '%s'", optarg);
			if (c->filters.n_tags >= REQ_MAX_LIST) usage_error("--tag given too often");
			parse_text("--tag", optarg, 512);
			*eq = '\0';
			c->filters.tags[c->filters.n_tags].key = optarg;
			c->filters.tags[c->filters.n_tags++].value = eq + 1;
			break;
		}
		case OPT_IS_PENDING_ISSUE:
			c->filters.is_pending_issue = 1;
			break;
		case OPT_EXPIRATION_SORT:
			c->filters.expiration_sort =
			    parse_choice("--expiration-sort", optarg, "ASC", "DESC");
			break;
		case OPT_FILTER_EXPIRING:
			c->filters.filter_expiring = 1;
			break;
		case OPT_ALL_STATUSES:
			c->select.all_statuses = 1;
			break;
		case OPT_INCLUDE_IGNORED:
			c->select.include_ignored = 1;
			break;
		case OPT_INCLUDE_REPLACED:
			c->select.include_replaced = 1;
			break;
		case OPT_EXCLUDE_REPLACED:
			c->select.exclude_replaced = 1;
			break;
		case OPT_BOUND_ONLY:
			c->select.bound_only = 1;
			break;
		case OPT_DOMAIN:
			add_to_list("--domain", c->select.domains, &c->select.n_domains,
			            EVAL_MAX_LIST, optarg);
			break;
		case OPT_EXCLUDE_DOMAIN:
			add_to_list("--exclude-domain", c->select.exclude_domains,
			            &c->select.n_exclude_domains, EVAL_MAX_LIST, optarg);
			break;
		case OPT_EXCLUDE_ID:
			add_to_list("--exclude-id", c->select.exclude_ids, &c->select.n_exclude_ids,
			            EVAL_MAX_LIST, optarg);
			break;
		case OPT_EMPTY_STATE:
			if (tc_state_parse(optarg, &c->out.empty_state) != 0)
				usage_error("--empty-state must be ok, warning, critical or "
				            "unknown, not '%s'",
				            optarg);
			break;
		case OPT_NOW:
			c->eval.now = parse_long("--now", optarg, 0, 253402300799L);
			c->now_given = 1;
			break;
		case OPT_MAX_OUTPUT:
			c->out.max_output = (size_t)parse_long("--max-output", optarg, 0, 1L << 30);
			break;
		case OPT_PERFDATA_PER_CERT:
			c->out.perfdata_per_cert = 1;
			break;
		case OPT_OUTPUT:
			c->out.json = strcmp(optarg, "json") == 0;
			c->out.openmetrics = strcmp(optarg, "openmetrics") == 0;
			if (!c->out.json && !c->out.openmetrics && strcmp(optarg, "text") != 0)
				usage_error("--output must be text, json or openmetrics, not '%s'",
				            optarg);
			break;
		case OPT_CACHE_FILE:
			c->cache_file = parse_text("--cache-file", optarg, 4000);
			break;
		case OPT_CACHE_TTL:
			c->cache_ttl = parse_long("--cache-ttl", optarg, 1, 7 * 86400);
			break;
		case OPT_CVM_ROLE:
			c->creds.cvm_role = optarg;
			break;
		case OPT_METADATA_URL:
			if (!cvm_url_ok(optarg))
				usage_error(
				    "--metadata-url must be an http:// or https:// URL of at "
				    "most %d bytes, without spaces or user info",
				    CVM_MAX_URL);
			c->creds.metadata_url = optarg;
			break;
		case OPT_ROLE_ARN:
			c->creds.role_arn = optarg;
			break;
		case OPT_ROLE_SESSION_NAME:
			c->creds.role_session_name = optarg;
			break;
		case OPT_ROLE_DURATION:
			c->role_duration =
			    parse_long("--role-duration", optarg, 1, CREDS_MAX_DURATION);
			role_duration_given = 1;
			break;
		case OPT_STS_ENDPOINT:
			c->sts_endpoint = optarg;
			break;
		case OPT_EXTRA_OPTS:
			break; /* read before parsing: see expand_extra_opts() */
		case ':':
			usage_error("option %s needs a value", name);
		default:
			bad_option(name, optopt);
		}
	}
	/* not echoed: a stray argument may be a secret that lost its option name */
	if (optind < argc)
		usage_error("unexpected argument in position %d (values with spaces need quotes)",
		            optind);

	parse_threshold("-w", c->warn_text, &c->eval.warn);
	parse_threshold("-c", c->crit_text, &c->eval.crit);
	struct msg why = {""};
	if (creds_check_usage(&c->creds, &why) != CREDS_OK) usage_error("%s", why.text);
	if (c->cache_ttl > 0 && !c->cache_file) usage_error("--cache-ttl needs --cache-file");
	if (c->select.include_replaced && c->select.exclude_replaced)
		usage_error("give --include-replaced or --exclude-replaced, not both");
	if (c->cache_file && c->cache_ttl < 0) c->cache_ttl = 300;
	if (endpoint_parse(c->client.endpoint, &c->client.ep, &why) != ENDPOINT_OK)
		usage_error("%s", why.text);
	struct endpoint sts;
	if (c->sts_endpoint &&
	    endpoint_parse_opt(c->sts_endpoint, "--sts-endpoint", &sts, &why) != ENDPOINT_OK)
		usage_error("%s", why.text);
	if (c->filters.filter_expiring == 1) c->eval.filter_expiring = 1;
	char body[REQ_MAX_BODY];
	size_t blen;
	if (req_body(&c->filters, 1000000000, 1000, body, sizeof body, &blen) != 0)
		usage_error("the API filters make a request body over %d KiB", REQ_MAX_BODY / 1024);
	c->verbose = c->verbose > 3 ? 3 : c->verbose;
	c->out.verbose = c->verbose;
	c->out.warn = &c->eval.warn;
	c->out.crit = &c->eval.crit;
}

/* --extra-opts: the options of INI sections (each --extra-opts in order, as
 * Monitoring Plugins do) go before the command line's. The command line wins:
 * an INI option is dropped when the command line gives it, or an option that
 * excludes it (a credential route is taken whole). Found by a first getopt
 * pass over a copy of argv, so a value that looks like an option is not one. */
#define MAX_EXTRA 8
#define OPT_CODES (OPT_EXTRA_OPTS + 1)
static struct extraopts extra[MAX_EXTRA];
static int n_extra;
static struct msg extra_warn[MAX_EXTRA];
static char extra_dropped[512]; /* names of the INI options the command line overrode */
static char extra_route[EXTRAOPTS_MAX_PATH + 16]; /* "--extra-opts FILE" of the credentials */
static char **volatile extra_argv; /* the new argv, kept reachable for the process's life */

/* Options that exclude each other: giving one on the command line drops all. */
static int opt_group(int code)
{
	switch (code) {
	case OPT_SECRET_ID:
	case OPT_SECRET_KEY:
	case OPT_SECRET_KEY_FILE:
	case OPT_PROFILE:
	case OPT_CREDENTIALS_FILE:
	case OPT_CVM_ROLE:
		return 1;
	case OPT_INCLUDE_REPLACED:
	case OPT_EXCLUDE_REPLACED:
		return 2;
	default:
		return 0;
	}
}

/* The long_options entry of one INI argument ("--name[=v]" or "-Xv"), or NULL. */
static const struct option *extra_option(const char *arg)
{
	if (arg[0] == '-' && arg[1] && arg[1] != '-') {
		for (const struct option *o = long_options; o->name; o++)
			if (o->val == (unsigned char)arg[1]) return o;
		return NULL;
	}
	const char *n = arg + 2;
	size_t len = strcspn(n, "=");
	for (const struct option *o = long_options; o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, n, len) == 0) return o;
	return NULL;
}

static void extra_fail(const struct extraopts *x, const char *fmt, const char *name)
{
	char text[MSG_MAX];
	snprintf(text, sizeof text, fmt, name);
	usage_error("--extra-opts: [%s] in %s: %s", x->section, x->path, text);
}

static char **expand_extra_opts(int *argc, char **argv)
{
	char **copy = calloc((size_t)*argc + 1, sizeof *copy);
	const char *loc[MAX_EXTRA];
	unsigned char given[OPT_CODES] = {0}, group_given[3] = {0};
	int n = 0, opt;
	if (!copy) return argv;
	memcpy(copy, argv, (size_t)*argc * sizeof *copy);
	opterr = 0;
	optind = 0;
	while ((opt = getopt_long(*argc, copy, ":hVvw:c:t:", long_options, NULL)) != -1) {
		if (opt == OPT_EXTRA_OPTS) {
			if (n >= MAX_EXTRA)
				usage_error("--extra-opts given more than %d times", MAX_EXTRA);
			loc[n++] = optarg;
		} else if (opt > 0 && opt < OPT_CODES) {
			given[opt] = 1;
			group_given[opt_group(opt)] = 1;
		}
	}
	free(copy);
	optind = 0;
	if (n == 0) return argv;
	int total = 0;
	for (int i = 0; i < n; i++) {
		struct msg why = {""};
		if (extraopts_read(loc[i], PROGNAME, &extra[i], &why, &extra_warn[i]) !=
		    EXTRAOPTS_OK) {
			out_error(stdout, TC_UNKNOWN, why.text);
			exit(TC_UNKNOWN);
		}
		n_extra = i + 1;
		total += extra[i].argc;
	}
	char **nv = calloc((size_t)(*argc + total + 1), sizeof *nv);
	if (!nv) {
		out_error(stdout, TC_UNKNOWN, "out of memory");
		exit(TC_UNKNOWN);
	}
	int k = 0;
	nv[k++] = argv[0];
	for (int i = 0; i < n_extra; i++) {
		struct extraopts *x = &extra[i];
		for (int j = 0; j < x->argc; j++) {
			char *arg = x->argv[j];
			const struct option *o = extra_option(arg);
			int sh = arg[1] != '-';
			const char *name = o ? o->name : "";
			if (o && (o->val == 'h' || o->val == 'V' || o->val == OPT_EXTRA_OPTS))
				extra_fail(x, "%s is not allowed in an INI file", name);
			if (!o) { /* getopt says why, naming only the option */
				nv[k++] = arg;
				continue;
			}
			int code = o->val, g = opt_group(code);
			if ((code > 0 && code < OPT_CODES && given[code]) ||
			    (g && group_given[g])) {
				size_t len = strlen(extra_dropped);
				if (!strstr(extra_dropped, name))
					snprintf(extra_dropped + len, sizeof extra_dropped - len,
					         "%s%s", len ? " " : "", name);
				continue;
			}
			if (g == 1)
				snprintf(extra_route, sizeof extra_route, "--extra-opts %s",
				         x->path);
			/* an empty value stays empty: "--domain=" must not take the next argument
			 */
			int empty = sh ? arg[2] == '\0' : strchr(arg, '=') == NULL;
			if (o->has_arg == required_argument && empty) {
				size_t len = strlen(name) + 4;
				char *s = malloc(len);
				if (!s) {
					out_error(stdout, TC_UNKNOWN, "out of memory");
					exit(TC_UNKNOWN);
				}
				snprintf(s, len, "--%s=", name);
				secret_wipe(arg, strlen(arg));
				free(arg);
				x->argv[j] = arg = s;
			}
			nv[k++] = arg;
		}
	}
	memcpy(nv + k, argv + 1, (size_t)(*argc - 1) * sizeof *nv);
	*argc = k + *argc - 1;
	nv[*argc] = NULL;
	extra_argv = nv;
	return nv;
}

/* -v detail goes to stderr (Nagios reads stdout only); never a secret. The
 * level travels in the log context: the client filters its own lines by it,
 * log_stderr the plugin's. */
static void log_vprint(const char *fmt, va_list ap)
{
	fputs(PROGNAME ": ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void log_print(void *ctx, int level, const char *fmt, ...)
{
	(void)ctx;
	(void)level;
	va_list ap;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

static struct client_log logger = {.fn = log_print};

static void log_stderr(void *ctx, int level, const char *fmt, ...)
{
	(void)ctx;
	if (level > logger.level) return;
	va_list ap;
	va_start(ap, fmt);
	log_vprint(fmt, ap);
	va_end(ap);
}

/* At -v: which file gave which options (names only: values may be secrets). */
static void log_extra_opts(void)
{
	for (int f = 0; f < n_extra; f++) {
		const struct extraopts *x = &extra[f];
		char names[512] = "";
		for (int i = 0; i < x->argc; i++) {
			size_t len = strlen(names);
			int nl = x->argv[i][1] == '-' ? (int)strcspn(x->argv[i], "=") : 2;
			snprintf(names + len, sizeof names - len, "%s%.*s", len ? " " : "", nl,
			         x->argv[i]);
		}
		log_stderr(NULL, 1, "--extra-opts: [%s] in %s: %s", x->section, x->path,
		           names[0] ? names : "no options");
		if (extra_warn[f].text[0])
			log_stderr(NULL, 1, "warning: --extra-opts: %s", extra_warn[f].text);
	}
	if (extra_dropped[0])
		log_stderr(NULL, 1, "--extra-opts: overridden by the command line: %s",
		           extra_dropped);
}

/* Past the deadline (plus a little grace for the client to notice first) the
 * process ends itself, whatever it was waiting for. */
static volatile sig_atomic_t alarm_state = TC_UNKNOWN;
static char alarm_line[2048];
static void on_alarm(int sig)
{
	(void)sig;
	ssize_t w = write(STDOUT_FILENO, alarm_line, strlen(alarm_line));
	(void)w;
	_exit(alarm_state);
}

static void arm_deadline(const struct config *c)
{
	char msg[64];
	snprintf(msg, sizeof msg, "timed out after %ld s", c->timeout);
	out_fail_prebuild(&c->out, c->timeout_state, msg, alarm_line, sizeof alarm_line);
	alarm_state = c->timeout_state;
	signal(SIGALRM, on_alarm);
	struct itimerval it = {.it_value = {.tv_sec = c->timeout, .tv_usec = 500000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void disarm_deadline(void)
{
	struct itimerval it = {0};
	setitimer(ITIMER_REAL, &it, NULL);
}

static int fail(const struct config *c, enum tc_state st, const char *msg)
{
	disarm_deadline();
	out_fail(stdout, &c->out, st, msg);
	return st;
}

/* "timed out after N s, how far the listing got, what to do (last error: ...)". */
static const char *timeout_line(const struct config *c, const struct client_result *res,
                                const struct msg *why)
{
	static char line[MSG_MAX];
	char got[64];
	/* cut before the listing began (CVM role, AssumeRole): no pages to speak of */
	if (res->requests == 0 && why->text[0]) {
		snprintf(line, sizeof line, "timed out after %ld s (last error: %.400s)",
		         c->timeout, why->text);
		return line;
	}
	if (res->n_pages >= 0)
		snprintf(got, sizeof got, "%lld of %lld pages", res->pages, res->n_pages);
	else
		snprintf(got, sizeof got, "%lld page%s", res->pages, res->pages == 1 ? "" : "s");
	/* not ';': the status line's rule (output.c) would turn it into '_' */
	snprintf(line, sizeof line, "timed out after %ld s, %s listed, raise -t%s%s%.300s%s",
	         c->timeout, got, c->cache_file ? "" : " or use --cache-file",
	         why->text[0] ? " (last error: " : "", why->text, why->text[0] ? ")" : "");
	return line;
}

/* CVM role and AssumeRole: temporary keys, fetched only when a listing is
 * really made (a cache hit needs none). */
static enum client_err fetch_temporary(struct config *c, struct msg *out)
{
	struct creds *cr = c->cr;
	struct msg why = {""};
	long long exp = 0;
	int timeout = 0, failed = 0;

	if (c->cr_fetched) return CLIENT_OK;
	if (cr->cvm_role[0]) {
		char role[CREDS_MAX_ROLE];
		struct cvm_opts co = {.base_url = c->creds.metadata_url,
		                      .role = cr->cvm_role,
		                      .deadline = c->client.deadline,
		                      .log = log_stderr};
		enum cvm_err e = cvm_fetch(&co, cr, role, &exp, &why);
		timeout = e == CVM_ERR_TIMEOUT;
		failed = e != CVM_OK;
		if (!failed)
			log_stderr(NULL, 1, "CVM role %s: temporary SecretId %s, expires at %lld",
			           role, cr->secret_id, exp);
	}
	if (!failed && cr->role_arn[0]) {
		struct sts_opts so = {
		    .endpoint = c->sts_endpoint,
		    .role_arn = cr->role_arn,
		    .session_name = cr->role_session_name,
		    .duration = c->role_duration,
		    .deadline = c->client.deadline,
		    .retries = c->client.retries,
		    .cacert = c->client.cacert,
		    .proxy = c->client.proxy,
		    .proxy_userpwd = c->client.proxy_userpwd,
		    .insecure = c->client.insecure,
		    .log = log_stderr,
		};
		enum sts_err e = sts_assume_role(&so, cr, &exp, &why);
		timeout = e == STS_ERR_TIMEOUT;
		failed = e != STS_OK;
		if (!failed)
			log_stderr(NULL, 1,
			           "assumed role %s (session %s): temporary SecretId %s, "
			           "expires at %lld",
			           cr->role_arn, cr->role_session_name, cr->secret_id, exp);
	}
	if (failed) {
		msg_set(out, "%s", why.text); /* also the last error of a timeout */
		return timeout ? CLIENT_ERR_TIMEOUT : CLIENT_ERR_FAILED;
	}
	c->cr_fetched = 1;
	c->client.creds.secret_id = cr->secret_id;
	c->client.creds.secret_key = cr->secret_key;
	c->client.creds.token = cr->token[0] ? cr->token : NULL;
	return CLIENT_OK;
}

static int curl_started;

/* libcurl (and the TLS library under it) starts only for a live listing: a cache hit,
 * the common case with --cache-file, needs none of it. */
static enum client_err live_list(struct config *c, const struct client_sink *sink,
                                 struct client_result *res, struct msg *why)
{
	if (!curl_started) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
			msg_set(why, "libcurl failed to start");
			return CLIENT_ERR_FAILED;
		}
		curl_started = 1;
	}
	enum client_err rc = fetch_temporary(c, why);
	return rc != CLIENT_OK ? rc : client_list(&c->client, sink, res, why);
}

/* Lists through the cache when one is configured, else straight from the API. */
static enum client_err list_certificates(struct config *c, const struct client_sink *sink,
                                         struct client_result *res, struct msg *why)
{
	if (!c->cache_file) return live_list(c, sink, res, why);

	struct cache_key key;
	struct cache *cache = NULL;
	struct msg m = {""};
	if (cache_key(&key, c->client.endpoint, c->cr->identity, &c->filters, &m) != CACHE_OK ||
	    cache_open(&cache, c->cache_file, c->cache_ttl, &key, &m) != CACHE_OK) {
		log_stderr(NULL, 1, "cache not used: %s", m.text);
		return live_list(c, sink, res, why);
	}
	long long listed = 0;
	double t0 = clock_mono();
	/* Waiting for another process's refresh may use at most half the deadline. */
	cache_set_lock_wait(cache, (c->client.deadline - t0) / 2);
	enum cache_err cr = cache_replay(cache, sink, &listed, &m);
	if (cr == CACHE_OK) {
		log_stderr(NULL, 1, "%lld certificates from the cache %s", listed, c->cache_file);
		res->listed = listed;
		res->total = listed;
		res->fetch_time = clock_mono() - t0;
		cache_close(cache);
		return CLIENT_OK;
	}
	if (cr == CACHE_ERR)
		log_stderr(NULL, 1, "warning: cache disabled: %s", m.text);
	else
		log_stderr(NULL, 2, "cache: %s", m.text);
	struct client_sink tee = cache_tee(cache, sink);
	enum client_err rc = live_list(c, &tee, res, why);
	if (rc == CLIENT_OK && cache_commit(cache, &m) != CACHE_OK)
		log_stderr(NULL, 1, "%s", m.text);
	cache_close(cache);
	return rc;
}

int main(int argc, char **argv)
{
	static struct config c;
	static struct creds creds;

	/* A reader that goes away must give exit UNKNOWN from the failed write, not a signal. */
	signal(SIGPIPE, SIG_IGN);
	argv = expand_extra_opts(&argc, argv);
	parse_args(argc, argv, &c);
	if (extra_route[0]) c.creds.route_from = extra_route;
	logger.level = c.verbose;
	c.client.log = &logger;
	log_extra_opts();
	if (eval_warn_unreachable(&c.eval))
		log_stderr(NULL, 1,
		           "warning: -c %s is not below -w %s: -c is checked first, so no "
		           "certificate can be WARNING",
		           c.crit_text, c.warn_text);
	double start = clock_mono();
	c.client.deadline = start + (double)c.timeout;
	if (!c.now_given) c.eval.now = (long long)time(NULL);
	arm_deadline(&c);

	/* Base credentials and the identity now; temporary keys (CVM role, AssumeRole)
	 * only when the cache has no listing: see fetch_temporary(). */
	struct msg why = {""}, warning = {""};
	enum creds_err cr = creds_load(&c.creds, &creds, &why, &warning);
	/* --secret-key was visible in ps until now; at least hide it from here on. */
	if (c.creds.secret_key) secret_wipe((char *)c.creds.secret_key, strlen(c.creds.secret_key));
	if (warning.text[0]) log_stderr(NULL, 1, "warning: %s", warning.text);
	if (cr != CREDS_OK) return fail(&c, TC_UNKNOWN, why.text);
	if (creds.cvm_role[0])
		log_stderr(NULL, 1, "credentials from %s", creds.source);
	else
		log_stderr(NULL, 1, "credentials from %s, SecretId %s", creds.source,
		           creds.secret_id);
	if (creds.role_arn[0])
		log_stderr(NULL, 1, "then AssumeRole %s, session %s, %ld s", creds.role_arn,
		           creds.role_session_name, c.role_duration);
	/* options that only matter with another: said at -v, not an error */
	if (!creds.role_arn[0]) {
		const char *unused[] = {role_duration_given ? "--role-duration" : NULL,
		                        c.creds.role_session_name ? "--role-session-name" : NULL,
		                        c.sts_endpoint ? "--sts-endpoint" : NULL};
		for (size_t i = 0; i < sizeof unused / sizeof unused[0]; i++)
			if (unused[i])
				log_stderr(NULL, 1, "%s is ignored without --role-arn", unused[i]);
	}
	if (c.creds.metadata_url && !creds.cvm_role[0])
		log_stderr(NULL, 1, "--metadata-url is ignored without --cvm-role");
	c.cr = &creds;
	c.client.creds.secret_id = creds.secret_id;
	c.client.creds.secret_key = creds.secret_key;
	c.client.creds.token = creds.token[0] ? creds.token : NULL;

	static char proxy_userpwd[PROXY_MAX_USERPWD];
	if (c.proxy_user_file) {
		struct msg pm, pwarn = {""};
		enum proxy_err pe = proxy_read_user_file(c.proxy_user_file, proxy_userpwd,
		                                         sizeof proxy_userpwd, &pm, &pwarn);
		if (pwarn.text[0])
			log_stderr(NULL, 1, "warning: --proxy-user-file: %s", pwarn.text);
		if (pe != PROXY_OK) return fail(&c, TC_UNKNOWN, pm.text);
		c.client.proxy_userpwd = proxy_userpwd;
	}

	static struct report rep;
	report_init(&rep, &c.select, &c.eval,
	            c.out.verbose || c.out.json || c.out.openmetrics || c.out.perfdata_per_cert);
	if (!c.out.json && !c.out.openmetrics) report_for_text(&rep, c.out.max_output);
	struct client_sink sink = report_sink(&rep);
	struct client_result res = {0};
	msg_clear(&why);
	enum client_err ce = list_certificates(&c, &sink, &res, &why);
	creds_wipe(&creds);
	secret_wipe(proxy_userpwd, sizeof proxy_userpwd);
	secret_wipe(proxy_url, sizeof proxy_url);
	if (curl_started) curl_global_cleanup();

	if (ce == CLIENT_ERR_TIMEOUT)
		return fail(&c, c.timeout_state, timeout_line(&c, &res, &why));
	if (ce != CLIENT_OK) return fail(&c, TC_UNKNOWN, why.text);
	enum report_err re = report_finish(&rep);
	if (re != REPORT_OK) return fail(&c, TC_UNKNOWN, report_strerror(re));
	log_stderr(NULL, 1, "%lld certificates listed, %lld selected, %d request%s in %.3f s",
	           rep.listed, rep.selected, res.requests, res.requests == 1 ? "" : "s",
	           res.fetch_time);

	disarm_deadline();
	c.out.fetch_time = res.fetch_time;
	enum tc_state st = out_report(stdout, &rep, &c.out);
	report_free(&rep);
	for (int i = 0; i < n_extra; i++)
		extraopts_free(&extra[i]); /* values from the file may be secrets */
	if (fflush(stdout) != 0) return TC_UNKNOWN;
	return st;
}
