/* The API client: lists every certificate with DescribeCertificates, page by
 * page (libcurl multi, keep-alive, --parallel pages once TotalCount is known),
 * with retries, a request-rate limit and one deadline for the whole listing.
 * Certificates stream to a sink; a page that fails is discarded and fetched
 * again, a listing that comes back inconsistent is restarted once. */
#ifndef TC_CLIENT_H
#define TC_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "request.h"
#include "response.h"
#include "sink.h"

struct client_creds {
	const char *secret_id, *secret_key; /* required */
	const char *token;                  /* X-TC-Token, or NULL */
};

/* Logging at -v levels goes through this, never straight to stderr, and never
 * carries a secret. level: 1 = -v, 2 = -vv, 3 = -vvv. */
typedef void (*client_log_fn)(void *ctx, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

struct client_opts {
	const char *endpoint; /* https://host[:port] or http://host[:port], no path */
	const char *region, *language, *cacert, *proxy; /* NULL when not given */
	int insecure;
	double deadline; /* absolute, on clock_mono()'s clock */
	int retries;     /* per request */
	long page_size;  /* 1..1000 */
	int max_rate;    /* requests started per second */
	int parallel;    /* requests in flight once TotalCount is known */
	const struct api_filters *filters;
	struct client_creds creds;
	client_log_fn log;
	void *log_ctx;
	int verbose;
};

enum client_err {
	CLIENT_OK = 0,
	CLIENT_ERR_TIMEOUT, /* the deadline passed */
	CLIENT_ERR_FAILED, /* message says why: API error, HTTP status, TLS, malformed, inconsistent
	                    */
	CLIENT_ERR_USAGE,  /* bad endpoint URL or options */
};

struct client_result {
	long long listed;  /* certificates committed */
	long long total;   /* TotalCount, or -1 when the API gave none */
	int requests;      /* requests made, retries included */
	double fetch_time; /* seconds spent listing */
	char message[512]; /* one line, after "TENCENTCLOUD_SSL UNKNOWN - " */
};

/* Parses an --endpoint value; on success host_port receives the host[:port]
 * that is signed and sent as Host. 0 on success, -1 with message on error. */
int client_endpoint_host(const char *endpoint, char *host_port, size_t cap, char *message,
                         size_t msgcap);

enum client_err client_list(const struct client_opts *o, const struct client_sink *sink,
                            struct client_result *r);

/* ---- small pure pieces, exposed for the unit tests ---- */

#define CLIENT_MAX_RATE     1000 /* --max-rate (retry.h sizes its window to it) */
#define CLIENT_MAX_PARALLEL 32   /* --parallel */
#define CLIENT_MAX_PAGE     1000 /* --page-size */
#define CLIENT_MAX_RETRIES  100  /* --retries */

#endif
