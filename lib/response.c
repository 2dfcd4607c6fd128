#include "config.h"

#include "response.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jsmn.h>

#include "json.h"

/* Scanner states. The scanner validates the whole body's JSON syntax in one pass
 * and cuts out only the values we use; everything else is skipped byte by byte. */
enum {
	S_START,     /* before the root object */
	S_VALUE,     /* a value must come (after ':' or ',' in an array) */
	S_ARR_FIRST, /* after '[': a value or ']' */
	S_OBJ_FIRST, /* after '{': a key or '}' */
	S_KEY,       /* after ',' in an object: a key */
	S_COLON,     /* after a key */
	S_AFTER,     /* after a value: ',' or the closing bracket */
	S_STR,       /* inside a string */
	S_ESC,       /* after a backslash */
	S_HEX,       /* inside \uXXXX */
	S_PRIM,      /* inside a number or literal */
	S_END,       /* after the root object: only whitespace */
};

/* Where the scanner is: the roles below only apply at these exact depths. */
enum { P_ROOT, P_RESP, P_LIST };

/* What the value starting now is. */
enum { R_NONE, R_RESPONSE, R_LIST, R_TOTAL, R_REQID, R_ERROR, R_CERT };

enum { K_CERT = 1, K_ERROR, K_REQID };

/* 1 for the bytes that end the fast run through a string: quote, backslash, controls. */
static const unsigned char str_stop[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, ['"'] = 1, ['\\'] = 1,
};

static int is_ws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static int is_prim_char(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       c == '-' || c == '+' || c == '.';
}

static int is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* JSON number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int is_number(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '-') i++;
	if (i >= n) return 0;
	if (s[i] == '0') {
		i++;
	} else if (s[i] >= '1' && s[i] <= '9') {
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
	} else {
		return 0;
	}
	if (i < n && s[i] == '.') {
		size_t d = ++i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) return 0;
	}
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-')) i++;
		size_t d = i;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == d) return 0;
	}
	return i == n;
}

static int lit_eq(const char *s, size_t n, const char *lit)
{
	return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

/* A non-negative integer that fits; -1 otherwise. */
static long long parse_uint(const char *s, size_t n)
{
	long long v = 0;
	if (n == 0 || (n > 1 && s[0] == '0')) return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') return -1;
		if (v > (LLONG_MAX - (s[i] - '0')) / 10) return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Decodes a raw JSON string for a message: '|', ';' and control characters
 * become '_' so the text is safe on a Nagios status line. */
static size_t clean_copy(struct tc_view raw, char *out, size_t cap)
{
	size_t n = json_unescape(raw, out, cap); /* never splits a UTF-8 sequence */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7f || c == '|' || c == ';') out[i] = '_';
	}
	return n;
}

