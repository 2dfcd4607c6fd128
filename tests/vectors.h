/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reads tests/data/tc3_vectors.json for the signing and request tests: each
 * vector becomes a set of decoded string fields looked up by name. */
#ifndef TC_TEST_VECTORS_H
#define TC_TEST_VECTORS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tokens.h"

#include "json.h"

#define VEC_MAX_FIELDS 48

struct vec {
	char *name[VEC_MAX_FIELDS];
	char *value[VEC_MAX_FIELDS]; /* decoded; NULL for JSON null; numbers as text */
	int n;
};

static inline const char *vec_get(const struct vec *v, const char *name)
{
	for (int i = 0; i < v->n; i++)
		if (strcmp(v->name[i], name) == 0) return v->value[i];
	return NULL;
}

static inline char *vec_dup(const char *js, const jsmntok_t *t)
{
	size_t n = (size_t)(t->end - t->start);
	char *out = malloc(n * 4 + 1); /* decoding never grows a string past 4x */
	struct tc_view raw = {js + t->start, n};
	if (t->type == JSMN_STRING)
		json_unescape(raw, out, n * 4 + 1);
	else {
		memcpy(out, raw.p, n);
		out[n] = '\0';
	}
	return out;
}

/* Skips the value at tokens[i]; returns the index after it. */
static inline int vec_skip(const jsmntok_t *t, int i)
{
	int n = t[i].size;
	int j = i + 1;
	if (t[i].type == JSMN_OBJECT) {
		for (int k = 0; k < n; k++)
			j = vec_skip(t, j + 1);
	} else if (t[i].type == JSMN_ARRAY) {
		for (int k = 0; k < n; k++)
			j = vec_skip(t, j);
	}
	return j;
}

/* Loads the array `list` ("vectors" or "doc_vectors"); returns the count or -1. */
static inline int vec_load(const char *list, struct vec *out, int max)
{
	char path[4096];
	const char *top = getenv("top_srcdir");
	snprintf(path, sizeof path, "%s/tests/data/tc3_vectors.json", top ? top : ".");
	FILE *f = fopen(path, "rb");
	if (!f) return -1;
	static char js[1 << 20];
	size_t len = fread(js, 1, sizeof js, f);
	fclose(f);
	jsmn_parser p;
	static jsmntok_t t[1 << 14];
	jsmn_init(&p);
	int nt = jsmn_parse(&p, js, len, t, sizeof t / sizeof t[0]);
	if (nt < 1 || t[0].type != JSMN_OBJECT) return -1;
	int i = 1, count = 0;
	for (int k = 0; k < t[0].size; k++) {
		int is_list = t[i].end - t[i].start == (int)strlen(list) &&
		              memcmp(js + t[i].start, list, strlen(list)) == 0;
		int v = i + 1;
		if (is_list && t[v].type == JSMN_ARRAY) {
			int j = v + 1;
			for (int e = 0; e < t[v].size && count < max; e++) {
				struct vec *x = &out[count++];
				int o = j;
				x->n = 0;
				j = o + 1;
				for (int f2 = 0; f2 < t[o].size; f2++) {
					if (x->n < VEC_MAX_FIELDS && t[j + 1].type != JSMN_OBJECT &&
					    t[j + 1].type != JSMN_ARRAY) {
						x->name[x->n] = vec_dup(js, &t[j]);
						x->value[x->n] = (t[j + 1].type == JSMN_PRIMITIVE &&
						                  js[t[j + 1].start] == 'n')
						                     ? NULL
						                     : vec_dup(js, &t[j + 1]);
						x->n++;
					}
					j = vec_skip(t, j + 1);
				}
			}
			return count;
		}
		i = vec_skip(t, v);
	}
	return -1;
}

#endif
