/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "jscan.h"

#include <stdint.h>
#include <string.h>

#include "jscan_bytes.h"

/* Where the scan stands between chunks. Inside jscan_feed each state is a label
 * and a transition is a jump: state is written only when a chunk runs out. */
enum {
	ST_START,     /* before the root value */
	ST_VALUE,     /* a value must come (after ':' or ',' in an array) */
	ST_ARR_FIRST, /* after '[': a value or ']' */
	ST_OBJ_FIRST, /* after '{': a key or '}' */
	ST_KEY,       /* after ',' in an object: a key */
	ST_COLON,     /* after a key */
	ST_AFTER,     /* after a value: ',' or a closing bracket */
	ST_STR,       /* inside a string */
	ST_ESC,       /* after a backslash */
	ST_HEX,       /* inside \uXXXX */
	ST_PRIM,      /* inside a number or literal */
	ST_END,       /* after the root value: only whitespace */
};

/* What the open string is. */
enum { SK_VALUE, SK_KEY, SK_WKEY /* a key of a watched object: kept to match */ };

static inline unsigned key_hash(const char *k, size_t n)
{
	return (unsigned)(n * 31 + (unsigned char)k[0] * 7 + (unsigned char)k[n - 1] * 13) & 255;
}

/* memcmp(a, b, n) == 0 for short keys, without a call: overlapping loads */
static inline int same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	uint32_t p, q, r, t;
	if (n >= 8) {
		for (size_t i = 0; i + 8 < n; i += 8) {
			memcpy(&x, a + i, 8);
			memcpy(&y, b + i, 8);
			if (x != y) return 0;
		}
		memcpy(&u, a + n - 8, 8);
		memcpy(&v, b + n - 8, 8);
		return u == v;
	}
	if (n >= 4) {
		memcpy(&p, a, 4);
		memcpy(&q, b, 4);
		memcpy(&r, a + n - 4, 4);
		memcpy(&t, b + n - 4, 4);
		return p == q && r == t;
	}
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i]) return 0;
	return 1;
}

int jscan_names_init(struct jscan_names *t, const char *const *names, int n)
{
	memset(t, 0, sizeof *t);
	memset(t->by_len, 0xff, sizeof t->by_len);
	if (n < 0 || n > JSCAN_MAX_NAMES) return -1;
	for (int f = 0; f < n; f++) {
		size_t len = strlen(names[f]), k = 0;
		if (len == 0 || len > JSCAN_MAX_KEY) return -1;
		while (k < JSCAN_MAX_ALIKE && t->by_len[len][k] != 0xff)
			k++;
		if (k == JSCAN_MAX_ALIKE) return -1;
		t->name[f] = names[f];
		t->len[f] = (unsigned char)len;
		t->by_len[len][k] = (unsigned char)f;
		t->lens[(unsigned char)names[f][0]] |= (uint64_t)1 << len;
		unsigned char *h = &t->hash[key_hash(names[f], len)];
		*h = *h ? 0xff : (unsigned char)(f + 1);
	}
	t->n = n;
	return 0;
}

/* The index of the name k[0..n) among t's, -1 when none. */
static inline int match(const struct jscan_names *t, const char *k, size_t n)
{
	if (!t || n == 0 || n > JSCAN_MAX_KEY) return -1;
	unsigned v = t->hash[key_hash(k, n)];
	if (v == 0) return -1; /* most keys of a watched object are not watched */
	if (v != 0xff) return t->len[v - 1] == n && same(t->name[v - 1], k, n) ? (int)v - 1 : -1;
	for (const unsigned char *f = t->by_len[n]; *f != 0xff; f++) {
		const char *name = t->name[*f];
		if (name[0] == k[0] && same(name, k, n)) return *f;
	}
	return -1;
}

/* match(), with what rules out most keys of a watched object inline first: no name of
 * that length starting with that byte, then none of that hash. k[0] is readable even when
 * n is 0 (it is the closing quote). */
