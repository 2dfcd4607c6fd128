/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The scanner (jscan) under the response parser, across chunk boundaries: the page of ~50
 * certificates in every chunking and every truncation, every kind of token cut in two and in
 * three, the tight loop over members no hook sees cut at every byte (and its bad values), and
 * jscan_done after a syntax error or a hook's stop at every cut. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"
#include "msg.h"
#include "resp_harness.h"
#include "response.h"
#include "tap.h"

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

/* Of the cuts of body in two at every byte, how many give what whole gave: the same
 * certificates, raw bytes and (when rid is not NULL) RequestId. */
static int same_cut_in_two(const char *body, size_t len, const struct seen *whole, const char *rid)
{
	struct seen s = {0};
	int same = 0;
	for (size_t cut = 1; cut < len; cut++) {
		enum resp_err e = run_cuts(body, len, cut, len, &s);
		same += e == RESP_OK && !strcmp(s.text, whole->text) &&
		        s.raw_hash == whole->raw_hash &&
		        (!rid || !strcmp(resp_get_summary(&parser)->request_id, rid));
	}
	free(s.text);
	return same;
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
	int same3 = 0, tried3 = 0;
	is_int(same_cut_in_two(body, len, &whole, "rid1"), (int)len - 1,
	       "boundaries: cut in two at each of %zu bytes", len - 1);
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
	struct seen whole = {0};
	is_int(run(body, len, 0, &whole), RESP_OK, "fast members: whole");
	is_str(whole.text,
	       "id1\td.example\t(null)\t1\t(null)\t2030-01-01 00:00:00\t\t\t(null)\t0\t0\n",
	       "fast members: the kept fields, none taken from a skipped member");
	is_int(same_cut_in_two(body, len, &whole, NULL), (int)len - 1,
	       "fast members: cut in two at each of %zu bytes", len - 1);

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

/* Watches the root and stops the scan at the value of its member "stop", whatever its kind,
 * saying where; everything else is skipped. */
static struct jscan_names stop_names;

static enum jscan_act stop_at(void *ctx, struct jscan *j, int depth, int slot, char kind,
                              const struct jscan_names **names)
{
	(void)kind;
	if (depth == 0) {
		*names = &stop_names;
		return JSCAN_WATCH;
	}
	if (slot != 0) return JSCAN_SKIP;
	msg_set(ctx, "stopped at byte %zu", jscan_offset(j));
	return JSCAN_STOP;
}

/* After a syntax error, or a hook's stop, jscan_done says "not complete" however the bytes came:
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

	/* the stop comes before the document is complete, or with the whole of it in one chunk */
	static const struct {
		const char *doc;
		size_t at; /* where the value of "stop" starts */
	} stops[] = {
	    {.doc = "{\"a\":1,\"stop\":\"x\",\"b\":[2]}", .at = 14},
	    {.doc = "{\"stop\":{\"c\":[1,2]},\"d\":null}", .at = 8},
	    {.doc = "  {\"x\":{\"stop\":1},\"stop\" : [true]}  ", .at = 27},
	    {.doc = "{\"a\":\"\\\"stop\\\"\",\"stop\":-12.5e3}", .at = 23},
	};
	static const char *const stop_name[] = {"stop"};
	const struct jscan_hooks hs = {stop_at, end_ok};
	ok(jscan_names_init(&stop_names, stop_name, 1) == 0, "stop: names built");
	for (size_t d = 0; d < sizeof stops / sizeof *stops; d++) {
		const char *doc = stops[d].doc;
		size_t n = strlen(doc), bad_err = 0, bad_done = 0;
		char want[64];
		snprintf(want, sizeof want, "stopped at byte %zu", stops[d].at);
		for (size_t cut = 0; cut <= n; cut++) {
			struct jscan j;
			struct msg m;
			msg_clear(&m);
			jscan_init(&j, &hs, &m, &m);
			enum jscan_err e = jscan_feed(&j, doc, cut);
			if (!e) e = jscan_feed(&j, doc + cut, n - cut);
			int done = jscan_done(&j);
			if (e != JSCAN_ERR_HOOK || strcmp(m.text, want) != 0) {
				if (!bad_err++)
					printf("# cut %zu: error %d, \"%s\"\n", cut, (int)e,
					       m.text);
			}
			if (done != 0) {
				if (!bad_done++) printf("# cut %zu: jscan_done %d\n", cut, done);
			}
		}
		is_int(bad_err, 0, "%s: JSCAN_ERR_HOOK from the hook at byte %zu, at every cut",
		       doc, stops[d].at);
		is_int(bad_done, 0, "%s: jscan_done 0 after the hook's stop, at every cut", doc);
	}
}

int main(void)
{
	page50();
	boundaries();
	fast_members();
	done_after_error();
	return tap_done();
}
