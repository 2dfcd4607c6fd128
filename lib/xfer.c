/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "xfer.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "response.h"
#include "retry.h"

static void say(struct xfer_verdict *v, enum xfer_outcome o, int retry, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void say(struct xfer_verdict *v, enum xfer_outcome o, int retry, const char *fmt, ...)
{
	va_list ap;
	v->outcome = o;
	v->retry = retry;
	/* only a reply read to its end as framed, with a complete document or an
	 * error page, leaves its connection fit for the next request */
	v->fresh = o != XFER_PAGE && o != XFER_API && o != XFER_HTTP;
	va_start(ap, fmt);
	if (vsnprintf(v->why, sizeof v->why, fmt, ap) < 0) v->why[0] = '\0';
	va_end(ap);
}

static int api_retry(const struct xfer_facts *f, int err)
{
	return err == RESP_ERR_API && retry_should(0, 200, f->api_code, 0);
}

/* 1 when the proxy is to blame; v says how. */
static int proxy_failure(const struct xfer_facts *f, struct xfer_verdict *v)
{
	const char *t = f->curl_text ? f->curl_text : "";
	long code = f->connect_code ? f->connect_code : f->status;
	if (code == 407) {
		/* the same credentials get the same answer: not retried */
		if (f->proxy)
			say(v, XFER_PROXY, 0,
			    "proxy authentication required (HTTP 407 from proxy %s)", f->proxy);
		else
			say(v, XFER_PROXY, 0, "proxy authentication required (HTTP 407)");
		return 1;
	}
	if (f->connect_code && f->connect_code != 200) {
		say(v, XFER_PROXY, retry_should(0, f->connect_code, NULL, 0),
		    "proxy %s refused the tunnel to %s (HTTP %ld)",
		    f->proxy ? f->proxy : "(from the environment)", f->host, f->connect_code);
		return 1;
	}
	if (!f->proxy) return 0;
	if (f->curl_code == CURLE_COULDNT_CONNECT && f->os_errno == ECONNREFUSED)
		say(v, XFER_PROXY, 1, "proxy %s refused the connection", f->proxy);
	else if (f->curl_code == CURLE_COULDNT_CONNECT)
		say(v, XFER_PROXY, 1, "cannot connect to proxy %s: %s", f->proxy, t);
	else if (f->curl_code == CURLE_COULDNT_RESOLVE_PROXY)
		say(v, XFER_PROXY, 1, "cannot resolve proxy %s: %s", f->proxy, t);
	else
		return 0;
	return 1;
}

static void transport_failure(const struct xfer_facts *f, struct xfer_verdict *v)
{
	const char *t = f->curl_text ? f->curl_text : "";
	/* whatever failed on a reused connection may have been left there by an
	 * earlier reply: worth one more try on a new one */
	int retry = retry_should(f->curl_code, f->status, NULL, 0) || f->reused;
	if (f->curl_code == CURLE_OPERATION_TIMEDOUT && f->deadline_hit)
		say(v, XFER_TIMEOUT, 0, "connection to %s failed: %s", f->host, t);
	else if (retry_is_tls_error(f->curl_code))
		say(v, XFER_TLS, retry_should(f->curl_code, 0, NULL, 0), "TLS: %s", t);
	else if (f->curl_code == CURLE_OUT_OF_MEMORY && f->status)
		/* libcurl's words for a header line past its cap */
		say(v, XFER_NETWORK, 0, "response header from %s too large (over %d KiB)", f->host,
		    CURL_MAX_HTTP_HEADER / 1024);
	else if (retry_is_connect_error(f->curl_code) ||
	         strncmp(t, "Connection timed out", 20) == 0)
		say(v, XFER_CONNECT, retry, "cannot connect to %s: %s", f->host, t);
	else
		say(v, XFER_NETWORK, retry, "connection to %s failed: %s", f->host, t);
}

static void body_failure(const struct xfer_facts *f, struct xfer_verdict *v)
{
	int err = f->finish_err;
	if (f->truncated)
		/* well framed, but the document stops: the server's fault, maybe passing */
		say(v, XFER_MALFORMED, retry_should(0, 200, NULL, 1),
		    "malformed response: the JSON ends unfinished after %zu bytes", f->bytes);
	else {
		say(v, err == RESP_ERR_API ? XFER_API : XFER_MALFORMED, api_retry(f, err), "%s",
		    f->resp_msg ? f->resp_msg : "malformed response");
		v->fresh = err != RESP_ERR_API && err != RESP_ERR_NO_LIST; /* a whole document */
	}
}

void xfer_classify(const struct xfer_facts *f, struct xfer_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (f->sink_abort) {
		say(v, XFER_ABORTED, 0, "listing aborted: a certificate was refused");
	} else if (f->feed_err != RESP_OK) {
		say(v, f->feed_err == RESP_ERR_API ? XFER_API : XFER_MALFORMED,
		    api_retry(f, f->feed_err), "%s",
		    f->resp_msg ? f->resp_msg : "malformed response");
	} else if ((f->curl_code != 0 || f->status == 407) && proxy_failure(f, v)) {
		return;
	} else if (f->curl_code != 0 && !f->drain_abort) {
		transport_failure(f, v);
	} else if (f->status != 200) {
		say(v, XFER_HTTP, retry_should(0, f->status, NULL, 0), "HTTP %ld from %s",
		    f->status, f->host);
		v->fresh = f->drain_abort; /* the rest of the page was never read */
	} else if (f->bytes == 0) {
		say(v, XFER_MALFORMED, 0, "malformed response: empty body");
		v->fresh = 0; /* Content-Length: 0 ends cleanly */
	} else if (f->finish_err != RESP_OK) {
		body_failure(f, v);
	} else {
		v->outcome = XFER_PAGE;
	}
}
