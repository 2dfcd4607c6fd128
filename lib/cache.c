/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/md.h>

#include "cache_lock.h"
#include "cache_rec.h"
#include "clock.h"
#include "hex.h"

/* The file's format is in cache_rec.h. */
#define BUF (2 * CREC_MAX) /* read buffer: more than a record */

_Static_assert(CACHE_KEY_HEX + 1 == sizeof((struct crec_header *)0)->key, "the key fits");
_Static_assert(CACHE_LOCK_MAX_PATH >= CACHE_MAX_PATH + 5, "PATH.lock fits");
_Static_assert(BUF > CREC_MAX, "a record fits in the read buffer");

struct cache {
	char path[CACHE_MAX_PATH];
	char tmp_path[CACHE_MAX_PATH + 16];
	long ttl;
	char key_hex[CACHE_KEY_HEX + 1];
	long long fixed_now;
	double lock_wait;
	struct msg why;
	struct cache_lock lock;
	int lock_state; /* 0 not tried, 1 held, -1 not ours: do not write */
	int refused;    /* PATH is a symlink or not ours: neither read nor written */
	int seen;       /* the last file read, to skip re-reading the same bad file */
	struct stat seen_st;
	/* writing (cache_tee) */
	struct client_sink inner;
	long long started; /* when the listing began: its age counts from there */
	FILE *tmp;
	int gave_up;
	unsigned long long n_recs, n_bytes;
	unsigned staged[CACHE_MAX_STAGED]; /* pages with records written, not yet committed */
	size_t n_staged;
	struct csum sum;
	unsigned char rec[CREC_MAX];
	/* replay */
	unsigned char buf[BUF];
	struct resp_cert rc;
};

static void give(const struct cache *c, struct msg *m)
{
	if (m) *m = c->why;
}

static long long now_s(const struct cache *c)
{
	return c->fixed_now ? c->fixed_now : (long long)time(NULL);
}

static int md_part(mbedtls_md_context_t *md, const char *s, size_t n)
{
	char len[24];
	int k = snprintf(len, sizeof len, "%zu:", n);
	return mbedtls_md_update(md, (const unsigned char *)len, (size_t)k) ||
	       mbedtls_md_update(md, (const unsigned char *)s, n);
}

enum cache_err cache_key(struct cache_key *out, const char *endpoint, const char *identity,
                         const struct api_filters *filters, struct msg *m)
{
	static char body[REQ_MAX_BODY];
	size_t blen = 0;
	unsigned char d[32];
	memset(out, 0, sizeof *out);
	if (!endpoint || !identity || strlen(identity) > CACHE_MAX_IDENTITY) {
		msg_set(m, "cache key: no endpoint or identity, or an identity too long");
		return CACHE_ERR;
	}
	if (filters && req_body(filters, 0, 0, body, sizeof body, &blen) != 0) {
		msg_set(m, "request body too large");
		return CACHE_ERR;
	}
	const mbedtls_md_info_t *info = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	mbedtls_md_context_t md;
	mbedtls_md_init(&md);
	int bad = !info || mbedtls_md_setup(&md, info, 0) || mbedtls_md_starts(&md) ||
	          md_part(&md, "TCSSLCACHE key 2", 16) ||
	          md_part(&md, endpoint, strlen(endpoint)) ||
	          md_part(&md, identity, strlen(identity)) || md_part(&md, body, blen) ||
	          mbedtls_md_finish(&md, d);
	mbedtls_md_free(&md);
	if (bad) {
		msg_set(m, "cache: SHA-256 unavailable");
		return CACHE_ERR;
	}
	hex_encode(d, 32, out->hex);
	return CACHE_OK;
}

