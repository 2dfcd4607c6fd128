/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The cache's refresh lock: PATH.lock, flock(LOCK_EX), never through a
 * symlink or someone else's file. See cache.h for who takes it when. */
#ifndef TC_CACHE_LOCK_H
#define TC_CACHE_LOCK_H

#include "msg.h"

#define CACHE_LOCK_MAX_PATH (4000 + 8) /* CACHE_MAX_PATH + ".lock" */

struct cache_lock {
	char path[CACHE_LOCK_MAX_PATH];
	int fd; /* -1 when not open */
};

/* 0, or -1 when cache_path + ".lock" does not fit. */
int cache_lock_init(struct cache_lock *l, const char *cache_path);
/* 1 = got the lock, 0 = someone else holds it, -1 = cannot lock (m says why). */
int cache_lock_try(struct cache_lock *l, struct msg *m);
void cache_lock_release(struct cache_lock *l);

#endif
