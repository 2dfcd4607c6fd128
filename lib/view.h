/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A view of bytes owned by someone else (a response buffer, argv, ...).
 * Views are not NUL-terminated; p == NULL means "absent" (missing or null). */
#ifndef TC_VIEW_H
#define TC_VIEW_H

#include <stddef.h>

struct tc_view {
	const char *p;
	size_t n;
};

static inline int view_empty(struct tc_view v)
{
	return v.p == NULL || v.n == 0;
}

#endif
