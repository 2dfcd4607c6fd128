/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_tencentcloud_ssl: is any TLS certificate of a Tencent Cloud account
 * about to expire? The wiring: options (options.c, extra.c) into a config,
 * credentials, the cache or a live listing through lib/, the output, the exit
 * code. */
#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "cache.h"
#include "extra.h"
#include "options.h"
#include "client.h"
#include "clock.h"
#include "creds.h"
#include "curlload.h"
#include "cvm.h"
#include "proxy.h"
#include "evaluate.h"
#include "help.h"
#include "msg.h"
#include "output.h"
#include "report.h"
#include "sink.h"
#include "state.h"
#include "secret.h"
#include "sts.h"

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

/* libcurl (and the TLS library under it) is loaded and started only for a live
 * listing: a cache hit, the common case with --cache-file, needs none of it. */
static enum client_err live_list(struct config *c, const struct client_sink *sink,
                                 struct client_result *res, struct msg *why)
{
	if (!curl_started) {
		if (curlload(why) != 0) return CLIENT_ERR_FAILED;
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
	if (extra_opts_route()[0]) c.creds.route_from = extra_opts_route();
	logger.level = c.verbose;
	c.client.log = &logger;
	log_extra_opts(log_stderr);
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
		const char *unused[] = {c.role_duration_given ? "--role-duration" : NULL,
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
	options_wipe();
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
	extra_opts_free(); /* values from the file may be secrets */
	if (fflush(stdout) != 0) return TC_UNKNOWN;
	return st;
}
