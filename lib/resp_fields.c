/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tokens.h"

#include "resp_fields.h"

#include <limits.h>
#include <string.h>

#include "json.h"

#define PROBLEM_NAMES "has more than 2048 SubjectAltName entries"
#define PROBLEM_BOUND "has more than 64 BoundResource entries"
#define PROBLEM_LARGE "has SubjectAltName or BoundResource entries over 240 KiB"
_Static_assert(RESP_MAX_NAMES == 2048 && RESP_MAX_BOUND == 64 &&
                   RESP_MAX_CERT_BYTES - RESP_KEPT_RESERVE == 240 * 1024,
               "update the phrases");

const char *const resp_problems[RP_N] = {NULL, PROBLEM_NAMES, PROBLEM_BOUND, PROBLEM_LARGE};

#define AT(f) offsetof(struct resp_cert, f)
const struct resp_field resp_fields[RF_N] = {
    [RF_ID] =
        {.name = "CertificateId", .key = "0", .type = RT_STRING, .want = "a string", .off = AT(id)},
    [RF_DOMAIN] =
        {.name = "Domain", .key = "1", .type = RT_STRING, .want = "a string", .off = AT(domain)},
    [RF_ALIAS] =
        {.name = "Alias", .key = "2", .type = RT_STRING, .want = "a string", .off = AT(alias)},
    [RF_BEGIN] = {.name = "CertBeginTime",
                  .key = "3",
                  .type = RT_STRING,
                  .want = "a string",
                  .off = AT(begin_time)},
    [RF_END] = {.name = "CertEndTime",
                .key = "4",
                .type = RT_STRING,
                .want = "a string",
                .off = AT(end_time)},
    [RF_IGNORE] = {.name = "IsIgnore",
                   .key = "5",
                   .type = RT_BOOL,
                   .want = "a boolean",
                   .off = AT(is_ignore)},
    [RF_EXPIRING] = {.name = "IsExpiring",
                     .key = "6",
                     .type = RT_BOOL,
                     .want = "a boolean",
                     .off = AT(is_expiring)},
    [RF_STATUS] =
        {.name = "Status", .key = "7", .type = RT_UINT, .want = "a number", .off = AT(status)},
    [RF_SAN] = {.name = "SubjectAltName",
                .key = "8",
                .type = RT_STRINGS,
                .want = "an array of strings",
                .off = AT(san),
                .count_off = AT(n_san),
                .max = RESP_MAX_NAMES,
                .problem = RP_NAMES},
    [RF_BOUND] = {.name = "BoundResource",
                  .key = "9",
                  .type = RT_STRINGS,
                  .want = "an array of strings",
                  .off = AT(bound),
                  .count_off = AT(n_bound),
                  .max = RESP_MAX_BOUND,
                  .problem = RP_BOUND},
    [RF_EXTRA] = {.name = "CertificateExtra",
                  .key = "10",
                  .type = RT_EXTRA,
                  .want = "an object",
                  .off = AT(replaced_by)},
    [RF_PROBLEM] = {.name = "_problem", .key = "11", .type = RT_PROBLEM, .want = "a number"},
};

void resp_fields_names(struct jscan_names *cert, struct jscan_names *extra)
{
	static const char *const extra_names[2] = {RESP_EXTRA_NAME, RESP_EXTRA_KEY};
	const char *list[2 * RF_N];
	for (int f = 0; f < RF_N; f++) {
		list[f] = resp_fields[f].name;
		list[RF_N + f] = resp_fields[f].key;
	}
	/* constant tables that fit the caps: these cannot fail */
	jscan_names_init(cert, list, 2 * RF_N);
	jscan_names_init(extra, extra_names, 2);
}

size_t resp_clean_copy(struct tc_view raw, char *out, size_t cap)
{
	size_t n = json_unescape(raw, out, cap); /* never splits a UTF-8 sequence */
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c < 0x20 || c == 0x7f || c == '|' || c == ';') out[i] = '_';
	}
	return n;
}

long long resp_uint(const char *s, size_t n)
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

