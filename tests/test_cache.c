/* The listing cache: write through cache_tee + cache_commit, replay through the
 * response parser, and every reason a file must not be trusted (age, key,
 * checksum, truncation, symlink, permissions), restarts that must not write,
 * and the refresh lock between processes. */
#include "config.h"

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
#include "response.h"
#include "tap.h"

#define T0     1800000000LL
#define MAXOBJ 16

static const char *const objs[] = {
    ("{\"CertificateId\":\"Xy12AbCd\",\"Domain\":\"api.example.com\",\"Status\":1,"
     "\"CertEndTime\":\"2026-11-26 07:59:59\",\"SubjectAltName\":[\"api.example.com\","
     "\"www.example.com\"],\"BoundResource\":[\"clb\",\"cdn\"],\"IsIgnore\":false}"),
    ("{\"CertificateId\":\"Ab34CdEf\",\"Domain\":\"\\u4e2d\\u6587.example\",\"Status\":3,"
     "\"CertificateExtra\":{\"ReplacedBy\":null,\"Nested\":[1,[2,{\"x\":\"}]\"}]]}}"),
    "{\"CertificateId\":\"Zz99\",\"Domain\":null,\"Status\":null}",
    "{ \"CertificateId\" : \"ws\" ,\n \"Alias\" : \"with, comma ] and } brace\" }",
};
/* what the parser keeps of each (resp_cert.raw): the members the plugin reads, not null
 * or false, under their short keys (lib/resp_fields.c) */
static const char *const kept[] = {
    ("{\"0\":\"Xy12AbCd\",\"1\":\"api.example.com\",\"7\":1,\"4\":\"2026-11-26 07:59:59\","
     "\"8\":[\"api.example.com\",\"www.example.com\"],\"9\":[\"clb\",\"cdn\"]}"),
    "{\"0\":\"Ab34CdEf\",\"1\":\"\\u4e2d\\u6587.example\",\"7\":3}",
    "{\"0\":\"Zz99\"}",
    "{\"0\":\"ws\",\"2\":\"with, comma ] and } brace\"}",
};
#define NOBJ (sizeof objs / sizeof objs[0])

/* A sink that copies what it is given. */
struct rec {
	int n;
	char raw[MAXOBJ][512];
	char id[MAXOBJ][32];
	unsigned page[MAXOBJ];
	int commits, discards, resets;
	unsigned last_commit;
	int abort_at; /* cert() returns 1 for this index (0 = never) */
};

static int rec_cert(void *ctx, unsigned page, const struct resp_cert *c)
{
	struct rec *r = ctx;
	if (r->abort_at && r->n + 1 == r->abort_at) return 1;
	if (r->n >= MAXOBJ) return 1;
	snprintf(r->raw[r->n], sizeof r->raw[0], "%.*s", (int)c->raw.n, c->raw.p);
	snprintf(r->id[r->n], sizeof r->id[0], "%.*s", (int)c->id.n, c->id.p ? c->id.p : "");
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
static const char key[] = "https://ssl.tencentcloudapi.com\nAKIDexample\n{}";

static struct cache *open_at(const char *k, long ttl, long long now)
{
	char msg[256];
	struct cache *c = cache_open(path, ttl, k, strlen(k), msg, sizeof msg);
	if (!c)
		printf("# cache_open: %s\n", msg);
	else
		cache_set_now(c, now);
	return c;
}

/* Feeds objs[from..to) as one page per object through a tee, returns commit's result. */
static enum cache_err write_listing(long long now, const char *const *list, size_t n,
                                    struct rec *inner)
{
	char msg[256];
	struct client_sink s = rec_sink(inner);
	struct cache *c = open_at(key, 300, now);
	if (!c) return CACHE_ERR;
	struct client_sink t = cache_tee(c, &s);
	for (size_t i = 0; i < n; i++) {
		struct resp_cert rc;
		memset(&rc, 0, sizeof rc);
		rc.raw.p = list[i];
		rc.raw.n = strlen(list[i]);
		t.cert(t.ctx, (unsigned)(i / 2), &rc);
		if (i % 2 == 1 || i + 1 == n) t.commit(t.ctx, (unsigned)(i / 2));
	}
	enum cache_err e = cache_commit(c, msg, sizeof msg);
	if (e != CACHE_OK) printf("# commit: %s\n", msg);
	cache_close(c);
	return e;
}

static enum cache_err replay_at(const char *k, long ttl, long long now, struct rec *r,
                                long long *listed)
{
	struct client_sink s = rec_sink(r);
	struct cache *c = open_at(k, ttl, now);
	cache_set_lock_wait(c, 0);
	*listed = -1;
	enum cache_err e = cache_replay(c, &s, listed);
	printf("# replay: %s\n", cache_message(c));
	cache_close(c);
	return e;
}

static long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static void patch_byte(long off, int delta)
{
	FILE *f = fopen(path, "r+b");
	fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
	int ch = fgetc(f);
	fseek(f, off, off < 0 ? SEEK_END : SEEK_SET);
	fputc(ch + delta, f);
	fclose(f);
}

static int has_tmp_files(void)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -c '\\.tmp\\.' >/dev/null", dir);
	return system(cmd) == 0;
}

