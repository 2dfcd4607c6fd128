/* SPDX-License-Identifier: GPL-3.0-or-later */
/* --cache-file/--cache-ttl: a listing shared by many checks of one account.
 * The file holds, per certificate, the compact record of what selection,
 * evaluation and output read (cache_rec.h), keyed by endpoint, identity and
 * the request's API filters; written atomically (temp file + rename), mode
 * 0600, under a lock; a corrupt, foreign or older-format file is ignored and
 * replaced. Messages follow msg.h: they never hold a secret. */
#ifndef TC_CACHE_H
#define TC_CACHE_H

#include <stddef.h>

#include "msg.h"
#include "request.h"
#include "sink.h"

enum cache_err { CACHE_OK = 0, CACHE_MISS, CACHE_ERR };

/* Which listing a file holds: the hex SHA-256 of the endpoint, the identity
 * and the API filters' request body, each length-prefixed. identity is what
 * names the account to the credentials code: the SecretId, or for temporary
 * keys what stays when they change (a role ARN and the base identity, a CVM
 * role name), so runs with fresh keys share one cache. */
#define CACHE_KEY_HEX 64
struct cache_key {
	char hex[CACHE_KEY_HEX + 1];
};
enum cache_err cache_key(struct cache_key *out, const char *endpoint, const char *identity,
                         const struct api_filters *filters, struct msg *m);

struct cache;

/* CACHE_ERR (and *out NULL) for a bad path or TTL, or no memory. */
enum cache_err cache_open(struct cache **out, const char *path, long ttl,
                          const struct cache_key *key, struct msg *m);
/* Replays a fresh cached listing into sink as page 0 (cert()..., commit(0))
 * with the resp_cert fields a live listing gives (raw empty); CACHE_MISS when
 * absent, stale, foreign or corrupt (a replay that fails half-way calls
 * sink->reset() before any commit); CACHE_ERR when PATH is a symlink, not a
 * regular file or not owned by this user: then the cache is neither read nor
 * written. m says why it missed. */
enum cache_err cache_replay(struct cache *c, const struct client_sink *sink, long long *listed,
                            struct msg *m);
/* Wraps sink so a listing that completes is also written to the cache. */
struct client_sink cache_tee(struct cache *c, const struct client_sink *sink);
/* Call after a complete listing: writes temp file, fsync, rename, mode 0600.
 * CACHE_OK when written; CACHE_MISS when not written by design (the listing was
 * restarted or a page discarded, another process holds the lock); CACHE_ERR on
 * an I/O error or a refused PATH. m says why. */
enum cache_err cache_commit(struct cache *c, struct msg *m);
void cache_close(struct cache *c);

/* Caps of one cache file: a listing bigger than this is simply not cached. */
#define CACHE_MAX_STAGED   64 /* pages written to the cache but not yet committed */
#define CACHE_MAX_PATH     4000
#define CACHE_MAX_IDENTITY 2048 /* bytes of the identity in the key */
#define CACHE_MAX_RECORDS  2000000ull
#define CACHE_MAX_BYTES    (1024ull * 1024 * 1024) /* payload */
#define CACHE_FUTURE_SLACK 60                      /* s a file may be "from the future" */

/* Locking (PATH.lock, flock): readers of a fresh file take no lock. A process
 * that finds the file stale, missing or bad takes LOCK_EX and refreshes it (its
 * cache_replay() returns CACHE_MISS holding the lock until commit or close). A
 * process that finds the lock taken waits up to the lock wait (default
 * CACHE_LOCK_WAIT s) for the refresh, then replays the new file; when the wait
 * runs out it replays the old copy if it is intact and younger than twice the
 * TTL (one stale answer beats doubling the API load), else CACHE_MISS without
 * the lock: it lists live and does not write. */
#define CACHE_LOCK_WAIT 2.0
void cache_set_lock_wait(struct cache *c, double seconds);
/* Tests: a fixed clock (epoch seconds) for ages and creation times; 0 = time(). */
void cache_set_now(struct cache *c, long long now);

#endif