/* Tokens making up the value at t[i] (1 for a scalar); -1 past n or too deep. */
static int tok_skip(const jsmntok_t *t, int n, int i, int depth)
{
	if (i >= n || depth > JSCAN_MAX_DEPTH) return -1;
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

/* A kept key ("0".."11", the field's index: see the table): the field, else -1. */
static int kept_key(const char *k, size_t n)
{
	if (n == 1 && k[0] >= '0' && k[0] <= '9') return k[0] - '0';
	if (n == 2 && k[0] == '1' && (k[1] == '0' || k[1] == '1')) return 10 + k[1] - '0';
	return -1;
}

/* Index of each name's value among the members of the object at t[obj], -1
 * when absent; *dup gets the first name seen twice. -1 on broken tokens. */
static int find_members(const char *js, const jsmntok_t *t, int n, int obj,
                        const struct jscan_names *names, int fold, int *at, int *dup)
{
	int i = obj + 1;
	for (int f = 0; f < fold; f++)
		at[f] = -1;
	for (int m = 0; m < t[obj].size; m++) {
		if (i + 1 >= n) return -1;
		const char *k = js + t[i].start;
		size_t kn = (size_t)(t[i].end - t[i].start);
		int f = t[i].type == JSMN_STRING ? kept_key(k, kn) : -1;
		if (f >= fold)
			f = -1;
		else if (f < 0 && t[i].type == JSMN_STRING && (f = jscan_match(names, k, kn)) >= 0)
			f %= fold;
		if (f >= 0 && at[f] >= 0 && *dup < 0) *dup = f;
		if (f >= 0 && at[f] < 0) at[f] = i + 1;
		/* most values are scalars: no walk needed */
		int used = t[i + 1].type == JSMN_STRING || t[i + 1].type == JSMN_PRIMITIVE
		               ? 1
		               : tok_skip(t, n, i + 1, 1);
		if (used < 0) return -1;
		i += 1 + used;
	}
	return 0;
}

/* Reads the value at t[i] (i < 0: absent) as f says. 0 on a wrong type. */
static int get(const struct resp_field *f, const char *js, const jsmntok_t *t, int n, int i,
               struct resp_cert *out, int *problem)
{
	char *base = (char *)out;
	if (i < 0 || tok_null(js, &t[i])) return f->type != RT_PROBLEM || i < 0;
	switch (f->type) {
	case RT_STRING:
		if (t[i].type != JSMN_STRING) return 0;
		*(struct tc_view *)(void *)(base + f->off) = tok_view(js, &t[i]);
		return 1;
	case RT_BOOL:
		if (t[i].type != JSMN_PRIMITIVE || (js[t[i].start] != 't' && js[t[i].start] != 'f'))
			return 0;
		*(int *)(void *)(base + f->off) = js[t[i].start] == 't';
		return 1;
	case RT_UINT: {
		long long v = t[i].type == JSMN_PRIMITIVE
		                  ? resp_uint(js + t[i].start, (size_t)(t[i].end - t[i].start))
		                  : -1;
		if (v < 0 || v > LONG_MAX) return 0;
		*(long *)(void *)(base + f->off) = (long)v;
		return 1;
	}
	case RT_STRINGS: {
		struct tc_view *v = (struct tc_view *)(void *)(base + f->off);
		size_t *count = (size_t *)(void *)(base + f->count_off);
		if (t[i].type != JSMN_ARRAY) return 0;
		int k = i + 1;
		for (int e = 0; e < t[i].size; e++, k++) {
			if (k >= n || t[k].type != JSMN_STRING) return 0;
			if (*count < f->max)
				v[(*count)++] = tok_view(js, &t[k]);
			else if (!*problem)
				*problem = f->problem;
		}
		return 1;
	}
	case RT_PROBLEM: {
		long long v = t[i].type == JSMN_PRIMITIVE
		                  ? resp_uint(js + t[i].start, (size_t)(t[i].end - t[i].start))
		                  : -1;
		if (v <= RP_NONE || v >= RP_N) return 0;
		if (!*problem) *problem = (int)v;
		return 1;
	}
	case RT_EXTRA:
		break;
	}
	return 0;
}

/* The id is decoded only when a message needs it. */
static enum resp_err wrong_type(struct msg *m, struct tc_view v, const char *name, const char *want)
{
	char id[80];
	resp_clean_copy(v, id, sizeof id);
	msg_set(m, "malformed response: certificate %s: %s is not %s", id, name, want);
	return RESP_ERR_MALFORMED;
}

enum resp_err resp_fields_read(const char *obj, size_t len, struct resp_cert *out, unsigned bad,
                               int dup, int problem, struct msg *m)
{
	static struct jscan_names names, extra;
	jsmntok_t tok[RESP_MAX_TOKENS];
	jsmn_parser jp;
	int at[RF_N], n;

	if (!obj || !out) {
		msg_set(m, "malformed response: no certificate object");
		return RESP_ERR_MALFORMED;
	}
	if (len > RESP_MAX_CERT_BYTES) {
		msg_set(m, "malformed response: certificate object larger than %d KiB",
		        RESP_MAX_CERT_BYTES / 1024);
		return RESP_ERR_TOO_BIG;
	}
	jsmn_init(&jp);
	n = jsmn_parse(&jp, obj, len, tok, RESP_MAX_TOKENS);
	if (n == JSMN_ERROR_NOMEM) {
		msg_set(m, "malformed response: certificate object with more than %d JSON tokens",
		        RESP_MAX_TOKENS);
		return RESP_ERR_TOO_BIG;
	}
	if (n < 1 || tok[0].type != JSMN_OBJECT || tok[0].start != 0 || (size_t)tok[0].end != len) {
		msg_set(m, "malformed response: certificate is not a JSON object");
		return RESP_ERR_MALFORMED;
	}
	if (!names.n) resp_fields_names(&names, &extra);
	if (find_members(obj, tok, n, 0, &names, RF_N, at, &dup) < 0) {
		msg_set(m, "malformed response: certificate object is not valid JSON");
		return RESP_ERR_MALFORMED;
	}

	memset(out, 0, offsetof(struct resp_cert, san));
	out->n_san = out->n_bound = 0;
	out->raw.p = obj;
	out->raw.n = len;
	out->status = -1;
	int i = at[RF_ID];
	if ((bad & 1u << RF_ID) || i < 0 || tok[i].type != JSMN_STRING ||
	    tok[i].end == tok[i].start) {
		msg_set(m, "malformed response: certificate without CertificateId");
		return RESP_ERR_MALFORMED;
	}
	out->id = tok_view(obj, &tok[i]);

	for (int f = RF_DOMAIN; f < RF_N; f++) {
		const struct resp_field *fd = &resp_fields[f];
		if (bad & 1u << f) return wrong_type(m, out->id, fd->name, fd->want);
		if (fd->type != RT_EXTRA) {
			if (!get(fd, obj, tok, n, at[f], out, &problem))
				return wrong_type(m, out->id, fd->name, fd->want);
			continue;
		}
		int x = at[f], rb;
		if (x < 0 || tok_null(obj, &tok[x])) continue;
		if (tok[x].type != JSMN_OBJECT) return wrong_type(m, out->id, fd->name, fd->want);
		if (bad & 1u << RF_REPLACED_BY)
			return wrong_type(m, out->id, "CertificateExtra.ReplacedBy", "a string");
		int inner_dup = -1;
		if (find_members(obj, tok, n, x, &extra, 1, &rb, &inner_dup) < 0) {
			msg_set(m, "malformed response: certificate object is not valid JSON");
			return RESP_ERR_MALFORMED;
		}
		if (inner_dup >= 0 && dup < 0) dup = RF_REPLACED_BY;
		if (rb >= 0 && !tok_null(obj, &tok[rb])) {
			if (tok[rb].type != JSMN_STRING)
				return wrong_type(m, out->id, "CertificateExtra.ReplacedBy",
				                  "a string");
			out->replaced_by = tok_view(obj, &tok[rb]);
		}
	}
	if (dup >= 0) {
		char id[80];
		resp_clean_copy(out->id, id, sizeof id);
		msg_set(m, "malformed response: duplicate member %s in certificate %s",
		        dup == RF_REPLACED_BY ? "CertificateExtra.ReplacedBy"
		                              : resp_fields[dup].name,
		        id);
		return RESP_ERR_MALFORMED;
	}
	out->problem = problem > RP_NONE && problem < RP_N ? resp_problems[problem] : NULL;
	return RESP_OK;
}
