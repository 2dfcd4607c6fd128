/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a finished transfer means, decided from facts alone (no curl handle,
 * no I/O): a page to check against the listing, or a failure with its words,
 * whether it is worth a retry, and whether its connection must be dropped
 * (a reply that did not end cleanly may leave bytes behind on it).
 * The transport gathers the facts, calls xfer_classify, then acts. */
#ifndef TC_XFER_H
#define TC_XFER_H

#include <stddef.h>

#define XFER_MAX_WHY 1024 /* a reason before redaction; cut to MSG_MAX after it */

struct xfer_facts {
	int curl_code;         /* CURLcode of the transfer, 0 when it completed */
	const char *curl_text; /* curl's words for it */
	long status;           /* HTTP status of the reply, 0 when none */
	size_t bytes;          /* body bytes received */
	int sink_abort;        /* the sink refused a certificate */
	int drain_abort;       /* a non-200 body passed the drain cap */
	int feed_err;          /* enum resp_err of the streaming parse, 0 = fine */
	int finish_err;        /* enum resp_err of resp_finish, when the body was complete */
	const char *resp_msg;  /* resp_message() after feed_err or finish_err */
	const char *api_code;  /* Response.Error.Code, "" when none */
	int truncated;         /* the body ended inside the JSON */
	int deadline_hit;      /* the transfer timed out at the run's deadline */
	int reused;            /* it ran on a connection that had served a reply before */
	const char *host;      /* endpoint host[:port] */
	const char *proxy;     /* the proxy's host:port when --proxy is used, else NULL */
	long connect_code;     /* the proxy's reply to CONNECT, 0 when none */
	int os_errno;          /* errno of a failed connect */
};

enum xfer_outcome {
	XFER_PAGE = 0,  /* a whole, well-formed page: for listing_page() */
	XFER_ABORTED,   /* the sink refused a certificate */
	XFER_TIMEOUT,   /* the run's deadline passed during the transfer */
	XFER_TLS,       /* "TLS: ..." */
	XFER_CONNECT,   /* "cannot connect to HOST: ..." */
	XFER_NETWORK,   /* "connection to HOST failed: ..." */
	XFER_HTTP,      /* "HTTP N from HOST" */
	XFER_PROXY,     /* the proxy failed or refused: named as the proxy's */
	XFER_API,       /* Response.Error */
	XFER_MALFORMED, /* the server sent a broken document */
};

struct xfer_verdict {
	enum xfer_outcome outcome;
	int retry;              /* worth another attempt */
	int fresh;              /* the reply did not end cleanly: never reuse its connection */
	char why[XFER_MAX_WHY]; /* "" for XFER_PAGE */
};

void xfer_classify(const struct xfer_facts *f, struct xfer_verdict *v);

#endif
