/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one message convention of lib/ (curl's): a fallible function returns its
 * module's error enum (0 = success) and writes one line saying why into a
 * struct msg that the caller owns. A message may carry bytes a server sent;
 * output.c makes it safe for Nagios once, at the output boundary. */
#ifndef TC_MSG_H
#define TC_MSG_H

#include <stdarg.h>
#include <stddef.h>

#define MSG_MAX 512 /* bytes of one message, NUL included */

struct msg {
	char text[MSG_MAX]; /* "" when nothing was said */
};

/* m may be NULL (the caller does not want to know why). Cut at MSG_MAX - 1. */
void msg_set(struct msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_vset(struct msg *m, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));
/* Appends, for "what failed: why" built in two steps. */
void msg_add(struct msg *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void msg_clear(struct msg *m);

#endif