static inline int key_slot(const struct jscan_names *t, const char *k, size_t n)
{
	return t && n <= JSCAN_MAX_KEY && (t->lens[(unsigned char)k[0]] >> n & 1) &&
	               t->hash[key_hash(k, n)]
	           ? match(t, k, n)
	           : -1;
}

int jscan_match(const struct jscan_names *t, const char *key, size_t n)
{
	return match(t, key, n);
}

void jscan_init(struct jscan *j, const struct jscan_hooks *hooks, void *ctx, struct msg *m)
{
	memset(j, 0, sizeof *j);
	j->hooks = hooks;
	j->ctx = ctx;
	j->msg = m;
	j->state = ST_START;
	j->slot = -1;
}

int jscan_done(const struct jscan *j)
{
	if (j->err) return 0; /* where an error stopped the scan depends on the chunking */
	return j->state == ST_END ? 1 : j->state == ST_START ? -1 : 0;
}

size_t jscan_offset(const struct jscan *j)
{
	return j->base + j->at;
}

static void sink_put(struct jscan_sink *k, const unsigned char *p, size_t n)
{
	if (k->over) return;
	if (n > k->max - k->len) {
		n = k->max - k->len; /* the start is kept */
		k->over = 1;
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
}

/* Names a byte for a message without putting raw bytes on a status line. */
static const char *byte_name(unsigned char c, char buf[8])
{
	static const char digits[] = "0123456789abcdef";
	if (c > 0x20 && c < 0x7f && c != '|' && c != ';' && c != '\'') {
		buf[0] = '\'', buf[1] = (char)c, buf[2] = '\'', buf[3] = '\0';
	} else {
		buf[0] = '0', buf[1] = 'x', buf[2] = digits[c >> 4], buf[3] = digits[c & 15];
		buf[4] = '\0';
	}
	return buf;
}

static enum jscan_err syntax(struct jscan *j, const char *what, size_t at)
{
	msg_set(j->msg, "%s at byte %zu", what, at);
	return j->err = JSCAN_ERR_SYNTAX;
}

static enum jscan_err unexpected(struct jscan *j, unsigned char c, size_t at)
{
	char b[8];
	msg_set(j->msg, "unexpected %s at byte %zu", byte_name(c, b), at);
	return j->err = JSCAN_ERR_SYNTAX;
}

/* Out of the hot path: a watched value starts. */
static enum jscan_act hook_begin(struct jscan *j, int d, int slot, char kind)
{
	const struct jscan_names *names = NULL;
	enum jscan_act act =
	    j->hooks->begin(j->ctx, j, d, d && j->stack[d - 1] == '{' ? slot : -1, kind, &names);
	if (act == JSCAN_WATCH && d < JSCAN_MAX_DEPTH) j->names[d + 1] = names;
	return act;
}

/* In jscan_feed: past white space; at the chunk's end the scan stops and
 * resumes in STATE with the next chunk. */
#define WS_OR_SUSPEND(STATE)                                                                       \
	do {                                                                                       \
		i = ws_run(s, i, n);                                                               \
		if (i == n) {                                                                      \
			j->state = (STATE);                                                        \
			goto out;                                                                  \
		}                                                                                  \
	} while (0)

enum jscan_err jscan_feed(struct jscan *j, const char *data, size_t len)
{
	const unsigned char *s = (const unsigned char *)data;
	size_t i = 0, n = len, cap_from = 0, key_from = 0, prim_from = 0;
	unsigned char c;
	char kind;
	/* kept in registers: stores through the byte pointers could alias *j */
	int depth = j->depth, watch = j->watch, sk = j->str_kind, slot = j->slot;

	if (j->err) return j->err;
	switch (j->state) {
	case ST_START:
		goto start;
	case ST_VALUE:
		goto value;
	case ST_ARR_FIRST:
		goto arr_first;
	case ST_OBJ_FIRST:
		goto obj_first;
	case ST_KEY:
		goto key;
	case ST_COLON:
		goto colon;
	case ST_AFTER:
		goto after;
	case ST_STR:
		goto str;
	case ST_ESC:
		goto esc;
	case ST_HEX:
		goto hexd;
	case ST_PRIM:
		goto prim_more;
	case ST_END:
		goto end;
	}
	msg_set(j->msg, "internal scanner state");
	return j->err = JSCAN_ERR_SYNTAX;

start:
	WS_OR_SUSPEND(ST_START);
	if (s[i] != '{') { /* the root is an object */
		msg_set(j->msg, "not JSON");
		j->err = JSCAN_ERR_SYNTAX;
		goto out;
	}
	goto begin;

arr_first:
	WS_OR_SUSPEND(ST_ARR_FIRST);
	if (s[i] == ']') goto close;
	goto begin;

value:
	WS_OR_SUSPEND(ST_VALUE);
	/* fall through */

begin: /* a value starts at s[i] */
	c = s[i];
	kind = (char)start_kind[c];
	if (!kind) {
		unexpected(j, c, j->base + i);
		goto out;
	}
	{
		enum jscan_act act = JSCAN_SKIP;
		int d = depth;
		/* only values at depth == watch can be watched (a watched container sets
		 * watch to its inside; an unwatched one takes its values deeper) */
		if (d == watch && (slot >= 0 || d == 0 || j->stack[d - 1] == '[')) {
			j->at = i;
			act = hook_begin(j, d, slot, kind);
			if (act == JSCAN_STOP) {
				j->err = JSCAN_ERR_HOOK;
				goto out;
			}
			if (act == JSCAN_CAPTURE && j->sink) {
				j->cap_depth = d;
				cap_from = i;
			} else if (act == JSCAN_CAPTURE) {
				j->sink = NULL;
			}
		}
		if (kind == '"') {
			i = str_run(s, i + 1, n);
			if (i < n && s[i] == '"') { /* whole in this chunk, no escape */
				i++;
				if (j->sink && j->cap_depth == depth) goto cap_end;
				goto after;
			}
			sk = SK_VALUE;
			goto str;
		}
		if (kind == 'p') {
			prim_from = i;
			goto prim;
		}
		if (d >= JSCAN_MAX_DEPTH) {
			msg_set(j->msg, "nesting deeper than %d", JSCAN_MAX_DEPTH);
			j->err = JSCAN_ERR_SYNTAX;
			goto out;
		}
		j->stack[d] = c;
		depth = d + 1;
		if (act == JSCAN_WATCH) watch = d + 1;
		i++;
		if (c == '[') goto arr_first;
		/* fall through to obj_first */
	}

obj_first:
	WS_OR_SUSPEND(ST_OBJ_FIRST);
	if (s[i] == '}') goto close;
	goto key_start;

key:
	WS_OR_SUSPEND(ST_KEY);
key_start:
	/* Members no hook sees, "key":"string" or "key":number-or-literal, whole in this
	 * chunk, without escapes or white space, no capture open: a tight loop (most of
	 * a certificate). Anything else leaves it at the member's key, value or end for
	 * the general path below; a value it hands back is scanned there from its start.
	 * A watched name is matched here once and its value goes to the hooks. */
	if (!j->sink) {
		const struct jscan_names *t = depth <= watch ? j->names[depth] : NULL;
		while (s[i] == '"') {
			size_t q = str_run(s, i + 1, n), k = q - (i + 1), v = q + 2;
			if (n - q < 3 || s[q] != '"' || s[q + 1] != ':') break;
			i = v;
			slot = key_slot(t, data + q - k, k);
			if (slot >= 0) goto value; /* a watched name: its value goes to the hooks */
			c = s[v];
			if (c == '"') {
				size_t e = str_run(s, v + 1, n);
				if (e == n || s[e] != '"') goto value;
				i = e + 1;
			} else if (c == 't' || c == 'f' || c == 'n') {
				size_t lk = lit_len(s, v, n);
				if (!lk) goto value;
				i = v + lk;
			} else if (c == '-' || (c >= '0' && c <= '9')) {
				size_t e = v + 1;
				while (e < n && prim_char[s[e]])
					e++;
				if (e == n || e - v > JSCAN_MAX_PRIM || !prim_ok(data + v, e - v))
					goto value;
				i = e;
			} else {
				goto value; /* a container or white space */
			}
			if (n - i < 2 || s[i] != ',') goto after;
			if (s[++i] != '"') goto key; /* white space after the comma */
		}
	}
	if (s[i] != '"') {
		unexpected(j, s[i], j->base + i);
		goto out;
	}
	key_from = ++i;
	i = str_run(s, i, n);
	if (i < n && s[i] == '"') { /* whole in this chunk, no escape: the common case */
		if (depth <= watch) slot = key_slot(j->names[depth], data + key_from, i - key_from);
		i++;
		if (i < n && s[i] == ':') {
			i++;
			if (i < n && !ws[s[i]]) goto begin;
			goto value;
		}
		goto colon;
	}
	if (depth <= watch) {
		sk = SK_WKEY;
		j->key_len = 0;
	} else {
		sk = SK_KEY;
	}
	/* fall through */

str:
	i = str_run(s, i, n);
	if (i == n) {
		j->state = ST_STR;
		goto out;
	}
	c = s[i];
	if (c == '\\') {
		i++;
		goto esc;
	}
	if (c != '"') {
		syntax(j, "control character in a string", j->base + i);
		goto out;
	}
	/* the string ends at s[i] */
	if (sk == SK_VALUE) {
		i++;
		if (j->sink && j->cap_depth == depth) goto cap_end;
		goto after;
	}
	if (sk == SK_WKEY) {
		if (j->key_len == 0) {
			slot = match(j->names[depth], data + key_from, i - key_from);
		} else {
			size_t k = i - key_from;
			if (j->key_len > JSCAN_MAX_KEY || k > JSCAN_MAX_KEY - j->key_len) {
				slot = -1;
			} else {
				memcpy(j->key + j->key_len, s + key_from, k);
				slot = match(j->names[depth], j->key, j->key_len + k);
			}
		}
	}
	i++;
	/* fall through */

colon:
	if (i < n && s[i] == ':') {
		i++;
		goto value;
	}
	WS_OR_SUSPEND(ST_COLON);
	if (s[i] != ':') {
		unexpected(j, s[i], j->base + i);
		goto out;
	}
	i++;
	goto value;

esc:
	if (i == n) {
		j->state = ST_ESC;
		goto out;
	}
	c = s[i];
	if (c == 'u') {
		j->hex_left = 4;
		i++;
		goto hexd;
	}
	if (c != '"' && c != '\\' && c != '/' && c != 'b' && c != 'f' && c != 'n' && c != 'r' &&
	    c != 't') {
		syntax(j, "bad escape in a string", j->base + i);
		goto out;
	}
	i++;
	goto str;

hexd:
	while (j->hex_left > 0) {
		if (i == n) {
			j->state = ST_HEX;
			goto out;
		}
		if (!hex[s[i]]) {
			syntax(j, "bad \\u escape in a string", j->base + i);
			goto out;
		}
		i++;
		j->hex_left--;
	}
	goto str;

prim: /* a number or literal starts at s[i] */
	if (c == 't' || c == 'f' || c == 'n') {
		size_t k = lit_len(s, i, n); /* whole in this chunk: no loop */
		if (k) {
			i += k;
			goto prim_end;
		}
	}
	i++;
	while (i < n && prim_char[s[i]])
		i++;
	if (i == n) {
		size_t k = i - prim_from;
		if (k > JSCAN_MAX_PRIM) goto prim_long;
		memcpy(j->prim, s + prim_from, k);
		j->prim_len = k;
		j->state = ST_PRIM;
		goto out;
	}
	if (i - prim_from > JSCAN_MAX_PRIM) goto prim_long;
	if (!prim_ok(data + prim_from, i - prim_from)) {
		syntax(j, "bad literal or number", j->base + prim_from);
		goto out;
	}
	goto prim_end;

prim_more: /* a number or literal from the last chunk goes on */
	while (i < n && prim_char[s[i]]) {
		if (j->prim_len >= JSCAN_MAX_PRIM) {
			syntax(j, "bad literal or number", j->base + i - j->prim_len);
			goto out;
		}
		j->prim[j->prim_len++] = (char)s[i++];
	}
	if (i == n) {
		j->state = ST_PRIM;
		goto out;
	}
	if (!prim_ok(j->prim, j->prim_len)) {
		syntax(j, "bad literal or number", j->base + i - j->prim_len);
		goto out;
	}
	/* fall through */

prim_end:
	if (j->sink && j->cap_depth == depth) goto cap_end;
	goto after;

prim_long:
	syntax(j, "bad literal or number", j->base + prim_from);
	goto out;

cap_end: /* a captured value ended just before s[i] (a container: its bracket) */
	sink_put(j->sink, s + cap_from, i - cap_from);
	j->sink = NULL;
	j->at = i;
	if (j->hooks->end(j->ctx, j, depth) != 0) {
		j->err = JSCAN_ERR_HOOK;
		goto out;
	}
	if (depth == 0) goto end; /* the captured value was the root */
	                          /* fall through */

after:
	if (i == n) {
		j->state = ST_AFTER;
		goto out;
	}
	c = s[i];
	if (c == ',') {
		i++;
		if (j->stack[depth - 1] == '{') goto key;
		goto value;
	}
	if (c == '}' || c == ']') goto close;
	if (ws[c]) {
		i = ws_run(s, i, n);
		goto after;
	}
	unexpected(j, c, j->base + i);
	goto out;

close: /* s[i] is '}' or ']' */
	c = s[i];
	if (depth == 0 || j->stack[depth - 1] != (c == '}' ? '{' : '[')) {
		char b[8];
		msg_set(j->msg, "mismatched %s at byte %zu", byte_name(c, b), j->base + i);
		j->err = JSCAN_ERR_SYNTAX;
		goto out;
	}
	i++;
	depth--;
	if (j->sink && j->cap_depth == depth) goto cap_end;
	if (watch == depth + 1) {
		watch = depth;
		j->at = i;
		if (j->hooks->end(j->ctx, j, depth) != 0) {
			j->err = JSCAN_ERR_HOOK;
			goto out;
		}
	}
	if (depth == 0) goto end;
	goto after;

end: /* the root object is complete */
	i = ws_run(s, i, n);
	j->state = ST_END;
	if (i < n) syntax(j, "trailing garbage after the root object", j->base + i);
	goto out;

out:
	j->depth = depth;
	j->watch = watch;
	j->str_kind = sk;
	j->slot = slot;
	if (!j->err) {
		/* a watched key or a capture goes on in the next chunk: keep what we have */
		if (j->state == ST_STR || j->state == ST_ESC || j->state == ST_HEX) {
			if (sk == SK_WKEY) {
				size_t k = n - key_from;
				if (j->key_len > JSCAN_MAX_KEY || k > JSCAN_MAX_KEY - j->key_len)
					j->key_len = JSCAN_MAX_KEY + 1; /* too long to match */
				else
					memcpy(j->key + j->key_len, s + key_from, k),
					    j->key_len += k;
			}
		}
		if (j->sink) sink_put(j->sink, s + cap_from, n - cap_from);
	}
	j->base += n;
	j->at = 0;
	return j->err;
}
