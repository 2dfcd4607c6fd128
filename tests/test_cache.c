/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The listing cache: records and checksum (cache_rec.h), the key, write
 * through cache_tee + cache_commit and replay field for field, a table of
 * every reason a file must not be trusted (age, key, each byte flipped, each
 * truncation, appended bytes, the older format, permissions, symlink),
 * restarts that must not write, and the refresh lock between processes. */
#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "cache_rec.h"
#include "resp_fields.h"
#include "tap.h"

#define T0      1800000000LL
#define MAXCERT 16
#define DESC    2048

static struct tc_view S(const char *s) {
	return (struct tc_view){s, s ? strlen(s) : 0};
}

/* Certificates as the parser hands them over: raw JSON string contents. */
struct spec {
	const char *id, *domain, *alias, *begin, *end, *replaced_by;
	long status;
	int is_ignore, is_expiring;
	int problem; /* resp_problems index */
	const char *san[4], *bound[4];
};

static const struct spec certs[] = {
    {.id = "Xy12AbCd",
     .domain = "api.example.com",
     .alias = "",
     .begin = "2025-11-26 08:00:00",
     .end = "2026-11-26 07:59:59",
     .replaced_by = "",
     .status = 1,
     .san = {"api.example.com", "www.example.com"},
     .bound = {"clb", "cdn"}},
    {.id = "Ab34CdEf",
     .domain = "\\u4e2d\\u6587.example",
     .status = 3,
     .is_expiring = 1,
     .replaced_by = "Zz99",
     .san = {"\\u4e2d\\u6587.example"}},
    {.id = "Zz99", .status = -1, .is_ignore = 1, .problem = RP_NAMES},
    {.id = "ws",
     .alias = "with, comma ] and } brace \\\" quote",
     .status = 123456789012LL,
     .end = "--",
     .bound = {"", "x"}},
};
#define NCERT (sizeof certs / sizeof certs[0])

static struct resp_cert mk(const struct spec *s)
{
	struct resp_cert c;
	memset(&c, 0, sizeof c);
	c.id = S(s->id);
	c.domain = S(s->domain);
	c.alias = S(s->alias);
	c.begin_time = S(s->begin);
	c.end_time = S(s->end);
	c.replaced_by = S(s->replaced_by);
	c.status = s->status;
	c.is_ignore = s->is_ignore;
	c.is_expiring = s->is_expiring;
	c.problem = resp_problems[s->problem];
	for (int i = 0; i < 4 && s->san[i]; i++)
		c.san[c.n_san++] = S(s->san[i]);
	for (int i = 0; i < 4 && s->bound[i]; i++)
		c.bound[c.n_bound++] = S(s->bound[i]);
	return c;
}

/* Every field a sink reads, as one line: "~" for null. */
static void describe(const struct resp_cert *c, char *out)
{
	size_t o = 0;
#define PUTV(label, v)                                                                             \
	o += (size_t)snprintf(out + o, DESC - o, "%s=%s%.*s ", label, (v).p ? "'" : "~",           \
	                      (int)(v).n, (v).p ? (v).p : "")
	PUTV("id", c->id);
	PUTV("domain", c->domain);
	PUTV("alias", c->alias);
	PUTV("begin", c->begin_time);
	PUTV("end", c->end_time);
	PUTV("repl", c->replaced_by);
	o += (size_t)snprintf(out + o, DESC - o,
	                      "st=%ld ig=%d ex=%d raw=%zu problem=%s san:", c->status, c->is_ignore,
	                      c->is_expiring, c->raw.n, c->problem ? c->problem : "~");
	for (size_t i = 0; i < c->n_san; i++)
		PUTV("", c->san[i]);
	o += (size_t)snprintf(out + o, DESC - o, "bound:");
	for (size_t i = 0; i < c->n_bound; i++)
		PUTV("", c->bound[i]);
#undef PUTV
}

/* A sink that describes what it is given. */
struct rec {
	int n;
	char desc[MAXCERT][DESC];
	unsigned page[MAXCERT];
	int commits, discards, resets;
	unsigned last_commit;
	int abort_at; /* cert() returns 1 for this index (0 = never) */
};

