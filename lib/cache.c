#include "config.h"

#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/md.h>

#include "clock.h"
#include "hex.h"
#include "response.h"

/* File format, version 1. A fixed-width text header (so it can be written last,
 * over a placeholder, once the count and checksum are known), then the payload:
 * per certificate object "<decimal length>\n<object bytes>\n".
 *
 *   TCSSLCACHE 1\n
 *   created <20 digits>\n      epoch seconds
 *   key <64 hex>\n             SHA-256 of the caller's key bytes
 *   count <20 digits>\n        objects
 *   bytes <20 digits>\n        payload length
 *   sha256 <64 hex>\n          SHA-256 of the header lines above it followed by
 *                              the lowercase hex SHA-256 of the payload
 *   \n
 * The checksum covers the header too: a flipped digit in "created" must not
 * make an old listing look fresh.
 */
#define MAGIC      "TCSSLCACHE 1\n"
#define HDR_FMT    "%screated %020lld\nkey %s\ncount %020llu\nbytes %020llu\nsha256 %s\n\n"
#define HDR_LEN    (13 + 29 + 69 + 27 + 27 + 72 + 1)
#define HDR_SUMMED (HDR_LEN - 72 - 1) /* the lines before "sha256" */
#define CHUNK      16384

struct cache {
	char path[CACHE_MAX_PATH];
	char lock_path[CACHE_MAX_PATH + 8];
	char tmp_path[CACHE_MAX_PATH + 16];
	long ttl;
	char key_hex[65];
	long long fixed_now;
	double lock_wait;
	char message[512];
	int lock_fd;
	int lock_state; /* 0 not tried, 1 held, -1 not ours: do not write */
	int refused;    /* PATH is a symlink or not ours: neither read nor written */
	int seen;       /* the last file read, to skip re-reading the same bad file */
	struct stat seen_st;
	/* writing (cache_tee) */
	struct client_sink inner;
	long long started; /* when the listing began: its age counts from there */
	FILE *tmp;
	int gave_up;
	unsigned long long n_objs, n_bytes;
	unsigned staged[CACHE_MAX_STAGED]; /* pages with objects written, not yet committed */
	size_t n_staged;
	mbedtls_md_context_t md;
	int md_ready;
	/* replay */
	const struct client_sink *rsink;
	char chunk[CHUNK];
	struct resp_parser parser;
};

static void say(struct cache *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct cache *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof c->message, fmt, ap);
	va_end(ap);
}

/* The header's checksum: its lines before "sha256", then the payload's hex SHA-256. */
static int header_sum(const char *hdr, const unsigned char payload[32], char out[65])
{
	char buf[HDR_SUMMED + 65];
	memcpy(buf, hdr, HDR_SUMMED);
	hex_encode(payload, 32, buf + HDR_SUMMED); /* writes a NUL past the 64 digits: room kept */
	return hex_sha256(buf, HDR_SUMMED + 64, out);
}

static long long now_s(const struct cache *c)
{
	return c->fixed_now ? c->fixed_now : (long long)time(NULL);
}

struct cache *cache_open(const char *path, long ttl, const char *key, size_t key_len, char *message,
                         size_t msgcap)
{
	if (message && msgcap) message[0] = '\0';
	if (!path || !path[0] || strlen(path) >= CACHE_MAX_PATH || path[strlen(path) - 1] == '/') {
		if (message) snprintf(message, msgcap, "--cache-file: bad path");
		return NULL;
	}
	if (ttl < 0 || (!key && key_len)) {
		if (message) snprintf(message, msgcap, "--cache-ttl: bad value");
		return NULL;
	}
	struct cache *c = calloc(1, sizeof *c);
	if (!c) {
		if (message) snprintf(message, msgcap, "cache: out of memory");
		return NULL;
	}
	memcpy(c->path, path, strlen(path) + 1);
	snprintf(c->lock_path, sizeof c->lock_path, "%s.lock", path);
	c->ttl = ttl;
	c->lock_fd = -1;
	c->lock_wait = CACHE_LOCK_WAIT;
	if (hex_sha256(key ? key : "", key_len, c->key_hex) != 0) {
		if (message) snprintf(message, msgcap, "cache: SHA-256 unavailable");
		free(c);
		return NULL;
	}
	return c;
}

