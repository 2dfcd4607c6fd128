/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The listing cache file: write through cache_tee + cache_commit and replay
 * field for field, age and clock, a table of every reason a file must not be
 * trusted (age, key, each byte flipped, each truncation, appended bytes, the
 * older format, permissions, symlink), restarts that must not write, and the
 * refresh lock between processes. Records, checksum and key: test_cache_rec.c. */
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
#include "cache_harness.h"
#include "resp_fields.h"
#include "tap.h"

static struct cache_key other_key; /* another identity's */

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