enum cache_err cache_open(struct cache **out, const char *path, long ttl,
                          const struct cache_key *key, struct msg *m)
{
	msg_clear(m);
	*out = NULL;
	if (!path || !path[0] || strlen(path) >= CACHE_MAX_PATH || path[strlen(path) - 1] == '/') {
		msg_set(m, "--cache-file: bad path");
		return CACHE_ERR;
	}
	if (ttl < 0 || !key || strlen(key->hex) != CACHE_KEY_HEX) {
		msg_set(m, "--cache-ttl: bad value");
		return CACHE_ERR;
	}
	struct cache *c = calloc(1, sizeof *c);
	if (!c) {
		msg_set(m, "cache: out of memory");
		return CACHE_ERR;
	}
	memcpy(c->path, path, strlen(path) + 1);
	cache_lock_init(&c->lock, path); /* fits: path is shorter than CACHE_MAX_PATH */
	memcpy(c->key_hex, key->hex, sizeof c->key_hex);
	c->ttl = ttl;
	c->lock_wait = CACHE_LOCK_WAIT;
	*out = c;
	return CACHE_OK;
}

void cache_set_lock_wait(struct cache *c, double seconds)
{
	if (c) c->lock_wait = seconds > 0 ? seconds : 0;
}

void cache_set_now(struct cache *c, long long now)
{
	if (c) c->fixed_now = now;
}

/* ---- reading ---- */

/* Streams the records into the sink, checking as it goes; 0 when every record,
 * the trailer and the check agree. The caller resets the sink otherwise. */
static int replay_records(struct cache *c, FILE *f, const struct crec_header *h, const char *hdr,
                          const struct client_sink *sink)
{
	struct csum s;
	size_t have = 0, off = 0;
	unsigned long long left = h->bytes;
	csum_init(&s);
	for (unsigned long long i = 0; i < h->count; i++) {
		size_t used;
		while ((used = crec_decode(c->buf + off, have - off, &c->rc, NULL)) == 0) {
			memmove(c->buf, c->buf + off, have - off);
			have -= off;
			off = 0;
			size_t want = BUF - have < left ? BUF - have : (size_t)left;
			if (want == 0 || fread(c->buf + have, 1, want, f) != want) return -1;
			csum_add(&s, c->buf + have, want);
			have += want;
			left -= want;
		}
		if (used == (size_t)-1) return -1;
		off += used;
		if (sink->cert && sink->cert(sink->ctx, 0, &c->rc) != 0) return -1;
	}
	char trl[CREC_TRL_LEN + 1], want_trl[CREC_TRL_LEN + 1];
	if (off != have || left != 0 || fread(trl, 1, CREC_TRL_LEN, f) != CREC_TRL_LEN) return -1;
	crec_trailer(want_trl, h->count);
	if (memcmp(trl, want_trl, CREC_TRL_LEN) != 0) return -1;
	csum_add(&s, trl, CREC_TRL_LEN);
	return crec_header_ok(hdr, h, csum_final(&s)) && getc(f) == EOF ? 0 : -1;
}

static long long age(const struct cache *c, const struct crec_header *h)
{
	long long a = now_s(c) - h->created;
	return a < 0 ? 0 : a;
}

/* Reads PATH and replays it when it is intact, ours, for this key and younger
 * than max_age seconds. */
