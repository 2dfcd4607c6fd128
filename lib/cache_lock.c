/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "cache_lock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int cache_lock_init(struct cache_lock *l, const char *cache_path)
{
	l->fd = -1;
	int n = snprintf(l->path, sizeof l->path, "%s.lock", cache_path);
	return n < 0 || (size_t)n >= sizeof l->path ? -1 : 0;
}

int cache_lock_try(struct cache_lock *l, struct msg *m)
{
	struct stat st;
	if (l->fd < 0) {
		l->fd = open(l->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
		if (l->fd < 0) {
			msg_set(m, "cannot open lock file %s: %s", l->path, strerror(errno));
			return -1;
		}
		if (fstat(l->fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
			msg_set(m, "lock file %s is not a regular file owned by this user",
			        l->path);
			close(l->fd);
			l->fd = -1;
			return -1;
		}
	}
	if (flock(l->fd, LOCK_EX | LOCK_NB) == 0) return 1;
	if (errno == EWOULDBLOCK || errno == EINTR) return 0;
	msg_set(m, "cannot lock %s: %s", l->path, strerror(errno));
	return -1;
}

void cache_lock_release(struct cache_lock *l)
{
	if (l->fd >= 0) {
		flock(l->fd, LOCK_UN);
		close(l->fd);
		l->fd = -1;
	}
}