static void set_msg(char *msg, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void set_msg(char *msg, size_t cap, const char *fmt, ...)
{
	va_list ap;
	if (!msg || cap == 0) return;
	va_start(ap, fmt);
	vsnprintf(msg, cap, fmt, ap);
	va_end(ap);
}

/* ---- one certificate object, tokenized alone ---- */

static int tok_is_key(const char *js, const jsmntok_t *t, const char *lit, size_t n)
{
	return t->type == JSMN_STRING && (size_t)(t->end - t->start) == n &&
	       memcmp(js + t->start, lit, n) == 0;
}

/* Tokens making up the value at t[i] (1 for a scalar); -1 past n or too deep. */
static int tok_skip(const jsmntok_t *t, int n, int i, int depth)
{
	if (i >= n || depth > RESP_MAX_DEPTH) return -1;
	int used = 1;
	if (t[i].type == JSMN_OBJECT || t[i].type == JSMN_ARRAY) {
		int parts = t[i].type == JSMN_OBJECT ? 2 * t[i].size : t[i].size;
		for (int k = 0; k < parts; k++) {
			int c = tok_skip(t, n, i + used, depth + 1);
			if (c < 0) return -1;
			used += c;
		}
	}
	return used;
}

static int tok_null(const char *js, const jsmntok_t *t)
{
	return t->type == JSMN_PRIMITIVE && js[t->start] == 'n';
}

static struct tc_view tok_view(const char *js, const jsmntok_t *t)
{
	struct tc_view v = {js + t->start, (size_t)(t->end - t->start)};
	return v;
}

/* String or null into *v; 0 on a wrong type. */
static int get_string(const char *js, const jsmntok_t *t, int i, struct tc_view *v)
{
	v->p = NULL;
	v->n = 0;
	if (i < 0 || tok_null(js, &t[i])) return 1;
	if (t[i].type != JSMN_STRING) return 0;
	*v = tok_view(js, &t[i]);
	return 1;
}

/* true/false/null into *b; 0 on a wrong type. */
static int get_bool(const char *js, const jsmntok_t *t, int i, int *b)
{
	*b = 0;
	if (i < 0) return 1;
	if (t[i].type != JSMN_PRIMITIVE) return 0;
	char c = js[t[i].start];
	if (c == 't') *b = 1;
	return c == 't' || c == 'f' || c == 'n';
}

/* Array of strings or null into out[]; 0 wrong type, -1 more than max. */
static int get_strings(const char *js, const jsmntok_t *t, int n, int i, struct tc_view *out,
                       size_t max, size_t *count)
{
	*count = 0;
	if (i < 0 || tok_null(js, &t[i])) return 1;
	if (t[i].type != JSMN_ARRAY) return 0;
	if ((size_t)t[i].size > max) return -1;
	int k = i + 1;
	for (int e = 0; e < t[i].size; e++, k++) {
		if (k >= n || t[k].type != JSMN_STRING) return 0;
		out[(*count)++] = tok_view(js, &t[k]);
	}
	return 1;
}

enum {
	F_ID,
	F_DOMAIN,
	F_ALIAS,
	F_BEGIN,
	F_END,
	F_STATUS,
	F_SAN,
	F_BOUND,
	F_IGNORE,
	F_EXPIRING,
	F_EXTRA,
	F_N
};
static const char *const field_names[F_N] = {
    "CertificateId",  "Domain",        "Alias",    "CertBeginTime", "CertEndTime",      "Status",
    "SubjectAltName", "BoundResource", "IsIgnore", "IsExpiring",    "CertificateExtra",
};

/* Index of each known key's value among the members of the object at t[obj]. */
static int find_members(const char *js, const jsmntok_t *t, int n, int obj,
                        const char *const *names, int n_names, int *at)
{
	int i = obj + 1;
	size_t len[F_N];
	for (int f = 0; f < n_names; f++) {
		at[f] = -1;
		len[f] = strlen(names[f]);
	}
	for (int m = 0; m < t[obj].size; m++) {
		if (i + 1 >= n) return -1;
		for (int f = 0; f < n_names; f++)
			if (tok_is_key(js, &t[i], names[f], len[f])) at[f] = i + 1;
		/* most values are scalars: no walk needed */
		int used = t[i + 1].type == JSMN_STRING || t[i + 1].type == JSMN_PRIMITIVE
		               ? 1
		               : tok_skip(t, n, i + 1, 1);
		if (used < 0) return -1;
		i += 1 + used;
	}
	return 0;
}

static enum resp_err tokenize(const char *js, size_t len, jsmntok_t *tok, int *n, const char *what,
                              char *msg, size_t cap)
{
	jsmn_parser jp;
	if (len > INT_MAX) {
		set_msg(msg, cap, "malformed response: %s object too large", what);
		return RESP_ERR_TOO_BIG;
	}
	jsmn_init(&jp);
	int r = jsmn_parse(&jp, js, len, tok, RESP_MAX_TOKENS);
	if (r == JSMN_ERROR_NOMEM) {
		set_msg(msg, cap, "malformed response: %s object with more than %d JSON tokens",
		        what, RESP_MAX_TOKENS);
		return RESP_ERR_TOO_BIG;
	}
	if (r < 1 || tok[0].type != JSMN_OBJECT || tok[0].start != 0 || (size_t)tok[0].end != len) {
		set_msg(msg, cap, "malformed response: %s is not a JSON object", what);
		return RESP_ERR_MALFORMED;
	}
	*n = r;
	return RESP_OK;
}

enum resp_err resp_parse_object(const char *obj, size_t len, struct resp_cert *out, char *msg,
                                size_t cap)
{
	jsmntok_t tok[RESP_MAX_TOKENS];
	int n, at[F_N];
	char id[80];
	const char *bad = NULL, *want = NULL;

	if (msg && cap) msg[0] = '\0';
	if (!obj || !out) {
		set_msg(msg, cap, "malformed response: no certificate object");
		return RESP_ERR_MALFORMED;
	}
	if (len > RESP_MAX_CERT_BYTES) {
		set_msg(msg, cap, "malformed response: certificate object larger than %d KiB",
		        RESP_MAX_CERT_BYTES / 1024);
		return RESP_ERR_TOO_BIG;
	}
	enum resp_err e = tokenize(obj, len, tok, &n, "certificate", msg, cap);
	if (e) return e;
	if (find_members(obj, tok, n, 0, field_names, F_N, at) < 0) {
		set_msg(msg, cap, "malformed response: certificate object is not valid JSON");
		return RESP_ERR_MALFORMED;
	}

	memset(out, 0, offsetof(struct resp_cert, san));
	out->n_san = out->n_bound = 0;
	out->raw.p = obj;
	out->raw.n = len;
	out->status = -1;
	if (at[F_ID] < 0 || tok[at[F_ID]].type != JSMN_STRING ||
	    tok[at[F_ID]].end == tok[at[F_ID]].start) {
		set_msg(msg, cap, "malformed response: certificate without CertificateId");
		return RESP_ERR_MALFORMED;
	}
	out->id = tok_view(obj, &tok[at[F_ID]]);
	clean_copy(out->id, id, sizeof id);

	if (!get_string(obj, tok, at[F_DOMAIN], &out->domain))
		bad = "Domain", want = "a string";
	else if (!get_string(obj, tok, at[F_ALIAS], &out->alias))
		bad = "Alias", want = "a string";
	else if (!get_string(obj, tok, at[F_BEGIN], &out->begin_time))
		bad = "CertBeginTime", want = "a string";
	else if (!get_string(obj, tok, at[F_END], &out->end_time))
		bad = "CertEndTime", want = "a string";
	else if (!get_bool(obj, tok, at[F_IGNORE], &out->is_ignore))
		bad = "IsIgnore", want = "a boolean";
	else if (!get_bool(obj, tok, at[F_EXPIRING], &out->is_expiring))
		bad = "IsExpiring", want = "a boolean";
	if (bad) goto wrong_type;

	if (at[F_STATUS] >= 0 && !tok_null(obj, &tok[at[F_STATUS]])) {
		const jsmntok_t *t = &tok[at[F_STATUS]];
		long long v = t->type == JSMN_PRIMITIVE
		                  ? parse_uint(obj + t->start, (size_t)(t->end - t->start))
		                  : -1;
		if (v < 0 || v > LONG_MAX) {
			bad = "Status", want = "a number";
			goto wrong_type;
		}
		out->status = (long)v;
	}

	int r = get_strings(obj, tok, n, at[F_SAN], out->san, RESP_MAX_NAMES, &out->n_san);
	if (r < 0) {
		set_msg(msg, cap,
		        "malformed response: certificate %s: more than %d SubjectAltName entries",
		        id, RESP_MAX_NAMES);
		return RESP_ERR_TOO_BIG;
	}
	if (r == 0) {
		bad = "SubjectAltName", want = "an array of strings";
		goto wrong_type;
	}
	r = get_strings(obj, tok, n, at[F_BOUND], out->bound, RESP_MAX_BOUND, &out->n_bound);
	if (r < 0) {
		set_msg(msg, cap,
		        "malformed response: certificate %s: more than %d BoundResource entries",
		        id, RESP_MAX_BOUND);
		return RESP_ERR_TOO_BIG;
	}
	if (r == 0) {
		bad = "BoundResource", want = "an array of strings";
		goto wrong_type;
	}

	int x = at[F_EXTRA];
	if (x >= 0 && !tok_null(obj, &tok[x])) {
		static const char *const extra_names[] = {"ReplacedBy"};
		int rb;
		if (tok[x].type != JSMN_OBJECT) {
			bad = "CertificateExtra", want = "an object";
			goto wrong_type;
		}
		if (find_members(obj, tok, n, x, extra_names, 1, &rb) < 0) {
			set_msg(msg, cap,
			        "malformed response: certificate object is not valid JSON");
			return RESP_ERR_MALFORMED;
		}
		if (!get_string(obj, tok, rb, &out->replaced_by)) {
			bad = "CertificateExtra.ReplacedBy", want = "a string";
			goto wrong_type;
		}
	}
	return RESP_OK;

wrong_type:
	set_msg(msg, cap, "malformed response: certificate %s: %s is not %s", id, bad, want);
	return RESP_ERR_MALFORMED;
}

/* ---- the streaming scanner ---- */

static enum resp_err fail(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static enum resp_err fail(struct resp_parser *p, enum resp_err e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof p->message, fmt, ap);
	va_end(ap);
	p->err = e;
	return e;
}

/* Names a byte for a message without putting raw bytes on the status line. */
static const char *byte_name(unsigned char c, char buf[8])
{
	if (c > 0x20 && c < 0x7f && c != '|' && c != ';' && c != '\'')
		snprintf(buf, 8, "'%c'", c);
	else
		snprintf(buf, 8, "0x%02x", c);
	return buf;
}

static enum resp_err unexpected(struct resp_parser *p, unsigned char c, size_t at)
{
	char b[8];
	return fail(p, RESP_ERR_MALFORMED, "malformed response: unexpected %s at byte %zu",
	            byte_name(c, b), at);
}

void resp_init(struct resp_parser *p, resp_cert_fn fn, void *ctx)
{
	/* The capture buffer is not cleared: it is always written before it is read. */
	memset(p, 0, offsetof(struct resp_parser, cap));
	p->fn = fn;
	p->ctx = ctx;
	p->state = S_START;
	p->path = P_ROOT;
}

static int key_is(const struct resp_parser *p, const char *lit)
{
	return !p->key_overflow && lit_eq(p->key, p->key_len, lit);
}

static void key_append(struct resp_parser *p, const unsigned char *s, size_t n)
{
	if (p->key_overflow || n > sizeof p->key - p->key_len) {
		p->key_overflow = 1;
		return;
	}
	memcpy(p->key + p->key_len, s, n);
	p->key_len += n;
}

static enum resp_err cap_append(struct resp_parser *p, const unsigned char *s, size_t n)
{
	size_t limit = p->cap_kind == K_CERT    ? RESP_MAX_CERT_BYTES
	               : p->cap_kind == K_ERROR ? RESP_MAX_ERROR_BYTES
	                                        : RESP_MAX_REQID_BYTES;
	if (n > limit - p->cap_len) {
		if (p->cap_kind == K_CERT)
			return fail(p, RESP_ERR_TOO_BIG,
			            "malformed response: certificate object larger than %d KiB",
			            RESP_MAX_CERT_BYTES / 1024);
		if (p->cap_kind == K_ERROR)
			return fail(p, RESP_ERR_TOO_BIG,
			            "malformed response: Error object larger than %d KiB",
			            RESP_MAX_ERROR_BYTES / 1024);
		n = limit - p->cap_len; /* a RequestId is only shown: keep its start */
	}
	memcpy(p->cap + p->cap_len, s, n);
	p->cap_len += n;
	return RESP_OK;
}

static enum resp_err take_cert(struct resp_parser *p)
{
	struct resp_cert c;
	enum resp_err e = resp_parse_object(p->cap, p->cap_len, &c, p->message, sizeof p->message);
	if (e) return p->err = e;
	p->sum.n_certs++;
	if (p->fn && p->fn(p->ctx, &c) != 0)
		return fail(p, RESP_ERR_ABORTED, "certificate list processing aborted");
	return RESP_OK;
}

static enum resp_err take_error(struct resp_parser *p)
{
	jsmntok_t tok[RESP_MAX_TOKENS];
	static const char *const names[] = {"Code", "Message"};
	int n, at[2];
	struct tc_view code, text;
	enum resp_err e =
	    tokenize(p->cap, p->cap_len, tok, &n, "Error", p->message, sizeof p->message);
	if (e) return p->err = e;
	if (find_members(p->cap, tok, n, 0, names, 2, at) < 0 ||
	    !get_string(p->cap, tok, at[0], &code) || !get_string(p->cap, tok, at[1], &text) ||
	    view_empty(code))
		return fail(p, RESP_ERR_MALFORMED,
		            "malformed response: Error without a Code string");
	clean_copy(code, p->sum.error_code, sizeof p->sum.error_code);
	p->api_msg[0] = '\0';
	if (text.p) clean_copy(text, p->api_msg, sizeof p->api_msg);
	p->has_error = 1;
	return RESP_OK;
}

static void take_reqid(struct resp_parser *p)
{
	/* cap holds the string with its quotes (the closing one may have been cut) */
	struct tc_view v = {p->cap + 1, p->cap_len - 1};
	if (p->cap_len >= 2 && p->cap[p->cap_len - 1] == '"') v.n--;
	clean_copy(v, p->sum.request_id, sizeof p->sum.request_id);
}

/* The role of a value starting now, from where we are and the last tracked key. */
static int value_role(const struct resp_parser *p)
{
	if (p->depth == 1 && p->path == P_ROOT && p->stack[0] == '{')
		return key_is(p, "Response") ? R_RESPONSE : R_NONE;
	if (p->depth == 2 && p->path == P_RESP) {
		if (key_is(p, "Certificates")) return R_LIST;
		if (key_is(p, "TotalCount")) return R_TOTAL;
		if (key_is(p, "RequestId")) return R_REQID;
		if (key_is(p, "Error")) return R_ERROR;
		return R_NONE;
	}
	if (p->depth == 3 && p->path == P_LIST) return R_CERT;
	return R_NONE;
}

/* Checks roles against the kind of value that starts: '{', '[', '"' or 'p'
 * (a primitive, checked when it ends). */
static enum resp_err role_check(struct resp_parser *p, int role, char kind)
{
	switch (role) {
	case R_RESPONSE:
		if (p->seen_response)
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: duplicate Response");
		if (kind != '{')
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: Response is not an object");
		p->seen_response = 1;
		break;
	case R_LIST:
		if (++p->list_count > 1)
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: duplicate Certificates");
		break;
	case R_TOTAL:
		if (kind != 'p') p->total_bad = 1;
		break;
	case R_ERROR:
		if (kind != '{' && kind != 'p')
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: Error is not an object");
		break;
	case R_CERT:
		if (kind != '{')
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: certificate %zu is not an object",
			            p->sum.n_certs + 1);
		break;
	}
	return RESP_OK;
}

