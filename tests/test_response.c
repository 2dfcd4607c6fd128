/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The streaming response parser's verdict on each body, fed whole and one byte at a time: every
 * message (not JSON, truncated, API errors, no list), wrong types and duplicate members, and the
 * certificates handed over before it; then the decoded values, resp_parse_object's views, an
 * abort from the callback and a long API message cut to fit. The scanner across chunk boundaries
 * is in test_jscan.c, the caps and large pages in test_response_limits.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resp_harness.h"
#include "response.h"
#include "tap.h"

#define DEEP10  "[[[[[[[[[["
#define CLOSE10 "]]]]]]]]]]"
#define DEEP62  DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 DEEP10 "[["
#define DEEP63  DEEP62 "["
#define CLOSE62 CLOSE10 CLOSE10 CLOSE10 CLOSE10 CLOSE10 CLOSE10 "]]"

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

int main(void)
{
	table();
	values();
	return tap_done();
}
