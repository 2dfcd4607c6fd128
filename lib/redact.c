/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "redact.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secret.h"

void redact_init(struct redact *r)
{
	memset(r, 0, sizeof *r);
}

int redact_add(struct redact *r, const char *secret)
{
	if (!secret) return 0;
	if (r->n >= REDACT_MAX_SECRETS) return -1;
	r->secret[r->n++] = secret;
	return 0;
}

static size_t common_prefix(const char *s, const char *secret)
{
	size_t k = 0;
	while (s[k] && secret[k] &&
	       tolower((unsigned char)s[k]) == tolower((unsigned char)secret[k]))
		k++;
	return k;
}

/* Bytes at s that are secret: the longest match among the secrets, counted
 * only when it is the whole secret or at least REDACT_MIN_PREFIX long. */
static size_t secret_at(const struct redact *r, const char *s)
{
	size_t best = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (!r->secret[i][0]) continue; /* a buffer not filled yet */
		size_t k = common_prefix(s, r->secret[i]);
		int whole = r->secret[i][k] == '\0';
		if ((whole || k >= REDACT_MIN_PREFIX) && k > best) best = k;
	}
	return best;
}

static int is_hex(int c)
{
	return isxdigit(c) != 0;
}

/* "Signature=" then hex (any case): the hex is secret whatever it signs. */
static size_t signature_at(const char *s, size_t *skip)
{
	static const char key[] = "signature=";
	size_t n = sizeof key - 1;
	if (strncasecmp(s, key, n) != 0) return 0;
	size_t k = 0;
	while (is_hex((unsigned char)s[n + k]))
		k++;
	*skip = n;
	return k;
}

/* Appends n bytes of src to out (cap bytes, *o used), as far as they fit. */
static void put(char *out, size_t cap, size_t *o, const char *src, size_t n)
{
	if (n > cap - 1 - *o) n = cap - 1 - *o;
	memcpy(out + *o, src, n);
	*o += n;
}

void redact_text(const struct redact *r, char *s, size_t cap)
{
	if (!s || cap == 0) return;
	size_t len = strnlen(s, cap - 1), o = 0;
	char *out = NULL;
	for (size_t i = 0; i < len;) {
		size_t skip = 0, k = secret_at(r, s + i);
		if (!k) k = signature_at(s + i, &skip);
		if (!k) {
			if (out) put(out, cap, &o, s + i, 1);
			i++;
			continue;
		}
		if (!out) {
			/* built aside, so a mark longer than what it hides cannot overrun */
			if (!(out = malloc(cap))) {
				snprintf(s, cap, "%s", REDACT_MARK);
				return;
			}
			put(out, cap, &o, s, i);
		}
		put(out, cap, &o, s + i, skip);
		put(out, cap, &o, REDACT_MARK, sizeof REDACT_MARK - 1);
		i += skip + k;
	}
	if (!out) return;
	memcpy(s, out, o);
	s[o] = '\0';
	secret_wipe(out, cap);
	free(out);
}

void redact_line(const struct redact *r, char *s, size_t cap)
{
	redact_text(r, s, cap);
	for (; s && *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f) *s = ' ';
}