static int rec_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	struct rec *r = ctx;
	if (r->abort_at && r->n + 1 == r->abort_at) return 1;
	if (r->n >= MAXCERT) return 1;
	describe(c, r->desc[r->n]);
	r->page[r->n] = page;
	r->n++;
	return 0;
}
static void rec_commit(void *ctx, unsigned page)
{
	struct rec *r = ctx;
	r->commits++;
	r->last_commit = page;
}
static void rec_discard(void *ctx, unsigned page)
{
	(void)page;
	((struct rec *)ctx)->discards++;
}
static void rec_reset(void *ctx)
{
	struct rec *r = ctx;
	r->resets++;
	r->n = 0;
}
static struct client_sink rec_sink(struct rec *r)
{
	memset(r, 0, sizeof *r);
	struct client_sink s = {r, rec_cert, rec_commit, rec_discard, rec_reset};
	return s;
}

static char dir[64], path[128];
static struct cache_key key, other_key;

static struct cache *open_at(const char *p, const struct cache_key *k, long ttl, long long now)
{
	struct msg m;
	struct cache *c = NULL;
	if (cache_open(&c, p, ttl, k, &m) != CACHE_OK)
		printf("# cache_open: %s\n", m.text);
	else
		cache_set_now(c, now);
	return c;
}

/* Feeds n certificates, two per page, through a tee; returns commit's result. */
static enum cache_err write_listing(long long now, const struct spec *list, size_t n,
                                    struct rec *inner)
{
	struct msg m;
	struct client_sink s = rec_sink(inner);
	struct cache *c = open_at(path, &key, 300, now);
	if (!c) return CACHE_ERR;
	struct client_sink t = cache_tee(c, &s);
	for (size_t i = 0; i < n; i++) {
		struct resp_cert rc = mk(&list[i]);
		t.cert(t.ctx, (unsigned)(i / 2), &rc);
		if (i % 2 == 1 || i + 1 == n) t.commit(t.ctx, (unsigned)(i / 2));
	}
	enum cache_err e = cache_commit(c, &m);
	if (e != CACHE_OK) printf("# commit: %s\n", m.text);
	cache_close(c);
	return e;
}

static enum cache_err replay_file(const char *p, const struct cache_key *k, long ttl, long long now,
                                  struct rec *r, long long *listed)
{
	struct msg m;
	struct client_sink s = rec_sink(r);
	struct cache *c = open_at(p, k, ttl, now);
	if (!c) return CACHE_ERR;
	cache_set_lock_wait(c, 0);
	*listed = -1;
	enum cache_err e = cache_replay(c, &s, listed, &m);
	printf("# replay: %s\n", m.text);
	cache_close(c);
	return e;
}

static enum cache_err replay_at(const struct cache_key *k, long ttl, long long now, struct rec *r,
                                long long *listed)
{
	return replay_file(path, k, ttl, now, r, listed);
}

/* ---- files, without a shell ---- */

static size_t slurp(const char *p, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(p, "rb");
	if (!f) return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void spit(const char *p, const unsigned char *buf, size_t n)
{
	FILE *f = fopen(p, "wb");
	if (!f) return;
	if (fwrite(buf, 1, n, f) != n) printf("# short write to %s\n", p);
	fclose(f);
	chmod(p, 0600);
}

/* Names in dir containing part (NULL: every entry but . and ..). */
static int count_entries(const char *part)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d) return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (!part || strstr(e->d_name, part)))
			n++;
	closedir(d);
	return n;
}

static int has_tmp_files(void)
{
	return count_entries(".tmp.") > 0;
}

static void empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[400];
	if (!d) return;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (unlink(p) != 0) printf("# could not remove %s\n", p);
	}
	closedir(d);
}

/* ---- records, checksum, key ---- */

