/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "text.h"

#include <string.h>

int text_printable(const char *s, size_t max)
{
	if (!s) return 0;
	size_t n = strnlen(s, max + 1);
	if (n == 0 || n > max) return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
	return 1;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

void text_trim(const char **p, size_t *n)
{
	while (*n && is_blank(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n && is_blank((*p)[*n - 1]))
		(*n)--;
}

int text_ini_line(const char *buf, size_t len, size_t *pos, int *line, const char **l, size_t *n)
{
	while (*pos < len) {
		const char *s = buf + *pos;
		const char *nl = memchr(s, '\n', len - *pos);
		size_t k = nl ? (size_t)(nl - s) : len - *pos;
		*pos += k + (nl ? 1 : 0);
		(*line)++;
		text_trim(&s, &k);
		if (k == 0 || s[0] == '#' || s[0] == ';') continue;
		*l = s;
		*n = k;
		return 1;
	}
	return 0;
}