static enum cache_err try_read(struct cache *c, long long max_age, const struct client_sink *sink,
                               long long *listed)
{
	struct stat st;
	struct crec_header h;
	char hdr[CREC_HDR_LEN + 1];
	int fd = open(c->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		if (errno == ELOOP) {
			c->refused = 1;
			msg_set(&c->why, "cache file %s is a symlink: refused", c->path);
			return CACHE_ERR;
		}
		msg_set(&c->why, "cache file %s: %s", c->path, strerror(errno));
		return CACHE_MISS;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		c->refused = 1;
		msg_set(&c->why, "cache file %s is not a regular file owned by this user: refused",
		        c->path);
		close(fd);
		return CACHE_ERR;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		msg_set(&c->why, "cache file %s: %s", c->path, strerror(errno));
		return CACHE_MISS;
	}
	enum cache_err rc = CACHE_MISS;
	c->seen = 1;
	c->seen_st = st;
	size_t got = 0;
	if (st.st_mode & 022) {
		/* Others could have written it: not trusted, and replaced by a 0600 file. */
		msg_set(&c->why, "cache file %s is writable by group or others: ignored", c->path);
	} else if ((got = fread(hdr, 1, CREC_HDR_LEN, f)) >= strlen(CREC_MAGIC_V1) &&
	           memcmp(hdr, CREC_MAGIC_V1, strlen(CREC_MAGIC_V1)) == 0) {
		msg_set(&c->why, "cache file %s has the older format 1: ignored", c->path);
	} else if (got != CREC_HDR_LEN || crec_header_parse(hdr, &h) != 0) {
		msg_set(&c->why, "cache file %s is not a cache file or is corrupt: ignored",
		        c->path);
	} else if (strcmp(h.key, c->key_hex) != 0) {
		msg_set(&c->why, "cache file %s was made for another endpoint, account or filters",
		        c->path);
	} else if (h.created > now_s(c) + CACHE_FUTURE_SLACK) {
		msg_set(&c->why, "cache file %s was made in the future: ignored", c->path);
	} else if (age(c, &h) >= max_age) {
		msg_set(&c->why, "cache file %s is stale (%lld s old, TTL %ld s)", c->path,
		        age(c, &h), c->ttl);
	} else if (h.count > CACHE_MAX_RECORDS || h.bytes > CACHE_MAX_BYTES ||
	           (unsigned long long)st.st_size != CREC_HDR_LEN + h.bytes + CREC_TRL_LEN) {
		msg_set(&c->why, "cache file %s is truncated or too big: ignored", c->path);
	} else if (replay_records(c, f, &h, hdr, sink) != 0) {
		/* Certificates may have reached the sink: take them back. */
		if (sink->reset) sink->reset(sink->ctx);
		msg_set(&c->why, "cache file %s is corrupt: ignored", c->path);
	} else {
		if (sink->commit) sink->commit(sink->ctx, 0);
		if (listed) *listed = (long long)h.count;
		msg_set(&c->why, "cache file %s: %llu certificates, %lld s old", c->path, h.count,
		        age(c, &h));
		rc = CACHE_OK;
	}
	fclose(f);
	return rc;
}

/* ---- locking ---- */

static int lock_try(struct cache *c)
{
	return cache_lock_try(&c->lock, &c->why);
}

static void lock_release(struct cache *c)
{
	cache_lock_release(&c->lock);
	if (c->lock_state == 1) c->lock_state = 0;
}

static enum cache_err replay(struct cache *c, const struct client_sink *sink, long long *listed)
{
	enum cache_err rc;
	int got;

	if (c->refused) return CACHE_ERR;
	rc = try_read(c, c->ttl, sink, listed);
	if (rc != CACHE_MISS) return rc;

