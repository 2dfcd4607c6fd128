/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "secfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void secfile_note(struct msg *warn, const char *fmt, ...)
{
	if (!warn) return;
	struct msg note;
	va_list ap;
	va_start(ap, fmt);
	msg_vset(&note, fmt, ap);
	va_end(ap);
	msg_add(warn, "%s%s", warn->text[0] ? "; " : "", note.text);
}

enum secfile_err secfile_read(const char *path, char *buf, size_t *len, struct msg *why,
                              struct msg *warn)
{
	struct stat st;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	*len = 0;
	if (fd < 0) {
		int missing = errno == ENOENT || errno == ENOTDIR;
		msg_set(why, "cannot open %s: %s", path, strerror(errno));
		return missing ? SECFILE_MISSING : SECFILE_ERR;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		msg_set(why, "%s is not a regular file", path);
		close(fd);
		return SECFILE_ERR;
	}
	if (st.st_size > SECFILE_MAX) {
		msg_set(why, "%s is larger than %d bytes", path, SECFILE_MAX);
		close(fd);
		return SECFILE_ERR;
	}
	if (st.st_mode & 077)
		secfile_note(warn, "%s is readable by group or others (chmod 600)", path);
	/* One byte past the cap: a file that grew after fstat is caught too. */
	while (got < (size_t)SECFILE_MAX + 1) {
		ssize_t r = read(fd, buf + got, (size_t)SECFILE_MAX + 1 - got);
		if (r < 0 && errno == EINTR) continue;
		if (r < 0) {
			msg_set(why, "cannot read %s: %s", path, strerror(errno));
			close(fd);
			return SECFILE_ERR;
		}
		if (r == 0) break;
		got += (size_t)r;
	}
	close(fd);
	if (got > SECFILE_MAX) {
		msg_set(why, "%s is larger than %d bytes", path, SECFILE_MAX);
		return SECFILE_ERR;
	}
	if (memchr(buf, '\0', got)) {
		msg_set(why, "%s contains a NUL byte", path);
		return SECFILE_ERR;
	}
	*len = got;
	return SECFILE_OK;
}
