/* libFuzzer target for the cache file reader: the input is written as the
 * cache file (mode 0600, ours) and replayed through cache_open/cache_replay.
 * A replay must end in OK or MISS, and what reaches the sink must be whole
 * certificates (a CertificateId, a kept object '{'..'}'). */
#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "response.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[64];
static const char key[] = "fuzz-key";

static int on_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	(void)page;
	if (view_empty(c->id) || !c->raw.p || c->raw.p[0] != '{' || c->raw.p[c->raw.n - 1] != '}')
		abort();
	++*(long long *)ctx;
	return 0;
}

static void on_commit(void *ctx, unsigned page)
{
	(void)ctx;
	(void)page;
}

static void on_reset(void *ctx)
{
	*(long long *)ctx = 0; /* a half replay is taken back */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path[0]) {
		char dir[] = "/tmp/fuzz_cache.XXXXXX";
		if (!mkdtemp(dir)) abort();
		snprintf(path, sizeof path, "%s/cache", dir);
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0600);
	if (fd < 0) abort();
	if (size && write(fd, data, size) != (ssize_t)size) abort();
	close(fd);

	char message[512];
	long long seen = 0, listed = -1;
	struct cache *c = cache_open(path, 1L << 40, key, sizeof key - 1, message, sizeof message);
	if (!c) return 0;
	cache_set_lock_wait(c, 0);
	struct client_sink sink = {.ctx = &seen,
	                           .cert = on_cert,
	                           .commit = on_commit,
	                           .discard = on_commit,
	                           .reset = on_reset};
	enum cache_err e = cache_replay(c, &sink, &listed);
	if (e != CACHE_OK && e != CACHE_MISS && e != CACHE_ERR) abort();
	if (e == CACHE_OK && listed != seen) abort();
	cache_close(c);
	return 0;
}