/* A number or literal ended: validate it and apply its role. */
static enum resp_err end_prim(struct resp_parser *p, size_t at)
{
	const char *s = p->prim;
	size_t n = p->prim_len;
	int is_null = lit_eq(s, n, "null");
	if (!is_null && !lit_eq(s, n, "true") && !lit_eq(s, n, "false") && !is_number(s, n))
		return fail(p, RESP_ERR_MALFORMED,
		            "malformed response: bad literal or number at byte %zu", at - n);
	switch (p->prim_role) {
	case R_RESPONSE:
		return fail(p, RESP_ERR_MALFORMED, "malformed response: Response is not an object");
	case R_TOTAL:
		if (!is_null) {
			long long v = parse_uint(s, n);
			if (v < 0) {
				p->total_bad = 1;
			} else {
				p->sum.has_total = 1;
				p->sum.total_count = v;
			}
		}
		break;
	case R_ERROR:
		if (!is_null)
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: Error is not an object");
		break;
	}
	return RESP_OK;
}

/* A container closes at depth d (the closing byte is at s[i]). */
static enum resp_err close_container(struct resp_parser *p, const unsigned char *s, size_t i,
                                     size_t *cap_from)
{
	unsigned char c = s[i];
	if (p->depth == 0 || p->stack[p->depth - 1] != (c == '}' ? '{' : '[')) {
		char b[8];
		return fail(p, RESP_ERR_MALFORMED, "malformed response: mismatched %s at byte %zu",
		            byte_name(c, b), p->body_len + i);
	}
	if (p->capturing && p->cap_depth == p->depth) {
		enum resp_err e = cap_append(p, s + *cap_from, i + 1 - *cap_from);
		p->capturing = 0;
		if (!e) e = p->cap_kind == K_CERT ? take_cert(p) : take_error(p);
		if (e) return e;
	}
	if (p->depth == 2 && p->path == P_RESP) p->path = P_ROOT;
	if (p->depth == 3 && p->path == P_LIST) p->path = P_RESP;
	p->depth--;
	p->state = p->depth == 0 ? S_END : S_AFTER;
	return RESP_OK;
}