void cache_set_lock_wait(struct cache *c, double seconds)
{
	if (c) c->lock_wait = seconds > 0 ? seconds : 0;
}

void cache_set_now(struct cache *c, long long now)
{
	if (c) c->fixed_now = now;
}

const char *cache_message(const struct cache *c)
{
	return c ? c->message : "";
}

/* ---- reading ---- */

/* Checks "label" + width chars + "\n" at *off; copies the chars to out. */
static int field(const char *h, size_t *off, const char *label, size_t width, char *out)
{
	size_t l = strlen(label);
	if (memcmp(h + *off, label, l) != 0 || h[*off + l + width] != '\n') return -1;
	memcpy(out, h + *off + l, width);
	out[width] = '\0';
	*off += l + width + 1;
	return 0;
}

static int all_of(const char *s, const char *set)
{
	return s[0] && strspn(s, set) == strlen(s);
}

static int parse_u(const char *s, unsigned long long *v)
{
	if (!all_of(s, "0123456789")) return -1;
	errno = 0;
	*v = strtoull(s, NULL, 10);
	return errno ? -1 : 0;
}

struct header {
	long long created;
	char key[65], sum[65];
	unsigned long long count, bytes;
};

static int parse_header(const char *h, struct header *out)
{
	char num[21];
	size_t off = strlen(MAGIC);
	unsigned long long created;

	if (memcmp(h, MAGIC, off) != 0) return -1;
	if (field(h, &off, "created ", 20, num) || parse_u(num, &created) || created > (1ull << 62))
		return -1;
	out->created = (long long)created;
	if (field(h, &off, "key ", 64, out->key) || !all_of(out->key, "0123456789abcdef"))
		return -1;
	if (field(h, &off, "count ", 20, num) || parse_u(num, &out->count)) return -1;
	if (field(h, &off, "bytes ", 20, num) || parse_u(num, &out->bytes)) return -1;
	if (field(h, &off, "sha256 ", 64, out->sum) || !all_of(out->sum, "0123456789abcdef"))
		return -1;
	return off + 1 == HDR_LEN && h[off] == '\n' ? 0 : -1;
}

static int on_cert(void *ctx, const struct resp_cert *rc)
{
	const struct cache *c = ctx;
	return c->rsink->cert ? c->rsink->cert(c->rsink->ctx, 0, rc) : 0;
}

/* Second pass: the payload, already checksummed, as a DescribeCertificates body
 * through the streaming parser, so a replay gets exactly the live validation. */
static int replay_payload(struct cache *c, FILE *f, const struct header *h)
{
	struct resp_parser *p = &c->parser;
	char pre[96];
	unsigned long long used = 0;
	int n = snprintf(pre, sizeof pre, "{\"Response\":{\"TotalCount\":%llu,\"Certificates\":[",
	                 h->count);

	resp_init(p, on_cert, c);
	if (resp_feed(p, pre, (size_t)n) != RESP_OK) return -1;
	for (unsigned long long i = 0; i < h->count; i++) {
		char line[16];
		size_t k = 0;
		int ch;
		while ((ch = getc(f)) != EOF && ch != '\n' && k < 10)
			line[k++] = (char)ch;
		line[k] = '\0';
		unsigned long long len;
		if (ch != '\n' || parse_u(line, &len) || len == 0 || len > RESP_MAX_CERT_BYTES)
			return -1;
		used += k + 1 + len + 1;
		if (used > h->bytes) return -1;
		if (i > 0 && resp_feed(p, ",", 1) != RESP_OK) return -1;
		while (len > 0) {
			size_t want = len < CHUNK ? (size_t)len : CHUNK;
			if (fread(c->chunk, 1, want, f) != want) return -1;
			if (resp_feed(p, c->chunk, want) != RESP_OK) return -1;
			len -= want;
		}
		if (getc(f) != '\n') return -1;
	}
	static const char post[] = "],\"RequestId\":\"cache\"}}";
	if (used != h->bytes || resp_feed(p, post, sizeof post - 1) != RESP_OK ||
	    resp_finish(p) != RESP_OK)
		return -1;
	const struct resp_summary *s = resp_get_summary(p);
	return s->n_certs == h->count && s->has_total && s->total_count == (long long)h->count ? 0
	                                                                                       : -1;
}

