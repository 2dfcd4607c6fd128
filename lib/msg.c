/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "msg.h"

#include <stdio.h>
#include <string.h>

void msg_vset(struct msg *m, const char *fmt, va_list ap)
{
	if (!m) return;
	if (vsnprintf(m->text, sizeof m->text, fmt, ap) < 0) m->text[0] = '\0';
}

void msg_set(struct msg *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vset(m, fmt, ap);
	va_end(ap);
}

void msg_add(struct msg *m, const char *fmt, ...)
{
	if (!m) return;
	size_t n = strnlen(m->text, sizeof m->text);
	if (n >= sizeof m->text - 1) return;
	va_list ap;
	va_start(ap, fmt);
	if (vsnprintf(m->text + n, sizeof m->text - n, fmt, ap) < 0) m->text[n] = '\0';
	va_end(ap);
}

void msg_clear(struct msg *m)
{
	if (m) m->text[0] = '\0';
}