/* A value starts with s[i] (not whitespace). */
static enum resp_err begin_value(struct resp_parser *p, const unsigned char *s, size_t i,
                                 size_t *cap_from)
{
	unsigned char c = s[i];
	int role = p->depth <= 3 ? value_role(p) : R_NONE;
	enum resp_err e;

	if (c == '{' || c == '[') {
		if (role && (e = role_check(p, role, (char)c))) return e;
		if (p->depth >= RESP_MAX_DEPTH)
			return fail(p, RESP_ERR_MALFORMED,
			            "malformed response: nesting deeper than %d", RESP_MAX_DEPTH);
		p->stack[p->depth++] = c;
		if (role == R_RESPONSE) p->path = P_RESP;
		if (role == R_LIST && c == '[') {
			p->path = P_LIST;
			p->sum.has_list = 1;
		}
		if (role == R_CERT || (role == R_ERROR && c == '{')) {
			p->capturing = 1;
			p->cap_kind = role == R_CERT ? K_CERT : K_ERROR;
			p->cap_depth = p->depth;
			p->cap_len = 0;
			*cap_from = i;
		}
		p->state = c == '{' ? S_OBJ_FIRST : S_ARR_FIRST;
		return RESP_OK;
	}
	if (c == '"') {
		if (role && (e = role_check(p, role, '"'))) return e;
		if (role == R_REQID) {
			p->capturing = 1;
			p->cap_kind = K_REQID;
			p->cap_depth = p->depth;
			p->cap_len = 0;
			*cap_from = i;
		}
		p->in_key = 0;
		p->state = S_STR;
		return RESP_OK;
	}
	if (c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n') {
		if (role && (e = role_check(p, role, 'p'))) return e;
		p->prim_role = role;
		p->prim[0] = (char)c;
		p->prim_len = 1;
		p->state = S_PRIM;
		return RESP_OK;
	}
	return unexpected(p, c, p->body_len + i);
}

