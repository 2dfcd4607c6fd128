/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Option parsing: argv to a checked struct config (options.h). */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "cvm.h"
#include "endpoint.h"
#include "help.h"
#include "proxy.h"
#include "retry.h"
#include "secret.h"
#include "thresholds.h"

const struct option long_options[] = {
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
_Noreturn void usage_error(const char *fmt, ...)
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

void parse_args(int argc, char **argv, struct config *c)
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
			c->role_duration_given = 1;
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
	if (!req_filters_fit(&c->filters))
		usage_error("the API filters make a request body over %d KiB", REQ_MAX_BODY / 1024);
	c->verbose = c->verbose > 3 ? 3 : c->verbose;
	c->out.verbose = c->verbose;
	c->out.warn = &c->eval.warn;
	c->out.crit = &c->eval.crit;
}

void options_wipe(void)
{
	secret_wipe(proxy_url, sizeof proxy_url);
}
