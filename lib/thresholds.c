/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "thresholds.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Longest run of digits on either side of the '.': keeps strtod exact enough
 * and rules out values no one means as days. */
#define THR_MAX_DIGITS 12

/* Parses exactly n bytes at s as ["-"] digits ["." digits]; strict, so "3O",
 * "1e3", "inf", "nan", ".5" and "5." are refused. */
static int parse_num(const char *s, size_t n, int allow_neg, double *out)
{
	char tmp[THR_MAX_LEN + 1];
	size_t i = 0, d;
	if (n == 0 || n > THR_MAX_LEN) return -1;
	if (s[0] == '-') {
		if (!allow_neg) return -1;
		i++;
	}
	for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		d++;
	if (d == 0 || d > THR_MAX_DIGITS) return -1;
	if (i < n && s[i] == '.') {
		i++;
		for (d = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
			d++;
		if (d == 0 || d > THR_MAX_DIGITS) return -1;
	}
	if (i != n) return -1;
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	*out = strtod(tmp, NULL);
	return isfinite(*out) ? 0 : -1;
}

static int parse_range(const char *s, size_t len, struct thr *t)
{
	const char *p = s, *end = s + len;
	if (*p == '@') {
		t->inside = 1;
		p++;
	}
	const char *colon = memchr(p, ':', (size_t)(end - p));
	t->start = 0;
	t->end_inf = 1;
	if (colon) {
		size_t sn = (size_t)(colon - p), en = (size_t)(end - colon - 1);
		if (sn == 0 && en == 0) return -1;
		if (sn == 1 && p[0] == '~')
			t->start_inf = 1;
		else if (sn > 0 && parse_num(p, sn, 1, &t->start) != 0)
			return -1;
		if (en > 0) {
			if (parse_num(colon + 1, en, 1, &t->end) != 0) return -1;
			t->end_inf = 0;
		}
	} else {
		/* no ':' : only "@N" gets here (the Nagios 0..N, alert inside) */
		if (!t->inside || parse_num(p, (size_t)(end - p), 1, &t->end) != 0) return -1;
		t->end_inf = 0;
	}
	if (!t->start_inf && !t->end_inf && t->start > t->end) return -1;
	memcpy(t->text, s, len);
	t->text[len] = '\0';
	return 0;
}

int thr_parse(const char *s, struct thr *out)
{
	struct thr t;
	memset(&t, 0, sizeof t);
	memset(out, 0, sizeof *out);
	if (!s) return -1;
	size_t len = strnlen(s, THR_MAX_LEN + 1);
	if (len == 0 || len > THR_MAX_LEN) return -1;

	if (strpbrk(s, ":~@")) {
		if (parse_range(s, len, &t) != 0) return -1;
	} else if (s[len - 1] == '%') {
		if (parse_num(s, len - 1, 0, &t.start) != 0 || t.start > 100) return -1;
		t.percent = 1;
		t.end_inf = 1;
		t.text[0] = '\0'; /* a share has no fixed value in days */
	} else {
		if (parse_num(s, len, 0, &t.start) != 0) return -1;
		t.end_inf = 1;
		memcpy(t.text, s, len);
		t.text[len] = ':';
		t.text[len + 1] = '\0';
	}
	*out = t;
	return 0;
}

int thr_alerts(const struct thr *t, double value)
{
	int in;
	if (isnan(value)) return 1;
	if (!t->start_inf && !t->end_inf)
		in = t->start <= value && value <= t->end;
	else if (!t->start_inf)
		in = t->start <= value;
	else if (!t->end_inf)
		in = value <= t->end;
	else
		in = 1;
	return t->inside ? in : !in;
}
