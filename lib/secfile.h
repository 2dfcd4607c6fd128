/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Reading a small file that may hold secrets (key, token, credentials or
 * --extra-opts file): a regular file, at most a cap, no NUL byte, and a note
 * for -v when group or others may read it. Symlinks are followed on purpose
 * (secret volumes, vault links); the target is what gets checked. */
#ifndef TC_SECFILE_H
#define TC_SECFILE_H

#include <stddef.h>

#include "msg.h"

#define SECFILE_MAX (64 * 1024) /* bytes of one such file */

enum secfile_err {
	SECFILE_OK = 0,
	SECFILE_MISSING, /* no such file (ENOENT, ENOTDIR): the caller may treat it as "not set up"
	                  */
	SECFILE_ERR,     /* unreadable, not a regular file, too big, NUL byte */
};

/* Reads the whole file into buf (SECFILE_MAX + 1 bytes), sets *len. why names
 * the file; warn (may be NULL) gets a note appended ("; " between notes) when
 * the file's mode lets group or others read it. */
enum secfile_err secfile_read(const char *path, char *buf, size_t *len, struct msg *why,
                              struct msg *warn);

/* Appends one note to a warning text, "; " between notes. */
void secfile_note(struct msg *warn, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
