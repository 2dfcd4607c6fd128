/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Builds and signs one DescribeCertificates request: the body of a page and
 * its header lines (TC3-HMAC-SHA256), as a curl_slist the transport hands to
 * libcurl. Nothing here sets a curl option or does I/O. */
#ifndef TC_SIGNREQ_H
#define TC_SIGNREQ_H

#include <stddef.h>

#include "client.h"
#include "msg.h"

struct curl_slist;

#define SIGNREQ_SIG_HEX 65 /* the Signature hex of Authorization, NUL included */

struct signreq {
	char body[REQ_MAX_BODY];
	size_t body_len;
	struct curl_slist *hdr;    /* holds Authorization and X-TC-Token: signreq_free wipes it */
	char sig[SIGNREQ_SIG_HEX]; /* kept so that an echo of it can be redacted */
};

/* The request for the page at offset; CLIENT_ERR_USAGE when the body does not
 * fit, CLIENT_ERR_FAILED when signing or memory fails (why says which). */
enum client_err signreq_build(struct signreq *q, const struct client_opts *o, long long offset,
                              struct msg *why);
void signreq_free(struct signreq *q);

#endif
