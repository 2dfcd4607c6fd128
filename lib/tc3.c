/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tc3.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <mbedtls/md.h>

#include "hex.h"
#include "secret.h"

static int hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	if (!md) return -1;
	return mbedtls_md_hmac(md, key, klen, (const unsigned char *)msg, strlen(msg), out);
}

/* Header values go into signed text: refuse anything that could forge a line. */
static int field_ok(const char *s, size_t max)
{
	if (!s) return 0;
	size_t n = strnlen(s, max);
	if (n == 0 || n >= max) return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x21 || s[i] == 0x7f) return 0;
	return 1;
}

enum tc3_err tc3_signature(const char *secret_key, const char *date, const char *service,
                           const char *string_to_sign, char out_hex[65])
{
	unsigned char k_date[32], k_service[32], k_signing[32], sig[32];
	char key0[TC3_MAX_FIELD + 4];
	enum tc3_err rc = TC3_ERR_CRYPTO;
	int n = snprintf(key0, sizeof key0, "TC3%s", secret_key);

	if (n < 0 || (size_t)n >= sizeof key0) {
		secret_wipe(key0, sizeof key0);
		return TC3_ERR_INPUT;
	}
	if (hmac(key0, (size_t)n, date, k_date) == 0 && hmac(k_date, 32, service, k_service) == 0 &&
	    hmac(k_service, 32, "tc3_request", k_signing) == 0 &&
	    hmac(k_signing, 32, string_to_sign, sig) == 0) {
		hex_encode(sig, 32, out_hex);
		rc = TC3_OK;
	}
	secret_wipe(key0, sizeof key0);
	secret_wipe(k_date, sizeof k_date);
	secret_wipe(k_service, sizeof k_service);
	secret_wipe(k_signing, sizeof k_signing);
	secret_wipe(sig, sizeof sig);
	return rc;
}

enum tc3_err tc3_sign(const struct tc3_input *in, struct tc3_output *out)
{
	char body_hash[65], cr_hash[65], sig_hex[65];
	enum tc3_err rc;
	struct tm tm;
	time_t ts = (time_t)in->timestamp;

	if (!field_ok(in->secret_id, TC3_MAX_FIELD) || !field_ok(in->secret_key, TC3_MAX_FIELD) ||
	    !field_ok(in->host, TC3_MAX_HOST) || !field_ok(in->service, 64) || !in->content_type ||
	    strnlen(in->content_type, TC3_MAX_FIELD) >= TC3_MAX_FIELD ||
	    strchr(in->content_type, '\n') || (!in->body && in->body_len) || in->timestamp < 0 ||
	    !gmtime_r(&ts, &tm))
		return TC3_ERR_INPUT;
	if (strftime(out->date, sizeof out->date, "%Y-%m-%d", &tm) != 10) return TC3_ERR_INPUT;

	if (hex_sha256(in->body ? (const void *)in->body : "", in->body_len, body_hash) != 0)
		return TC3_ERR_CRYPTO;
	int n = snprintf(out->canonical_request, sizeof out->canonical_request,
	                 "POST\n/\n\ncontent-type:%s\nhost:%s\n\ncontent-type;host\n%s",
	                 in->content_type, in->host, body_hash);
	if (n < 0 || (size_t)n >= sizeof out->canonical_request) return TC3_ERR_INPUT;
	if (hex_sha256(out->canonical_request, (size_t)n, cr_hash) != 0) return TC3_ERR_CRYPTO;
	n = snprintf(out->string_to_sign, sizeof out->string_to_sign,
	             "TC3-HMAC-SHA256\n%lld\n%s/%s/tc3_request\n%s", in->timestamp, out->date,
	             in->service, cr_hash);
	if (n < 0 || (size_t)n >= sizeof out->string_to_sign) return TC3_ERR_INPUT;

	rc = tc3_signature(in->secret_key, out->date, in->service, out->string_to_sign, sig_hex);
	if (rc == TC3_OK) {
		n = snprintf(out->authorization, sizeof out->authorization,
		             "TC3-HMAC-SHA256 Credential=%s/%s/%s/tc3_request, "
		             "SignedHeaders=content-type;host, Signature=%s",
		             in->secret_id, out->date, in->service, sig_hex);
		if (n < 0 || (size_t)n >= sizeof out->authorization) rc = TC3_ERR_INPUT;
	}
	secret_wipe(sig_hex, sizeof sig_hex);
	return rc;
}
