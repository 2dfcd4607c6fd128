/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "endpoint.h"
#include "httpcall.h"
#include "jfields.h"
#include "proxy.h"
#include "json.h"
#include "redact.h"
#include "retry.h"
#include "secret.h"
#include "tc3.h"

#define LOG(o, level, ...)                                                                         \
	do {                                                                                       \
		if ((o)->log) (o)->log((o)->log_ctx, level, __VA_ARGS__);                          \
	} while (0)

int sts_body(const struct sts_opts *o, char *out, size_t cap, size_t *len)
{
	struct jbuf b;
	jbuf_init(&b, cap - 1);
	jbuf_puts(&b, "{\"RoleArn\":");
	jbuf_string(&b, o->role_arn, strlen(o->role_arn));
	jbuf_puts(&b, ",\"RoleSessionName\":");
	jbuf_string(&b, o->session_name, strlen(o->session_name));
	jbuf_printf(&b, ",\"DurationSeconds\":%ld}", o->duration);
	int bad = b.overflow || !b.p;
	if (!bad) {
		memcpy(out, b.p, b.len);
		out[b.len] = '\0';
		*len = b.len;
	}
	jbuf_free(&b);
	return bad ? -1 : 0;
}

enum { S_CODE, S_MSG, S_RID, S_ID, S_KEY, S_TOKEN, S_EXPIRED, S_N };

/* A server-sent string, decoded, without the base secrets (redact.h cuts
 * only after redacting, so the text is decoded whole first), then cut. */
static void server_text(const struct jfield *f, char *out, size_t cap, const struct creds *base)
{
	char text[2 * MSG_MAX];
	struct redact r;
	text[0] = '\0';
	if (f->type == JF_STRING) json_unescape(f->raw, text, sizeof text);
	redact_init(&r);
	redact_add(&r, base->secret_key);
	redact_add(&r, base->token);
	redact_text(&r, text, sizeof text);
	size_t n = strlen(text);
	if (n >= cap) { /* cut at a character boundary, without half a marker */
		n = cap - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
		const char *lt = memrchr(text, '<', n);
		size_t tail = lt ? n - (size_t)(lt - text) : 0;
		if (lt && tail < strlen(REDACT_MARK) && strncmp(lt, REDACT_MARK, tail) == 0)
			n = (size_t)(lt - text);
	}
	snprintf(out, cap, "%.*s", (int)n, text);
	secret_wipe(text, sizeof text);
}

enum sts_err sts_parse(const char *body, size_t len, struct creds *c, long long *expires,
                       int *retryable, struct msg *why)
{
	struct jfield f[S_N] = {
	    [S_CODE] = {.path = "Response.Error.Code"},
	    [S_MSG] = {.path = "Response.Error.Message"},
	    [S_RID] = {.path = "Response.RequestId"},
	    [S_ID] = {.path = "Response.Credentials.TmpSecretId"},
	    [S_KEY] = {.path = "Response.Credentials.TmpSecretKey"},
	    [S_TOKEN] = {.path = "Response.Credentials.Token"},
	    [S_EXPIRED] = {.path = "Response.ExpiredTime"},
	};
	*retryable = 0;
	if (expires) *expires = 0;
	if (!body || len == 0) {
		msg_set(why, "STS AssumeRole: malformed response: empty body");
		*retryable = 1; /* cut short on the way, as the listing counts it */
		return STS_ERR_FAILED;
	}
	enum jfields_err je = jfields_get(body, len, f, S_N);
	if (je != JFIELDS_OK) {
		*retryable = je != JFIELDS_ERR_DUP; /* half an answer: retried like a page */
		msg_set(why, "STS AssumeRole: malformed response: %s",
		        je == JFIELDS_ERR_DUP ? "a key appears twice" : "not a JSON object");
		return STS_ERR_FAILED;
	}
	char rid[128];
	server_text(&f[S_RID], rid, sizeof rid, c);
	if (f[S_CODE].type != JF_ABSENT) {
		char code[128], text[300];
		server_text(&f[S_CODE], code, sizeof code, c);
		server_text(&f[S_MSG], text, sizeof text, c);
		if (!code[0]) snprintf(code, sizeof code, "(no code)");
		*retryable = retry_should(0, 200, code, 0);
		msg_set(why, "STS AssumeRole: API error %s: %s (RequestId %s)", code,
		        text[0] ? text : "(no message)", rid[0] ? rid : "none");
		return STS_ERR_API;
	}
	static struct creds tmp; /* big: not on the stack */
	const struct {
		int field;
		char *dst;
		size_t cap;
	} want[] = {
	    {S_ID, tmp.secret_id, sizeof tmp.secret_id},
	    {S_KEY, tmp.secret_key, sizeof tmp.secret_key},
	    {S_TOKEN, tmp.token, sizeof tmp.token},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (jfields_token(&f[want[i].field], want[i].dst, want[i].cap) != 0) {
			msg_set(why,
			        "STS AssumeRole: malformed response: %s is missing, not a "
			        "string, too long or not printable",
			        f[want[i].field].path + strlen("Response."));
			secret_wipe(&tmp, sizeof tmp);
			return STS_ERR_FAILED;
		}
	}
	memcpy(c->secret_id, tmp.secret_id, sizeof c->secret_id);
	memcpy(c->secret_key, tmp.secret_key, sizeof c->secret_key);
	memcpy(c->token, tmp.token, sizeof c->token);
	secret_wipe(&tmp, sizeof tmp);
	if (expires && f[S_EXPIRED].type == JF_NUMBER && f[S_EXPIRED].raw.n < 20) {
		char num[24];
		memcpy(num, f[S_EXPIRED].raw.p, f[S_EXPIRED].raw.n);
		num[f[S_EXPIRED].raw.n] = '\0';
		*expires = strtoll(num, NULL, 10);
	}
	return STS_OK;
}

