/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Keeps secrets out of messages and log lines. A server or proxy may echo the
 * request (Authorization, X-TC-Token) in an error message, whole, cut short or
 * in another case: every secret, and every run of 8 or more bytes that starts
 * like one, is replaced by "<redacted>", matched case-insensitively, before
 * anything cuts the text. */
#ifndef TC_REDACT_H
#define TC_REDACT_H

#include <stddef.h>

#define REDACT_MAX_SECRETS 48 /* the key, the token, a proxy password, one signature per slot */
#define REDACT_MIN_PREFIX  8  /* shorter runs are too likely by chance */
#define REDACT_MARK        "<redacted>"

struct redact {
	const char *secret[REDACT_MAX_SECRETS]; /* NUL-terminated, not copied */
	size_t n;
};

void redact_init(struct redact *r);
/* Ignores NULL. The string is read at each redact_text, so a buffer that is
 * filled later (a request's signature) may be added while still "". Past
 * REDACT_MAX_SECRETS, returns -1. */
int redact_add(struct redact *r, const char *secret);

/* In place, in a buffer of cap bytes holding a NUL-terminated string: each
 * secret whole, each prefix of a secret of REDACT_MIN_PREFIX bytes or more, and
 * the hex after any "Signature=" become REDACT_MARK. The result is cut at
 * cap - 1 bytes only after redaction. */
void redact_text(const struct redact *r, char *s, size_t cap);

/* redact_text, then control characters become spaces: one line for a log. */
void redact_line(const struct redact *r, char *s, size_t cap);

#endif
