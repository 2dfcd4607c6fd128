/* --cache-file/--cache-ttl: a listing shared by many checks of one account.
 * The file holds the raw certificate objects of a complete listing, keyed by
 * endpoint, SecretId and the request's API filters; written atomically (temp
 * file + rename), mode 0600, under a lock; a corrupt or foreign file is ignored. */
#ifndef TC_CACHE_H
#define TC_CACHE_H

#include <stddef.h>

#include "sink.h"

enum cache_err { CACHE_OK = 0, CACHE_MISS, CACHE_ERR };

struct cache;

/* key: any bytes that identify the listing (endpoint, SecretId, filters body). */
struct cache *cache_open(const char *path, long ttl, const char *key, size_t key_len, char *message,
                         size_t msgcap);
/* Replays a fresh cached listing into sink as page 0 (cert()..., commit(0)),
 * through the response parser; CACHE_MISS when absent, stale, foreign or
 * corrupt (a replay that fails half-way calls sink->reset() first); CACHE_ERR
 * when PATH is a symlink, not a regular file or not owned by this user: then
 * the cache is neither read nor written. */
enum cache_err cache_replay(struct cache *c, const struct client_sink *sink, long long *listed);
/* Wraps sink so a listing that completes is also written to the cache. */
struct client_sink cache_tee(struct cache *c, const struct client_sink *sink);
/* Call after a complete listing: writes temp file, fsync, rename, mode 0600.
 * CACHE_OK when written; CACHE_MISS when not written by design (the listing was
 * restarted or a page discarded, another process holds the lock); CACHE_ERR on
 * an I/O error or a refused PATH. message says why. */
enum cache_err cache_commit(struct cache *c, char *message, size_t msgcap);
void cache_close(struct cache *c);

/* Caps of one cache file: a listing bigger than this is simply not cached. */
#define CACHE_MAX_STAGED   64 /* pages written to the cache but not yet committed */
#define CACHE_MAX_PATH     4000
#define CACHE_MAX_OBJECTS  2000000ull
#define CACHE_MAX_BYTES    (2048ull * 1024 * 1024) /* payload */
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
/* Why the last call missed or failed (for -v): never holds a secret. */
const char *cache_message(const struct cache *c);

#endif
