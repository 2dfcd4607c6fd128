/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "response.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json.h"
#include "resp_fields.h"

/* Depth of a value (containers around it) and what it is there:
 *   0 root, 1 Response, 2 a member of Response, 3 a certificate or a member
 *   of Error, 4 a member of a certificate, 5 an entry of a kept list or a
 *   member of CertificateExtra. Only these reach the hooks below. */
enum { RM_LIST, RM_TOTAL, RM_REQID, RM_ERROR, RM_N };
static const char *const resp_names[RM_N] = {"Certificates", "TotalCount", "RequestId", "Error"};
enum { EM_CODE, EM_MESSAGE, EM_N };
static const char *const error_names[EM_N] = {"Code", "Message"};

static struct {
	int ready;
	struct jscan_names root, resp, error, cert, extra;
} names;

static void names_init(void)
{
	static const char *const root[] = {"Response"};
	/* the tables are constant: these cannot fail */
	jscan_names_init(&names.root, root, 1);
	jscan_names_init(&names.resp, resp_names, RM_N);
	jscan_names_init(&names.error, error_names, EM_N);
	resp_fields_names(&names.cert, &names.extra);
	names.ready = 1;
}

static enum jscan_act stop(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum jscan_act stop(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vset(&p->msg, fmt, ap);
	va_end(ap);
	p->err = e;
	return JSCAN_STOP;
}

static void kept_put(struct resp_parser *p, const char *s, size_t n)
{
	struct jscan_sink *k = &p->kept;
	if (k->over || n > k->max - k->len) {
		k->over = 1;
		return;
	}
	memcpy(k->buf + k->len, s, n);
	k->len += n;
}

/* "Name": after a separator, where the kept object goes on. */
static void kept_name(struct resp_parser *p, const char *name, size_t len)
{
	struct jscan_sink *k = &p->kept;
	char last = k->len ? k->buf[k->len - 1] : '{';
	int comma = last != '{' && last != '[';
	if (k->over || len + 4 > k->max - k->len) {
		k->over = 1;
		return;
	}
	char *o = k->buf + k->len;
	if (comma) *o++ = ',';
	*o++ = '"';
	for (size_t i = 0; i < len; i++) /* a key of one or two digits */
		*o++ = name[i];
	*o++ = '"';
	*o++ = ':';
	k->len = (size_t)(o - k->buf);
}

static enum jscan_act capture(struct jscan *j, struct jscan_sink *k)
{
	jscan_capture(j, k);
	return JSCAN_CAPTURE;
}

static enum jscan_act capture_small(struct resp_parser *p, struct jscan *j, size_t max)
{
	p->small.len = 0;
	p->small.over = 0;
	p->small.max = max;
	return capture(j, &p->small);
}

static enum jscan_act response_member(struct resp_parser *p, struct jscan *j, int slot, char kind,
                                      const struct jscan_names **watch)
{
	unsigned bit = 1u << slot;
	p->resp_member = slot;
	if (slot == RM_LIST) {
		if (++p->list_count > 1)
			return stop(p, RESP_ERR_MALFORMED,
			            "malformed response: duplicate Certificates");
		if (kind != '[') return JSCAN_SKIP;
		p->sum.has_list = 1;
		*watch = NULL;
		return JSCAN_WATCH;
	}
	if (p->resp_seen & bit)
		return stop(p, RESP_ERR_MALFORMED,
		            "malformed response: duplicate member %s in Response",
		            resp_names[slot]);
	p->resp_seen |= bit;
	switch (slot) {
	case RM_TOTAL:
		if (kind != 'p') {
			p->total_bad = 1;
			return JSCAN_SKIP;
		}
		return capture_small(p, j, JSCAN_MAX_PRIM);
	case RM_REQID:
		return kind == '"' ? capture_small(p, j, RESP_MAX_REQID_BYTES) : JSCAN_SKIP;
	default: /* RM_ERROR */
		if (kind == 'p') return capture_small(p, j, JSCAN_MAX_PRIM);
		if (kind != '{')
			return stop(p, RESP_ERR_MALFORMED,
			            "malformed response: Error is not an object");
		p->has_error = 1;
		*watch = &names.error;
		return JSCAN_WATCH;
	}
}

static enum jscan_act error_member(struct resp_parser *p, struct jscan *j, int slot, char kind)
{
	unsigned bit = 1u << (RM_N + slot);
	if (p->resp_seen & bit)
		return stop(p, RESP_ERR_MALFORMED,
		            "malformed response: duplicate member Error.%s in Response",
		            error_names[slot]);
	p->resp_seen |= bit;
	p->member = slot;
	if (kind == '"' || (kind == 'p' && slot == EM_MESSAGE))
		return capture_small(p, j, slot == EM_CODE ? RESP_MAX_CODE_BYTES : RESP_MAX_APIMSG);
	p->error_bad = 1;
	return JSCAN_SKIP;
}

static enum jscan_act cert_begin(struct resp_parser *p, char kind, const struct jscan_names **watch)
{
	if (kind != '{')
		return stop(p, RESP_ERR_MALFORMED,
		            "malformed response: certificate %zu is not an object",
		            p->sum.n_certs + 1);
	p->kept.len = 0;
	p->kept.over = 0;
	p->kept.max = RESP_MAX_CERT_BYTES - 1; /* room for the closing brace */
	kept_put(p, "{", 1);
	p->seen = p->bad = 0;
	p->dup = -1;
	p->problem = RP_NONE;
	*watch = &names.cert;
	return JSCAN_WATCH;
}

static enum jscan_act cert_member(struct resp_parser *p, struct jscan *j, int slot, char kind,
                                  const struct jscan_names **watch)
{
	slot %= RF_N; /* the API name or the kept key */
	const struct resp_field *f = &resp_fields[slot];
	unsigned bit = 1u << slot;
	if (p->seen & bit) {
		if (p->dup < 0) p->dup = slot;
		return JSCAN_SKIP;
	}
	p->seen |= bit;
	p->member = slot;
	int container = kind == '{' || kind == '[';
	if (f->type == RT_STRINGS && kind == '[') {
		kept_name(p, f->key, f->key[1] ? 2 : 1);
		kept_put(p, "[", 1);
		p->n_elems = 0;
		p->watching = 1;
		p->kept.max = RESP_MAX_CERT_BYTES - RESP_KEPT_RESERVE;
		*watch = NULL;
		return JSCAN_WATCH;
	}
	if (f->type == RT_EXTRA && kind == '{') {
		p->member_from = p->kept.len;
		kept_name(p, f->key, f->key[1] ? 2 : 1);
		kept_put(p, "{", 1);
		p->n_elems = 0;
		p->watching = 1;
		*watch = &names.extra;
		return JSCAN_WATCH;
	}
	if (container || (kind == '"' && (f->type == RT_STRINGS || f->type == RT_EXTRA))) {
		p->bad |= bit;
		return JSCAN_SKIP;
	}
	p->member_from = p->kept.len;
	kept_name(p, f->key, f->key[1] ? 2 : 1);
	return capture(j, &p->kept);
}

/* An entry of a kept list, or a member of CertificateExtra. */
static enum jscan_act cert_inner(struct resp_parser *p, struct jscan *j, char kind)
{
	const struct resp_field *f = &resp_fields[p->member];
	if (f->type == RT_EXTRA) {
		if (p->n_elems++) {
			if (p->dup < 0) p->dup = RF_REPLACED_BY;
			return JSCAN_SKIP;
		}
		if (kind == '{' || kind == '[') {
			p->bad |= 1u << RF_REPLACED_BY;
			return JSCAN_SKIP;
		}
		p->elem_from = p->kept.len;
		kept_name(p, RESP_EXTRA_KEY, sizeof RESP_EXTRA_KEY - 1);
		return capture(j, &p->kept);
	}
	if (kind != '"') {
		p->bad |= 1u << p->member;
		return JSCAN_SKIP;
	}
	if (p->n_elems >= f->max) {
		if (!p->problem) p->problem = f->problem;
		return JSCAN_SKIP;
	}
	p->elem_from = p->kept.len;
	if (p->n_elems++) kept_put(p, ",", 1);
	return capture(j, &p->kept);
}

static enum jscan_act on_begin(void *ctx, struct jscan *j, int depth, int slot, char kind,
                               const struct jscan_names **watch)
{
	struct resp_parser *p = ctx;
	switch (depth) {
	case 0:
		*watch = &names.root;
		return JSCAN_WATCH;
	case 1:
		if (p->seen_response)
			return stop(p, RESP_ERR_MALFORMED,
			            "malformed response: duplicate Response");
		if (kind != '{')
			return stop(p, RESP_ERR_MALFORMED,
			            "malformed response: Response is not an object");
		p->seen_response = 1;
		*watch = &names.resp;
		return JSCAN_WATCH;
	case 2:
		return response_member(p, j, slot, kind, watch);
	case 3:
		if (p->resp_member == RM_LIST) return cert_begin(p, kind, watch);
		return error_member(p, j, slot, kind);
	case 4:
		return cert_member(p, j, slot, kind, watch);
	default:
		return cert_inner(p, j, kind);
	}
}

/* A captured string without its quotes (the closing one may have been cut). */
static struct tc_view unquote(const struct jscan_sink *k)
{
	struct tc_view v = {k->buf + 1, k->len > 0 ? k->len - 1 : 0};
	if (k->len >= 2 && !k->over && k->buf[k->len - 1] == '"') v.n--;
	return v;
}

static int small_is_null(const struct resp_parser *p)
{
	return p->small.len == 4 && memcmp(p->small.buf, "null", 4) == 0;
}

static int response_end(struct resp_parser *p)
{
	switch (p->resp_member) {
	case RM_TOTAL:
		if (!small_is_null(p)) {
			long long v = resp_uint(p->small.buf, p->small.len);
			if (v < 0) {
				p->total_bad = 1;
			} else {
				p->sum.has_total = 1;
				p->sum.total_count = v;
			}
		}
		return 0;
	case RM_REQID:
		resp_clean_copy(unquote(&p->small), p->sum.request_id, sizeof p->sum.request_id);
		return 0;
	case RM_ERROR:
		if (!p->has_error) { /* a primitive */
			if (small_is_null(p)) return 0;
			stop(p, RESP_ERR_MALFORMED, "malformed response: Error is not an object");
			return -1;
		}
		if (p->error_bad || !p->sum.error_code[0]) {
			stop(p, RESP_ERR_MALFORMED,
			     "malformed response: Error without a Code string");
			return -1;
		}
		return 0;
	}
	return 0;
}

static int error_end(struct resp_parser *p)
{
	if (p->small.buf[0] != '"' && !small_is_null(p))
		p->error_bad = 1; /* a Message that is not a string */
	else if (p->member == EM_CODE)
		resp_clean_copy(unquote(&p->small), p->sum.error_code, sizeof p->sum.error_code);
	else if (!small_is_null(p))
		resp_clean_copy(unquote(&p->small), p->api_msg, sizeof p->api_msg);
	return 0;
}

static int too_big(struct resp_parser *p)
{
	stop(p, RESP_ERR_TOO_BIG,
	     "malformed response: certificate %zu: kept members larger than %d KiB",
	     p->sum.n_certs + 1, RESP_MAX_CERT_BYTES / 1024);
	return -1;
}

static int cert_end(struct resp_parser *p)
{
	struct resp_cert c;
	if (p->problem) {
		char mark[32];
		int n = snprintf(mark, sizeof mark, "\"%s\":%d", resp_fields[RF_PROBLEM].key,
		                 p->problem);
		if (p->kept.len > 1) kept_put(p, ",", 1);
		kept_put(p, mark, (size_t)n);
	}
	p->kept.max = RESP_MAX_CERT_BYTES;
	kept_put(p, "}", 1);
	if (p->kept.over) return too_big(p);
	enum resp_err e =
	    resp_fields_read(p->kept.buf, p->kept.len, &c, p->bad, p->dup, p->problem, &p->msg);
	if (e) {
		p->err = e;
		return -1;
	}
	p->sum.n_certs++;
	if (p->fn && p->fn(p->ctx, &c) != 0) {
		stop(p, RESP_ERR_ABORTED, "certificate list processing aborted");
		return -1;
	}
	return 0;
}

/* A kept member whose value says no more than its absence (null, false for a
 * boolean, "" for ReplacedBy: view_empty) is taken out again: a smaller object
 * for jsmn and the cache. */
enum drop { DROP_NULL, DROP_FALSE, DROP_EMPTY };
static void drop_default(struct resp_parser *p, size_t from, enum drop also)
{
	const char *e = p->kept.buf + p->kept.len;
	size_t n = p->kept.len - from;
	if ((n > 5 && memcmp(e - 5, ":null", 5) == 0) ||
	    (also == DROP_FALSE && n > 6 && memcmp(e - 6, ":false", 6) == 0) ||
	    (also == DROP_EMPTY && n > 3 && memcmp(e - 3, ":\"\"", 3) == 0))
		p->kept.len = from;
}

static int on_end(void *ctx, struct jscan *j, int depth)
{
	struct resp_parser *p = ctx;
	(void)j;
	switch (depth) {
	case 2:
		return response_end(p);
	case 3:
		return p->resp_member == RM_LIST ? cert_end(p) : error_end(p);
	case 4:
		p->kept.max = RESP_MAX_CERT_BYTES - 1; /* the reserve is for what follows */
		if (p->watching) {                     /* a kept list or CertificateExtra closed */
			p->watching = 0;
			if (resp_fields[p->member].type == RT_EXTRA &&
			    p->kept.buf[p->kept.len - 1] == '{')
				p->kept.len = p->member_from; /* nothing kept of it */
			else
				kept_put(p, resp_fields[p->member].type == RT_STRINGS ? "]" : "}",
				         1);
		} else if (!p->kept.over) {
			drop_default(p, p->member_from,
			             resp_fields[p->member].type == RT_BOOL ? DROP_FALSE
			                                                    : DROP_NULL);
		}
		return p->kept.over ? too_big(p) : 0;
	case 5:
		if (p->kept.over && resp_fields[p->member].type == RT_STRINGS) {
			/* this entry does not fit: the list ends before it */
			p->kept.len = p->elem_from;
			p->kept.over = 0;
			p->n_elems = resp_fields[p->member].max; /* no more entries */
			if (!p->problem) p->problem = RP_LARGE;
			return 0;
		}
		if (p->kept.over) return too_big(p);
		if (resp_fields[p->member].type == RT_EXTRA)
			drop_default(p, p->elem_from, DROP_EMPTY);
		return 0;
	}
	return 0;
}

static const struct jscan_hooks hooks = {on_begin, on_end};

void resp_init(struct resp_parser *p, resp_cert_fn fn, void *ctx)
{
	if (!names.ready) names_init();
	/* the kept buffer is not cleared: it is always written before it is read */
	memset(p, 0, offsetof(struct resp_parser, small_buf));
	p->fn = fn;
	p->ctx = ctx;
	p->small.buf = p->small_buf;
	p->kept.buf = p->kept_buf;
	p->kept.max = RESP_MAX_CERT_BYTES;
	jscan_init(&p->scan, &hooks, p, &p->msg);
}

static enum resp_err fail(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum resp_err fail(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vset(&p->msg, fmt, ap);
	va_end(ap);
	return p->err = e;
}

enum resp_err resp_feed(struct resp_parser *p, const char *data, size_t len)
{
	if (p->err) return p->err;
	if (len == 0) return RESP_OK;
	if (len > RESP_MAX_BODY - p->body_len)
		return fail(p, RESP_ERR_TOO_BIG, "response body larger than %lu MiB",
		            RESP_MAX_BODY / (1024 * 1024));
	p->body_len += len;
	enum jscan_err e = jscan_feed(&p->scan, data, len);
	if (e == JSCAN_ERR_SYNTAX) {
		char why[MSG_MAX];
		snprintf(why, sizeof why, "%s", p->msg.text);
		return fail(p, RESP_ERR_MALFORMED, "malformed response: %s", why);
	}
	if (e && !p->err) return fail(p, RESP_ERR_MALFORMED, "malformed response");
	return p->err;
}

enum resp_err resp_finish(struct resp_parser *p)
{
	if (p->err) return p->err;
	int done = jscan_done(&p->scan);
	if (done < 0) return fail(p, RESP_ERR_MALFORMED, "malformed response: empty body");
	if (done == 0) {
		p->sum.truncated = 1;
		return fail(p, RESP_ERR_MALFORMED, "malformed response: truncated body");
	}
	if (!p->seen_response)
		return fail(p, RESP_ERR_MALFORMED, "malformed response: no Response object");
	if (p->has_error) {
		/* "API error <Code>: <Message> (RequestId <id>)", the Message cut to fit */
		char tail[160];
		char *out = p->msg.text;
		size_t head_n, tail_n, room, mlen = strlen(p->api_msg);
		if (p->sum.request_id[0])
			snprintf(tail, sizeof tail, " (RequestId %s)", p->sum.request_id);
		else
			tail[0] = '\0';
		head_n = (size_t)snprintf(out, MSG_MAX,
		                          p->api_msg[0] ? "API error %s: " : "API error %s",
		                          p->sum.error_code);
		tail_n = strlen(tail);
		room = MSG_MAX - 1 - head_n - tail_n; /* head < 140, tail < 160 */
		if (mlen > room) {
			mlen = room;
			while (mlen > 0 && ((unsigned char)p->api_msg[mlen] & 0xC0) == 0x80)
				mlen--;
		}
		memcpy(out + head_n, p->api_msg, mlen);
		memcpy(out + head_n + mlen, tail, tail_n + 1);
		return p->err = RESP_ERR_API;
	}
	if (p->total_bad)
		return fail(p, RESP_ERR_MALFORMED,
		            "malformed response: TotalCount is not a number");
	if (!p->sum.has_list) return fail(p, RESP_ERR_NO_LIST, "response has no certificate list");
	return RESP_OK;
}

const char *resp_message(const struct resp_parser *p)
{
	return p->err ? p->msg.text : "";
}

const struct resp_summary *resp_get_summary(const struct resp_parser *p)
{
	return &p->sum;
}

enum resp_err resp_parse_object(const char *obj, size_t len, struct resp_cert *out, struct msg *m)
{
	msg_clear(m);
	return resp_fields_read(obj, len, out, 0, -1, RP_NONE, m);
}
