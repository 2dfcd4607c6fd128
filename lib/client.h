/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The API client: lists every certificate with DescribeCertificates, page by
 * page, and streams them to a sink. The seams:
 *   endpoint.h  the --endpoint URL, parsed once
 *   listing.h   the listing rules (pages, TotalCount, restart once), no I/O
 *   xfer.h      what a finished transfer means (outcome, retry, why), no I/O
 *   redact.h    no secret in any message or log line
 *   proxy.h     the proxy's name, its credentials file
 *   signreq.h   builds and signs one request
 *   castore.h   no --cacert: the hashed CA directory instead of the bundle
 *   transport.c the curl multi loop: schedules pages, runs transfers,
 *               classifies their end (xfer.h) and acts on it
 *   easy.c      one easy handle: its curl options, receiving, the
 *               connections it must not reuse, the client's log path
 * This header is the transport's interface and holds the option limits that
 * the plugin's parser and the library both read. */
#ifndef TC_CLIENT_H
#define TC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "creds.h"
#include "endpoint.h"
#include "msg.h"
#include "proxy.h"
#include "request.h"
#include "response.h"
#include "retry.h"
#include "sink.h"

/* ---- option limits: the plugin's parser, its help and the library read these ----
 * (and, each defined once where it belongs: RETRY_MAX_RATE for --max-rate,
 * CREDS_MAX_TOKEN for the session token, PROXY_MAX_URL for --proxy) */
#define CLIENT_MAX_RETRIES  10   /* --retries 0..N */
#define CLIENT_MAX_PAGE     1000 /* --page-size 1..N (the API's Limit cap) */
#define CLIENT_MAX_PARALLEL 32   /* --parallel 1..N */
#define CLIENT_MAX_HEADER   128  /* X-TC-Region, X-TC-Language values */

struct client_creds {
	const char *secret_id, *secret_key; /* required */
	const char *token;                  /* X-TC-Token, or NULL */
};

/* Prints one line (no newline); the client calls it only for lines at or
 * below log->level, already one line and free of secrets. */
typedef void (*client_log_fn)(void *ctx, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct client_log {
	client_log_fn fn; /* NULL: quiet */
	void *ctx;
	int level; /* 1 = -v, 2 = -vv, 3 = -vvv; the one filter of the run */
};

struct client_opts {
	const char *endpoint; /* the --endpoint text, as given (cache key) */
	struct endpoint ep;   /* endpoint_parse(endpoint): what the client uses */
	const char *region, *language, *cacert, *proxy; /* NULL when not given */
	const char *proxy_userpwd; /* --proxy-user-file's user:password, or NULL */
	/* no --cacert: libcurl's CA bundle and hashed directory, NULL = its built-in
	 * ones (the plugin never sets these; the TLS benchmark does) */
	const char *ca_bundle, *capath;
	int insecure;
	double deadline; /* absolute, on clock_mono()'s clock */
	int retries;     /* per request, 0..CLIENT_MAX_RETRIES */
	long page_size;  /* 1..CLIENT_MAX_PAGE */
	int max_rate;    /* requests started per second, 1..RETRY_MAX_RATE */
	int parallel;    /* requests in flight once TotalCount is known, 1..CLIENT_MAX_PARALLEL */
	const struct api_filters *filters;
	struct client_creds creds;
	const struct client_log *log; /* NULL: quiet */
};

enum client_err {
	CLIENT_OK = 0,
	CLIENT_ERR_TIMEOUT, /* the deadline passed; msg: the last error, or "" */
	CLIENT_ERR_FAILED,  /* msg says why: API error, HTTP status, TLS, malformed, inconsistent */
	CLIENT_ERR_USAGE,   /* bad options */
};

struct client_result {
	long long listed;  /* certificates committed */
	long long total;   /* TotalCount, or -1 when the API gave none */
	long long pages;   /* pages committed */
	long long n_pages; /* pages of the listing, -1 while TotalCount is unknown */
	int requests;      /* requests made, retries included */
	double fetch_time; /* seconds spent listing */
};

/* why (caller-owned, may be NULL) gets one line for the status line after
 * "TENCENTCLOUD_SSL UNKNOWN - " on failure, the last error on a timeout. */
enum client_err client_list(const struct client_opts *o, const struct client_sink *sink,
                            struct client_result *r, struct msg *why);

#endif
