/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cvm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "httpcall.h"
#include "jfields.h"
#include "json.h"
#include "secret.h"

int cvm_url_ok(const char *url)
{
	size_t n = url ? strlen(url) : 0;
	if (n == 0 || n > CVM_MAX_URL) return 0;
	const char *rest;
	if (strncmp(url, "http://", 7) == 0)
		rest = url + 7;
	else if (strncmp(url, "https://", 8) == 0)
		rest = url + 8;
	else
		return 0;
	size_t auth = strcspn(rest, "/?#");
	/* user info anywhere: a password may hold the '/' that ends the authority */
	if (auth == 0 || strchr(rest, '@')) return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] < 0x21 || url[i] == 0x7f) return 0;
	return 1;
}

int cvm_parse_role(const char *body, size_t len, char role[CREDS_MAX_ROLE])
{
	role[0] = '\0';
	if (!body) return -1;
	size_t n = 0;
	while (n < len && body[n] != '\n')
		n++;
	while (n > 0 && (body[n - 1] == '\r' || body[n - 1] == ' ' || body[n - 1] == '\t'))
		n--;
	size_t s = 0;
	while (s < n && (body[s] == ' ' || body[s] == '\t'))
		s++;
	if (n - s == 0 || n - s >= CREDS_MAX_ROLE) return -1;
	memcpy(role, body + s, n - s);
	role[n - s] = '\0';
	if (!creds_role_name_ok(role)) {
		role[0] = '\0';
		return -1;
	}
	return 0;
}

enum { C_ID, C_KEY, C_TOKEN, C_CODE, C_EXPIRED, C_N };

enum cvm_err cvm_parse_creds(const char *body, size_t len, struct creds *c, long long *expires,
                             struct msg *why)
{
	struct jfield f[C_N] = {
	    [C_ID] = {.path = "TmpSecretId"},      [C_KEY] = {.path = "TmpSecretKey"},
	    [C_TOKEN] = {.path = "Token"},         [C_CODE] = {.path = "Code"},
	    [C_EXPIRED] = {.path = "ExpiredTime"},
	};
	if (expires) *expires = 0;
	enum jfields_err je = jfields_get(body, len, f, C_N);
	if (je == JFIELDS_ERR_DUP) {
		msg_set(why, "a key appears twice in the answer");
		return CVM_ERR_FAILED;
	}
	if (je != JFIELDS_OK) {
		msg_set(why, "the answer is not a JSON object");
		return CVM_ERR_FAILED;
	}
	char code[64] = "";
	if (f[C_CODE].type == JF_STRING) json_unescape(f[C_CODE].raw, code, sizeof code);
	if (f[C_CODE].type != JF_STRING || strcmp(code, "Success") != 0) {
		if (f[C_CODE].type == JF_STRING)
			msg_set(why, "the answer's Code is \"%s\", not \"Success\"", code);
		else
			msg_set(why, "the answer has no Code \"Success\"");
		return CVM_ERR_FAILED;
	}
	struct {
		int field;
		char *dst;
		size_t cap;
	} want[] = {
	    {C_ID, c->secret_id, sizeof c->secret_id},
	    {C_KEY, c->secret_key, sizeof c->secret_key},
	    {C_TOKEN, c->token, sizeof c->token},
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		if (jfields_token(&f[want[i].field], want[i].dst, want[i].cap) != 0) {
			msg_set(why,
			        "the answer's %s is missing, not a string, too long or not "
			        "printable",
			        f[want[i].field].path);
			secret_wipe(c->secret_id, sizeof c->secret_id);
			secret_wipe(c->secret_key, sizeof c->secret_key);
			secret_wipe(c->token, sizeof c->token);
			return CVM_ERR_FAILED;
		}
	}
	if (expires && f[C_EXPIRED].type == JF_NUMBER && f[C_EXPIRED].raw.n < 20) {
		char num[24];
		memcpy(num, f[C_EXPIRED].raw.p, f[C_EXPIRED].raw.n);
		num[f[C_EXPIRED].raw.n] = '\0';
		*expires = strtoll(num, NULL, 10);
	}
	return CVM_OK;
}