	double deadline = clock_mono() + c->lock_wait;
	while ((got = lock_try(c)) == 0 && clock_mono() < deadline) {
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	if (got == 1) {
		c->lock_state = 1;
		/* Whoever held the lock may just have refreshed the file; if it is
		 * still the very file just read (or still absent), that is a miss. */
		struct stat st;
		int exists = lstat(c->path, &st) == 0;
		if (!exists ||
		    (c->seen && st.st_dev == c->seen_st.st_dev && st.st_ino == c->seen_st.st_ino &&
		     st.st_size == c->seen_st.st_size &&
		     st.st_mtim.tv_sec == c->seen_st.st_mtim.tv_sec &&
		     st.st_mtim.tv_nsec == c->seen_st.st_mtim.tv_nsec))
			return CACHE_MISS;
		struct msg why = c->why;
		rc = try_read(c, c->ttl, sink, listed);
		if (rc == CACHE_OK)
			lock_release(c);
		else if (rc == CACHE_MISS)
			c->why = why;
		return rc;
	}
	c->lock_state = -1;
	if (got < 0) return CACHE_MISS;
	/* The refresher is slow: an intact old copy beats a second listing. */
	long long max_age = (long long)c->ttl * 2;
	rc = try_read(c, max_age, sink, listed);
	if (rc == CACHE_OK)
		msg_set(&c->why,
		        "cache file %s is being refreshed by another process: old copy used",
		        c->path);
	return rc;
}

enum cache_err cache_replay(struct cache *c, const struct client_sink *sink, long long *listed,
                            struct msg *m)
{
	msg_clear(m);
	if (!c || !sink) return CACHE_MISS;
	enum cache_err rc = replay(c, sink, listed);
	give(c, m);
	return rc;
}

/* ---- writing ---- */

static void discard_tmp(struct cache *c)
{
	if (c->tmp) {
		fclose(c->tmp);
		c->tmp = NULL;
	}
	if (c->tmp_path[0]) {
		unlink(c->tmp_path);
		c->tmp_path[0] = '\0';
	}
}

static void give_up(struct cache *c, const char *why)
{
	if (!c->gave_up) msg_set(&c->why, "cache not written: %s", why);
	c->gave_up = 1;
	discard_tmp(c);
}

static int open_tmp(struct cache *c)
{
	char blank[CREC_HDR_LEN];

	/* Same directory as PATH, so rename() is atomic. */
	snprintf(c->tmp_path, sizeof c->tmp_path, "%s.tmp.XXXXXX", c->path);
	int fd = mkostemp(c->tmp_path, O_CLOEXEC);
	if (fd < 0) {
		c->tmp_path[0] = '\0';
		return -1;
	}
	if (fchmod(fd, 0600) != 0 || !(c->tmp = fdopen(fd, "wb"))) {
		close(fd);
		return -1;
	}
	csum_init(&c->sum);
	/* The header is written last, over this placeholder. */
	memset(blank, ' ', sizeof blank);
	return fwrite(blank, 1, sizeof blank, c->tmp) == sizeof blank ? 0 : -1;
}

static int put(struct cache *c, const void *p, size_t n)
{
	if (fwrite(p, 1, n, c->tmp) != n) return -1;
	csum_add(&c->sum, p, n);
	c->n_bytes += n;
	return 0;
}

static int page_staged(const struct cache *c, unsigned page)
{
	for (size_t i = 0; i < c->n_staged; i++)
		if (c->staged[i] == page) return 1;
	return 0;
}

static int tee_cert(void *ctx, unsigned page, const struct resp_cert *rc)
{
	struct cache *c = ctx;
	int r = c->inner.cert ? c->inner.cert(c->inner.ctx, page, rc) : 0;
	if (r != 0 || c->gave_up || c->refused || c->lock_state < 0) return r;
	size_t n = crec_encode(rc, c->rec, sizeof c->rec);
	if (n == 0) {
		give_up(c, "a certificate too big for a cache record");
		return 0;
	}
	if (c->n_recs + 1 > CACHE_MAX_RECORDS || c->n_bytes + n > CACHE_MAX_BYTES) {
		give_up(c, "the listing is bigger than the cache caps");
		return 0;
	}
	if (!c->tmp && open_tmp(c) != 0) {
		give_up(c, "cannot create a temporary file beside the cache file");
		return 0;
	}
	if (put(c, c->rec, n) != 0) {
		give_up(c, "write error on the temporary file");
		return 0;
	}
	c->n_recs++;
	if (!page_staged(c, page)) {
		if (c->n_staged == CACHE_MAX_STAGED) {
			give_up(c, "too many pages in flight");
			return 0;
		}
		c->staged[c->n_staged++] = page;
	}
	return 0;
}

static void tee_commit(void *ctx, unsigned page)
{
	struct cache *c = ctx;
	if (c->inner.commit) c->inner.commit(c->inner.ctx, page);
	for (size_t i = 0; i < c->n_staged; i++)
		if (c->staged[i] == page) c->staged[i] = c->staged[--c->n_staged];
}

/* A page fetched again (a 503, a throttle) costs the cache nothing unless some
 * of its records were already written: those would then be there twice. */
static void tee_discard(void *ctx, unsigned page)
{
	struct cache *c = ctx;
	if (c->inner.discard) c->inner.discard(c->inner.ctx, page);
	if (page_staged(c, page)) give_up(c, "a page was fetched again after part of it arrived");
}

static void tee_reset(void *ctx)
{
	struct cache *c = ctx;
	if (c->inner.reset) c->inner.reset(c->inner.ctx);
	give_up(c, "the listing was restarted");
}

struct client_sink cache_tee(struct cache *c, const struct client_sink *sink)
{
	if (!c) return *sink;
	c->inner = *sink;
	c->started = now_s(c);
	struct client_sink t = {c, tee_cert, tee_commit, tee_discard, tee_reset};
	return t;
}

static int fsync_dir(const char *path)
{
	char dir[CACHE_MAX_PATH];
	const char *slash = strrchr(path, '/');
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else {
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

/* Trailer, header, fsync, rename: the listing becomes the cache file. */
static enum cache_err write_out(struct cache *c)
{
	char hdr[CREC_HDR_LEN + 1], trl[CREC_TRL_LEN + 1];
	struct stat st;

	if (!c->tmp && open_tmp(c) != 0) {
		give_up(c, "cannot create a temporary file beside the cache file");
		return CACHE_ERR;
	}
	crec_trailer(trl, c->n_recs);
	if (fwrite(trl, 1, CREC_TRL_LEN, c->tmp) != CREC_TRL_LEN) {
		give_up(c, "write error on the temporary file");
		return CACHE_ERR;
	}
	csum_add(&c->sum, trl, CREC_TRL_LEN);
	struct crec_header h = {
	    .created = c->started ? c->started : now_s(c), .count = c->n_recs, .bytes = c->n_bytes};
	memcpy(h.key, c->key_hex, sizeof h.key);
	int fd = fileno(c->tmp);
	if (crec_header_build(hdr, &h, csum_final(&c->sum)) != 0 || fflush(c->tmp) != 0 ||
	    pwrite(fd, hdr, CREC_HDR_LEN, 0) != CREC_HDR_LEN || fchmod(fd, 0600) != 0 ||
	    fsync(fd) != 0) {
		give_up(c, "write error on the temporary file");
		return CACHE_ERR;
	}
	int closed = fclose(c->tmp);
	c->tmp = NULL;
	if (closed != 0) {
		give_up(c, "write error on the temporary file");
		return CACHE_ERR;
	}
	/* rename() would replace a symlink rather than follow it, but a symlink or
	 * someone else's file at PATH means something is off: leave it alone. */
	if (lstat(c->path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_uid != geteuid())) {
		c->refused = 1;
		give_up(c, "the cache path is a symlink or not a regular file owned by this user");
		return CACHE_ERR;
	}
	if (rename(c->tmp_path, c->path) != 0) {
		char why[300];
		snprintf(why, sizeof why, "rename failed: %s", strerror(errno));
		give_up(c, why);
		return CACHE_ERR;
	}
	c->tmp_path[0] = '\0';
	discard_tmp(c);
	fsync_dir(c->path); /* best effort: the data is safe, at worst the old name returns */
	msg_set(&c->why, "cache file %s written: %llu certificates", c->path, c->n_recs);
	c->gave_up = 1; /* one listing, one commit */
	return CACHE_OK;
}

enum cache_err cache_commit(struct cache *c, struct msg *m)
{
	enum cache_err rc;
	msg_clear(m);
	if (!c) return CACHE_MISS;
	if (c->refused) {
		give_up(c, "the cache path is refused");
		rc = CACHE_ERR;
	} else if (c->gave_up) {
		rc = CACHE_MISS;
	} else {
		if (c->lock_state == 0) c->lock_state = lock_try(c) == 1 ? 1 : -1;
		if (c->lock_state != 1) {
			give_up(c, "another process is refreshing it");
			rc = CACHE_MISS;
		} else {
			rc = write_out(c);
		}
	}
	give(c, m);
	lock_release(c);
	return rc;
}

void cache_close(struct cache *c)
{
	if (!c) return;
	discard_tmp(c);
	lock_release(c);
	free(c);
}