static void test_records(void)
{
	static unsigned char buf[CREC_MAX];
	static struct resp_cert back;
	char a[DESC], b[DESC];
	for (size_t i = 0; i < NCERT; i++) {
		struct resp_cert c = mk(&certs[i]);
		size_t n = crec_encode(&c, buf, sizeof buf);
		ok(n > 0, "record %zu encoded (%zu bytes)", i, n);
		is_int(crec_decode(buf, n, &back, NULL), n, "record %zu decodes whole", i);
		describe(&c, a);
		describe(&back, b);
		is_str(b, a, "record %zu: every field back", i);
		size_t need = 0, short_by_one = crec_decode(buf, n - 1, &back, &need);
		is_int(short_by_one, 0, "record %zu cut by one byte: needs more", i);
		is_int(need, n, "record %zu: says how many", i);
		is_int(crec_decode(buf, 1, &back, NULL), 0, "record %zu: 1 byte needs more", i);
	}
	struct resp_cert c = mk(&certs[0]);
	size_t n = crec_encode(&c, buf, sizeof buf);
	buf[1] = 7; /* flags past the two known bits */
	is_int(crec_decode(buf, n, &back, NULL), (size_t)-1, "unknown flags are corrupt");
	ok(crec_encode(&c, buf, 20) == 0, "a record that does not fit is refused");
	static const unsigned char long_var[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                         0xff, 0xff, 0xff, 0xff, 0x01};
	is_int(crec_decode(long_var, sizeof long_var, &back, NULL), (size_t)-1,
	       "a length varint past 64 bits is corrupt");
	n = crec_encode(&c, buf + 1, sizeof buf - 1);
	buf[0] = (unsigned char)(buf[1] | 0x80); /* the same length in one byte more */
	buf[1] = 0;
	ok(buf[2] < 0x80 && crec_decode(buf, n + 1, &back, NULL) == (size_t)-1,
	   "an overlong varint is corrupt (one record, one encoding)");

	/* the header: built, parsed back, and a NUL inside a field (found by fuzz_cache) */
	struct crec_header h = {.created = T0, .count = 3, .bytes = 300}, back_h;
	memset(h.key, 'a', 64);
	char hdr[CREC_HDR_LEN + 1];
	is_int(crec_header_build(hdr, &h, 42), 0, "header built");
	ok(crec_header_parse(hdr, &back_h) == 0 && back_h.count == 3 && back_h.bytes == 300 &&
	       back_h.created == T0 && crec_header_ok(hdr, &back_h, 42) &&
	       !crec_header_ok(hdr, &back_h, 43),
	   "header parsed back; its check follows the payload's");
	static const size_t nul_at[] = {13 + 29 + 4 + 10, 13 + 8 + 5, 13 + 29 + 69 + 6 + 3,
	                                13 + 29 + 69 + 27 + 27 + 6 + 2};
	for (size_t i = 0; i < sizeof nul_at / sizeof *nul_at; i++) {
		char bad_hdr[CREC_HDR_LEN + 1];
		memcpy(bad_hdr, hdr, sizeof bad_hdr);
		bad_hdr[nul_at[i]] = '\0';
		ok(crec_header_parse(bad_hdr, &back_h) != 0, "a NUL at header byte %zu: refused",
		   nul_at[i]);
	}

	/* a certificate as the mock's gen accounts have it: well under 400 bytes */
	struct spec typical = {.id = "gen1x00004711",
	                       .domain = "svc-04711.example.com",
	                       .alias = "",
	                       .begin = "2026-01-01 09:00:00",
	                       .end = "2027-01-01 08:59:59",
	                       .replaced_by = "",
	                       .status = 1,
	                       .san = {"svc-04711.example.com", "www.svc-04711.example.com"}};
	c = mk(&typical);
	n = crec_encode(&c, buf, sizeof buf);
	ok(n > 0 && n < 200, "a typical certificate is a %zu-byte record", n);

	/* the checksum does not depend on how the bytes are split */
	static unsigned char data[1000];
	for (size_t i = 0; i < sizeof data; i++)
		data[i] = (unsigned char)(i * 37 + 11);
	struct csum whole, parts;
	csum_init(&whole);
	csum_add(&whole, data, sizeof data);
	static const size_t cuts[] = {1, 3, 7, 8, 9, 15, 16, 17, 100, 333};
	int same = 1;
	for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
		csum_init(&parts);
		for (size_t off = 0; off < sizeof data; off += cuts[k])
			csum_add(&parts, data + off,
			         off + cuts[k] <= sizeof data ? cuts[k] : sizeof data - off);
		same &= csum_final(&parts) == csum_final(&whole);
	}
	ok(same, "checksum is the same for every chunking");
	int differ = 1;
	for (size_t i = 0; i < sizeof data; i += 13) {
		data[i] ^= 1;
		csum_init(&parts);
		csum_add(&parts, data, sizeof data);
		differ &= csum_final(&parts) != csum_final(&whole);
		data[i] ^= 1;
	}
	ok(differ, "checksum changes with any flipped bit");
	csum_init(&parts);
	csum_add(&parts, data, sizeof data - 1);
	ok(csum_final(&parts) != csum_final(&whole), "checksum changes with the length");
}

