/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the response tests share (test_response.c, test_jscan.c, test_response_limits.c): the
 * parser, a callback that writes down every field it is handed, a feeder that cuts the body into
 * chunks, and the macros the bodies are built from. Static inline, so a program that uses a part
 * builds without warnings about the rest. */
#ifndef TC_RESP_HARNESS_H
#define TC_RESP_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "response.h"

static struct resp_parser parser; /* 64 KiB: not on the stack */

/* What the callback saw: one decoded line per certificate, and a hash of the raw bytes. */
struct seen {
	char *text;
	size_t len, cap;
	uint64_t raw_hash;
	size_t n;
	size_t abort_at; /* return non-zero on this certificate (1-based), 0 = never */
};

static inline void put(struct seen *s, const char *p, size_t n)
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

static inline void put_view(struct seen *s, struct tc_view v)
{
	char buf[1024];
	if (!v.p) {
		put(s, "(null)", 6);
		return;
	}
	size_t n = json_unescape(v, buf, sizeof buf);
	put(s, buf, n);
}

static inline uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

static inline int on_cert(void *ctx, const struct resp_cert *c)
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
static inline uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Feeds body in chunks: chunk 0 = whole, 1 = one byte at a time, -1 = random sizes. */
static inline enum resp_err run(const char *body, size_t len, long chunk, struct seen *s)
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

/* Bodies: R opens the Response object, CERT one certificate, PAGE a page of them. */
#define R            "{\"Response\":{"
#define CERT(fields) "{\"CertificateId\":\"abc\"" fields "}"
#define PAGE(certs)  R "\"TotalCount\":1,\"Certificates\":[" certs "],\"RequestId\":\"r-1\"}}"

#endif