static void fresh_dir(void)
{
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", dir);
	if (system(cmd) != 0) printf("# could not clean %s\n", dir);
}

int main(void)
{
	struct rec in, out;
	long long listed;

	strcpy(dir, "/tmp/test_cache.XXXXXX");
	if (!mkdtemp(dir)) return 2;
	snprintf(path, sizeof path, "%s/listing.cache", dir);
	umask(0); /* the file must still be 0600 */

	/* write, then replay and compare every object */
	is_int(write_listing(T0, objs, NOBJ, &in), CACHE_OK, "complete listing is written");
	is_int(in.n, NOBJ, "tee forwards every certificate to the real sink");
	is_int(in.commits, (NOBJ + 1) / 2, "tee forwards commits");
	struct stat st;
	memset(&st, 0, sizeof st);
	int have = lstat(path, &st) == 0;
	ok(have && S_ISREG(st.st_mode) && (st.st_mode & 07777) == 0600,
	   "cache file mode is 0600 under umask 0 (%o)", (unsigned)(st.st_mode & 07777));
	ok(!has_tmp_files(), "no temporary file left behind");
	is_int(replay_at(key, 300, T0 + 10, &out, &listed), CACHE_OK, "fresh file replays");
	is_int(listed, NOBJ, "listed count");
	is_int(out.n, NOBJ, "every object replayed");
	for (size_t i = 0; i < NOBJ && (int)i < out.n; i++) {
		is_str(out.raw[i], kept[i], "object %zu replayed as kept", i);
		is_int(out.page[i], 0, "object %zu under page 0", i);
	}
	is_str(out.id[0], "Xy12AbCd", "replay goes through the parser (CertificateId view)");
	is_str(out.id[3], "ws", "parser view of a spaced object");
	is_int(out.commits, 1, "one commit");
	is_int(out.last_commit, 0, "commit(0)");
	is_int(out.resets, 0, "no reset");

	/* TTL and clock */
	static const struct {
		long long dt;
		enum cache_err want;
		const char *name;
	} ages[] = {
	    {0, CACHE_OK, "age 0"},
	    {299, CACHE_OK, "age ttl-1"},
	    {300, CACHE_MISS, "age = ttl is stale"},
	    {100000, CACHE_MISS, "very old"},
	    {-60, CACHE_OK, "60 s in the future is tolerated"},
	    {-61, CACHE_MISS, "61 s in the future is stale"},
	};
	for (size_t i = 0; i < sizeof ages / sizeof ages[0]; i++) {
		is_int(replay_at(key, 300, T0 + ages[i].dt, &out, &listed), ages[i].want, "ttl: %s",
		       ages[i].name);
		is_int(out.n, ages[i].want == CACHE_OK ? (int)NOBJ : 0, "ttl: %s: certificates",
		       ages[i].name);
	}
	is_int(replay_at(key, 0, T0, &out, &listed), CACHE_MISS, "ttl 0 never replays");

	/* key */
	is_int(replay_at("https://ssl.tencentcloudapi.com\nAKIDother\n{}", 300, T0, &out, &listed),
	       CACHE_MISS, "another key misses");
	is_int(out.n + out.commits, 0, "nothing reaches the sink on a key miss");

	/* corruption: payload byte, header byte, truncation, garbage, empty */
	long size = file_size(path);
	patch_byte(-5, 1);
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "flipped payload byte misses");
	is_int(out.n + out.commits + out.resets, 0,
	       "checksum is checked before the sink sees anything");
	patch_byte(-5, -1);
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_OK, "restored byte replays again");
	patch_byte(40, 1); /* last digit of "created": one second younger, still well-formed */
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS,
	       "flipped digit in the header misses (checksum covers the header)");
	patch_byte(40, -1);
	patch_byte(30, 1); /* a leading zero of "created": far in the future */
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "created in the future misses");
	patch_byte(30, -1);
	patch_byte(13 + 29 + 69 + 25, 1); /* last digit of "count" */
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "changed count misses");
	patch_byte(13 + 29 + 69 + 25, -1);
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_OK, "restored header replays again");
	patch_byte(0, 1); /* magic */
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "bad magic misses");
	patch_byte(0, -1);
	for (long cut = size - 1; cut > 0; cut = cut > 300 ? cut - 150 : cut / 2) {
		char tp[160];
		snprintf(tp, sizeof tp, "%s.trunc", path);
		char cmd[600];
		snprintf(cmd, sizeof cmd, "cp -p '%s' '%s' && truncate -s %ld '%s'", path, tp, cut,
		         tp);
		if (system(cmd) != 0) break;
		struct client_sink s = rec_sink(&out);
		char msg[64];
		struct cache *c = cache_open(tp, 300, key, strlen(key), msg, sizeof msg);
		cache_set_now(c, T0);
		cache_set_lock_wait(c, 0);
		is_int(cache_replay(c, &s, &listed), CACHE_MISS, "truncated to %ld bytes misses",
		       cut);
		cache_close(c);
		unlink(tp);
	}
	{
		/* appended bytes */
		FILE *f = fopen(path, "ab");
		fputs("x", f);
		fclose(f);
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS,
		       "extra trailing byte misses");
	}
	{
		FILE *f = fopen(path, "wb");
		fputs("TCSSLCACHE 1\ngarbage\n", f);
		fclose(f);
		chmod(path, 0600);
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "foreign file misses");
		is_int(write_listing(T0, objs, 2, &in), CACHE_OK, "foreign file is replaced");
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_OK, "replacement replays");
		is_int(listed, 2, "replacement has its 2 certificates");
	}
	{
		FILE *f = fopen(path, "wb");
		fclose(f);
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "empty file misses");
	}
	unlink(path);
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS, "absent file misses");

	/* an empty account is a listing too */
	is_int(write_listing(T0, objs, 0, &in), CACHE_OK, "empty listing is written");
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_OK, "empty listing replays");
	is_int(listed, 0, "empty listing: 0 listed");
	is_int(out.commits, 1, "empty listing: commit(0) still called");

	/* a checksummed file the parser refuses: replay takes back what it gave */
	{
		const char *const bad[] = {objs[0], "{\"Domain\":\"no id\"}"};
		is_int(write_listing(T0, bad, 2, &in), CACHE_OK, "file with an object without id");
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS,
		       "parser validation applies on replay");
		is_int(out.resets, 1, "sink reset after a half replay");
		is_int(out.n + out.commits, 0, "nothing left in the sink");
		static const char *const inj[] = {
		    "{\"CertificateId\":\"a\"},{\"CertificateId\":\"b\"}"};
		is_int(write_listing(T0, inj, 1, &in), CACHE_OK, "file with two objects in one");
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS,
		       "object count must match the header");
	}
	/* the real sink aborting is passed on as a miss */
	{
		is_int(write_listing(T0, objs, NOBJ, &in), CACHE_OK, "rewritten");
		struct client_sink s = rec_sink(&out);
		out.abort_at = 2;
		struct cache *c = open_at(key, 300, T0);
		cache_set_lock_wait(c, 0);
		is_int(cache_replay(c, &s, &listed), CACHE_MISS, "sink abort: miss");
		is_int(out.resets, 1, "sink abort: reset");
		cache_close(c);
	}

	/* permissions and ownership */
	chmod(path, 0620);
	is_int(replay_at(key, 300, T0, &out, &listed), CACHE_MISS,
	       "group-writable file is ignored");
	chmod(path, 0600);
	{
		char target[160];
		snprintf(target, sizeof target, "%s/real", dir);
		rename(path, target);
		if (symlink(target, path) != 0) perror("symlink");
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_ERR, "symlink refused");
		struct client_sink s = rec_sink(&out);
		struct cache *c = open_at(key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = {.raw = {objs[0], strlen(objs[0])}};
		t.cert(t.ctx, 0, &rc);
		t.commit(t.ctx, 0);
		char msg[256];
		is_int(cache_commit(c, msg, sizeof msg), CACHE_ERR,
		       "commit over a symlink refused");
		printf("# %s\n", msg);
		cache_close(c);
		ok(lstat(path, &st) == 0 && S_ISLNK(st.st_mode), "symlink left alone");
		ok(!has_tmp_files(), "no temporary file left behind");
		unlink(path);
		rename(target, path);
	}
	if (geteuid() == 0) {
		chown(path, 1, 1);
		is_int(replay_at(key, 300, T0, &out, &listed), CACHE_ERR,
		       "file of another user refused");
		chown(path, 0, 0);
	}

	/* discard or reset during a listing: nothing written */
	for (int mode = 0; mode < 2; mode++) {
		fresh_dir();
		struct client_sink s = rec_sink(&in);
		struct cache *c = open_at(key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		for (size_t i = 0; i < NOBJ; i++) {
			struct resp_cert rc = {.raw = {objs[i], strlen(objs[i])}};
			t.cert(t.ctx, (unsigned)i, &rc);
			if (i == 1) {
				if (mode == 0)
					t.discard(t.ctx, 1);
				else
					t.reset(t.ctx);
			}
			t.commit(t.ctx, (unsigned)i);
		}
		char msg[256];
		is_int(cache_commit(c, msg, sizeof msg), CACHE_MISS, "%s: commit writes nothing",
		       mode ? "reset" : "discard");
		printf("# %s\n", msg);
		is_int(mode ? in.resets : in.discards, 1, "%s forwarded",
		       mode ? "reset" : "discard");
		cache_close(c);
		ok(access(path, F_OK) != 0, "%s: no cache file", mode ? "reset" : "discard");
		ok(!has_tmp_files(), "%s: no temporary file left behind",
		   mode ? "reset" : "discard");
	}
	/* a run that never commits leaves nothing either */
	{
		struct client_sink s = rec_sink(&in);
		struct cache *c = open_at(key, 300, T0);
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = {.raw = {objs[0], strlen(objs[0])}};
		t.cert(t.ctx, 0, &rc);
		cache_close(c);
		ok(access(path, F_OK) != 0 && !has_tmp_files(), "close without commit: nothing");
	}

	/* the lock: a child refreshes while the parent waits, then replays its file */
	{
		fresh_dir();
		int pfd[2];
		if (pipe(pfd) != 0) return 2;
		pid_t pid = fork();
		if (pid == 0) {
			struct rec r;
			struct client_sink s = rec_sink(&r);
			char msg[256];
			close(pfd[0]);
			struct cache *c = cache_open(path, 300, key, strlen(key), msg, sizeof msg);
			cache_set_lock_wait(c, 0);
			int miss = cache_replay(c, &s, &listed) == CACHE_MISS;
			if (write(pfd[1], miss ? "m" : "x", 1) != 1) _exit(3);
			struct timespec ts = {0, 600 * 1000 * 1000};
			nanosleep(&ts, NULL);
			struct client_sink t = cache_tee(c, &s);
			struct resp_cert rc = {.raw = {objs[1], strlen(objs[1])}};
			t.cert(t.ctx, 0, &rc);
			t.commit(t.ctx, 0);
			int w = cache_commit(c, msg, sizeof msg) == CACHE_OK;
			cache_close(c);
			_exit(w ? 0 : 1);
		}
		close(pfd[1]);
		char b = 0;
		if (read(pfd[0], &b, 1) != 1) b = 0;
		close(pfd[0]);
		is_int(b, 'm', "child: absent file is a miss, and it holds the lock");
		struct client_sink s = rec_sink(&out);
		struct cache *c = cache_open(path, 300, key, strlen(key), NULL, 0);
		cache_set_lock_wait(c, 5);
		struct timespec a, z;
		clock_gettime(CLOCK_MONOTONIC, &a);
		is_int(cache_replay(c, &s, &listed), CACHE_OK, "parent waits for the refresh");
		clock_gettime(CLOCK_MONOTONIC, &z);
		double waited =
		    (double)(z.tv_sec - a.tv_sec) + (double)(z.tv_nsec - a.tv_nsec) / 1e9;
		ok(waited > 0.3 && waited < 4.0, "parent waited for the lock (%.2f s)", waited);
		is_int(listed, 1, "parent replays the child's listing");
		is_str(out.raw[0], kept[1], "parent got the child's object");
		cache_close(c);
		int status = 0;
		waitpid(pid, &status, 0);
		ok(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child committed");
	}
	/* lock held past the wait: an old copy (younger than 2 x TTL) is used, and not rewritten */
	for (int old = 0; old < 2; old++) {
		long long made = (long long)time(NULL) - (old ? 700 : 400);
		fresh_dir();
		is_int(write_listing(made, objs, NOBJ, &in), CACHE_OK, "stale copy written");
		int pfd[2];
		if (pipe(pfd) != 0) return 2;
		pid_t pid = fork();
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
		char b;
		if (read(pfd[0], &b, 1) != 1) b = 0;
		close(pfd[0]);
		struct client_sink s = rec_sink(&out);
		struct cache *c = cache_open(path, 300, key, strlen(key), NULL, 0);
		cache_set_lock_wait(c, 0.2);
		enum cache_err e = cache_replay(c, &s, &listed);
		printf("# %s\n", cache_message(c));
		if (!old) {
			is_int(e, CACHE_OK, "lock busy: old copy used");
			is_int(listed, NOBJ, "lock busy: old copy complete");
		} else {
			is_int(e, CACHE_MISS, "lock busy: a copy older than 2 x TTL is not used");
		}
		struct client_sink t = cache_tee(c, &s);
		struct resp_cert rc = {.raw = {objs[2], strlen(objs[2])}};
		t.cert(t.ctx, 0, &rc);
		t.commit(t.ctx, 0);
		is_int(cache_commit(c, NULL, 0), CACHE_MISS, "lock busy: no write");
		cache_close(c);
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		ok(!has_tmp_files(), "lock busy: no temporary file left behind");
	}

	/* NULL handle: tee passes through, the rest is harmless */
	{
		struct client_sink s = rec_sink(&in);
		struct client_sink t = cache_tee(NULL, &s);
		ok(t.ctx == &in && t.cert == rec_cert, "cache_tee(NULL) is the sink itself");
		is_int(cache_replay(NULL, &s, &listed), CACHE_MISS, "replay(NULL) misses");
		cache_close(NULL);
		char msg[64];
		ok(cache_open("", 300, key, 3, msg, sizeof msg) == NULL, "empty path refused");
		ok(cache_open(path, -1, key, 3, msg, sizeof msg) == NULL, "negative ttl refused");
	}

	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0) printf("# could not remove %s\n", dir);
	return tap_done();
}