static void test_key(void)
{
	struct api_filters f, g;
	struct cache_key a, b;
	struct msg m;
	req_filters_init(&f);
	req_filters_init(&g);
	g.statuses[g.n_statuses++] = 1;
	is_int(cache_key(&a, "https://ssl.tencentcloudapi.com", "AKIDexample", &f, &m), CACHE_OK,
	       "key built");
	is_int(strlen(a.hex), CACHE_KEY_HEX, "key is %d hex digits", CACHE_KEY_HEX);
	cache_key(&b, "https://ssl.tencentcloudapi.com", "AKIDexample", &f, &m);
	is_str(b.hex, a.hex, "same inputs, same key");
	static const struct {
		const char *name, *endpoint, *identity;
		int filters;
	} rows[] = {
	    {.name = "another endpoint",
	     .endpoint = "http://127.0.0.1:1",
	     .identity = "AKIDexample"},
	    {.name = "another identity",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "AKIDother"},
	    {.name = "a role identity",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "qcs::cam::uin/1:roleName/r\nAKIDexample"},
	    {.name = "other filters",
	     .endpoint = "https://ssl.tencentcloudapi.com",
	     .identity = "AKIDexample",
	     .filters = 1},
	    {.name = "parts are length-prefixed",
	     .endpoint = "https://ssl.tencentcloudapi.comA",
	     .identity = "KIDexample"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		cache_key(&b, rows[i].endpoint, rows[i].identity, rows[i].filters ? &g : &f, &m);
		ok(strcmp(a.hex, b.hex) != 0, "key: %s", rows[i].name);
	}
	static char huge[CACHE_MAX_IDENTITY + 2];
	memset(huge, 'a', sizeof huge - 1);
	is_int(cache_key(&b, "https://x", huge, &f, &m), CACHE_ERR, "identity too long: refused");
	ok(m.text[0] != '\0', "and says why");
	printf("# %s\n", m.text);
}

/* ---- corruption: each row damages a good file; the replay must miss ---- */

enum damage { FLIP, CUT, APPEND, REPLACE, MODE };

struct corrupt {
	const char *name;
	enum damage how;
	long at;          /* FLIP: offset (negative: from the end); CUT: new size */
	const char *text; /* APPEND/REPLACE */
	unsigned mode;    /* MODE */
	enum cache_err want;
};

static const struct corrupt corruptions[] = {
    {.name = "magic", .how = FLIP, .at = 0, .want = CACHE_MISS},
    {.name = "version digit", .how = FLIP, .at = 11, .want = CACHE_MISS},
    {.name = "created, last digit (still well-formed)", .how = FLIP, .at = 40, .want = CACHE_MISS},
    {.name = "created, a leading zero (far future)", .how = FLIP, .at = 30, .want = CACHE_MISS},
    {.name = "count, last digit", .how = FLIP, .at = 13 + 29 + 69 + 25, .want = CACHE_MISS},
    {.name = "bytes, last digit", .how = FLIP, .at = 13 + 29 + 69 + 27 + 25, .want = CACHE_MISS},
    {.name = "check digit", .how = FLIP, .at = 13 + 29 + 69 + 27 + 27 + 8, .want = CACHE_MISS},
    {.name = "first record length", .how = FLIP, .at = 189, .want = CACHE_MISS},
    {.name = "a payload byte", .how = FLIP, .at = -40, .want = CACHE_MISS},
    {.name = "trailer count", .how = FLIP, .at = -2, .want = CACHE_MISS},
    {.name = "cut inside the header", .how = CUT, .at = 100, .want = CACHE_MISS},
    {.name = "cut to the header", .how = CUT, .at = 189, .want = CACHE_MISS},
    {.name = "cut before the trailer", .how = CUT, .at = -30, .want = CACHE_MISS},
    {.name = "empty file", .how = CUT, .at = 0, .want = CACHE_MISS},
    {.name = "an extra trailing byte", .how = APPEND, .text = "x", .want = CACHE_MISS},
    {.name = "a second trailer", .how = APPEND, .text = "TCSSLEND 1\n", .want = CACHE_MISS},
    {.name = "foreign file", .how = REPLACE, .text = "TCSSLCACHE 2\ngarbage\n", .want = CACHE_MISS},
    {.name = "format 1 file",
     .how = REPLACE,
     .text = "TCSSLCACHE 1\ncreated 00000000001800000000\n",
     .want = CACHE_MISS},
    {.name = "group-writable", .how = MODE, .mode = 0620, .want = CACHE_MISS},
    {.name = "others-writable", .how = MODE, .mode = 0602, .want = CACHE_MISS},
};

static void damage(const struct corrupt *d)
{
	static unsigned char buf[65536];
	size_t n = slurp(path, buf, sizeof buf);
	long at = d->at < 0 ? (long)n + d->at : d->at;
	switch (d->how) {
	case FLIP:
		buf[at] ^= 0x01;
		spit(path, buf, n);
		break;
	case CUT:
		spit(path, buf, (size_t)at);
		break;
	case APPEND:
		memcpy(buf + n, d->text, strlen(d->text));
		spit(path, buf, n + strlen(d->text));
		break;
	case REPLACE:
		spit(path, (const unsigned char *)d->text, strlen(d->text));
		break;
	case MODE:
		chmod(path, d->mode);
		break;
	}
}

static void test_corruption(void)
{
	struct rec in, out;
	long long listed;
	for (size_t i = 0; i < sizeof corruptions / sizeof *corruptions; i++) {
		const struct corrupt *d = &corruptions[i];
		empty_dir();
		write_listing(T0, certs, NCERT, &in);
		damage(d);
		is_int(replay_at(&key, 300, T0, &out, &listed), d->want, "corrupt: %s", d->name);
		is_int(out.n + out.commits, 0, "corrupt: %s: nothing left in the sink", d->name);
		if (d->want == CACHE_MISS) {
			is_int(write_listing(T0, certs, 2, &in), CACHE_OK,
			       "corrupt: %s: replaced by a good file", d->name);
			is_int(replay_at(&key, 300, T0, &out, &listed), CACHE_OK,
			       "corrupt: %s: which replays", d->name);
		}
	}

	/* every single byte flipped, and every truncation, of a whole file */
	static unsigned char good[65536], bad[65536];
	empty_dir();
	write_listing(T0, certs, NCERT, &in);
	size_t n = slurp(path, good, sizeof good);
	char probe[160];
	snprintf(probe, sizeof probe, "%s.probe", path);
	int flips_missed = 0, cuts_missed = 0, committed = 0;
	for (size_t at = 0; at < n; at++) {
		memcpy(bad, good, n);
		bad[at] ^= (unsigned char)(1u << (at % 8));
		spit(probe, bad, n);
		if (replay_file(probe, &key, 300, T0, &out, &listed) != CACHE_MISS) flips_missed++;
		committed += out.commits + out.n;
		spit(probe, good, at);
		if (replay_file(probe, &key, 300, T0, &out, &listed) != CACHE_MISS) cuts_missed++;
		committed += out.commits + out.n;
	}
	unlink(probe);
	is_int(flips_missed, 0, "each of the %zu bytes flipped: a miss", n);
	is_int(cuts_missed, 0, "each of the %zu truncations: a miss", n);
	is_int(committed, 0, "no damaged file left anything in the sink");
}

/* ---- the lock ---- */

static void test_lock(void)
{
	struct rec in, out;
	long long listed;
	/* a child refreshes while the parent waits, then the parent replays its file */
	empty_dir();
	int pfd[2];
	if (pipe(pfd) != 0) return;
	pid_t pid = fork();
	if (pid == 0) {
		struct rec r;
		struct client_sink s = rec_sink(&r);
		close(pfd[0]);
		struct cache *c = open_at(path, &key, 300, 0);
		cache_set_lock_wait(c, 0);
		int miss = cache_replay(c, &s, &listed, NULL) == CACHE_MISS;
		if (write(pfd[1], miss ? "m" : "x", 1) != 1) _exit(3);
		struct timespec ts = {0, 600 * 1000 * 1000};
		nanosleep(&ts, NULL);
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = mk(&certs[1]);
		t.cert(t.ctx, 0, &rc);
		t.commit(t.ctx, 0);
		int w = cache_commit(c, NULL) == CACHE_OK;
		cache_close(c);
		_exit(w ? 0 : 1);
	}
	close(pfd[1]);
	char b = 0;
	if (read(pfd[0], &b, 1) != 1) b = 0;
	close(pfd[0]);
	is_int(b, 'm', "child: absent file is a miss, and it holds the lock");
	struct client_sink s = rec_sink(&out);
	struct cache *c = open_at(path, &key, 300, 0);
	cache_set_lock_wait(c, 5);
	struct timespec ta, tz;
	clock_gettime(CLOCK_MONOTONIC, &ta);
	is_int(cache_replay(c, &s, &listed, NULL), CACHE_OK, "parent waits for the refresh");
	clock_gettime(CLOCK_MONOTONIC, &tz);
	double waited = (double)(tz.tv_sec - ta.tv_sec) + (double)(tz.tv_nsec - ta.tv_nsec) / 1e9;
	ok(waited > 0.3 && waited < 4.0, "parent waited for the lock (%.2f s)", waited);
	is_int(listed, 1, "parent replays the child's listing");
	char want[DESC];
	struct resp_cert c1 = mk(&certs[1]);
	describe(&c1, want);
	is_str(out.desc[0], want, "parent got the child's certificate");
	cache_close(c);
	int status = 0;
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child committed");

	/* lock held past the wait: an old copy (younger than 2 x TTL) is used, and not rewritten */
	for (int old = 0; old < 2; old++) {
		long long made = (long long)time(NULL) - (old ? 700 : 400);
		empty_dir();
		is_int(write_listing(made, certs, NCERT, &in), CACHE_OK, "stale copy written");
		if (pipe(pfd) != 0) return;
		pid = fork();
		if (pid == 0) {
			char lp[200];
			snprintf(lp, sizeof lp, "%s.lock", path);
			int fd = open(lp, O_RDWR | O_CREAT, 0600);
			flock(fd, LOCK_EX);
			if (write(pfd[1], "l", 1) != 1) _exit(3);
			sleep(3);
			_exit(0);
		}
		close(pfd[1]);
		if (read(pfd[0], &b, 1) != 1) b = 0;
		close(pfd[0]);
		s = rec_sink(&out);
		c = open_at(path, &key, 300, 0);
		cache_set_lock_wait(c, 0.2);
		struct msg m;
		enum cache_err e = cache_replay(c, &s, &listed, &m);
		printf("# %s\n", m.text);
		if (!old) {
			is_int(e, CACHE_OK, "lock busy: old copy used");
			is_int(listed, NCERT, "lock busy: old copy complete");
		} else {
			is_int(e, CACHE_MISS, "lock busy: a copy older than 2 x TTL is not used");
		}
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = mk(&certs[2]);
		t.cert(t.ctx, 0, &rc);
		t.commit(t.ctx, 0);
		is_int(cache_commit(c, NULL), CACHE_MISS, "lock busy: no write");
		cache_close(c);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		ok(!has_tmp_files(), "lock busy: no temporary file left behind");
	}
}

/* Written through the tee, replayed field for field. */
static void test_roundtrip(void)
{
	struct rec in, out;
	long long listed;
	/* write, then replay and compare every field */
	is_int(write_listing(T0, certs, NCERT, &in), CACHE_OK, "complete listing is written");
	is_int(in.n, NCERT, "tee forwards every certificate to the real sink");
	is_int(in.commits, (NCERT + 1) / 2, "tee forwards commits");
	struct stat st;
	memset(&st, 0, sizeof st);
	int have = lstat(path, &st) == 0;
	ok(have && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600,
	   "cache file mode is 0600 under umask 0 (%o)", (unsigned)(st.st_mode & 07777));
	ok(!has_tmp_files(), "no temporary file left behind");
	is_int(replay_at(&key, 300, T0 + 10, &out, &listed), CACHE_OK, "fresh file replays");
	is_int(listed, NCERT, "listed count");
	is_int(out.n, NCERT, "every certificate replayed");
	for (size_t i = 0; i < NCERT && (int)i < out.n; i++) {
		struct resp_cert c = mk(&certs[i]);
		char want[DESC];
		describe(&c, want);
		is_str(out.desc[i], want, "certificate %zu replayed field for field", i);
		is_int(out.page[i], 0, "certificate %zu under page 0", i);
	}
	is_int(out.commits, 1, "one commit");
	is_int(out.last_commit, 0, "commit(0)");
	is_int(out.resets, 0, "no reset");
}

/* Age, clock and key. */
static void test_ttl(void)
{
	struct rec out;
	long long listed;
	/* TTL and clock */
	static const struct {
		long long dt;
		enum cache_err want;
		const char *name;
	} ages[] = {
	    {.dt = 0, .want = CACHE_OK, .name = "age 0"},
	    {.dt = 299, .want = CACHE_OK, .name = "age ttl-1"},
	    {.dt = 300, .want = CACHE_MISS, .name = "age = ttl is stale"},
	    {.dt = 100000, .want = CACHE_MISS, .name = "very old"},
	    {.dt = -60, .want = CACHE_OK, .name = "60 s in the future is tolerated"},
	    {.dt = -61, .want = CACHE_MISS, .name = "61 s in the future is stale"},
	};
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
		is_int(replay_at(&key, 300, T0 + ages[i].dt, &out, &listed), ages[i].want,
		       "ttl: %s", ages[i].name);
		is_int(out.n, ages[i].want == CACHE_OK ? (int)NCERT : 0, "ttl: %s: certificates",
		       ages[i].name);
	}
	is_int(replay_at(&key, 0, T0, &out, &listed), CACHE_MISS, "ttl 0 never replays");
	is_int(replay_at(&other_key, 300, T0, &out, &listed), CACHE_MISS, "another key misses");
	is_int(out.n + out.commits, 0, "nothing reaches the sink on a key miss");
}

