/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One small HTTP exchange with libcurl's easy interface, for the calls around
 * the listing (CVM metadata, STS AssumeRole): a capped body in memory, one
 * timeout, no redirects, http and https only. The listing itself has its own
 * transport (client.h). */
#ifndef TC_HTTPCALL_H
#define TC_HTTPCALL_H

#include <stddef.h>

#include "msg.h"

#define HTTPCALL_MAX_BODY (64 * 1024) /* default cap of an answer */

struct httpcall_req {
	const char *url;
	const char *const *headers; /* "Name: value" lines, NULL-terminated, or NULL */
	const char *body;           /* POST when non-NULL, else GET */
	size_t body_len;
	double timeout;            /* seconds for the whole exchange, > 0 */
	const char *cacert;        /* NULL: the system store */
	int insecure;              /* skip TLS verification */
	const char *proxy;         /* NULL: libcurl's environment handling */
	const char *proxy_userpwd; /* user:password for the proxy, or NULL */
	int no_proxy;              /* never through any proxy (the metadata service) */
	size_t max_body;           /* 0: HTTPCALL_MAX_BODY */
};

struct httpcall_resp {
	long status; /* 0 when no answer arrived */
	char *body;  /* NUL-terminated, malloc'd; NULL when none */
	size_t len;
	int curl_code; /* the CURLcode, for retry_should() */
};

enum httpcall_err {
	HTTPCALL_OK = 0,      /* an answer arrived, whatever its status */
	HTTPCALL_ERR_TIMEOUT, /* no complete answer within the timeout */
	HTTPCALL_ERR_CONNECT, /* refused, unreachable, DNS, TLS, dropped */
	HTTPCALL_ERR_TOOBIG,  /* the answer passed max_body */
	HTTPCALL_ERR_SETUP,   /* out of memory, libcurl refused an option */
};

/* why says what failed, naming the host, never a header value. */
enum httpcall_err httpcall(const struct httpcall_req *rq, struct httpcall_resp *rs,
                           struct msg *why);
/* Wipes and frees the body (it may hold temporary credentials). */
void httpcall_free(struct httpcall_resp *rs);

#endif
