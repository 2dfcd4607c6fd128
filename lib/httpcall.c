/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "httpcall.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "curlload.h"
#include "curlopts.h"
#include "retry.h"
#include "secret.h"

struct acc {
	char *p;
	size_t len, cap, max;
	int toobig;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *ud)
{
	struct acc *a = ud;
	size_t n = size * nmemb;
	if (a->len + n > a->max) {
		a->toobig = 1;
		return 0; /* ends the transfer */
	}
	if (a->len + n + 1 > a->cap) {
		size_t cap = a->cap ? a->cap : 4096;
		while (cap < a->len + n + 1)
			cap *= 2;
		char *p = malloc(cap);
		if (!p) return 0;
		if (a->p) {
			memcpy(p, a->p, a->len);
			secret_wipe(a->p, a->cap);
			free(a->p);
		}
		a->p = p;
		a->cap = cap;
	}
	memcpy(a->p + a->len, data, n);
	a->len += n;
	a->p[a->len] = '\0';
	return n;
}

/* The host[:port] of a URL, for messages: never its user info or path. */
static void url_host(const char *url, char *out, size_t cap)
{
	const char *h = strstr(url, "://");
	h = h ? h + 3 : url;
	size_t n = strcspn(h, "/?#");
	const char *at = memchr(h, '@', n);
	if (at) {
		n -= (size_t)(at + 1 - h);
		h = at + 1;
	}
	if (n >= cap) n = cap - 1;
	memcpy(out, h, n);
	out[n] = '\0';
}

enum httpcall_err httpcall(const struct httpcall_req *rq, struct httpcall_resp *rs, struct msg *why)
{
	char host[256], errbuf[CURL_ERROR_SIZE] = "";
	struct acc a = {.max = rq->max_body ? rq->max_body : HTTPCALL_MAX_BODY};
	struct curl_slist *hdr = NULL;
	enum httpcall_err rc = HTTPCALL_OK;
	int bad = 0;

	memset(rs, 0, sizeof *rs);
	url_host(rq->url, host, sizeof host);
	if (curlload(why) != 0) return HTTPCALL_ERR_SETUP;
	CURL *e = curl_easy_init();
	if (!e) {
		msg_set(why, "cannot set up libcurl");
		return HTTPCALL_ERR_SETUP;
	}
	for (const char *const *h = rq->headers; h && *h; h++) {
		struct curl_slist *n = curl_slist_append(hdr, *h);
		if (!n)
			bad = 1;
		else
			hdr = n;
	}
	long ms = (long)ceil(rq->timeout * 1000.0);
	if (ms < 1) ms = 1;
	bad |= curl_easy_setopt(e, CURLOPT_URL, rq->url) != CURLE_OK;
	bad |= curlopts_common(e) != 0;
	bad |= curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, ms) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, ms) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_WRITEDATA, &a) != CURLE_OK;
	bad |= curl_easy_setopt(e, CURLOPT_ERRORBUFFER, errbuf) != CURLE_OK;
	if (hdr) bad |= curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdr) != CURLE_OK;
	if (rq->body) {
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDS, rq->body) != CURLE_OK;
		bad |= curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)rq->body_len) != CURLE_OK;
	}
	if (rq->insecure) {
		bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L) != CURLE_OK;
		bad |= curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L) != CURLE_OK;
	}
	if (rq->cacert) bad |= curl_easy_setopt(e, CURLOPT_CAINFO, rq->cacert) != CURLE_OK;
	if (rq->no_proxy)
		bad |= curl_easy_setopt(e, CURLOPT_PROXY, "") != CURLE_OK;
	else if (rq->proxy)
		bad |= curl_easy_setopt(e, CURLOPT_PROXY, rq->proxy) != CURLE_OK;
	if (!rq->no_proxy && rq->proxy_userpwd)
		bad |= curl_easy_setopt(e, CURLOPT_PROXYUSERPWD, rq->proxy_userpwd) != CURLE_OK;
	CURLcode cc = bad ? CURLE_FAILED_INIT : curl_easy_perform(e);
	rs->curl_code = (int)cc;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &rs->status);
	if (bad) {
		msg_set(why, "cannot set up libcurl");
		rc = HTTPCALL_ERR_SETUP;
	} else if (a.toobig) {
		msg_set(why, "the answer from %s is larger than %zu bytes", host, a.max);
		rc = HTTPCALL_ERR_TOOBIG;
	} else if (cc == CURLE_OPERATION_TIMEDOUT) {
		msg_set(why, "no answer from %s within %.1f s", host, rq->timeout);
		rc = HTTPCALL_ERR_TIMEOUT;
	} else if (cc != CURLE_OK) {
		const char *t = errbuf[0] ? errbuf : curl_easy_strerror(cc);
		if (retry_is_tls_error(cc))
			msg_set(why, "TLS: %s", t);
		else if (retry_is_connect_error(cc))
			msg_set(why, "cannot connect to %s: %s", host, t);
		else
			msg_set(why, "connection to %s failed: %s", host, t);
		rc = cc == CURLE_OUT_OF_MEMORY ? HTTPCALL_ERR_SETUP : HTTPCALL_ERR_CONNECT;
	} else {
		rs->body = a.p;
		rs->len = a.len;
		a.p = NULL;
	}
	if (a.p) {
		secret_wipe(a.p, a.cap);
		free(a.p);
	}
	for (struct curl_slist *h = hdr; h; h = h->next) /* copies of a token, a signature */
		secret_wipe(h->data, strlen(h->data));
	curl_slist_free_all(hdr);
	curl_easy_cleanup(e);
	return rc;
}

void httpcall_free(struct httpcall_resp *rs)
{
	if (!rs) return;
	if (rs->body) {
		secret_wipe(rs->body, rs->len);
		free(rs->body);
	}
	rs->body = NULL;
	rs->len = 0;
}