/* An empty listing, a sink that aborts. */
static void test_listings(void)
{
	struct rec in, out;
	long long listed;
	/* an empty account is a listing too */
	empty_dir();
	is_int(write_listing(T0, certs, 0, &in), CACHE_OK, "empty listing is written");
	is_int(replay_at(&key, 300, T0, &out, &listed), CACHE_OK, "empty listing replays");
	is_int(listed, 0, "empty listing: 0 listed");
	is_int(out.commits, 1, "empty listing: commit(0) still called");

	/* the real sink aborting is passed on as a miss */
	{
		is_int(write_listing(T0, certs, NCERT, &in), CACHE_OK, "rewritten");
		struct client_sink s = rec_sink(&out);
		out.abort_at = 2;
		struct cache *c = open_at(path, &key, 300, T0);
		cache_set_lock_wait(c, 0);
		is_int(cache_replay(c, &s, &listed, NULL), CACHE_MISS, "sink abort: miss");
		is_int(out.resets, 1, "sink abort: reset");
		is_int(out.commits, 0, "sink abort: no commit");
		cache_close(c);
	}
}

/* A symlink or another user's file: neither read nor written. */
static void test_refused(void)
{
	struct rec out;
	long long listed;
	struct msg m;
	struct stat st;
	/* symlink and ownership */
	{
		char target[160];
		snprintf(target, sizeof target, "%s/real", dir);
		rename(path, target);
		if (symlink(target, path) != 0) perror("symlink");
		is_int(replay_at(&key, 300, T0, &out, &listed), CACHE_ERR, "symlink refused");
		struct client_sink s = rec_sink(&out);
		struct cache *c = open_at(path, &key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = mk(&certs[0]);
		t.cert(t.ctx, 0, &rc);
		t.commit(t.ctx, 0);
		is_int(cache_commit(c, &m), CACHE_ERR, "commit over a symlink refused");
		printf("# %s\n", m.text);
		cache_close(c);
		ok(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "symlink left alone");
		ok(!has_tmp_files(), "no temporary file left behind");
		unlink(path);
		rename(target, path);
	}
	if (geteuid() == 0) {
		if (chown(path, 1, 1) != 0) perror("chown");
		is_int(replay_at(&key, 300, T0, &out, &listed), CACHE_ERR,
		       "file of another user refused");
		if (chown(path, 0, 0) != 0) perror("chown");
	}
}

/* Listings that must not be written. */
static void test_not_written(void)
{
	struct rec in;
	struct msg m;
	/* discard or reset during a listing: nothing written */
	for (int mode = 0; mode < 2; mode++) {
		const char *what = mode ? "reset" : "discard";
		empty_dir();
		struct client_sink s = rec_sink(&in);
		struct cache *c = open_at(path, &key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		for (size_t i = 0; i < NCERT; i++) {
			struct resp_cert rc = mk(&certs[i]);
			t.cert(t.ctx, (unsigned)i, &rc);
			if (i == 1) {
				if (mode == 0)
					t.discard(t.ctx, 1);
				else
					t.reset(t.ctx);
			}
			t.commit(t.ctx, (unsigned)i);
		}
		is_int(cache_commit(c, &m), CACHE_MISS, "%s: commit writes nothing", what);
		printf("# %s\n", m.text);
		is_int(mode ? in.resets : in.discards, 1, "%s forwarded", what);
		cache_close(c);
		ok(access(path, F_OK) != 0, "%s: no cache file", what);
		ok(!has_tmp_files(), "%s: no temporary file left behind", what);
	}
	/* a run that never commits leaves nothing either */
	{
		struct client_sink s = rec_sink(&in);
		struct cache *c = open_at(path, &key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = mk(&certs[0]);
		t.cert(t.ctx, 0, &rc);
		cache_close(c);
		ok(access(path, F_OK) != 0 && !has_tmp_files(), "close without commit: nothing");
	}
}

/* A NULL handle is harmless. */
static void test_null(void)
{
	struct rec in;
	long long listed;
	struct msg m;
	/* NULL handle: tee passes through, the rest is harmless */
	{
		struct client_sink s = rec_sink(&in);
		struct client_sink t = cache_tee(NULL, &s);
		struct cache *c = NULL;
		ok(t.ctx == &in && t.cert == rec_cert, "cache_tee(NULL) is the sink itself");
		is_int(cache_replay(NULL, &s, &listed, NULL), CACHE_MISS, "replay(NULL) misses");
		cache_close(NULL);
		is_int(cache_open(&c, "", 300, &key, &m), CACHE_ERR, "empty path refused");
		is_int(cache_open(&c, path, -1, &key, &m), CACHE_ERR, "negative ttl refused");
		ok(c == NULL, "no handle on a refusal");
	}
}

int main(void)
{
	struct api_filters f;
	struct msg m;

	strcpy(dir, "/tmp/test_cache.XXXXXX");
	if (!mkdtemp(dir)) return 2;
	snprintf(path, sizeof path, "%s/listing.cache", dir);
	umask(0); /* the file must still be 0600 */
	req_filters_init(&f);
	cache_key(&key, "https://ssl.tencentcloudapi.com", "AKIDexample", &f, &m);
	cache_key(&other_key, "https://ssl.tencentcloudapi.com", "AKIDother", &f, &m);

	test_records();
	test_key();
	test_roundtrip();
	test_ttl();
	test_corruption();
	test_listings();
	test_refused();
	test_not_written();
	test_lock();
	test_null();

	empty_dir();
	if (rmdir(dir) != 0) printf("# could not remove %s\n", dir);
	return tap_done();
}
