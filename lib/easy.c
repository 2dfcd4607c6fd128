/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "transport.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "castore.h"
#include "curlopts.h"
#include "json.h"

/* The one log path of the client: built only when it will be printed, made
 * one line and secret-free here, then handed over. */
void say(struct client *c, int level, const char *fmt, ...)
{
	const struct client_log *lg = c->o->log;
	if (!lg || !lg->fn || level > lg->level) return;
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(c->line, sizeof c->line, fmt, ap) < 0) c->line[0] = '\0';
	va_end(ap);
	redact_line(&c->redact, c->line, sizeof c->line);
	lg->fn(lg->ctx, level, "%s", c->line);
}

int logging(const struct client *c, int level)
{
	return c->o->log && c->o->log->fn && level <= c->o->log->level;
}

/* ---- receiving ---- */

#define CLIENT_ID_SMALL 512 /* decoded CertificateIds up to this are hashed off the stack */

int cert_cb(void *ctx, const struct resp_cert *cert)
{
	struct slot *s = ctx;
	struct client *c = s->c;
	/* more than Limit: counted but kept from the sink (its memory is per page);
	 * the parse goes on so that a giant body meets the parser's cap */
	if (s->n_certs++ >= (size_t)c->o->page_size) return 0;
	if (cert->id.p) {
		/* decoded, so "AB" and "\u0041B" are the same certificate, and whole, so
		 * long ids sharing a prefix are not; an invalid \u grows 2 bytes to 3 */
		char small[CLIENT_ID_SMALL], *id = small;
		size_t need = cert->id.n + cert->id.n / 2 + 1;
		if (need > sizeof small && !(id = malloc(need))) {
			s->sink_abort = 1; /* UNKNOWN, never a listing with an id unchecked */
			return 1;
		}
		size_t n = json_unescape(cert->id, id, need);
		s->ids[s->n_ids++] = idset_hash(id, n);
		if (id != small) free(id);
	}
	if (c->sink && c->sink->cert && c->sink->cert(c->sink->ctx, (unsigned)s->page, cert)) {
		s->sink_abort = 1;
		return 1;
	}
	return 0;
}

static size_t write_cb(char *data, size_t size, size_t nmemb, void *ud)
{
	struct slot *s = ud;
	size_t n = size * nmemb;
	if (s->status == 0) curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &s->status);
	s->bytes += n;
	if (s->status != 200) {
		/* read an error page to keep the connection, up to a point */
		if (s->bytes > CLIENT_DRAIN_MAX) {
			s->drain_abort = 1;
			return 0;
		}
		return n;
	}
	enum resp_err e = resp_feed(&s->parser, data, n);
	if (e != RESP_OK) {
		s->feed_err = e;
		return 0; /* stops the transfer */
	}
	return n;
}

void log_request(struct client *c, const struct slot *s)
{
	if (!logging(c, 3)) return;
	say(c, 3, "> POST %s (page offset %lld, attempt %d)", c->o->ep.url, offset_of(c, s),
	    s->attempt + 1);
	for (const struct curl_slist *h = s->req.hdr; h; h = h->next) {
		if (strncasecmp(h->data, "Authorization:", 14) == 0)
			say(c, 3, "> Authorization: <redacted>");
		else if (strncasecmp(h->data, "X-TC-Token:", 11) == 0)
			say(c, 3, "> X-TC-Token: <redacted>");
		else
			say(c, 3, "> %s", h->data);
	}
	say(c, 3, "> %.*s", (int)s->req.body_len, s->req.body);
}

/* ---- connections that must not be reused ---- */

void poison(struct client *c, struct slot *s)
{
	char *ip = NULL;
	long port = 0;
	s->fresh = 1;
	if (curl_easy_getinfo(s->easy, CURLINFO_LOCAL_IP, &ip) != CURLE_OK || !ip || !*ip ||
	    curl_easy_getinfo(s->easy, CURLINFO_LOCAL_PORT, &port) != CURLE_OK || port <= 0)
		return; /* never connected */
	int i = c->n_poisoned++ % CLIENT_MAX_POISONED;
	snprintf(c->poisoned[i].ip, sizeof c->poisoned[i].ip, "%s", ip);
	c->poisoned[i].port = port;
}

#if LIBCURL_VERSION_NUM >= 0x075000
/* Called on the connection a request is about to be sent on: aborting closes
 * it (libcurl drops a connection whose transfer ends prematurely). */
static int prereq_cb(void *ud, char *primary_ip, char *local_ip, int primary_port, int local_port)
{
	struct slot *s = ud;
	struct client *c = s->c;
	(void)primary_ip;
	(void)primary_port;
	int n = c->n_poisoned < CLIENT_MAX_POISONED ? c->n_poisoned : CLIENT_MAX_POISONED;
	for (int i = 0; i < n; i++)
		if (c->poisoned[i].port == local_port && strcmp(c->poisoned[i].ip, local_ip) == 0) {
			/* once: the abort closes it, and a later connection may get its port */
			c->poisoned[i].port = 0;
			s->prereq_abort = 1;
			return CURL_PREREQFUNC_ABORT;
		}
	return CURL_PREREQFUNC_OK;
}
#endif

/* ---- curl options ---- */

