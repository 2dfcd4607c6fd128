/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The contract of every credentials parser the fuzz targets drive: what it
 * returns as usable goes into HTTP headers, so no empty field, no space, no
 * control character. Aborts on a broken contract. */
#ifndef TC_FUZZ_USABLE_H
#define TC_FUZZ_USABLE_H

#include <stdlib.h>

#include "creds.h"

static void usable(const char *s)
{
	if (!s[0]) abort();
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || *s == 0x7f) abort();
}

static void usable_creds(const struct creds *c)
{
	usable(c->secret_id);
	usable(c->secret_key);
	usable(c->token);
}

#endif
