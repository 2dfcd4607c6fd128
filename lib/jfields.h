/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small JSON answers (CVM metadata, STS) read by key paths: one jsmn pass over a
 * whole document, then each wanted field found by its path of object keys
 * ("Response.Credentials.Token"). Values are views into the caller's text. */
#ifndef TC_JFIELDS_H
#define TC_JFIELDS_H

#include <stddef.h>

#include "view.h"

#define JFIELDS_MAX_TOKENS 4096
#define JFIELDS_MAX_DEPTH  32

enum jfield_type { JF_ABSENT = 0, JF_STRING, JF_NUMBER, JF_OTHER /* object, array, bool, null */ };

struct jfield {
	const char *path;      /* keys joined by '.' */
	enum jfield_type type; /* out */
	struct tc_view raw;    /* out: a string's bytes between the quotes (escapes kept), or
	                          the number's text */
};

enum jfields_err {
	JFIELDS_OK = 0,
	JFIELDS_ERR_SYNTAX, /* not one JSON object */
	JFIELDS_ERR_TOOBIG, /* more than JFIELDS_MAX_TOKENS tokens or too deep */
	JFIELDS_ERR_DUP,    /* a wanted key appears twice in its object */
	JFIELDS_ERR_NOMEM,
};

/* Fills type and raw of each of the n fields. */
enum jfields_err jfields_get(const char *js, size_t len, struct jfield *f, size_t n);

/* Decodes a JF_STRING into dst (cap bytes): 0 on success; -1 when absent, not
 * a string, empty, too long, or holding spaces or control characters (keys
 * and tokens go into headers). */
int jfields_token(const struct jfield *f, char *dst, size_t cap);

#endif