/* Reads PATH and replays it when it is intact, ours, for this key and younger
 * than max_age seconds. */
static enum cache_err try_read(struct cache *c, long long max_age, const struct client_sink *sink,
                               long long *listed)
{
	struct stat st;
	struct header h;
	char hdr[HDR_LEN + 1];
	unsigned char d[32];
	char sum[65];
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	mbedtls_md_context_t ctx;
	int fd = open(c->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);

	if (fd < 0) {
		if (errno == ELOOP) {
			c->refused = 1;
			say(c, "cache file %s is a symlink: refused", c->path);
			return CACHE_ERR;
		}
		say(c, "cache file %s: %s", c->path, strerror(errno));
		return CACHE_MISS;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		c->refused = 1;
		say(c, "cache file %s is not a regular file owned by this user: refused", c->path);
		close(fd);
		return CACHE_ERR;
	}
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		say(c, "cache file %s: %s", c->path, strerror(errno));
		return CACHE_MISS;
	}
	enum cache_err rc = CACHE_MISS;
	c->seen = 1;
	c->seen_st = st;
	if (st.st_mode & 022) {
		/* Others could have written it: not trusted, and replaced by a 0600 file. */
		say(c, "cache file %s is writable by group or others: ignored", c->path);
		goto out;
	}
	if (fread(hdr, 1, HDR_LEN, f) != HDR_LEN || parse_header(hdr, &h) != 0) {
		say(c, "cache file %s is not a cache file or is corrupt: ignored", c->path);
		goto out;
	}
	if (strcmp(h.key, c->key_hex) != 0) {
		say(c, "cache file %s was made for another endpoint, account or filters", c->path);
		goto out;
	}
	long long now = now_s(c), age = now - h.created;
	if (h.created > now + CACHE_FUTURE_SLACK) {
		say(c, "cache file %s was made in the future: ignored", c->path);
		goto out;
	}
	if (age < 0) age = 0;
	if (age >= max_age) {
		say(c, "cache file %s is stale (%lld s old, TTL %ld s)", c->path, age, c->ttl);
		goto out;
	}
	if (h.count > CACHE_MAX_OBJECTS || h.bytes > CACHE_MAX_BYTES ||
	    (unsigned long long)st.st_size != HDR_LEN + h.bytes) {
		say(c, "cache file %s is truncated or too big: ignored", c->path);
		goto out;
	}

	/* First pass: the checksum, before anything reaches the sink. */
	mbedtls_md_init(&ctx);
	int bad = !md || mbedtls_md_setup(&ctx, md, 0) != 0 || mbedtls_md_starts(&ctx) != 0;
	for (unsigned long long left = h.bytes; !bad && left > 0;) {
		size_t want = left < CHUNK ? (size_t)left : CHUNK;
		if (fread(c->chunk, 1, want, f) != want ||
		    mbedtls_md_update(&ctx, (const unsigned char *)c->chunk, want) != 0)
			bad = 1;
		left -= want;
	}
	if (!bad && mbedtls_md_finish(&ctx, d) != 0) bad = 1;
	mbedtls_md_free(&ctx);
	if (!bad && header_sum(hdr, d, sum) != 0) bad = 1;
	if (bad || strcmp(sum, h.sum) != 0) {
		say(c, "cache file %s fails its checksum: ignored", c->path);
		goto out;
	}

	if (fseek(f, HDR_LEN, SEEK_SET) != 0) {
		say(c, "cache file %s: cannot seek", c->path);
		goto out;
	}
	c->rsink = sink;
	if (replay_payload(c, f, &h) != 0) {
		/* Certificates may have reached the sink: take them back. */
		if (sink->reset) sink->reset(sink->ctx);
		const char *why = resp_message(&c->parser);
		say(c, "cache file %s does not replay as a listing: ignored (%s)", c->path,
		    why && why[0] ? why : "objects do not match the header");
		goto out;
	}
	if (sink->commit) sink->commit(sink->ctx, 0);
	if (listed) *listed = (long long)h.count;
	say(c, "cache file %s: %llu certificates, %lld s old", c->path, h.count, age);
	rc = CACHE_OK;