/* Signs one attempt into the header lines (secret: wiped by the caller). */
static int sign(const struct creds *c, const char *host, const char *body, size_t blen,
                char lines[][CREDS_MAX_TOKEN + 64], int *n, char sig_hex[65])
{
	struct tc3_output sig;
	long long ts = (long long)time(NULL);
	struct tc3_input in = {
	    .secret_id = c->secret_id,
	    .secret_key = c->secret_key,
	    .timestamp = ts,
	    .host = host,
	    .service = "sts",
	    .content_type = "application/json",
	    .body = (const unsigned char *)body,
	    .body_len = blen,
	};
	if (tc3_sign(&in, &sig) != TC3_OK) {
		secret_wipe(&sig, sizeof sig);
		return -1;
	}
	int k = 0;
	snprintf(lines[k++], sizeof lines[0], "Content-Type: application/json");
	snprintf(lines[k++], sizeof lines[0], "Host: %s", host);
	snprintf(lines[k++], sizeof lines[0], "X-TC-Action: AssumeRole");
	snprintf(lines[k++], sizeof lines[0], "X-TC-Version: " STS_VERSION);
	snprintf(lines[k++], sizeof lines[0], "X-TC-Region: " STS_REGION);
	snprintf(lines[k++], sizeof lines[0], "X-TC-Timestamp: %lld", ts);
	if (c->token[0]) snprintf(lines[k++], sizeof lines[0], "X-TC-Token: %s", c->token);
	snprintf(lines[k++], sizeof lines[0], "Authorization: %s", sig.authorization);
	const char *h = strstr(sig.authorization, "Signature=");
	snprintf(sig_hex, 65, "%.64s", h ? h + strlen("Signature=") : "");
	snprintf(lines[k++], sizeof lines[0], "Expect:");
	secret_wipe(&sig, sizeof sig);
	*n = k;
	return 0;
}

