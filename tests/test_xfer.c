/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a finished transfer means: each row is the facts of one transfer and
 * the outcome, retry decision and words it must give. */
#include "config.h"

#include <string.h>

#include <curl/curl.h>

#include "response.h"
#include "tap.h"
#include "xfer.h"

#define HOST "api.example:443"

static const struct {
	const char *name;
	struct xfer_facts f;
	enum xfer_outcome outcome;
	int retry, fresh;
	const char *why; /* the start of it */
} t[] = {
    {.name = "a whole page", .f = {.status = 200, .bytes = 100}, .outcome = XFER_PAGE},
    {.name = "the sink refused",
     .f = {.status = 200, .bytes = 100, .sink_abort = 1, .curl_code = CURLE_WRITE_ERROR},
     .outcome = XFER_ABORTED,
     .why = "listing aborted: a certificate was refused"},
    {.name = "a parse error while streaming",
     .f = {.status = 200,
           .bytes = 9,
           .feed_err = RESP_ERR_MALFORMED,
           .curl_code = CURLE_WRITE_ERROR,
           .resp_msg = "malformed response: x"},
     .outcome = XFER_MALFORMED,
     .why = "malformed response: x"},
    {.name = "a retryable API error while streaming",
     .f = {.status = 200,
           .bytes = 9,
           .feed_err = RESP_ERR_API,
           .api_code = "InternalError",
           .resp_msg = "API error InternalError: m"},
     .outcome = XFER_API,
     .retry = 1,
     .why = "API error InternalError"},
    {.name = "an API error at the end",
     .f = {.status = 200,
           .bytes = 9,
           .finish_err = RESP_ERR_API,
           .api_code = "AuthFailure.SignatureFailure",
           .resp_msg = "API error AuthFailure"},
     .outcome = XFER_API,
     .why = "API error AuthFailure"},
    {.name = "refused",
     .f = {.curl_code = CURLE_COULDNT_CONNECT, .curl_text = "Couldn't connect to server"},
     .outcome = XFER_CONNECT,
     .retry = 1,
     .why = "cannot connect to " HOST ": Couldn't connect to server"},
    {.name = "TLS",
     .f = {.curl_code = CURLE_PEER_FAILED_VERIFICATION, .curl_text = "bad cert"},
     .outcome = XFER_TLS,
     .why = "TLS: bad cert"},
    {.name = "reset",
     .f = {.curl_code = CURLE_RECV_ERROR, .curl_text = "Recv failure"},
     .outcome = XFER_NETWORK,
     .retry = 1,
     .why = "connection to " HOST " failed: Recv failure"},
    {.name = "the deadline",
     .f = {.curl_code = CURLE_OPERATION_TIMEDOUT,
           .curl_text = "Operation timed out",
           .deadline_hit = 1},
     .outcome = XFER_TIMEOUT},
    {.name = "a timeout before the deadline",
     .f = {.curl_code = CURLE_OPERATION_TIMEDOUT, .curl_text = "Connection timed out after"},
     .outcome = XFER_CONNECT,
     .retry = 1,
     .why = "cannot connect to "},
    {.name = "HTTP 502",
     .f = {.status = 502, .bytes = 100},
     .outcome = XFER_HTTP,
     .retry = 1,
     .why = "HTTP 502 from " HOST},
    {.name = "HTTP 403",
     .f = {.status = 403, .bytes = 100},
     .outcome = XFER_HTTP,
     .why = "HTTP 403 from " HOST},
    {.name = "a huge error page",
     .f = {.status = 503, .bytes = 300000, .drain_abort = 1, .curl_code = CURLE_WRITE_ERROR},
     .outcome = XFER_HTTP,
     .retry = 1,
     .why = "HTTP 503 from"},
    {.name = "an empty 200",
     .f = {.status = 200},
     .outcome = XFER_MALFORMED,
     .why = "malformed response: empty body"},
    {.name = "a well-framed 200 whose JSON stops half way",
     .f = {.status = 200, .bytes = 1234, .finish_err = RESP_ERR_MALFORMED, .truncated = 1},
     .outcome = XFER_MALFORMED,
     .retry = 1,
     .fresh = 1,
     .why = "malformed response: the JSON ends unfinished after 1234 bytes"},
    {.name = "HTTP/0.9 garbage on a reused connection: retried on a new one",
     .f = {.curl_code = CURLE_UNSUPPORTED_PROTOCOL, .curl_text = "Received HTTP/0.9", .reused = 1},
     .outcome = XFER_NETWORK,
     .retry = 1,
     .fresh = 1,
     .why = "connection to " HOST " failed: Received HTTP/0.9"},
    {.name = "HTTP/0.9 garbage on a new connection: a server fault, retried on a new one",
     .f = {.curl_code = CURLE_UNSUPPORTED_PROTOCOL, .curl_text = "Received HTTP/0.9"},
     .outcome = XFER_NETWORK,
     .retry = 1,
     .fresh = 1},
    {.name = "a response header past libcurl's cap",
     .f = {.curl_code = CURLE_OUT_OF_MEMORY, .curl_text = "Out of memory", .status = 200},
     .outcome = XFER_NETWORK,
     .fresh = 1,
     .why = "response header from " HOST " too large (over 100 KiB)"},
    {.name = "no certificate list",
     .f = {.status = 200,
           .bytes = 20,
           .finish_err = RESP_ERR_NO_LIST,
           .resp_msg = "response has no certificate list"},
     .outcome = XFER_MALFORMED,
     .why = "response has no certificate list"},
};

int main(void)
{
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		struct xfer_facts f = t[i].f;
		struct xfer_verdict v;
		f.host = HOST;
		if (!f.api_code) f.api_code = "";
		xfer_classify(&f, &v);
		is_int(v.outcome, t[i].outcome, "%s: outcome", t[i].name);
		is_int(v.retry, t[i].retry, "%s: retry", t[i].name);
		int fresh =
		    t[i].fresh || (t[i].outcome != XFER_PAGE && t[i].outcome != XFER_API &&
		                   t[i].outcome != XFER_HTTP && t[i].outcome != XFER_MALFORMED);
		if (t[i].outcome == XFER_HTTP) fresh = t[i].f.drain_abort;
		if (t[i].outcome == XFER_MALFORMED)
			fresh = t[i].fresh || t[i].f.feed_err == RESP_ERR_MALFORMED;
		is_int(v.fresh, fresh, "%s: connection dropped", t[i].name);
		if (t[i].why)
			ok(strncmp(v.why, t[i].why, strlen(t[i].why)) == 0, "%s: %.200s", t[i].name,
			   v.why);
	}
	return tap_done();
}