/* One GET of base + path. *timed_out tells a run out of time from a slow service. */
static enum httpcall_err get(const struct cvm_opts *o, const char *path, struct httpcall_resp *rs,
                             int *deadline_hit, struct msg *why)
{
	char url[CVM_MAX_URL + 300];
	const char *base = o->base_url ? o->base_url : CVM_DEFAULT_URL;
	size_t bl = strlen(base);
	snprintf(url, sizeof url, "%s%s%s", base, bl && base[bl - 1] == '/' ? "" : "/", path);
	double remain = o->deadline - clock_mono();
	*deadline_hit = remain <= CVM_CALL_TIMEOUT;
	if (remain <= 0) {
		msg_set(why, "timed out");
		return HTTPCALL_ERR_TIMEOUT;
	}
	struct httpcall_req rq = {
	    .url = url,
	    .timeout = remain < CVM_CALL_TIMEOUT ? remain : CVM_CALL_TIMEOUT,
	    .no_proxy = 1,
	    .max_body = CVM_MAX_ANSWER,
	};
	double t0 = clock_mono();
	enum httpcall_err rc = httpcall(&rq, rs, why);
	if (o->log && rc == HTTPCALL_OK)
		o->log(o->log_ctx, 2, "CVM metadata: GET %s: HTTP %ld, %zu bytes, %.3f s", url,
		       rs->status, rs->len, clock_mono() - t0);
	else if (o->log)
		o->log(o->log_ctx, 2, "CVM metadata: GET %s: %s", url, why ? why->text : "failed");
	return rc;
}

static void host_of(const char *base, char *out, size_t cap)
{
	const char *h = strstr(base, "://");
	h = h ? h + 3 : base;
	size_t n = strcspn(h, "/?#");
	snprintf(out, cap, "%.*s", (int)n, h);
}

enum cvm_err cvm_fetch(const struct cvm_opts *o, struct creds *c, char role_out[CREDS_MAX_ROLE],
                       long long *expires, struct msg *why)
{
	struct httpcall_resp rs;
	struct msg m = {""};
	char host[256], path[300];
	int dl = 0;
	const char *name = o->role;

	host_of(o->base_url ? o->base_url : CVM_DEFAULT_URL, host, sizeof host);
	role_out[0] = '\0';
	if (strcmp(name, "auto") == 0) {
		enum httpcall_err he = get(o, "cam/security-credentials/", &rs, &dl, &m);
		if (he != HTTPCALL_OK) {
			msg_set(why, "CVM role auto: metadata service: %s", m.text);
			return he == HTTPCALL_ERR_TIMEOUT && dl ? CVM_ERR_TIMEOUT : CVM_ERR_FAILED;
		}
		enum cvm_err rc = CVM_OK;
		if (rs.status == 404) {
			msg_set(why,
			        "CVM role auto: no role is bound to this instance (HTTP 404 from "
			        "the metadata service %s)",
			        host);
			rc = CVM_ERR_NOROLE;
		} else if (rs.status != 200) {
			msg_set(why, "CVM role auto: HTTP %ld from the metadata service %s",
			        rs.status, host);
			rc = CVM_ERR_FAILED;
		} else if (cvm_parse_role(rs.body, rs.len, role_out) != 0) {
			msg_set(why,
			        "CVM role auto: the metadata service %s did not answer with a "
			        "role name",
			        host);
			rc = CVM_ERR_FAILED;
		}
		httpcall_free(&rs);
		if (rc != CVM_OK) return rc;
	} else {
		snprintf(role_out, CREDS_MAX_ROLE, "%s", name);
	}

	snprintf(path, sizeof path, "cam/security-credentials/%s", role_out);
	enum httpcall_err he = get(o, path, &rs, &dl, &m);
	if (he != HTTPCALL_OK) {
		msg_set(why, "CVM role %s: metadata service: %s", role_out, m.text);
		return he == HTTPCALL_ERR_TIMEOUT && dl ? CVM_ERR_TIMEOUT : CVM_ERR_FAILED;
	}
	enum cvm_err rc = CVM_OK;
	if (rs.status == 404) {
		msg_set(why,
		        "CVM role %s: no such role is bound to this instance (HTTP 404 from the "
		        "metadata service %s)",
		        role_out, host);
		rc = CVM_ERR_NOROLE;
	} else if (rs.status != 200) {
		msg_set(why, "CVM role %s: HTTP %ld from the metadata service %s", role_out,
		        rs.status, host);
		rc = CVM_ERR_FAILED;
	} else if (cvm_parse_creds(rs.body, rs.len, c, expires, &m) != CVM_OK) {
		msg_set(why, "CVM role %s: unexpected answer from the metadata service %s: %s",
		        role_out, host, m.text);
		rc = CVM_ERR_FAILED;
	} else if (expires && *expires > 0 && *expires <= (long long)time(NULL)) {
		/* signing with them fails anyway, as an AuthFailure that names no role */
		msg_set(why,
		        "CVM role %s: the metadata service %s gave credentials that expired at "
		        "%lld",
		        role_out, host, *expires);
		secret_wipe(c->secret_id, sizeof c->secret_id);
		secret_wipe(c->secret_key, sizeof c->secret_key);
		secret_wipe(c->token, sizeof c->token);
		rc = CVM_ERR_FAILED;
	}
	httpcall_free(&rs);
	return rc;
}
