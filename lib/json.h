/* SPDX-License-Identifier: GPL-3.0-or-later */
/* JSON text in and out: decode a string's escapes for printing, and append
 * escaped strings to a capped buffer (request bodies, --output json). */
#ifndef TC_JSON_H
#define TC_JSON_H

#include <stddef.h>

#include "view.h"

/* Decodes the raw contents of a JSON string (between the quotes) into UTF-8,
 * \uXXXX with surrogate pairs; a lone surrogate becomes U+FFFD; U+0000 stays
 * the six characters \u0000, so no decoded name is cut short by a NUL (it is
 * matched and shown with them). Writes at most cap-1 bytes and a NUL, never
 * splitting a UTF-8 sequence or that escape; for valid escapes never more
 * bytes than raw.n.
 * Returns the length written. */
size_t json_unescape(struct tc_view raw, char *out, size_t cap);

/* A growable buffer with a hard cap: passing the cap sets .overflow and
 * further appends are ignored, so callers check once at the end. */
struct jbuf {
	char *p;
	size_t len, cap, max;
	int overflow;
};

void jbuf_init(struct jbuf *b, size_t max);
void jbuf_free(struct jbuf *b);
void jbuf_putn(struct jbuf *b, const char *s, size_t n);
void jbuf_puts(struct jbuf *b, const char *s);
void jbuf_printf(struct jbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a quoted JSON string: ", \, control characters escaped, other
 * bytes (raw UTF-8) kept as they are, like the SDKs do. */
void jbuf_string(struct jbuf *b, const char *s, size_t n);

#endif
