/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Secrets live in fixed buffers and are wiped after use. */
#ifndef TC_SECRET_H
#define TC_SECRET_H

#include <stddef.h>

/* Zeroes memory in a way the compiler may not drop. */
void secret_wipe(void *p, size_t n);

#endif
