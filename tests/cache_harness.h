/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the cache tests share (test_cache.c, test_cache_rec.c): certificates as the parser hands
 * them over, each described as one line of every field a sink reads, a sink that writes those
 * lines down, a listing written through the tee and replayed, and the files of a scratch
 * directory read and written without a shell. Static inline, so a program that uses a part
 * builds without warnings about the rest. */
#ifndef TC_CACHE_HARNESS_H
#define TC_CACHE_HARNESS_H

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cache_rec.h"
#include "resp_fields.h"

#define T0      1800000000LL
#define MAXCERT 16
#define DESC    2048

static inline struct tc_view S(const char *s) {
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

static inline struct resp_cert mk(const struct spec *s)
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
static inline void describe(const struct resp_cert *c, char *out)
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

static inline int rec_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	struct rec *r = ctx;
	if (r->abort_at && r->n + 1 == r->abort_at) return 1;
	if (r->n >= MAXCERT) return 1;
	describe(c, r->desc[r->n]);
	r->page[r->n] = page;
	r->n++;
	return 0;
}
static inline void rec_commit(void *ctx, unsigned page)
{
	struct rec *r = ctx;
	r->commits++;
	r->last_commit = page;
}
static inline void rec_discard(void *ctx, unsigned page)
{
	(void)page;
	((struct rec *)ctx)->discards++;
}
static inline void rec_reset(void *ctx)
{
	struct rec *r = ctx;
	r->resets++;
	r->n = 0;
}
static inline struct client_sink rec_sink(struct rec *r)
{
	memset(r, 0, sizeof *r);
	struct client_sink s = {r, rec_cert, rec_commit, rec_discard, rec_reset};
	return s;
}

/* set by test_cache.c's main: the scratch directory, the cache file in it, and its key */
static char dir[64], path[128];
static struct cache_key key;

static inline struct cache *open_at(const char *p, const struct cache_key *k, long ttl,
                                    long long now)
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
static inline enum cache_err write_listing(long long now, const struct spec *list, size_t n,
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

static inline enum cache_err replay_file(const char *p, const struct cache_key *k, long ttl,
                                         long long now, struct rec *r, long long *listed)
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

static inline enum cache_err replay_at(const struct cache_key *k, long ttl, long long now,
                                       struct rec *r, long long *listed)
{
	return replay_file(path, k, ttl, now, r, listed);
}

/* ---- files, without a shell ---- */

static inline size_t slurp(const char *p, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(p, "rb");
	if (!f) return 0;
	size_t n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static inline void spit(const char *p, const unsigned char *buf, size_t n)
{
	FILE *f = fopen(p, "wb");
	if (!f) return;
	if (fwrite(buf, 1, n, f) != n) printf("# short write to %s\n", p);
	fclose(f);
	chmod(p, 0600);
}

/* Names in dir containing part (NULL: every entry but . and ..). */
static inline int count_entries(const char *part)
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

static inline int has_tmp_files(void)
{
	return count_entries(".tmp.") > 0;
}

static inline void empty_dir(void)
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

#endif
