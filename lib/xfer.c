#include "config.h"

#include "xfer.h"

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
	va_start(ap, fmt);
	if (vsnprintf(v->why, sizeof v->why, fmt, ap) < 0) v->why[0] = '\0';
	va_end(ap);
}

static int api_retry(const struct xfer_facts *f, int err)
{
	return err == RESP_ERR_API && retry_should(0, 200, f->api_code, 0);
}

static void transport_failure(const struct xfer_facts *f, struct xfer_verdict *v)
{
	const char *t = f->curl_text ? f->curl_text : "";
	int retry = retry_should(f->curl_code, f->status, NULL, 0);
	if (f->curl_code == CURLE_OPERATION_TIMEDOUT && f->deadline_hit)
		say(v, XFER_TIMEOUT, 0, "connection to %s failed: %s", f->host, t);
	else if (retry_is_tls_error(f->curl_code))
		say(v, XFER_TLS, retry, "TLS: %s", t);
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
		say(v, XFER_NETWORK, retry_should(0, 200, NULL, 1),
		    "connection to %s failed: response cut short after %zu bytes", f->host,
		    f->bytes);
	else
		say(v, err == RESP_ERR_API ? XFER_API : XFER_MALFORMED, api_retry(f, err), "%s",
		    f->resp_msg ? f->resp_msg : "malformed response");
}

void xfer_classify(const struct xfer_facts *f, struct xfer_verdict *v)
{
	memset(v, 0, sizeof *v);
	if (f->sink_abort)
		say(v, XFER_ABORTED, 0, "listing aborted: a certificate was refused");
	else if (f->feed_err != RESP_OK)
		say(v, f->feed_err == RESP_ERR_API ? XFER_API : XFER_MALFORMED,
		    api_retry(f, f->feed_err), "%s",
		    f->resp_msg ? f->resp_msg : "malformed response");
	else if (f->curl_code != 0 && !f->drain_abort)
		transport_failure(f, v);
	else if (f->status != 200)
		say(v, XFER_HTTP, retry_should(0, f->status, NULL, 0), "HTTP %ld from %s",
		    f->status, f->host);
	else if (f->bytes == 0)
		say(v, XFER_MALFORMED, 0, "malformed response: empty body");
	else if (f->finish_err != RESP_OK)
		body_failure(f, v);
	else
		v->outcome = XFER_PAGE;
}
