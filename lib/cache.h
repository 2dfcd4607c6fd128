/* --cache-file/--cache-ttl: a listing shared by many checks of one account.
 * The file holds the raw certificate objects of a complete listing, keyed by
 * endpoint, SecretId and the request's API filters; written atomically (temp
 * file + rename), mode 0600, under a lock; a corrupt or foreign file is ignored. */
#ifndef TC_CACHE_H
#define TC_CACHE_H

#include <stddef.h>

#include "client.h"

enum cache_err { CACHE_OK = 0, CACHE_MISS, CACHE_ERR };

struct cache;

/* key: any bytes that identify the listing (endpoint, SecretId, filters body). */
struct cache *cache_open(const char *path, long ttl, const char *key, size_t key_len,
			 char *message, size_t msgcap);
/* Replays a fresh cached listing into sink; CACHE_MISS when absent, stale,
 * foreign or corrupt. */
enum cache_err cache_replay(struct cache *c, const struct client_sink *sink, long long *listed);
/* Wraps sink so a listing that completes is also written to the cache. */
struct client_sink cache_tee(struct cache *c, const struct client_sink *sink);
/* Call after a complete listing: writes temp file, fsync, rename. */
enum cache_err cache_commit(struct cache *c, char *message, size_t msgcap);
void cache_close(struct cache *c);

#endif
