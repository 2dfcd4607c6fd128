/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signreq.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "secret.h"
#include "tc3.h"

void signreq_free(struct signreq *q)
{
	for (struct curl_slist *h = q->hdr; h; h = h->next)
		secret_wipe(h->data, strlen(h->data));
	curl_slist_free_all(q->hdr);
	q->hdr = NULL;
}

static int add_header(struct signreq *q, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int add_header(struct signreq *q, const char *fmt, ...)
{
	char line[CREDS_MAX_TOKEN + 64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	struct curl_slist *l =
	    n < 0 || (size_t)n >= sizeof line ? NULL : curl_slist_append(q->hdr, line);
	secret_wipe(line, sizeof line);
	if (!l) return -1;
	q->hdr = l;
	return 0;
}

static void keep_signature(struct signreq *q, const char *authorization)
{
	const char *v = strstr(authorization, "Signature=");
	snprintf(q->sig, sizeof q->sig, "%s", v ? v + 10 : "");
}

enum client_err signreq_build(struct signreq *q, const struct client_opts *o, long long offset,
                              struct msg *why)
{
	struct api_filters nofilters;
	const struct api_filters *f = o->filters;
	if (!f) {
		req_filters_init(&nofilters);
		f = &nofilters;
	}
	signreq_free(q);
	if (req_body(f, offset, o->page_size, q->body, sizeof q->body, &q->body_len) != 0) {
		msg_set(why, "request body too large");
		return CLIENT_ERR_USAGE;
	}
	struct tc3_output sig;
	long long ts = (long long)time(NULL);
	struct tc3_input in = {
	    .secret_id = o->creds.secret_id,
	    .secret_key = o->creds.secret_key,
	    .timestamp = ts,
	    .host = o->ep.host,
	    .service = "ssl",
	    .content_type = "application/json",
	    .body = (const unsigned char *)q->body,
	    .body_len = q->body_len,
	};
	if (tc3_sign(&in, &sig) != TC3_OK) {
		secret_wipe(&sig, sizeof sig);
		msg_set(why, "cannot sign the request");
		return CLIENT_ERR_FAILED;
	}
	int bad = 0;
	bad |= add_header(q, "Content-Type: application/json");
	bad |= add_header(q, "Host: %s", o->ep.host);
	bad |= add_header(q, "X-TC-Action: DescribeCertificates");
	bad |= add_header(q, "X-TC-Version: 2019-12-05");
	bad |= add_header(q, "X-TC-Timestamp: %lld", ts);
	if (o->creds.token) bad |= add_header(q, "X-TC-Token: %s", o->creds.token);
	if (o->region) bad |= add_header(q, "X-TC-Region: %s", o->region);
	if (o->language) bad |= add_header(q, "X-TC-Language: %s", o->language);
	bad |= add_header(q, "Authorization: %s", sig.authorization);
	bad |= add_header(q, "Expect:");
	keep_signature(q, sig.authorization);
	secret_wipe(&sig, sizeof sig);
	if (bad) {
		signreq_free(q);
		msg_set(why, "out of memory");
		return CLIENT_ERR_FAILED;
	}
	return CLIENT_OK;
}