enum resp_err resp_feed(struct resp_parser *p, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, cap_from = 0, key_from = 0;
	enum resp_err e = RESP_OK;

	if (p->err) return p->err;
	if (len == 0) return RESP_OK;
	if (len > RESP_MAX_BODY - p->body_len)
		return fail(p, RESP_ERR_TOO_BIG, "response body larger than %lu MiB",
		            RESP_MAX_BODY / (1024 * 1024));

	while (i < len) {
		unsigned char c = s[i];
		switch (p->state) {
		case S_STR:
			while (i < len && !str_stop[s[i]])
				i++;
			if (i == len) goto out;
			c = s[i];
			if (c == '\\') {
				p->state = S_ESC;
				i++;
				break;
			}
			if (c != '"') {
				e = fail(
				    p, RESP_ERR_MALFORMED,
				    "malformed response: control character in a string at byte %zu",
				    p->body_len + i);
				goto out;
			}
			if (p->in_key) {
				if (p->rec_key) {
					key_append(p, s + key_from, i - key_from);
					p->rec_key = 0;
				}
				p->state = S_COLON;
			} else {
				if (p->capturing && p->cap_kind == K_REQID) {
					e = cap_append(p, s + cap_from, i + 1 - cap_from);
					p->capturing = 0;
					take_reqid(p);
				}
				p->state = S_AFTER;
			}
			i++;
			break;
		case S_ESC:
			if (c == 'u') {
				p->hex_left = 4;
				p->state = S_HEX;
			} else if (c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' ||
			           c == 'n' || c == 'r' || c == 't') {
				p->state = S_STR;
			} else {
				e = fail(p, RESP_ERR_MALFORMED,
				         "malformed response: bad escape in a string at byte %zu",
				         p->body_len + i);
				goto out;
			}
			i++;
			break;
		case S_HEX:
			if (!is_hex(c)) {
				e = fail(
				    p, RESP_ERR_MALFORMED,
				    "malformed response: bad \\u escape in a string at byte %zu",
				    p->body_len + i);
				goto out;
			}
			if (--p->hex_left == 0) p->state = S_STR;
			i++;
			break;
		case S_PRIM:
			if (is_prim_char(c)) {
				if (p->prim_len >= sizeof p->prim) {
					e = fail(
					    p, RESP_ERR_MALFORMED,
					    "malformed response: bad literal or number at byte %zu",
					    p->body_len + i - p->prim_len);
					goto out;
				}
				p->prim[p->prim_len++] = (char)c;
				i++;
				break;
			}
			/* the byte after a primitive is not part of it: look at it again */
			if ((e = end_prim(p, p->body_len + i))) goto out;
			p->state = S_AFTER;
			break;
		case S_START:
			if (is_ws(c)) {
				i++;
				break;
			}
			if (c != '{') {
				e = fail(p, RESP_ERR_MALFORMED, "malformed response: not JSON");
				goto out;
			}
			if ((e = begin_value(p, s, i, &cap_from))) goto out;
			i++;
			break;
		case S_VALUE:
		case S_ARR_FIRST:
			if (is_ws(c)) {
				i++;
				break;
			}
			if (c == ']' && p->state == S_ARR_FIRST) {
				if ((e = close_container(p, s, i, &cap_from))) goto out;
			} else if ((e = begin_value(p, s, i, &cap_from))) {
				goto out;
			}
			i++;
			break;
		case S_OBJ_FIRST:
		case S_KEY:
			if (is_ws(c)) {
				i++;
				break;
			}
			if (c == '}' && p->state == S_OBJ_FIRST) {
				if ((e = close_container(p, s, i, &cap_from))) goto out;
			} else if (c == '"') {
				p->in_key = 1;
				p->rec_key = (p->depth == 1 && p->path == P_ROOT) ||
				             (p->depth == 2 && p->path == P_RESP);
				if (p->rec_key) {
					p->key_len = 0;
					p->key_overflow = 0;
					key_from = i + 1;
				}
				p->state = S_STR;
			} else {
				e = unexpected(p, c, p->body_len + i);
				goto out;
			}
			i++;
			break;
		case S_COLON:
			if (is_ws(c)) {
				i++;
				break;
			}
			if (c != ':') {
				e = unexpected(p, c, p->body_len + i);
				goto out;
			}
			p->state = S_VALUE;
			i++;
			break;
		case S_AFTER:
			if (is_ws(c)) {
				i++;
				break;
			}
			if (c == ',') {
				p->state = p->stack[p->depth - 1] == '{' ? S_KEY : S_VALUE;
			} else if (c == '}' || c == ']') {
				if ((e = close_container(p, s, i, &cap_from))) goto out;
			} else {
				e = unexpected(p, c, p->body_len + i);
				goto out;
			}
			i++;
			break;
		case S_END:
			if (is_ws(c)) {
				i++;
				break;
			}
			e = fail(p, RESP_ERR_MALFORMED,
			         "malformed response: trailing garbage after the root object at "
			         "byte %zu",
			         p->body_len + i);
			goto out;
		default:
			e = fail(p, RESP_ERR_MALFORMED,
			         "malformed response: internal scanner state");
			goto out;
		}
		if (e) goto out;
	}
out:
	/* a tracked key or a capture goes on in the next chunk: keep what we have */
	if (!e && p->in_key && p->rec_key &&
	    (p->state == S_STR || p->state == S_ESC || p->state == S_HEX))
		key_append(p, s + key_from, len - key_from);
	if (!e && p->capturing) e = cap_append(p, s + cap_from, len - cap_from);
	p->body_len += len;
	if (e) p->err = e;
	return e;
}