out:
	fclose(f);
	return rc;
}

/* ---- locking ---- */

/* 1 = got the lock, 0 = someone else holds it, -1 = cannot lock. */
static int lock_try(struct cache *c)
{
	struct stat st;
	if (c->lock_fd < 0) {
		c->lock_fd =
		    open(c->lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
		if (c->lock_fd < 0) {
			say(c, "cannot open lock file %s: %s", c->lock_path, strerror(errno));
			return -1;
		}
		if (fstat(c->lock_fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
			say(c, "lock file %s is not a regular file owned by this user",
			    c->lock_path);
			close(c->lock_fd);
			c->lock_fd = -1;
			return -1;
		}
	}
	if (flock(c->lock_fd, LOCK_EX | LOCK_NB) == 0) return 1;
	if (errno == EWOULDBLOCK || errno == EINTR) return 0;
	say(c, "cannot lock %s: %s", c->lock_path, strerror(errno));
	return -1;
}

static void lock_release(struct cache *c)
{
	if (c->lock_fd >= 0) {
		flock(c->lock_fd, LOCK_UN);
		close(c->lock_fd);
		c->lock_fd = -1;
	}
	if (c->lock_state == 1) c->lock_state = 0;
}

enum cache_err cache_replay(struct cache *c, const struct client_sink *sink, long long *listed)
{
	enum cache_err rc;
	int got;

	if (!c || !sink) return CACHE_MISS;
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
		char why[sizeof c->message];
		memcpy(why, c->message, sizeof why);
		rc = try_read(c, c->ttl, sink, listed);
		if (rc == CACHE_OK)
			lock_release(c);
		else if (rc == CACHE_MISS)
			memcpy(c->message, why, sizeof why);
		return rc;
	}
	c->lock_state = -1;
	if (got < 0) return CACHE_MISS;
	/* The refresher is slow: an intact old copy beats a second listing. */
	long long max_age = (long long)c->ttl * 2;
	rc = try_read(c, max_age, sink, listed);
	if (rc == CACHE_OK)
		say(c, "cache file %s is being refreshed by another process: old copy used",
		    c->path);
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
	if (c->md_ready) {
		mbedtls_md_free(&c->md);
		c->md_ready = 0;
	}
}

static void give_up(struct cache *c, const char *why)
{
	if (!c->gave_up) say(c, "cache not written: %s", why);
	c->gave_up = 1;
	discard_tmp(c);
}

static int open_tmp(struct cache *c)
{
	char zeros[HDR_LEN];
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);

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
	mbedtls_md_init(&c->md);
	c->md_ready = 1;
	if (!md || mbedtls_md_setup(&c->md, md, 0) != 0 || mbedtls_md_starts(&c->md) != 0)
		return -1;
	/* The header is written last, over this placeholder. */
	memset(zeros, ' ', sizeof zeros);
	return fwrite(zeros, 1, sizeof zeros, c->tmp) == sizeof zeros ? 0 : -1;
}

