/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the streaming response parser: the first two bytes choose
 * how the rest is cut into chunks, so splits land everywhere. Aborts on a
 * broken contract (an unknown error code, a message that is empty or has a
 * newline or '|', a chunking that gives another result than the whole body),
 * which both libFuzzer and the smoke driver notice. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct resp_parser parser, whole;

struct fuzz_ctx {
	size_t seen, abort_at;
	unsigned sum;
};

static unsigned touch(struct tc_view v)
{
	unsigned s = 0;
	for (size_t i = 0; v.p && i < v.n; i++)
		s += (unsigned char)v.p[i];
	return s;
}

/* Reads every byte of every view, so ASan sees any view that points out of bounds. */
static int on_cert(void *ctx, const struct resp_cert *c)
{
	struct fuzz_ctx *f = ctx;
	if (view_empty(c->id) || !c->raw.p || c->raw.p[0] != '{' || c->raw.p[c->raw.n - 1] != '}')
		abort();
	f->sum += touch(c->raw) + touch(c->id) + touch(c->domain) + touch(c->alias) +
	          touch(c->begin_time) + touch(c->end_time) + touch(c->replaced_by);
	if (c->n_san > RESP_MAX_NAMES || c->n_bound > RESP_MAX_BOUND) abort();
	if (c->problem && strncmp(c->problem, "has ", 4) != 0) abort();
	for (size_t i = 0; i < c->n_san; i++)
		f->sum += touch(c->san[i]);
	for (size_t i = 0; i < c->n_bound; i++)
		f->sum += touch(c->bound[i]);
	return ++f->seen == f->abort_at;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_ctx f = {0, 0, 0};
	unsigned mode = size > 0 ? data[0] : 0, step = size > 1 ? data[1] : 0;
	size_t off = 0;
	enum resp_err e = RESP_OK;

	if (size >= 2) {
		data += 2;
		size -= 2;
	}
	if (mode & 0x80) f.abort_at = (mode >> 4) & 7;
	resp_init(&parser, on_cert, &f);
	while (off < size && !e) {
		size_t n = size - off;
		switch (mode & 3) {
		case 0:
			break; /* whole */
		case 1:
			n = 1;
			break; /* one byte at a time */
		case 2:
			if (n > step + 1u) n = step + 1u;
			break; /* fixed chunks */
		default:       /* sizes from a small generator */
			step = step * 1103515245u + 12345u;
			if (n > (step >> 8) % 97 + 1) n = (step >> 8) % 97 + 1;
		}
		e = resp_feed(&parser, (const char *)data + off, n);
		off += n;
	}
	if (!e) e = resp_finish(&parser);
	if (e < RESP_OK || e > RESP_ERR_ABORTED) abort();
	/* finish again: the result is stable */
	if (resp_finish(&parser) != e) abort();
	const char *m = resp_message(&parser);
	if (e != RESP_OK && (m[0] == '\0' || strchr(m, '\n') || strchr(m, '|') || strlen(m) >= 512))
		abort();
	if (e == RESP_ERR_ABORTED && f.seen != f.abort_at) abort();
	if (resp_get_summary(&parser)->n_certs != f.seen) abort();

	/* the same bytes in one chunk: the same error, message and certificates */
	struct fuzz_ctx w = {0, f.abort_at, 0};
	resp_init(&whole, on_cert, &w);
	enum resp_err we = resp_feed(&whole, (const char *)data, size);
	if (!we) we = resp_finish(&whole);
	if (we != e || w.seen != f.seen || w.sum != f.sum) abort();
	if (e != RESP_OK && strcmp(resp_message(&whole), m) != 0) abort();
	return 0;
}