enum resp_err resp_finish(struct resp_parser *p)
{
	if (p->err) return p->err;
	if (p->state == S_START)
		return fail(p, RESP_ERR_MALFORMED, "malformed response: empty body");
	if (p->state != S_END) {
		p->sum.truncated = 1;
		return fail(p, RESP_ERR_MALFORMED, "malformed response: truncated body");
	}
	if (!p->seen_response)
		return fail(p, RESP_ERR_MALFORMED, "malformed response: no Response object");
	if (p->has_error) {
		/* "API error <Code>: <Message> (RequestId <id>)", the Message cut to fit */
		char tail[160];
		size_t head_n, tail_n, room, mlen = strlen(p->api_msg);
		if (p->sum.request_id[0])
			snprintf(tail, sizeof tail, " (RequestId %s)", p->sum.request_id);
		else
			tail[0] = '\0';
		head_n = (size_t)snprintf(p->message, sizeof p->message,
		                          p->api_msg[0] ? "API error %s: " : "API error %s",
		                          p->sum.error_code);
		tail_n = strlen(tail);
		room = sizeof p->message - 1 - head_n - tail_n; /* head < 140, tail < 160 */
		if (mlen > room) {
			mlen = room;
			while (mlen > 0 && ((unsigned char)p->api_msg[mlen] & 0xC0) == 0x80)
				mlen--;
		}
		memcpy(p->message + head_n, p->api_msg, mlen);
		memcpy(p->message + head_n + mlen, tail, tail_n + 1);
		p->err = RESP_ERR_API;
		return p->err;
	}
	if (p->total_bad)
		return fail(p, RESP_ERR_MALFORMED,
		            "malformed response: TotalCount is not a number");
	if (!p->sum.has_list) return fail(p, RESP_ERR_NO_LIST, "response has no certificate list");
	return RESP_OK;
}

const char *resp_message(const struct resp_parser *p)
{
	return p->err ? p->message : "";
}

const struct resp_summary *resp_get_summary(const struct resp_parser *p)
{
	return &p->sum;
}
