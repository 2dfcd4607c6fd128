/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the cache file reader. First its parsing alone
 * (cache_rec.h): the header, then records decoded one after another from what
 * follows. Then the whole reader: the input written as the cache file (0600,
 * ours) and replayed through cache_open/cache_replay, under the key its own
 * header names and a clock at its creation, so the fuzzer gets past the key
 * and age checks to the records. Aborts on a broken contract: a record size
 * past the input, a view outside its record, counts past the caps, a replay
 * that is neither OK nor MISS, or an OK whose count is not what reached the
 * sink. */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "cache_rec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct resp_cert rc;

static void inside(struct tc_view v, const uint8_t *lo, const uint8_t *hi)
{
	if (v.p && ((const uint8_t *)v.p < lo || (const uint8_t *)v.p + v.n > hi)) abort();
}

static int on_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	(void)page;
	if (c->n_san > RESP_MAX_NAMES || c->n_bound > RESP_MAX_BOUND) abort();
	++*(long long *)ctx;
	return 0;
}

static void on_page(void *ctx, unsigned page)
{
	(void)ctx;
	(void)page;
}

static void on_reset(void *ctx)
{
	*(long long *)ctx = 0; /* a half replay is taken back */
}

/* The whole reader over data as a file. */
static void replay(const uint8_t *data, size_t size)
{
	static char path[64];
	struct crec_header h;
	struct cache_key key;
	struct cache *c = NULL;
	if (!path[0]) {
		char dir[] = "/tmp/fuzz_cache.XXXXXX";
		if (!mkdtemp(dir)) abort();
		snprintf(path, sizeof path, "%s/cache", dir);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (fd < 0) abort();
	if (size && write(fd, data, size) != (ssize_t)size) abort();
	close(fd);
	memset(key.hex, 'a', CACHE_KEY_HEX);
	key.hex[CACHE_KEY_HEX] = '\0';
	long long now = 1800000000;
	if (size >= CREC_HDR_LEN && crec_header_parse((const char *)data, &h) == 0) {
		memcpy(key.hex, h.key, sizeof key.hex);
		now = h.created;
	}
	if (cache_open(&c, path, 1L << 30, &key, NULL) != CACHE_OK) abort();
	cache_set_now(c, now);
	cache_set_lock_wait(c, 0);
	long long seen = 0, listed = -1;
	struct client_sink sink = {.ctx = &seen,
	                           .cert = on_cert,
	                           .commit = on_page,
	                           .discard = on_page,
	                           .reset = on_reset};
	enum cache_err e = cache_replay(c, &sink, &listed, NULL);
	if (e != CACHE_OK && e != CACHE_MISS) abort();
	if (e == CACHE_OK && listed != seen) abort();
	cache_close(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct crec_header h;
	replay(data, size);
	if (size >= CREC_HDR_LEN && crec_header_parse((const char *)data, &h) == 0) {
		if (strlen(h.key) != 64 || strlen(h.check) != 16) abort();
		(void)crec_header_ok((const char *)data, &h, 0);
	}
	size_t off = size >= CREC_HDR_LEN ? CREC_HDR_LEN : 0;
	while (off < size) {
		size_t need = 0;
		size_t n = crec_decode(data + off, size - off, &rc, &need);
		if (n == 0) {
			if (need && need <= size - off) abort(); /* says it needs what it has */
			break;
		}
		if (n == (size_t)-1) break;
		if (n > size - off) abort();
		const uint8_t *lo = data + off, *hi = data + off + n;
		if (rc.n_san > RESP_MAX_NAMES || rc.n_bound > RESP_MAX_BOUND) abort();
		inside(rc.id, lo, hi);
		inside(rc.domain, lo, hi);
		inside(rc.alias, lo, hi);
		inside(rc.begin_time, lo, hi);
		inside(rc.end_time, lo, hi);
		inside(rc.replaced_by, lo, hi);
		for (size_t i = 0; i < rc.n_san; i++)
			inside(rc.san[i], lo, hi);
		for (size_t i = 0; i < rc.n_bound; i++)
			inside(rc.bound[i], lo, hi);
		/* what decodes re-encodes to the same bytes: one meaning per record */
		static unsigned char again[CREC_MAX];
		size_t m = crec_encode(&rc, again, sizeof again);
		if (m != n || memcmp(again, lo, n) != 0) abort();
		off += n;
	}
	return 0;
}
