/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "jfields.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

#include "json.h"
#include "secret.h"

/* Index just past the value at t[i] and everything inside it: tokens come in
 * order of their start, so the value's tokens are those starting before its end. */
static int after(const jsmntok_t *t, int n, int i)
{
	int j = i + 1;
	while (j < n && t[j].start < t[i].end)
		j++;
	return j;
}

/* Index of the value of key (len bytes) among the members of the object t[obj];
 * -1 when absent, -2 when the key appears twice. */
static int member(const char *js, const jsmntok_t *t, int n, int obj, const char *key, size_t len)
{
	int found = -1, i = obj + 1;
	for (int m = 0; m < t[obj].size && i + 1 < n; m++) {
		const jsmntok_t *k = &t[i];
		if (k->type == JSMN_STRING && (size_t)(k->end - k->start) == len &&
		    memcmp(js + k->start, key, len) == 0) {
			if (found >= 0) return -2;
			found = i + 1;
		}
		i = after(t, n, i + 1);
	}
	return found;
}

static int too_deep(const jsmntok_t *t, int n)
{
	int depth[JFIELDS_MAX_DEPTH + 1], top = 0; /* ends of the open containers */
	for (int i = 0; i < n; i++) {
		while (top > 0 && t[i].start >= depth[top - 1])
			top--;
		if (t[i].type == JSMN_OBJECT || t[i].type == JSMN_ARRAY) {
			if (top == JFIELDS_MAX_DEPTH) return 1;
			depth[top++] = t[i].end;
		}
	}
	return 0;
}

enum jfields_err jfields_get(const char *js, size_t len, struct jfield *f, size_t nf)
{
	jsmn_parser p;
	for (size_t k = 0; k < nf; k++) {
		f[k].type = JF_ABSENT;
		f[k].raw = (struct tc_view){0};
	}
	if (!js || len == 0 || len > INT_MAX / 2) return JFIELDS_ERR_SYNTAX;
	jsmn_init(&p);
	int n = jsmn_parse(&p, js, len, NULL, 0);
	if (n == JSMN_ERROR_NOMEM || n > JFIELDS_MAX_TOKENS) return JFIELDS_ERR_TOOBIG;
	if (n < 1) return JFIELDS_ERR_SYNTAX;
	jsmntok_t *t = malloc((size_t)n * sizeof *t);
	if (!t) return JFIELDS_ERR_NOMEM;
	jsmn_init(&p);
	enum jfields_err rc = JFIELDS_OK;
	if (jsmn_parse(&p, js, len, t, (unsigned)n) != n || t[0].type != JSMN_OBJECT)
		rc = JFIELDS_ERR_SYNTAX;
	/* one value and nothing after it but white space */
	for (size_t i = rc == JFIELDS_OK ? (size_t)t[0].end : len; i < len; i++)
		if (!strchr(" \t\r\n", js[i])) rc = JFIELDS_ERR_SYNTAX;
	if (rc == JFIELDS_OK && too_deep(t, n)) rc = JFIELDS_ERR_TOOBIG;
	for (size_t k = 0; rc == JFIELDS_OK && k < nf; k++) {
		const char *path = f[k].path;
		int at = 0;
		while (at >= 0) {
			size_t kl = strcspn(path, ".");
			if (t[at].type != JSMN_OBJECT) {
				at = -1;
				break;
			}
			at = member(js, t, n, at, path, kl);
			if (at == -2) rc = JFIELDS_ERR_DUP;
			if (at < 0 || path[kl] == '\0') break;
			path += kl + 1;
		}
		if (at < 0) continue;
		const jsmntok_t *v = &t[at];
		f[k].raw = (struct tc_view){js + v->start, (size_t)(v->end - v->start)};
		if (v->type == JSMN_STRING)
			f[k].type = JF_STRING;
		else if (v->type == JSMN_PRIMITIVE &&
		         (js[v->start] == '-' || (js[v->start] >= '0' && js[v->start] <= '9')))
			f[k].type = JF_NUMBER;
		else
			f[k].type = JF_OTHER;
	}
	free(t);
	return rc;
}

int jfields_token(const struct jfield *f, char *dst, size_t cap)
{
	if (cap == 0) return -1;
	dst[0] = '\0';
	if (f->type != JF_STRING || f->raw.n == 0 || f->raw.n >= cap) return -1;
	size_t n = json_unescape(f->raw, dst, cap);
	if (n == 0) return -1;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)dst[i] < 0x21 || dst[i] == 0x7f) {
			secret_wipe(dst, cap);
			return -1;
		}
	return 0;
}
