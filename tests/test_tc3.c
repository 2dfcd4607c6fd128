/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TC3-HMAC-SHA256: every vector of tc3_vectors.json byte for byte, plus edges. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "tc3.h"
#include "vectors.h"

static struct tc3_input input_of(const struct vec *v)
{
	struct tc3_input in = {
	    .secret_id = vec_get(v, "secret_id"),
	    .secret_key = vec_get(v, "secret_key"),
	    .timestamp = atoll(vec_get(v, "timestamp")),
	    .host = vec_get(v, "host"),
	    .service = vec_get(v, "service"),
	    .content_type = vec_get(v, "content_type"),
	    .body = (const unsigned char *)vec_get(v, "body"),
	};
	in.body_len = strlen((const char *)in.body);
	return in;
}

static void test_sdk_vectors(void)
{
	static struct vec v[32];
	int n = vec_load("vectors", v, 32);
	ok(n >= 7, "loaded %d SDK vectors", n);
	for (int i = 0; i < n; i++) {
		const char *name = vec_get(&v[i], "name");
		struct tc3_input in = input_of(&v[i]);
		struct tc3_output out;
		is_int(tc3_sign(&in, &out), TC3_OK, "%s: signs", name);
		is_str(out.date, vec_get(&v[i], "utc_date"), "%s: UTC date", name);
		is_str(out.canonical_request, vec_get(&v[i], "canonical_request"),
		       "%s: canonical request", name);
		is_str(out.string_to_sign, vec_get(&v[i], "string_to_sign"), "%s: string to sign",
		       name);
		is_str(out.authorization, vec_get(&v[i], "authorization"), "%s: authorization",
		       name);
	}
}

/* The documentation's examples: the older ones sign content-type;host like we
 * do; the current one signs x-tc-action too, so only its HMAC chain applies. */
static void test_doc_vectors(void)
{
	static struct vec v[8];
	int n = vec_load("doc_vectors", v, 8);
	ok(n >= 3, "loaded %d documentation vectors", n);
	for (int i = 0; i < n; i++) {
		const char *name = vec_get(&v[i], "name");
		const char *signed_headers = vec_get(&v[i], "signed_headers");
		struct tc3_input in = input_of(&v[i]);
		struct tc3_output out;
		if (strcmp(signed_headers, "content-type;host") == 0) {
			is_int(tc3_sign(&in, &out), TC3_OK, "%s: signs", name);
			ok(strstr(out.string_to_sign, vec_get(&v[i], "hashed_canonical_request")) !=
			       NULL,
			   "%s: hashed canonical request", name);
			is_str(out.authorization, vec_get(&v[i], "authorization"),
			       "%s: authorization", name);
		} else {
			char sig[65];
			char date[11] = "";
			const char *sts = vec_get(&v[i], "string_to_sign");
			/* the date follows "TC3-HMAC-SHA256\n<10-digit ts>\n" */
			if (sts && strlen(sts) > 37) snprintf(date, sizeof date, "%.10s", sts + 27);
			is_int(tc3_signature(in.secret_key, date, in.service,
			                     vec_get(&v[i], "string_to_sign"), sig),
			       TC3_OK, "%s: HMAC chain", name);
			is_str(sig, vec_get(&v[i], "signature"), "%s: signature", name);
		}
	}
}

static struct tc3_input base_input(void)
{
	struct tc3_input in = {
	    .secret_id = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE",
	    .secret_key = "Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
	    .timestamp = 1700006399,
	    .host = "ssl.tencentcloudapi.com",
	    .service = "ssl",
	    .content_type = "application/json",
	    .body = (const unsigned char *)"{}",
	    .body_len = 2,
	};
	return in;
}

static void test_edges(void)
{
	struct tc3_input in = base_input();
	struct tc3_output a, b;

	/* 1700006399 is 2023-11-14 23:59:59Z; one second later the date turns. */
	tc3_sign(&in, &a);
	is_str(a.date, "2023-11-14", "last second of a UTC day keeps its date");
	in.timestamp = 1700006400;
	tc3_sign(&in, &b);
	is_str(b.date, "2023-11-15", "UTC midnight starts the next date");
	ok(strstr(b.authorization, "/2023-11-15/ssl/tc3_request") != NULL,
	   "credential scope carries the new date");
	ok(strcmp(a.authorization + 100, b.authorization + 100) != 0, "signature changes with it");

	in = base_input();
	in.body = (const unsigned char *)"";
	in.body_len = 0;
	is_int(tc3_sign(&in, &a), TC3_OK, "empty body signs");
	ok(strstr(a.canonical_request,
	          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") != NULL,
	   "empty body hashes to SHA-256 of nothing");

	/* A body with NUL and non-ASCII bytes is hashed byte for byte. */
	static const unsigned char odd[] = {'{', 0, 0xe6, 0xb5, 0x8b, '}'};
	in.body = odd;
	in.body_len = sizeof odd;
	is_int(tc3_sign(&in, &a), TC3_OK, "binary body signs");
	in.body_len = 1;
	tc3_sign(&in, &b);
	ok(strcmp(a.canonical_request, b.canonical_request) != 0,
	   "bytes after a NUL are part of the hash");

	size_t big = 1u << 20;
	unsigned char *mb = malloc(big);
	memset(mb, 'a', big);
	in.body = mb;
	in.body_len = big;
	is_int(tc3_sign(&in, &a), TC3_OK, "1 MiB body signs");
	/* sha256 of 1 MiB of 'a' */
	ok(strstr(a.canonical_request,
	          "9bc1b2a288b26af7257a36277ae3816a7d4f16e89c1e7e77d0a5c48bad62b360") != NULL,
	   "1 MiB body hash");
	free(mb);

	in = base_input();
	in.host = "127.0.0.1:8443";
	is_int(tc3_sign(&in, &a), TC3_OK, "host with port signs");
	ok(strstr(a.canonical_request, "\nhost:127.0.0.1:8443\n") != NULL,
	   "the port is part of the signed host");

	struct {
		const char *what;
		struct tc3_input in;
	} bad[] = {
	    {"no secret id", base_input()},    {"empty key", base_input()},
	    {"newline in host", base_input()}, {"space in id", base_input()},
	    {"negative time", base_input()},
	};
	bad[0].in.secret_id = NULL;
	bad[1].in.secret_key = "";
	bad[2].in.host = "a\nb";
	bad[3].in.secret_id = "AKID x";
	bad[4].in.timestamp = -1;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		is_int(tc3_sign(&bad[i].in, &a), TC3_ERR_INPUT, "rejects %s", bad[i].what);
}

int main(void)
{
	test_sdk_vectors();
	test_doc_vectors();
	test_edges();
	return tap_done();
}