/* Options every request of the slot shares, set once. */
int setup_easy(struct client *c, struct slot *s)
{
	const struct client_opts *o = c->o;
	CURL *e = s->easy;
	int bad = 0;
	bad |= curl_easy_setopt(e, CURLOPT_URL, o->ep.url) != CURLE_OK;
	bad |= curlopts_common(e) != 0;
	bad |= curl_easy_setopt(e, CURLOPT_POST, 1L) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L) != CURLE_OK;
	/* reads of 64 KiB: a quarter of the recv and poll calls of 16 KiB. Below libcurl's
	 * header cap (CURL_MAX_HTTP_HEADER, 100 KiB) on purpose: a reply without a status
	 * line is then seen as one (HTTP/0.9, retried) before one read could pass the cap
	 * and make it "Out of memory" */
	bad |= curl_easy_setopt(e, CURLOPT_BUFFERSIZE, 65536L) != CURLE_OK;

	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PRIVATE, s) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s->errbuf) != CURLE_OK;
#if LIBCURL_VERSION_NUM >= 0x075000
	bad |= curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, prereq_cb) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_PREREQDATA, s) != CURLE_OK;
#endif
	if (o->ep.https) {
		bad |=
		    curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L) != CURLE_OK;
		bad |=
		    curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L) != CURLE_OK;
		if (o->cacert) {
			bad |= curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert) != CURLE_OK;
		} else if (c->capath) {
			bad |= curl_easy_setopt(e, CURLOPT_CAINFO, NULL) != CURLE_OK;
			bad |= curl_easy_setopt(e, CURLOPT_CAPATH, c->capath) != CURLE_OK;
		}
	}
	if (o->proxy) bad |= curl_easy_setopt(e, CURLOPT_PROXY, o->proxy) != CURLE_OK;
	if (o->proxy_userpwd)
		bad |= curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, o->proxy_userpwd) != CURLE_OK;
	return bad ? -1 : 0;
}

/* Options of this one request: its headers, body and time left. */
void arm_easy(struct client *c, struct slot *s, double now)
{
	double remain = c->o->deadline - now;
	long ms = (long)ceil(remain * 1000.0);
	if (ms < 1) ms = 1;
	long cms = remain < CLIENT_CONNECT_TIMEOUT ? ms : (long)(CLIENT_CONNECT_TIMEOUT * 1000);
	curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->req.hdr);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->req.body);
	curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE, (long)s->req.body_len);
	curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, ms);
	curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, cms);
	curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, s->fresh ? 1L : 0L);
#if LIBCURL_VERSION_NUM < 0x075000
	/* without a way to refuse one connection, refuse them all once */
	if (c->n_poisoned) curl_easy_setopt(s->easy, CURLOPT_FRESH_CONNECT, 1L);
#endif
	s->fresh = 0;
}

/* No --cacert: the hashed directory alone when it holds what the bundle does. */
void choose_ca(struct client *c)
{
	const struct client_opts *o = c->o;
	if (!o->ep.https || o->cacert || o->insecure) return;
	const curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);
	if (!v) return;
	const char *cainfo = o->ca_bundle ? o->ca_bundle : v->cainfo;
	const char *capath = o->capath ? o->capath : v->capath;
	if (castore_lazy(v->ssl_version, cainfo, capath)) c->capath = capath;
	say(c, 2, "CA certificates: %s%s", c->capath ? "looked up in " : "the bundle ",
	    c->capath ? c->capath
	    : cainfo  ? cainfo
	              : "(libcurl's default)");
}

/* What proxy is used, for -vv and for naming its failures; its passwords go
 * to the redaction list. */
enum client_err name_proxy(struct client *c, struct msg *why)
{
	const struct client_opts *o = c->o;
	if (o->proxy_userpwd) {
		redact_add(&c->redact, o->proxy_userpwd);
		const char *pw = strchr(o->proxy_userpwd, ':');
		if (pw && pw[1]) redact_add(&c->redact, pw + 1);
	}
	if (o->proxy) {
		if (proxy_parse(o->proxy, &c->proxy, why) != PROXY_OK) return CLIENT_ERR_USAGE;
		redact_add(&c->redact, c->proxy.password);
		say(c, 2, "proxy %s (--proxy)%s", c->proxy.shown,
		    o->proxy_userpwd ? ", user and password from --proxy-user-file" : "");
		return CLIENT_OK;
	}
	/* libcurl's own choice: the scheme's variable, then all_proxy, minus no_proxy */
	static const char *const vars[][3] = {{"http_proxy", "all_proxy", "ALL_PROXY"},
	                                      {"https_proxy", "HTTPS_PROXY", "all_proxy"}};
	for (int i = 0; i < 3; i++) {
		const char *var = vars[o->ep.https][i], *v = getenv(var);
		if (!v || !*v) continue;
		enum proxy_err pe = proxy_parse(v, &c->proxy, NULL);
		redact_add(&c->redact, c->proxy.password); /* libcurl may echo it, even refused */
		if (pe != PROXY_OK) {
			/* libcurl takes this variable anyway: stop here, show none of it */
			say(c, 2, "proxy from $%s, not a proxy URL this plugin understands", var);
			return CLIENT_OK;
		}
		say(c, 2, "proxy %s from $%s (unless $no_proxy excludes %s)", c->proxy.shown, var,
		    o->ep.host);
		c->proxy.name[0] = '\0'; /* libcurl may not use it: failures not named after it */
		return CLIENT_OK;
	}
	say(c, 2, "no proxy");
	return CLIENT_OK;
}
