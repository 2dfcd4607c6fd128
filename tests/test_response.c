/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Tests of the streaming response parser: every message, wrong types, caps, and
 * the same page fed in every chunking giving the same certificates. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "evaluate.h"
#include "jscan.h"
#include "json.h"
#include "resp_fields.h"
#include "response.h"
#include "thresholds.h"
#include "tap.h"

static struct resp_parser parser; /* 64 KiB: not on the stack */

/* What the callback saw: one decoded line per certificate, and a hash of the raw bytes. */
struct seen {
	char *text;
	size_t len, cap;
	uint64_t raw_hash;
	size_t n;
	size_t abort_at; /* return non-zero on this certificate (1-based), 0 = never */
};

static void put(struct seen *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->cap = (s->len + n + 1) * 2;
		s->text = realloc(s->text, s->cap);
		if (!s->text) abort();
	}
	memcpy(s->text + s->len, p, n);
	s->len += n;
	s->text[s->len] = '\0';
}

static void put_view(struct seen *s, struct tc_view v)
{
	char buf[1024];
	if (!v.p) {
		put(s, "(null)", 6);
		return;
	}
	size_t n = json_unescape(v, buf, sizeof buf);
	put(s, buf, n);
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static int on_cert(void *ctx, const struct resp_cert *c)
{
	struct seen *s = ctx;
	char num[32];
	s->n++;
	put_view(s, c->id);
	put(s, "\t", 1);
	put_view(s, c->domain);
	put(s, "\t", 1);
	put_view(s, c->alias);
	snprintf(num, sizeof num, "\t%ld\t", c->status);
	put(s, num, strlen(num));
	put_view(s, c->begin_time);
	put(s, "\t", 1);
	put_view(s, c->end_time);
	put(s, "\t", 1);
	for (size_t i = 0; i < c->n_san; i++) {
		if (i) put(s, ",", 1);
		put_view(s, c->san[i]);
	}
	put(s, "\t", 1);
	for (size_t i = 0; i < c->n_bound; i++) {
		if (i) put(s, ",", 1);
		put_view(s, c->bound[i]);
	}
	put(s, "\t", 1);
	put_view(s, c->replaced_by);
	snprintf(num, sizeof num, "\t%d\t%d\n", c->is_ignore, c->is_expiring);
	put(s, num, strlen(num));
	s->raw_hash = fnv(s->raw_hash ^ 0x9e37, c->raw.p, c->raw.n);
	return s->abort_at && s->n == s->abort_at;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Feeds body in chunks: chunk 0 = whole, 1 = one byte at a time, -1 = random sizes. */
static enum resp_err run(const char *body, size_t len, long chunk, struct seen *s)
{
	enum resp_err e = RESP_OK;
	size_t off = 0;
	free(s->text);
	size_t abort_at = s->abort_at;
	memset(s, 0, sizeof *s);
	s->abort_at = abort_at;
	put(s, "", 0);
	resp_init(&parser, on_cert, s);
	while (off < len && !e) {
		size_t n = len - off;
		if (chunk > 0 && (size_t)chunk < n) n = (size_t)chunk;
		if (chunk < 0) {
			size_t r = (size_t)(rnd() % 4 == 0 ? rnd() % 4000 : rnd() % 40) + 1;
			if (r < n) n = r;
		}
		e = resp_feed(&parser, body + off, n);
		off += n;
	}
	if (!e) e = resp_finish(&parser);
	return e;
}

/* Feeds body as [0, a), [a, b), [b, len): two cuts, or one with b == len. */
static enum resp_err run_cuts(const char *body, size_t len, size_t a, size_t b, struct seen *s)
{
	free(s->text);
	memset(s, 0, sizeof *s);
	put(s, "", 0);
	resp_init(&parser, on_cert, s);
	enum resp_err e = resp_feed(&parser, body, a);
	if (!e && b > a) e = resp_feed(&parser, body + a, b - a);
	if (!e && len > b) e = resp_feed(&parser, body + b, len - b);
	return e ? e : resp_finish(&parser);
}

static char *read_file(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	snprintf(path, sizeof path, "%s/tests/data/responses/%s", top ? top : ".", name);
	FILE *f = fopen(path, "rb");
	if (!f) return NULL;
	char *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	buf[*len] = '\0';
	fclose(f);
	return buf;
}

#define R            "{\"Response\":{"
#define DEEP10       "[[[[[[[[[["
#define CLOSE10      "]]]]]]]]]]"
#define DEEP62       DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 "[["
#define DEEP63       DEEP62 "["
#define CLOSE62      CLOSE10 CLOSE10 CLOSE10 CLOSE10 CLOSE10 CLOSE10 "]]"
#define CERT(fields) "{\"CertificateId\":\"abc\"" fields "}"
#define PAGE(certs)  R "\"TotalCount\":1,\"Certificates\":[" certs "],\"RequestId\":\"r-1\"}}"

struct tcase {
	const char *name;
	const char *body;
	enum resp_err err;
	const char *msg; /* exact, or a prefix when it ends with '*' */
	size_t n;        /* certificates handed over */
};

static const struct tcase cases[] = {
    {"empty body", "", RESP_ERR_MALFORMED, "malformed response: empty body", 0},
    {"whitespace body", " \r\n\t ", RESP_ERR_MALFORMED, "malformed response: empty body", 0},
    {"html page", "<html><body>502 Bad Gateway</body></html>", RESP_ERR_MALFORMED,
     "malformed response: not JSON", 0},
    {"array root", "  [1]", RESP_ERR_MALFORMED, "malformed response: not JSON", 0},
    {"cut after key", R, RESP_ERR_MALFORMED, "malformed response: truncated body", 0},
    {"cut after colon", "{\"Response\":", RESP_ERR_MALFORMED, "malformed response: truncated body",
     0},
    {"cut in string", R "\"Certificates\":[{\"CertificateId\":\"ab", RESP_ERR_MALFORMED,
     "malformed response: truncated body", 0},
    {"cut after a certificate", R "\"Certificates\":[" CERT("") ",", RESP_ERR_MALFORMED,
     "malformed response: truncated body", 1},
    {"cut in a number", R "\"TotalCount\":12", RESP_ERR_MALFORMED,
     "malformed response: truncated body", 0},
    {"trailing garbage", PAGE(CERT("")) "x", RESP_ERR_MALFORMED,
     "malformed response: trailing garbage after the root object at byte 88", 1},
    {"second object", PAGE("") "{}", RESP_ERR_MALFORMED,
     "malformed response: trailing garbage after the root object*", 0},
    {"trailing newline ok", PAGE(CERT("")) "\r\n", RESP_OK, NULL, 1},
    {"empty account", R "\"TotalCount\":0,\"Certificates\":[],\"RequestId\":\"r\"}}", RESP_OK, NULL,
     0},
    {"null list", R "\"TotalCount\":3,\"Certificates\":null,\"RequestId\":\"r\"}}",
     RESP_ERR_NO_LIST, "response has no certificate list", 0},
    {"missing list", R "\"TotalCount\":0,\"RequestId\":\"r\"}}", RESP_ERR_NO_LIST,
     "response has no certificate list", 0},
    {"list is an object", R "\"Certificates\":{\"a\":[1]}}}", RESP_ERR_NO_LIST,
     "response has no certificate list", 0},
    {"list is a string", R "\"Certificates\":\"[]\"}}", RESP_ERR_NO_LIST,
     "response has no certificate list", 0},
    {"duplicate list", R "\"Certificates\":[],\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: duplicate Certificates", 0},
    {"list outside Response ignored",
     "{\"Other\":{\"Certificates\":[" CERT("") "]},\"Response\":{\"Certificates\":[]}}", RESP_OK,
     NULL, 0},
    {"list deeper in Response ignored",
     R "\"X\":{\"Certificates\":[" CERT("") "]},\"Certificates\":[" CERT("") "]}}", RESP_OK, NULL,
     1},
    {"no Response", "{\"Foo\":{\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: no Response object", 0},
    {"empty root", "{}", RESP_ERR_MALFORMED, "malformed response: no Response object", 0},
    {"Response near miss", "{\"ResponseX\":{\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: no Response object", 0},
    {"Response array", "{\"Response\":[]}", RESP_ERR_MALFORMED,
     "malformed response: Response is not an object", 0},
    {"Response null", "{\"Response\":null}", RESP_ERR_MALFORMED,
     "malformed response: Response is not an object", 0},
    {"duplicate Response", "{\"Response\":{\"Certificates\":[]},\"Response\":{}}",
     RESP_ERR_MALFORMED, "malformed response: duplicate Response", 0},
    {"TotalCount null", R "\"TotalCount\":null,\"Certificates\":[]}}", RESP_OK, NULL, 0},
    {"TotalCount string", R "\"TotalCount\":\"5\",\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: TotalCount is not a number", 0},
    {"TotalCount negative", R "\"TotalCount\":-1,\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: TotalCount is not a number", 0},
    {"TotalCount fraction", R "\"TotalCount\":1.5,\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: TotalCount is not a number", 0},
    {"TotalCount huge", R "\"TotalCount\":99999999999999999999,\"Certificates\":[]}}",
     RESP_ERR_MALFORMED, "malformed response: TotalCount is not a number", 0},
    {"TotalCount object", R "\"TotalCount\":{},\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: TotalCount is not a number", 0},
    {"TotalCount true", R "\"TotalCount\":true,\"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: TotalCount is not a number", 0},
    {"keys in any order",
     R "\"RequestId\":\"r\",\"Certificates\":[" CERT("") "," CERT("") "],\"TotalCount\":2}}",
     RESP_OK, NULL, 2},
    {"API error",
     R "\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"The "
       "provided credentials could not be validated.\"},\"RequestId\":\"ab-12\"}}",
     RESP_ERR_API,
     "API error AuthFailure.SignatureFailure: The provided credentials could not be validated. "
     "(RequestId ab-12)",
     0},
    {"API error, RequestId first, message cleaned",
     R "\"RequestId\":\"id\\u002d7\",\"Error\":{\"Message\":\"bad \\u4f60|x;y\\nz\\\"q\\\"\","
       "\"Code\":\"InvalidParameter\",\"Extra\":[{}]}}}",
     RESP_ERR_API, "API error InvalidParameter: bad \xe4\xbd\xa0_x_y_z\"q\" (RequestId id-7)", 0},
    {"API error without RequestId", R "\"Error\":{\"Code\":\"InternalError\"}}}", RESP_ERR_API,
     "API error InternalError", 0},
    {"API error wins over a null list",
     R "\"TotalCount\":null,\"Certificates\":null,\"Error\":{\"Code\":\"RequestLimitExceeded\","
       "\"Message\":\"slow down\"},\"RequestId\":\"q\"}}",
     RESP_ERR_API, "API error RequestLimitExceeded: slow down (RequestId q)", 0},
    {"Error null", R "\"Error\":null,\"Certificates\":[]}}", RESP_OK, NULL, 0},
    {"Error string", R "\"Error\":\"boom\"}}", RESP_ERR_MALFORMED,
     "malformed response: Error is not an object", 0},
    {"Error number", R "\"Error\":5}}", RESP_ERR_MALFORMED,
     "malformed response: Error is not an object", 0},
    {"Error without Code", R "\"Error\":{\"Message\":\"m\"}}}", RESP_ERR_MALFORMED,
     "malformed response: Error without a Code string", 0},
    {"Error Code number", R "\"Error\":{\"Code\":5}}}", RESP_ERR_MALFORMED,
     "malformed response: Error without a Code string", 0},
    {"mismatched bracket", R "\"X\":[1}}", RESP_ERR_MALFORMED,
     "malformed response: mismatched '}' at byte 19", 0},
    {"mismatched brace", R "\"X\":{\"a\":1]}}", RESP_ERR_MALFORMED,
     "malformed response: mismatched ']'*", 0},
    {"close in array start", R "\"Certificates\":[}}", RESP_ERR_MALFORMED,
     "malformed response: unexpected '}' at byte 29", 0},
    {"trailing comma", R "\"X\":[1,]}}", RESP_ERR_MALFORMED, "malformed response: unexpected ']'*",
     0},
    {"trailing comma object", R "\"X\":1,}}", RESP_ERR_MALFORMED,
     "malformed response: unexpected '}'*", 0},
    {"missing comma", R "\"TotalCount\":1 \"Certificates\":[]}}", RESP_ERR_MALFORMED,
     "malformed response: unexpected '\"'*", 0},
    {"missing colon", R "\"TotalCount\" 1}}", RESP_ERR_MALFORMED, "malformed response: unexpected*",
     0},
    {"number key", "{1:2}", RESP_ERR_MALFORMED, "malformed response: unexpected '1' at byte 1", 0},
    {"bad literal", R "\"X\":tru}}", RESP_ERR_MALFORMED,
     "malformed response: bad literal or number at byte 17", 0},
    {"leading zero", R "\"X\":01}}", RESP_ERR_MALFORMED, "malformed response: bad literal*", 0},
    {"bare minus", R "\"X\":-}}", RESP_ERR_MALFORMED, "malformed response: bad literal*", 0},
    {"long number", R "\"X\":1111111111111111111111111111111111111111111111111111111111111111111}}",
     RESP_ERR_MALFORMED, "malformed response: bad literal*", 0},
    {"bad escape", R "\"X\":\"a\\qb\"}}", RESP_ERR_MALFORMED,
     "malformed response: bad escape in a string at byte 20", 0},
    {"bad \\u", R "\"X\":\"\\u12G4\"}}", RESP_ERR_MALFORMED,
     "malformed response: bad \\u escape in a string*", 0},
    {"short \\u", R "\"X\":\"\\u12\"}}", RESP_ERR_MALFORMED,
     "malformed response: bad \\u escape in a string*", 0},
    {"raw newline in string", R "\"X\":\"a\nb\"}}", RESP_ERR_MALFORMED,
     "malformed response: control character in a string at byte 19", 0},
    {"binary byte", R "\x01}}", RESP_ERR_MALFORMED,
     "malformed response: unexpected 0x01 at byte 13", 0},
    {"too deep", R "\"X\":" DEEP63, RESP_ERR_MALFORMED,
     "malformed response: nesting deeper than 64", 0},
    {"deep but fine", R "\"X\":" DEEP62 CLOSE62 ",\"Certificates\":[]}}", RESP_OK, NULL, 0},
    {"strings with escapes and brackets",
     PAGE(CERT(",\"Domain\":\"a\\\\\",\"Alias\":\"b\\\"\",\"X\":\"}]{[\\\\\\\"\",\"Y\":[\"]\"]")),
     RESP_OK, NULL, 1},
    {"certificate not an object", PAGE(CERT("") ",1"), RESP_ERR_MALFORMED,
     "malformed response: certificate 2 is not an object", 1},
    {"certificate null", PAGE("null"), RESP_ERR_MALFORMED,
     "malformed response: certificate 1 is not an object", 0},
    {"certificate array", PAGE("[]"), RESP_ERR_MALFORMED,
     "malformed response: certificate 1 is not an object", 0},
    {"no CertificateId", PAGE("{\"Domain\":\"x\"}"), RESP_ERR_MALFORMED,
     "malformed response: certificate without CertificateId", 0},
    {"empty CertificateId", PAGE("{\"CertificateId\":\"\"}"), RESP_ERR_MALFORMED,
     "malformed response: certificate without CertificateId", 0},
    {"CertificateId number", PAGE("{\"CertificateId\":5}"), RESP_ERR_MALFORMED,
     "malformed response: certificate without CertificateId", 0},
    {"CertificateId null", PAGE("{\"CertificateId\":null}"), RESP_ERR_MALFORMED,
     "malformed response: certificate without CertificateId", 0},
    {"nested CertificateId does not count", PAGE("{\"ProjectInfo\":{\"CertificateId\":\"x\"}}"),
     RESP_ERR_MALFORMED, "malformed response: certificate without CertificateId", 0},
    {"Domain number", PAGE(CERT(",\"Domain\":5")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: Domain is not a string", 0},
    {"Alias object", PAGE(CERT(",\"Alias\":{}")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: Alias is not a string", 0},
    {"CertBeginTime array", PAGE(CERT(",\"CertBeginTime\":[]")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: CertBeginTime is not a string", 0},
    {"CertEndTime true", PAGE(CERT(",\"CertEndTime\":true")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: CertEndTime is not a string", 0},
    {"Status string", PAGE(CERT(",\"Status\":\"1\"")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: Status is not a number", 0},
    {"Status fraction", PAGE(CERT(",\"Status\":1.5")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: Status is not a number", 0},
    {"Status negative", PAGE(CERT(",\"Status\":-1")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: Status is not a number", 0},
    {"Status bool, id after", PAGE("{\"Status\":false,\"CertificateId\":\"z|z\"}"),
     RESP_ERR_MALFORMED, "malformed response: certificate z_z: Status is not a number", 0},
    {"SubjectAltName numbers", PAGE(CERT(",\"SubjectAltName\":[\"a\",1]")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: SubjectAltName is not an array of strings", 0},
    {"SubjectAltName string", PAGE(CERT(",\"SubjectAltName\":\"a\"")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: SubjectAltName is not an array of strings", 0},
    {"SubjectAltName nested", PAGE(CERT(",\"SubjectAltName\":[[\"a\"]]")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: SubjectAltName is not an array of strings", 0},
    {"BoundResource object", PAGE(CERT(",\"BoundResource\":{}")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: BoundResource is not an array of strings", 0},
    {"IsIgnore number", PAGE(CERT(",\"IsIgnore\":1")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: IsIgnore is not a boolean", 0},
    {"IsExpiring string", PAGE(CERT(",\"IsExpiring\":\"true\"")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: IsExpiring is not a boolean", 0},
    {"CertificateExtra array", PAGE(CERT(",\"CertificateExtra\":[]")), RESP_ERR_MALFORMED,
     "malformed response: certificate abc: CertificateExtra is not an object", 0},
    {"ReplacedBy number", PAGE(CERT(",\"CertificateExtra\":{\"ReplacedBy\":5}")),
     RESP_ERR_MALFORMED,
     "malformed response: certificate abc: CertificateExtra.ReplacedBy is not a string", 0},
    {"nulls everywhere",
     PAGE(CERT(",\"Domain\":null,\"Alias\":null,\"CertBeginTime\":null,\"CertEndTime\":null,"
               "\"Status\":null,\"SubjectAltName\":null,\"BoundResource\":null,\"IsIgnore\":null,"
               "\"IsExpiring\":null,\"CertificateExtra\":null")),
     RESP_OK, NULL, 1},
    {"duplicate CertEndTime",
     PAGE(CERT(",\"CertEndTime\":\"2030-01-01 00:00:00\",\"CertEndTime\":\"2020-01-01 00:00:00\"")),
     RESP_ERR_MALFORMED, "malformed response: duplicate member CertEndTime in certificate abc", 0},
    {"duplicate CertEndTime, other order",
     PAGE(CERT(",\"CertEndTime\":\"2020-01-01 00:00:00\",\"CertEndTime\":\"2030-01-01 00:00:00\"")),
     RESP_ERR_MALFORMED, "malformed response: duplicate member CertEndTime in certificate abc", 0},
    {"duplicate CertificateId",
     PAGE("{\"CertificateId\":\"a|1\",\"Domain\":\"d\",\"CertificateId\":\"b\"}"),
     RESP_ERR_MALFORMED, "malformed response: duplicate member CertificateId in certificate a_1",
     0},
    {"duplicate before the id", PAGE("{\"Status\":1,\"Status\":3,\"CertificateId\":\"late\"}"),
     RESP_ERR_MALFORMED, "malformed response: duplicate member Status in certificate late", 0},
    {"duplicate null counts", PAGE(CERT(",\"IsIgnore\":null,\"IsIgnore\":true")),
     RESP_ERR_MALFORMED, "malformed response: duplicate member IsIgnore in certificate abc", 0},
    {"duplicate of a wrong type counts", PAGE(CERT(",\"SubjectAltName\":[],\"SubjectAltName\":{}")),
     RESP_ERR_MALFORMED, "malformed response: duplicate member SubjectAltName in certificate abc",
     0},
    {"duplicate ReplacedBy",
     PAGE(CERT(",\"CertificateExtra\":{\"ReplacedBy\":null,\"X\":1,\"ReplacedBy\":\"n\"}")),
     RESP_ERR_MALFORMED,
     "malformed response: duplicate member CertificateExtra.ReplacedBy in certificate abc", 0},
    {"duplicate by the kept key", PAGE(CERT(",\"CertEndTime\":\"x\",\"4\":\"y\"")),
     RESP_ERR_MALFORMED, "malformed response: duplicate member CertEndTime in certificate abc", 0},
    {"duplicate TotalCount", R "\"TotalCount\":1,\"Certificates\":[],\"TotalCount\":2}}",
     RESP_ERR_MALFORMED, "malformed response: duplicate member TotalCount in Response", 0},
    {"duplicate RequestId", R "\"RequestId\":\"a\",\"Certificates\":[],\"RequestId\":\"b\"}}",
     RESP_ERR_MALFORMED, "malformed response: duplicate member RequestId in Response", 0},
    {"duplicate Error.Code", R "\"Error\":{\"Code\":\"A\",\"Code\":\"B\"}}}", RESP_ERR_MALFORMED,
     "malformed response: duplicate member Error.Code in Response", 0},
    {"duplicate members not read are fine",
     PAGE(CERT(",\"Tags\":[],\"Tags\":[1],\"ProjectInfo\":{\"Status\":1,\"Status\":2}")), RESP_OK,
     NULL, 1},
    {"the same member in two certificates is fine",
     PAGE(CERT(",\"Status\":1") "," CERT(",\"Status\":1")), RESP_OK, NULL, 2},
    {"unknown fields of any type",
     PAGE(CERT(",\"Tags\":[{\"TagKey\":\"k\",\"TagValue\":[1,{\"Domain\":5}]}],\"N\":-1.5e+3,"
               "\"ProjectInfo\":{\"Status\":\"x\",\"SubjectAltName\":7}")),
     RESP_OK, NULL, 1},
};

static void table(void)
{
	struct seen s = {0}, one = {0};
	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		const struct tcase *t = &cases[k];
		size_t len = strlen(t->body);
		enum resp_err e = run(t->body, len, 0, &s);
		const char *msg = resp_message(&parser);
		is_int(e, t->err, "%s: error code", t->name);
		if (t->msg) {
			size_t n = strlen(t->msg);
			if (t->msg[n - 1] == '*')
				ok(strncmp(msg, t->msg, n - 1) == 0 && !strchr(msg, '\n'),
				   "%s: message \"%s\"", t->name, msg);
			else
				is_str(msg, t->msg, "%s: message", t->name);
		}
		is_int(s.n, t->n, "%s: certificates", t->name);
		is_int(resp_get_summary(&parser)->n_certs, t->n, "%s: n_certs", t->name);
		if (t->msg && strstr(t->msg, "truncated"))
			ok(resp_get_summary(&parser)->truncated, "%s: truncated flag", t->name);
		else
			ok(!resp_get_summary(&parser)->truncated, "%s: no truncated flag", t->name);
		/* one byte at a time: same outcome */
		char saved[512];
		snprintf(saved, sizeof saved, "%s", msg);
		enum resp_err e1 = run(t->body, len, 1, &one);
		ok(e1 == e && strcmp(resp_message(&parser), saved) == 0 && one.n == s.n &&
		       strcmp(one.text, s.text) == 0 && one.raw_hash == s.raw_hash,
		   "%s: same result one byte at a time", t->name);
	}
	free(s.text);
	free(one.text);
}

static void values(void)
{
	struct seen s = {0};
	const struct resp_summary *sum;
	const char *body =
	    R "\"Certificates\":[{\"Domain\":\"a\\\\\",\"Alias\":\"b\\\"\",\"Status\":3,"
	      "\"CertificateId\":\"id\\u0031\",\"SubjectAltName\":[\"x.com\",\"*.y.com\"],"
	      "\"BoundResource\":[\"clb\"],\"IsIgnore\":true,\"IsExpiring\":false,"
	      "\"CertBeginTime\":\"2024-01-01 08:00:00\",\"CertEndTime\":\"2025-01-01 07:59:59\","
	      "\"CertificateExtra\":{\"ReplacedBy\":\"new\",\"X\":{\"ReplacedBy\":\"no\"}}}],"
	      "\"TotalCount\":1,\"RequestId\":\"req-9\"}}";
	is_int(run(body, strlen(body), 0, &s), RESP_OK, "values: parse");
	is_str(s.text,
	       "id1\ta\\\tb\"\t3\t2024-01-01 08:00:00\t2025-01-01 "
	       "07:59:59\tx.com,*.y.com\tclb\tnew\t1\t0\n",
	       "values: decoded fields");
	sum = resp_get_summary(&parser);
	is_int(sum->has_total, 1, "values: has_total");
	is_int(sum->total_count, 1, "values: total_count");
	is_int(sum->has_list, 1, "values: has_list");
	is_str(sum->request_id, "req-9", "values: request_id after the list");
	is_str(sum->error_code, "", "values: no error code");

	/* views hold the raw contents between the quotes */
	static struct resp_cert c;
	struct msg msg;
	const char *obj = "{\"CertificateId\":\"a\\\"b\",\"Domain\":\"\\u00e9\"}";
	is_int(resp_parse_object(obj, strlen(obj), &c, &msg), RESP_OK, "object: parse");
	ok(c.id.n == 4 && memcmp(c.id.p, "a\\\"b", 4) == 0, "object: raw id view");
	ok(c.domain.n == 6 && memcmp(c.domain.p, "\\u00e9", 6) == 0, "object: raw domain view");
	ok(c.raw.p == obj && c.raw.n == strlen(obj), "object: raw view is the whole object");
	ok(c.alias.p == NULL && c.status == -1 && c.n_san == 0 && !c.is_ignore,
	   "object: absent fields");
	is_int(resp_parse_object("{\"CertificateId\":\"a\"} ", 22, &c, &msg), RESP_ERR_MALFORMED,
	       "object: trailing bytes refused");
	is_int(resp_parse_object("[1]", 3, &c, &msg), RESP_ERR_MALFORMED, "object: array refused");
	is_str(msg.text, "malformed response: certificate is not a JSON object", "object: message");
	is_int(resp_parse_object("{\"CertificateId\":\"a\"", 20, &c, &msg), RESP_ERR_MALFORMED,
	       "object: truncated refused");

	/* abort from the callback */
	const char *three = PAGE(CERT("") "," CERT("") "," CERT(""));
	s.abort_at = 2;
	is_int(run(three, strlen(three), 0, &s), RESP_ERR_ABORTED, "abort: error code");
	is_int(s.n, 2, "abort: stops at the second certificate");
	ok(resp_message(&parser)[0] != '\0', "abort: message set");
	is_int(resp_feed(&parser, "x", 1), RESP_ERR_ABORTED, "abort: error is sticky in feed");
	is_int(resp_finish(&parser), RESP_ERR_ABORTED, "abort: error is sticky in finish");
	s.abort_at = 0;

	/* a long API message is cut to fit, keeping the RequestId */
	static char big[8192];
	int n =
	    snprintf(big, sizeof big, R "\"Error\":{\"Code\":\"FailedOperation\",\"Message\":\"");
	for (int i = 0; i < 600; i++)
		n += snprintf(big + n, sizeof big - n, "\xc3\xa9");
	snprintf(big + n, sizeof big - n, "\"},\"RequestId\":\"rid\"}}");
	is_int(run(big, strlen(big), 0, &s), RESP_ERR_API, "long API message: error code");
	const char *m = resp_message(&parser);
	size_t ml = strlen(m);
	ok(ml < 512 && ml > 300, "long API message: cut to fit (%zu bytes)", ml);
	ok(ml > 16 && strcmp(m + ml - 16, " (RequestId rid)") == 0,
	   "long API message: RequestId kept");
	ok(strncmp(m, "API error FailedOperation: \xc3\xa9", 29) == 0, "long API message: start");
	ok((unsigned char)m[ml - 17] == 0xa9, "long API message: no split UTF-8 sequence");
	if ((unsigned char)m[ml - 17] != 0xa9) printf("# %s\n", m + ml - 40);
	is_str(resp_get_summary(&parser)->error_code, "FailedOperation",
	       "long API message: error_code");
	free(s.text);
}

/* The page of ~50 varied certificates, fed in every chunking. */
static void page50(void)
{
	size_t len, elen;
	char *body = read_file("page50.json", &len);
	char *expect = read_file("page50.expect", &elen);
	struct seen whole = {0}, s = {0};
	ok(body && expect, "page50: data files found");
	if (!body || !expect) return;
	is_int(run(body, len, 0, &whole), RESP_OK, "page50 whole: parse");
	is_int(whole.n, 50, "page50 whole: 50 certificates");
	is_int(resp_get_summary(&parser)->total_count, 50, "page50: TotalCount");
	is_str(resp_get_summary(&parser)->request_id, "6ef60bec-0242-43af-bb20-270359fb54a7",
	       "page50: RequestId");
	is_str(whole.text, expect, "page50 whole: every field as expected");

	is_int(run(body, len, 1, &s), RESP_OK, "page50 one byte at a time: parse");
	ok(s.n == 50 && strcmp(s.text, whole.text) == 0 && s.raw_hash == whole.raw_hash,
	   "page50 one byte at a time: same certificates");
	static const long fixed[] = {2, 3, 7, 64, 1000, 4096, 65536};
	for (size_t k = 0; k < sizeof fixed / sizeof fixed[0]; k++) {
		enum resp_err e = run(body, len, fixed[k], &s);
		ok(e == RESP_OK && s.n == 50 && strcmp(s.text, whole.text) == 0 &&
		       s.raw_hash == whole.raw_hash,
		   "page50 in chunks of %ld: same certificates", fixed[k]);
	}
	rng_state = 0x2545F4914F6CDD1Dull;
	int same = 0, iters = 400;
	for (int k = 0; k < iters; k++) {
		enum resp_err e = run(body, len, -1, &s);
		same += e == RESP_OK && s.n == 50 && strcmp(s.text, whole.text) == 0 &&
		        s.raw_hash == whole.raw_hash;
	}
	is_int(same, iters, "page50 in random splits: same certificates every time");

	/* every truncation is reported as one */
	int trunc_ok = 0;
	for (size_t cut = 1; cut < len - 1; cut += 97) {
		enum resp_err e = run(body, cut, 0, &s);
		trunc_ok += e == RESP_ERR_MALFORMED && resp_get_summary(&parser)->truncated;
	}
	is_int(trunc_ok, (int)((len - 2 + 96) / 97), "page50 cut anywhere: truncated body");
	free(whole.text);
	free(s.text);
	free(body);
	free(expect);
}

static const char big_cert[] =
    "{\"OwnerUin\":\"100012345678\",\"ProjectId\":\"0\",\"From\":\"trustasia\",\"PackageType\":"
    "\"2\","
    "\"CertificateType\":\"SVR\",\"ProductZhName\":"
    "\"\xe4\xba\x9a\xe6\xb4\xb2\xe8\xaf\x9a\xe4\xbf\xa1 "
    "DV SSL\",\"Domain\":\"www%05d.example.com\",\"Alias\":\"prod\",\"Status\":1,"
    "\"CertificateExtra\":{\"DomainNumber\":\"1\",\"OriginCertificateId\":\"\",\"ReplacedBy\":null,"
    "\"ReplacedFrom\":null,\"RenewOrder\":null,\"SMCert\":null,\"CompanyType\":0},"
    "\"VulnerabilityStatus\":\"INACTIVE\",\"StatusMsg\":null,\"VerifyType\":\"DNS_AUTO\","
    "\"CertBeginTime\":\"2024-06-01 08:00:00\",\"CertEndTime\":\"2025-06-01 07:59:59\","
    "\"ValidityPeriod\":\"12\",\"InsertTime\":\"2024-06-01 10:11:12\",\"CertificateId\":\"Id%05d\","
    "\"SubjectAltName\":[\"www%05d.example.com\",\"example.com\"],\"PackageTypeName\":\"TrustAsia "
    "TLS RSA CA\",\"StatusName\":\"\\u8bc1\\u4e66\\u5df2\\u9881\\u53d1\",\"IsVip\":false,"
    "\"IsDv\":true,\"IsWildcard\":false,\"IsVulnerability\":false,\"RenewAble\":false,"
    "\"ProjectInfo\":{\"ProjectName\":\"default\",\"ProjectCreatorUin\":100012345678,"
    "\"ProjectCreateTime\":\"2019-01-01 "
    "00:00:00\",\"ProjectResume\":\"\",\"OwnerUin\":100012345678,"
    "\"ProjectId\":\"0\"},\"BoundResource\":[\"clb\",\"cdn\"],\"Deployable\":true,"
    "\"Tags\":[{\"TagKey\":\"env\",\"TagValue\":\"prod\"},{\"TagKey\":\"team\",\"TagValue\":"
    "\"web\"}],"
    "\"IsIgnore\":false,\"IsSM\":false,\"EncryptAlgorithm\":\"RSA 2048\","
    "\"CAEncryptAlgorithms\":[\"RSA 2048\"],\"CAEndTimes\":[\"2030-11-10 07:59:59\"],"
    "\"CACommonNames\":[\"TrustAsia RSA DV TLS CA G2\"],\"PreAuditInfo\":null,\"AutoRenewFlag\":0,"
    "\"HostingStatus\":null,\"HostingCompleteTime\":null,\"HostingRenewCertId\":null,"
    "\"HasRenewOrder\":\"\",\"ReplaceOriginCertificate\":false,\"IsExpiring\":false,"
    "\"DNSPodTagsInfo\":null,\"SupportDownloadType\":{\"NGINX\":true,\"APACHE\":true,\"IIS\":true,"
    "\"TOMCAT\":true,\"JKS\":true,\"OTHER\":true,\"ROOT\":false},\"CertRevokedTime\":null,"
    "\"KeyPassword\":\"\",\"Description\":\"a longer free-text description of this certificate, "
    "as some accounts keep notes here about who owns it and where it is deployed, to make the "
    "object about as large as the real ones seen in the field (around 1.7 KB)\"}";

/* A 1,000-certificate page built here; also times the parse. */
static char *build_page(size_t count, size_t *len)
{
	size_t cap = count * (sizeof big_cert + 64) + 256, n = 0;
	char *b = malloc(cap);
	n +=
	    (size_t)snprintf(b, cap, "{\"Response\":{\"TotalCount\":%zu,\"Certificates\":[", count);
	for (size_t i = 0; i < count; i++) {
		if (i) b[n++] = ',';
		n += (size_t)snprintf(b + n, cap - n, big_cert, (int)i, (int)i, (int)i);
	}
	n += (size_t)snprintf(b + n, cap - n, "],\"RequestId\":\"big-page\"}}");
	*len = n;
	return b;
}

static int count_only(void *ctx, const struct resp_cert *c)
{
	(*(size_t *)ctx) += c->n_san + c->n_bound + (c->id.n > 0);
	return 0;
}

static void page1000(void)
{
	size_t len, sum = 0;
	char *body = build_page(1000, &len);
	struct timespec t0, t1;
	ok(len > 1500000, "page1000: %zu bytes", len);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	resp_init(&parser, count_only, &sum);
	enum resp_err e = RESP_OK;
	for (size_t off = 0; off < len && !e; off += 16384)
		e = resp_feed(&parser, body + off, len - off < 16384 ? len - off : 16384);
	if (!e) e = resp_finish(&parser);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	is_int(e, RESP_OK, "page1000: parse");
	is_int(resp_get_summary(&parser)->n_certs, 1000, "page1000: 1000 certificates");
	is_int(sum, 5000, "page1000: every id, name and resource seen");
	printf("# page1000: %.1f MB in %.2f ms, %.0f MB/s (16 KiB chunks)\n", (double)len / 1e6,
	       s * 1e3, (double)len / 1e6 / s);
	free(body);
}

/* Every kind of token, kept and skipped, with escapes and whitespace runs: cut
 * in two at every byte and in three at many pairs, it gives the same result. */
static void boundaries(void)
{
	static const char body[] =
	    "{ \"Response\" : {\"TotalCount\":1,\n  \"Certificates\":[ "
	    "{\"Skip\":{\"a\":[1,-2.5e+3,true,"
	    "false,null,\"s\\u00e9\\n\\\"q\\\\\",[[]],{}],\"CertEndTime\":5},"
	    "\"CertificateId\":\"i\\u0064\",   \"Domain\":\"d\\\\x\",\"Alias\":\"\\ud83d\\udd12\","
	    "\"Status\" :12 ,\"IsIgnore\":true,\"IsExpiring\":false,\"SubjectAltName\":[\"n1\", "
	    "\"n\\u00e92\",\"a\\/b\"],\"BoundResource\":[],\"CertificateExtra\":{\"Other\":[{}],"
	    "\"ReplacedBy\":\"r\\\"\"},\"CertBeginTime\":null,\"CertEndTime\":\"2030-01-01 "
	    "00:00:00\","
	    "\"Tail\":\"\\t\"}        ],\"RequestId\":\"rid\\u0031\"}}  \n";
	size_t len = sizeof body - 1;
	struct seen whole = {0}, s = {0};
	is_int(run(body, len, 0, &whole), RESP_OK, "boundaries: whole");
	is_str(whole.text,
	       "id\td\\x\t\xf0\x9f\x94\x92\t12\t(null)\t2030-01-01 00:00:00\tn1,n\xc3\xa9"
	       "2,a/b\t\tr\"\t1\t0\n",
	       "boundaries: every kept field");
	is_str(resp_get_summary(&parser)->request_id, "rid1", "boundaries: RequestId");
	int same2 = 0, same3 = 0, tried3 = 0;
	for (size_t cut = 1; cut < len; cut++) {
		enum resp_err e = run_cuts(body, len, cut, len, &s);
		same2 += e == RESP_OK && !strcmp(s.text, whole.text) &&
		         s.raw_hash == whole.raw_hash &&
		         !strcmp(resp_get_summary(&parser)->request_id, "rid1");
	}
	is_int(same2, (int)len - 1, "boundaries: cut in two at each of %zu bytes", len - 1);
	for (size_t a = 1; a < len; a += 3)
		for (size_t b = a + 1; b < len; b += 7) {
			enum resp_err e = run_cuts(body, len, a, b, &s);
			tried3++;
			same3 += e == RESP_OK && !strcmp(s.text, whole.text) &&
			         s.raw_hash == whole.raw_hash;
		}
	is_int(same3, tried3, "boundaries: cut in three, %d ways", tried3);
	free(whole.text);
	free(s.text);
}

/* The scanner's tight loop over members no hook sees ("key":"string",
 * "key":number-or-literal): every kind of value it takes or hands back, an escape
 * in a key and in a value, white space after a comma, a key of the hash of a
 * kept name that is not one, kept members between skipped ones; cut in two at
 * every byte, the same certificate. And the bad values it hands back: the same
 * message at every cut. */
static void fast_members(void)
{
	static const char body[] =
	    "{\"Response\":{\"TotalCount\":1,\"Certificates\":[{\"A\":\"x\",\"B\":true,"
	    "\"C\":false,\"D\":null,\"E\":0,\"F\":12345,\"G\":-7,\"H\":1.5e-3,\"I\":\"\","
	    "\"J\":\"esc\\\"aped\",\"K\\u0041\":1, \"L\":\"after a space\",\"\":2,"
	    "\"Domaim\":\"hash of Domain\",\"Statuz\":3,\"CertificateId\":\"id1\","
	    "\"Key longer than thirty-two bytes, skipped\":\"v\",\"Status\":1,"
	    "\"M\":[\"a\",1,{\"N\":\"o\",\"P\":false}],\"Domain\":\"d.example\","
	    "\"Q\":{\"R\":\"s\",\"T\":-0.0,\"U\":\"tail\"},\"CertEndTime\":\"2030-01-01 00:00:00\","
	    "\"V\":true}],\"RequestId\":\"r\"}}";
	size_t len = sizeof body - 1;
	struct seen whole = {0}, s = {0};
	is_int(run(body, len, 0, &whole), RESP_OK, "fast members: whole");
	is_str(whole.text,
	       "id1\td.example\t(null)\t1\t(null)\t2030-01-01 00:00:00\t\t\t(null)\t0\t0\n",
	       "fast members: the kept fields, none taken from a skipped member");
	int same = 0;
	for (size_t cut = 1; cut < len; cut++) {
		enum resp_err e = run_cuts(body, len, cut, len, &s);
		same += e == RESP_OK && !strcmp(s.text, whole.text) && s.raw_hash == whole.raw_hash;
	}
	is_int(same, (int)len - 1, "fast members: cut in two at each of %zu bytes", len - 1);

	static const struct {
		const char *member, *message;
	} bad[] = {
	    {"\"X\":01", "malformed response: bad literal or number at byte 42"},
	    {"\"X\":tru", "malformed response: bad literal or number at byte 42"},
	    {"\"X\":truex", "malformed response: bad literal or number at byte 42"},
	    {"\"X\":1.", "malformed response: bad literal or number at byte 42"},
	    {"\"X\":\"a\x01\"", "malformed response: control character in a string at byte 44"},
	    {"\"X\":\"\\q\"", "malformed response: bad escape in a string at byte 44"},
	    {"\"X\":1,,", "malformed response: unexpected ',' at byte 44"},
	    {"\"X\":'a'", "malformed response: unexpected 0x27 at byte 42"},
	    {"\"X\":1 2", "malformed response: unexpected '2' at byte 44"},
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		char doc[256];
		int n = snprintf(doc, sizeof doc,
		                 "{\"Response\":{\"Certificates\":[{\"A\":\"x\",%s,\"B\":1}]}}",
		                 bad[k].member);
		int right = 0, shown = 0;
		for (size_t cut = 0; cut < (size_t)n; cut++) {
			resp_init(&parser, NULL, NULL);
			enum resp_err e = cut ? resp_feed(&parser, doc, cut) : RESP_OK;
			if (!e) e = resp_feed(&parser, doc + cut, (size_t)n - cut);
			if (!e) e = resp_finish(&parser);
			if (e == RESP_ERR_MALFORMED &&
			    !strcmp(resp_message(&parser), bad[k].message))
				right++;
			else if (!shown++)
				printf("# cut %zu: %s\n", cut, resp_message(&parser));
		}
		is_int(right, n, "fast members: bad value %zu gives \"%s\" at every cut", k + 1,
		       bad[k].message);
	}
	free(whole.text);
	free(s.text);
}

/* What the selection and evaluation make of what the parser hands over. */
static struct select_opts sel;
static struct eval_opts ev;
static struct {
	int n, selected;
	struct cert_eval e;
	char domain[256];
} judged;

static int judge(void *ctx, const struct resp_cert *c)
{
	(void)ctx;
	judged.n++;
	judged.selected = eval_selected(&sel, c);
	eval_cert(&ev, c, &judged.e);
	json_unescape(c->domain, judged.domain, sizeof judged.domain);
	return 0;
}

static enum resp_err run_judge(const char *body)
{
	memset(&judged, 0, sizeof judged);
	resp_init(&parser, judge, NULL);
	enum resp_err e = resp_feed(&parser, body, strlen(body));
	return e ? e : resp_finish(&parser);
}

static void names(void)
{
	int keys_ok = 1; /* resp_fields.c reads a kept key as the field's index */
	for (int f = 0; f < RF_N; f++) {
		char want[8];
		snprintf(want, sizeof want, "%d", f);
		keys_ok &= strcmp(resp_fields[f].key, want) == 0;
	}
	ok(keys_ok, "each field's kept key is its index");

	static char b[1 << 16];
	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = 1767225600; /* 2026-01-01 */

	/* a NUL in a name: matched and shown whole, the NUL as its escape */
	const char *nul =
	    PAGE("{\"CertificateId\":\"n\",\"Status\":1,\"Domain\":\"evil.com\\u0000.example.com\","
	         "\"CertEndTime\":\"2027-01-01 00:00:00\"}");
	memset(&sel, 0, sizeof sel);
	sel.domains[0] = "*.example.com";
	sel.n_domains = 1;
	is_int(run_judge(nul), RESP_OK, "NUL in Domain: parsed");
	is_str(judged.domain, "evil.com\\u0000.example.com",
	       "NUL in Domain: the whole name, escaped");
	ok(judged.selected, "NUL in Domain: --domain '*.example.com' matches");
	memset(&sel, 0, sizeof sel);
	sel.exclude_domains[0] = "evil.com";
	sel.n_exclude_domains = 1;
	run_judge(nul);
	ok(judged.selected, "NUL in Domain: --exclude-domain evil.com does not drop it");

	/* past the name cap: that certificate alone is UNKNOWN, with the reason */
	memset(&sel, 0, sizeof sel);
	int n = snprintf(b, sizeof b,
	                 R "\"Certificates\":[{\"CertificateId\":\"ok\","
	                   "\"CertEndTime\":\"2027-01-01 00:00:00\"},"
	                   "{\"CertificateId\":\"many\",\"Status\":1,\"SubjectAltName\":[");
	for (int i = 0; i <= RESP_MAX_NAMES; i++)
		n += snprintf(b + n, sizeof b - (size_t)n, "%s\"n%d\"", i ? "," : "", i);
	snprintf(b + n, sizeof b - (size_t)n, "],\"CertEndTime\":\"2027-01-01 00:00:00\"}]}}");
	is_int(run_judge(b), RESP_OK, "2049 names: the response is fine");
	is_int(judged.n, 2, "2049 names: both certificates handed over");
	is_int(judged.e.state, TC_UNKNOWN, "2049 names: that certificate is UNKNOWN");
	is_str(judged.e.problem ? judged.e.problem : "(none)",
	       "has more than 2048 SubjectAltName entries", "2049 names: the reason");
	sel.domains[0] = "nothing.example";
	sel.n_domains = 1;
	run_judge(b);
	ok(judged.selected, "2049 names: not dropped by --domain on the names it could not keep");
	memset(&sel, 0, sizeof sel);
}

/* The one certificate of the last run, for the cap tests. */
static struct cap_seen {
	size_t n, n_san, n_bound;
	const char *problem;
	char end[64], last_san[64];
} cs;

static int cap_cert(void *ctx, const struct resp_cert *c)
{
	(void)ctx;
	cs.n++;
	cs.n_san = c->n_san;
	cs.n_bound = c->n_bound;
	cs.problem = c->problem;
	json_unescape(c->end_time, cs.end, sizeof cs.end);
	cs.last_san[0] = '\0';
	if (c->n_san) json_unescape(c->san[c->n_san - 1], cs.last_san, sizeof cs.last_san);
	return 0;
}

static enum resp_err run_caps(const char *body, long chunk)
{
	size_t len = strlen(body), off = 0;
	enum resp_err e = RESP_OK;
	memset(&cs, 0, sizeof cs);
	resp_init(&parser, cap_cert, NULL);
	while (off < len && !e) {
		size_t n = chunk > 0 && (size_t)chunk < len - off ? (size_t)chunk : len - off;
		e = resp_feed(&parser, body + off, n);
		off += n;
	}
	return e ? e : resp_finish(&parser);
}

#define BIG (2u << 20)

/* body = head, then count entries "<prefix><i><fill>" separated by commas, then tail */
static char *list_body(char *b, const char *head, int count, const char *prefix, size_t fill,
                       const char *tail)
{
	size_t n = (size_t)snprintf(b, BIG, "%s", head);
	for (int i = 0; i < count; i++) {
		n += (size_t)snprintf(b + n, BIG - n, "%s\"%s%d", i ? "," : "", prefix, i);
		memset(b + n, 'x', fill);
		n += fill;
		b[n++] = '"';
	}
	snprintf(b + n, BIG - n, "%s", tail);
	return b;
}

static void caps(void)
{
	static char b[BIG];
	const char *head = R "\"Certificates\":[{\"CertificateId\":\"c\",\"SubjectAltName\":[";
	const char *tail = "],\"CertEndTime\":\"2030-01-01 00:00:00\"}]}}";

	/* RESP_MAX_NAMES names: fine; one more: only that certificate has a problem */
	for (int want = RESP_MAX_NAMES; want <= RESP_MAX_NAMES + 1; want++) {
		list_body(b, head, want, "n", 0, tail);
		enum resp_err e = run_caps(b, want == RESP_MAX_NAMES ? 0 : 1000);
		is_int(e, RESP_OK, "%d SubjectAltName entries: the response is fine", want);
		is_int(cs.n, 1, "%d SubjectAltName entries: the certificate is handed over", want);
		is_int(cs.n_san, RESP_MAX_NAMES, "%d SubjectAltName entries: %d kept", want,
		       RESP_MAX_NAMES);
		is_str(cs.last_san, "n2047", "%d SubjectAltName entries: the last kept", want);
		is_str(cs.end, "2030-01-01 00:00:00",
		       "%d SubjectAltName entries: CertEndTime after", want);
		if (want == RESP_MAX_NAMES)
			ok(cs.problem == NULL, "%d SubjectAltName entries: no problem", want);
		else
			is_str(cs.problem ? cs.problem : "(none)",
			       "has more than 2048 SubjectAltName entries",
			       "%d SubjectAltName entries: the problem", want);
	}
	/* names too large in all: the list ends before the one that does not fit */
	list_body(b, head, 1500, "n", 250, tail);
	is_int(run_caps(b, 4096), RESP_OK, "1500 names of 256 bytes: the response is fine");
	ok(cs.n_san > 900 && cs.n_san < 1000, "1500 names of 256 bytes: %zu kept", cs.n_san);
	is_str(cs.problem ? cs.problem : "(none)",
	       "has SubjectAltName or BoundResource entries over 240 KiB",
	       "1500 names of 256 bytes: the problem");
	is_str(cs.end, "2030-01-01 00:00:00", "1500 names of 256 bytes: CertEndTime after");

	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"BoundResource\":[", 65, "r", 0,
	          "]}]}}");
	is_int(run_caps(b, 0), RESP_OK, "65 BoundResource entries: the response is fine");
	ok(cs.n_bound == 64 && cs.problem &&
	       !strcmp(cs.problem, "has more than 64 BoundResource "
	                           "entries"),
	   "65 BoundResource entries: 64 kept, the problem said");

	/* a kept member too large for the kept object fails the response */
	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"Domain\":", 1, "d",
	          RESP_MAX_CERT_BYTES, "}]}}");
	is_int(run_caps(b, 7000), RESP_ERR_TOO_BIG, "a 256 KiB Domain: too big");
	is_str(resp_message(&parser),
	       "malformed response: certificate 1: kept members larger than 256 KiB",
	       "a 256 KiB Domain: message");

	/* skipped members cost nothing: a 1 MiB string, 100,000 numbers */
	list_body(b, R "\"Certificates\":[{\"CertificateId\":\"c\",\"Description\":", 1, "d",
	          1u << 20, ",\"X\":[");
	size_t n = strlen(b);
	for (int i = 0; i < 100000; i++)
		n += (size_t)snprintf(b + n, BIG - n, "%s1", i ? "," : "");
	snprintf(b + n, BIG - n, "],\"CertEndTime\":\"2030-01-01 00:00:00\"}]}}");
	is_int(run_caps(b, 65536), RESP_OK, "huge skipped members: fine");
	is_str(cs.end, "2030-01-01 00:00:00", "huge skipped members: the kept member after them");

	/* a long API message is cut, not refused */
	n = (size_t)snprintf(b, BIG, R "\"Error\":{\"Code\":\"X\",\"Message\":\"");
	memset(b + n, 'm', 17000);
	snprintf(b + n + 17000, BIG - n - 17000, "\"}}}");
	is_int(run_caps(b, 0), RESP_ERR_API, "Error Message of 17000 bytes: an API error");
	ok(strncmp(resp_message(&parser), "API error X: mmmm", 17) == 0 &&
	       strlen(resp_message(&parser)) == 13 + 383,
	   "Error Message of 17000 bytes: cut to a line");

	/* a long RequestId is cut, not refused */
	n = (size_t)snprintf(b, BIG, R "\"Certificates\":[],\"RequestId\":\"");
	memset(b + n, 'q', 5000);
	snprintf(b + n + 5000, BIG - n - 5000, "\"}}");
	is_int(run_caps(b, 3), RESP_OK, "long RequestId: fine");
	is_int(strlen(resp_get_summary(&parser)->request_id), 127, "long RequestId: cut");

	/* the body cap: whitespace between tokens is valid JSON, 64 MiB of it is not accepted */
	size_t chunk = 1 << 20;
	char *ws = malloc(chunk);
	memset(ws, ' ', chunk);
	resp_init(&parser, NULL, NULL);
	enum resp_err e = resp_feed(&parser, R, strlen(R));
	size_t fed = strlen(R);
	while (!e && fed < RESP_MAX_BODY + chunk) {
		e = resp_feed(&parser, ws, chunk);
		fed += chunk;
	}
	is_int(e, RESP_ERR_TOO_BIG, "64 MiB body: too big");
	is_str(resp_message(&parser), "response body larger than 64 MiB", "64 MiB body: message");
	ok(fed > RESP_MAX_BODY && fed <= RESP_MAX_BODY + chunk + strlen(R),
	   "64 MiB body: stops at the cap");
	free(ws);
}

static enum jscan_act skip_all(void *ctx, struct jscan *j, int depth, int slot, char kind,
                               const struct jscan_names **names)
{
	(void)ctx, (void)j, (void)depth, (void)slot, (void)kind, (void)names;
	return JSCAN_SKIP;
}

static int end_ok(void *ctx, struct jscan *j, int depth)
{
	(void)ctx, (void)j, (void)depth;
	return 0;
}

/* After a syntax error jscan_done says "not complete" however the bytes came:
 * the state an error leaves behind depends on where the chunks were cut. */
static void done_after_error(void)
{
	static const char *const docs[] = {"{\"a\":x}", "{}x", "  x", "{\"a\":1]"};
	const struct jscan_hooks h = {skip_all, end_ok};
	for (size_t d = 0; d < sizeof docs / sizeof *docs; d++) {
		size_t n = strlen(docs[d]), bad = 0;
		for (size_t cut = 0; cut <= n; cut++) {
			struct jscan j;
			struct msg m;
			msg_clear(&m);
			jscan_init(&j, &h, NULL, &m);
			enum jscan_err e = jscan_feed(&j, docs[d], cut);
			if (!e) e = jscan_feed(&j, docs[d] + cut, n - cut);
			if (e != JSCAN_ERR_SYNTAX || jscan_done(&j) != 0) bad++;
		}
		ok(bad == 0, "%s: a syntax error at every cut, jscan_done 0 after it", docs[d]);
	}
}

int main(void)
{
	table();
	values();
	page50();
	boundaries();
	fast_members();
	done_after_error();
	names();
	caps();
	page1000();
	return tap_done();
}