static void pause_for(double seconds)
{
	if (seconds <= 0) return;
	struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

#define STS_LINES    9
#define STS_MAX_SIGS 16 /* attempts whose signature a message may still echo */

/* The proxy's passwords, to redact: --proxy's or the environment's (libcurl
 * echoes a proxy URL it refuses), and --proxy-user-file's. A --proxy this
 * plugin cannot use is a usage error, as for the listing; an environment
 * proxy it cannot parse sets *env_bad (a configuration error: no retries). */
static enum sts_err sts_loop(const struct sts_opts *o, struct creds *c, long long *expires,
                             const char *url, const char *host, const struct redact *rd,
                             char sigs[][65], const char *env_bad, struct msg *why);

/* What libcurl refuses before connecting: a scheme it has no proxy for, a
 * space. Its refusal looks like a failed connection: this is no reason to retry. */
static int curl_takes_proxy(const char *url)
{
	static const char *const schemes[] = {"http",    "https",  "socks4",
	                                      "socks4a", "socks5", "socks5h"};
	if (strpbrk(url, " \t")) return 0;
	const char *sep = strstr(url, "://");
	if (!sep) return 1;
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if (strlen(schemes[i]) == (size_t)(sep - url) &&
		    strncasecmp(url, schemes[i], (size_t)(sep - url)) == 0)
			return 1;
	return 0;
}

static int proxy_secrets(const struct sts_opts *o, int https, struct proxy *px, struct redact *r,
                         const char **env_bad, struct msg *why)
{
	*env_bad = NULL;
	if (o->proxy_userpwd) {
		redact_add(r, o->proxy_userpwd);
		const char *pw = strchr(o->proxy_userpwd, ':');
		if (pw && pw[1]) redact_add(r, pw + 1);
	}
	if (o->proxy) {
		enum proxy_err pe = proxy_parse(o->proxy, px, why);
		redact_add(r, px->password);
		if (pe == PROXY_OK && !curl_takes_proxy(o->proxy)) {
			msg_set(why, "bad --proxy value (libcurl has no proxy of that scheme, or "
			             "it holds a space)");
			return -1;
		}
		return pe == PROXY_OK ? 0 : -1;
	}
	static const char *const vars[][3] = {{"http_proxy", "all_proxy", "ALL_PROXY"},
	                                      {"https_proxy", "HTTPS_PROXY", "all_proxy"}};
	for (int i = 0; i < 3; i++) {
		const char *v = getenv(vars[https][i]);
		if (!v || !*v) continue;
		if (proxy_parse(v, px, NULL) != PROXY_OK || !curl_takes_proxy(v))
			*env_bad = vars[https][i];
		redact_add(r, px->password);
		break;
	}
	return 0;
}

enum sts_err sts_assume_role(const struct sts_opts *o, struct creds *c, long long *expires,
                             struct msg *why)
{
	struct endpoint ep;
	struct msg m = {""}, local;
	if (!why) why = &local;

	if (endpoint_parse(o->endpoint ? o->endpoint : STS_DEFAULT_ENDPOINT, &ep, &m) !=
	    ENDPOINT_OK) {
		msg_set(why, "--sts-endpoint: %s", m.text);
		return STS_ERR_USAGE;
	}
	const char *host = ep.host, *url = ep.url;
	static struct proxy px; /* big, and secret: wiped before returning */
	static char sigs[STS_MAX_SIGS][65];
	struct redact rd;
	const char *env_bad = NULL;
	redact_init(&rd);
	if (proxy_secrets(o, ep.https, &px, &rd, &env_bad, &m) != 0) {
		redact_text(&rd, m.text, sizeof m.text);
		msg_set(why, "%s", m.text);
		proxy_wipe(&px);
		return STS_ERR_USAGE;
	}
	for (int i = 0; i < STS_MAX_SIGS; i++) {
		sigs[i][0] = '\0';
		redact_add(&rd, sigs[i]); /* filled per attempt */
	}
	enum sts_err rc = sts_loop(o, c, expires, url, host, &rd, sigs, env_bad, why);
	proxy_wipe(&px);
	secret_wipe(sigs, sizeof sigs);
	return rc;
}

static enum sts_err sts_loop(const struct sts_opts *o, struct creds *c, long long *expires,
                             const char *url, const char *host, const struct redact *rd,
                             char sigs[][65], const char *env_bad, struct msg *why)
{
	char body[STS_MAX_BODY];
	size_t blen;
	struct msg m = {""};
	if (sts_body(o, body, sizeof body, &blen) != 0) {
		msg_set(why, "STS AssumeRole: request body too large");
		return STS_ERR_USAGE;
	}
	static char lines[STS_LINES][CREDS_MAX_TOKEN + 64];
	const char *hdr[STS_LINES + 1];
	uint64_t rng = retry_seed();
	enum sts_err rc = STS_ERR_FAILED;

	for (int attempt = 0;; attempt++) {
		double remain = o->deadline - clock_mono();
		if (remain <= 0) {
			/* the caller says "timed out": the last error alone, one level */
			msg_set(why, "STS AssumeRole: %s",
			        m.text[0] ? m.text : "no answer in time");
			return STS_ERR_TIMEOUT;
		}
		int n = 0;
		if (sign(c, host, body, blen, lines, &n, sigs[attempt % STS_MAX_SIGS]) != 0) {
			msg_set(why, "STS AssumeRole: cannot sign the request");
			return STS_ERR_FAILED;
		}
		for (int i = 0; i < n; i++)
			hdr[i] = lines[i];
		hdr[n] = NULL;
		LOG(o, 2, "STS AssumeRole: POST %s attempt %d, role %s, session %s, %ld s", url,
		    attempt + 1, o->role_arn, o->session_name, o->duration);
		for (int i = 0; i < n; i++) {
			if (strncmp(lines[i], "Authorization:", 14) == 0)
				LOG(o, 3, "> Authorization: <redacted>");
			else if (strncmp(lines[i], "X-TC-Token:", 11) == 0)
				LOG(o, 3, "> X-TC-Token: <redacted>");
			else
				LOG(o, 3, "> %s", lines[i]);
		}
		LOG(o, 3, "> %s", body);
		struct httpcall_req rq = {
		    .url = url,
		    .headers = hdr,
		    .body = body,
		    .body_len = blen,
		    .timeout = remain,
		    .cacert = o->cacert,
		    .insecure = o->insecure,
		    .proxy = o->proxy,
		    .proxy_userpwd = o->proxy_userpwd,
		    .max_body = STS_MAX_ANSWER,
		};
		struct httpcall_resp rs;
		enum httpcall_err he = httpcall(&rq, &rs, &m);
		secret_wipe(lines, sizeof lines);
		redact_text(rd, m.text, sizeof m.text);
		int retry = 0;
		if (he == HTTPCALL_ERR_TIMEOUT) {
			msg_set(why, "STS AssumeRole: %s", m.text);
			return STS_ERR_TIMEOUT;
		} else if (he != HTTPCALL_OK && env_bad) {
			/* named as the listing names it; the same again on every attempt */
			msg_set(why,
			        "STS AssumeRole: proxy from $%s, not a proxy URL this plugin "
			        "understands: %s",
			        env_bad, m.text);
			rc = STS_ERR_FAILED;
		} else if (he != HTTPCALL_OK) {
			msg_set(why, "STS AssumeRole: %s", m.text);
			retry =
			    he == HTTPCALL_ERR_CONNECT && retry_should(rs.curl_code, 0, NULL, 0);
			rc = STS_ERR_FAILED;
		} else if (rs.status == 407) {
			/* the proxy's answer, named as such; the same credentials get it again */
			const char *px = o->proxy ? strstr(o->proxy, "://") : NULL;
			px = px ? px + 3 : o->proxy;
			const char *at = NULL; /* user info runs to the last '@' */
			for (const char *q = px; q && *q && *q != '/'; q++)
				if (*q == '@') at = q;
			px = at ? at + 1 : px;
			msg_set(
			    why, "STS AssumeRole: proxy authentication required (HTTP 407%s%.*s)",
			    px ? " from proxy " : "", px ? (int)strcspn(px, "/") : 0, px ? px : "");
			rc = STS_ERR_FAILED;
		} else if (rs.status != 200) {
			msg_set(why, "STS AssumeRole: HTTP %ld from %s", rs.status, host);
			retry = retry_should(0, rs.status, NULL, 0);
			rc = STS_ERR_FAILED;
		} else {
			rc = sts_parse(rs.body, rs.len, c, expires, &retry, why);
		}
		httpcall_free(&rs);
		/* no proxy password, no echoed signature in any message */
		if (rc != STS_OK) redact_text(rd, why->text, sizeof why->text);
		if (rc == STS_OK) {
			LOG(o, 2, "STS AssumeRole: HTTP 200, attempt %d", attempt + 1);
			return STS_OK;
		}
		msg_set(&m, "%s", why->text + strlen("STS AssumeRole: "));
		if (!retry_again(retry, attempt, o->retries)) {
			LOG(o, 2, "STS AssumeRole: attempt %d failed: %s", attempt + 1, m.text);
			return rc;
		}
		double d = retry_backoff(attempt, retry_unit(&rng));
		LOG(o, 2, "STS AssumeRole: attempt %d failed, retry in %.2f s: %s", attempt + 1, d,
		    m.text);
		if (clock_mono() + d >= o->deadline) d = o->deadline - clock_mono();
		pause_for(d);
	}
}