static int put(struct cache *c, const void *p, size_t n)
{
	if (fwrite(p, 1, n, c->tmp) != n) return -1;
	if (mbedtls_md_update(&c->md, p, n) != 0) return -1;
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
	if (!rc->raw.p || rc->raw.n == 0 || rc->raw.n > RESP_MAX_CERT_BYTES) {
		give_up(c, "a certificate without its raw bytes");
		return 0;
	}
	if (c->n_objs + 1 > CACHE_MAX_OBJECTS || c->n_bytes + rc->raw.n + 16 > CACHE_MAX_BYTES) {
		give_up(c, "the listing is bigger than the cache caps");
		return 0;
	}
	if (!c->tmp && open_tmp(c) != 0) {
		give_up(c, "cannot create a temporary file beside the cache file");
		return 0;
	}
	char len[24];
	int n = snprintf(len, sizeof len, "%zu\n", rc->raw.n);
	if (put(c, len, (size_t)n) || put(c, rc->raw.p, rc->raw.n) || put(c, "\n", 1)) {
		give_up(c, "write error on the temporary file");
		return 0;
	}
	c->n_objs++;
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
 * of its objects were already written: those would then be there twice. */
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

enum cache_err cache_commit(struct cache *c, char *message, size_t msgcap)
{
	enum cache_err rc = CACHE_ERR;
	unsigned char d[32];
	char sum[65], hdr[HDR_LEN + 1];
	struct stat st;

	if (message && msgcap) message[0] = '\0';
	if (!c) return CACHE_MISS;
	if (c->refused) {
		give_up(c, "the cache path is refused");
		rc = CACHE_ERR;
		goto out;
	}
	if (c->gave_up) {
		rc = CACHE_MISS;
		goto out;
	}
	if (c->lock_state == 0) {
		int got = lock_try(c);
		c->lock_state = got == 1 ? 1 : -1;
	}
	if (c->lock_state != 1) {
		give_up(c, "another process is refreshing it");
		rc = CACHE_MISS;
		goto out;
	}
	if (!c->tmp && open_tmp(c) != 0) {
		give_up(c, "cannot create a temporary file beside the cache file");
		goto out;
	}
	if (mbedtls_md_finish(&c->md, d) != 0) {
		give_up(c, "SHA-256 failed");
		goto out;
	}
	hex_encode(d, 32, sum);
	memset(sum, '0', 64);
	sum[64] = '\0';
	long long created = c->started ? c->started : now_s(c);
	int n = snprintf(hdr, sizeof hdr, HDR_FMT, MAGIC, created, c->key_hex, c->n_objs,
	                 c->n_bytes, sum);
	if (n != HDR_LEN || header_sum(hdr, d, sum) != 0) {
		give_up(c, "cannot build the header");
		goto out;
	}
	n = snprintf(hdr, sizeof hdr, HDR_FMT, MAGIC, created, c->key_hex, c->n_objs, c->n_bytes,
	             sum);
	int fd = fileno(c->tmp);
	if (n != HDR_LEN || fflush(c->tmp) != 0 || pwrite(fd, hdr, HDR_LEN, 0) != HDR_LEN ||
	    fchmod(fd, 0600) != 0 || fsync(fd) != 0) {
		give_up(c, "write error on the temporary file");
		goto out;
	}
	int closed = fclose(c->tmp);
	c->tmp = NULL;
	if (closed != 0) {
		give_up(c, "write error on the temporary file");
		goto out;
	}
	/* rename() would replace a symlink rather than follow it, but a symlink or
	 * someone else's file at PATH means something is off: leave it alone. */
	if (lstat(c->path, &st) == 0 && (!S_ISREG(st.st_mode) || st.st_uid != geteuid())) {
		c->refused = 1;
		give_up(c, "the cache path is a symlink or not a regular file owned by this user");
		goto out;
	}
	if (rename(c->tmp_path, c->path) != 0) {
		char why[300];
		snprintf(why, sizeof why, "rename failed: %s", strerror(errno));
		give_up(c, why);
		goto out;
	}
	c->tmp_path[0] = '\0';
	discard_tmp(c);
	fsync_dir(c->path); /* best effort: the data is safe, at worst the old name returns */
	say(c, "cache file %s written: %llu certificates", c->path, c->n_objs);
	c->gave_up = 1; /* one listing, one commit */
	rc = CACHE_OK;
out:
	if (message && msgcap) snprintf(message, msgcap, "%s", c->message);
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
