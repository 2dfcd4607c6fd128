/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TC3-HMAC-SHA256 request signing (Tencent Cloud API 3.0), SHA-256 and HMAC
 * from mbedTLS. Signs content-type;host only, as the official SDKs do. */
#ifndef TC_TC3_H
#define TC_TC3_H

#include <stddef.h>

#define TC3_MAX_HOST      300 /* host[:port] */
#define TC3_MAX_FIELD     256 /* secret id/key, service, content type */
#define TC3_MAX_CANONICAL 1024
#define TC3_MAX_AUTH      512

struct tc3_input {
	const char *secret_id, *secret_key;
	long long timestamp;      /* X-TC-Timestamp, seconds since the epoch */
	const char *host;         /* as sent in the Host header: host[:port] */
	const char *service;      /* "ssl" */
	const char *content_type; /* "application/json" */
	const unsigned char *body;
	size_t body_len;
};

struct tc3_output {
	char date[11]; /* UTC date of the timestamp, YYYY-MM-DD */
	char canonical_request[TC3_MAX_CANONICAL];
	char string_to_sign[TC3_MAX_CANONICAL];
	char authorization[TC3_MAX_AUTH]; /* secret: never log it */
};

enum tc3_err { TC3_OK = 0, TC3_ERR_INPUT, TC3_ERR_CRYPTO };

/* Fills out; intermediate keys are wiped before it returns. */
enum tc3_err tc3_sign(const struct tc3_input *in, struct tc3_output *out);

/* The HMAC chain alone: kDate, kService, kSigning, then the signature of
 * string_to_sign as lowercase hex (for vectors that sign other headers). */
enum tc3_err tc3_signature(const char *secret_key, const char *date, const char *service,
                           const char *string_to_sign, char out_hex[65]);

#endif
