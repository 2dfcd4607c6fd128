/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "evaluate.h"

#include <fnmatch.h>
#include <string.h>

#include "json.h"

#define BEIJING_OFFSET (8 * 3600)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no timegm(), no TZ, no host time_t limits. */
static long long days_from_civil(long long y, unsigned m, unsigned d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long long)doe - 719468;
}

static void civil_from_days(long long z, long long *y, unsigned *m, unsigned *d)
{
	z += 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (long long)yoe + era * 400 + (*m <= 2);
}

long long eval_floor_div(long long a, long long b)
{
	long long q = a / b;
	if ((a % b != 0) && (a < 0)) q--;
	return q;
}

static int leap(long long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Reads min..max digits at *p into *out and the separator after them;
 * -1 when the field or separator is not there. */
static int field(const char **p, const char *end, int min, int max, char sep, int *out)
{
	int v = 0, n = 0;
	while (*p < end && **p >= '0' && **p <= '9' && n < max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min) return -1;
	if (sep) {
		if (*p >= end || **p != sep) return -1;
		(*p)++;
	}
	*out = v;
	return 0;
}

#define DIG2(p, i) (((p)[i] - '0') * 10 + ((p)[(i) + 1] - '0'))

#define NOT_DIGIT(p, i) ((unsigned)((unsigned char)(p)[i] - '0') > 9u)

/* "YYYY-MM-DD HH:MM:SS" exactly: 19 bytes, digits and separators in place
 * (spelled out, branch-free: a loop over a shape string cost more than the parse). */
static int padded(const char *p)
{
	unsigned bad = NOT_DIGIT(p, 0) | NOT_DIGIT(p, 1) | NOT_DIGIT(p, 2) | NOT_DIGIT(p, 3) |
	               NOT_DIGIT(p, 5) | NOT_DIGIT(p, 6) | NOT_DIGIT(p, 8) | NOT_DIGIT(p, 9) |
	               NOT_DIGIT(p, 11) | NOT_DIGIT(p, 12) | NOT_DIGIT(p, 14) | NOT_DIGIT(p, 15) |
	               NOT_DIGIT(p, 17) | NOT_DIGIT(p, 18);
	return !bad && p[4] == '-' && p[7] == '-' && p[10] == ' ' && p[13] == ':' && p[16] == ':';
}

/* The API pads its fields, but real responses have carried a short one
 * ("2024-11-06 08:00:0"): unpadded fields of 1-2 digits are read as numbers,
 * anything else is refused. */
int eval_parse_time(struct tc_view v, long long *utc)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, mo, d, h, mi, s;
	if (!v.p || v.n > 19) return -1;
	const char *p = v.p, *end = v.p + v.n;
	if (v.n == 19 && padded(p)) { /* the usual shape: no field-by-field scan */
		y = DIG2(p, 0) * 100 + DIG2(p, 2);
		mo = DIG2(p, 5), d = DIG2(p, 8), h = DIG2(p, 11), mi = DIG2(p, 14), s = DIG2(p, 17);
	} else if (field(&p, end, 4, 4, '-', &y) || field(&p, end, 1, 2, '-', &mo) ||
	           field(&p, end, 1, 2, ' ', &d) || field(&p, end, 1, 2, ':', &h) ||
	           field(&p, end, 1, 2, ':', &mi) || field(&p, end, 1, 2, 0, &s) || p != end)
		return -1;
	if (y < 1 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return -1;
	if (d > mdays[mo - 1] + (mo == 2 && leap(y))) return -1;
	*utc = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + s -
	       BEIJING_OFFSET;
	return 0;
}

void eval_format_time(long long utc, char sep, char out[20])
{
	long long t = utc + BEIJING_OFFSET, y;
	long long days = eval_floor_div(t, 86400), sod = t - days * 86400;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		memcpy(out, "0000-00-00 00:00:00", 20);
		out[10] = sep;
		return;
	}
	/* hand-made digits: snprintf's truncation warnings do not know the ranges */
	int f[6] = {(int)y,         (int)m, (int)d, (int)(sod / 3600), (int)(sod / 60 % 60),
	            (int)(sod % 60)};
	int w[6] = {4, 2, 2, 2, 2, 2};
	char seps[6] = {'-', '-', sep, ':', ':', '\0'};
	size_t o = 0;
	for (int i = 0; i < 6; i++) {
		for (int k = w[i] - 1, v = f[i]; k >= 0; k--, v /= 10)
			out[o + (size_t)k] = (char)('0' + v % 10);
		o += (size_t)w[i];
		out[o++] = seps[i];
	}
}

static int name_matches(const char *const *globs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (globs[i] && fnmatch(globs[i], name, FNM_CASEFOLD) == 0) return 1;
	return 0;
}

/* Any of the certificate's names (Domain, then every SubjectAltName) matches
 * any of the globs. */
static int any_name_matches(const char *const *globs, size_t n, const struct resp_cert *c)
{
	char name[EVAL_MAX_NAME];
	if (n == 0) return 0;
	if (c->domain.p) {
		json_unescape(c->domain, name, sizeof name);
		if (name_matches(globs, n, name)) return 1;
	}
	for (size_t i = 0; i < c->n_san && i < RESP_MAX_NAMES; i++) {
		if (!c->san[i].p) continue;
		json_unescape(c->san[i], name, sizeof name);
		if (name_matches(globs, n, name)) return 1;
	}
	return 0;
}

int eval_bound(const struct resp_cert *c)
{
	for (size_t i = 0; i < c->n_bound && i < RESP_MAX_BOUND; i++)
		if (!view_empty(c->bound[i])) return 1;
	return 0;
}

int eval_selected(const struct select_opts *s, const struct resp_cert *c)
{
	if (!s->all_statuses && c->status != 1 && c->status != 3) return 0;
	if (!s->include_ignored && c->is_ignore) return 0;
	if (!view_empty(c->replaced_by)) {
		if (s->exclude_replaced) return 0;
		if (!s->include_replaced && !eval_bound(c)) return 0;
	}
	if (s->bound_only && !eval_bound(c)) return 0;
	if (s->n_exclude_ids > 0 && c->id.p) {
		char id[EVAL_MAX_NAME];
		json_unescape(c->id, id, sizeof id);
		for (size_t i = 0; i < s->n_exclude_ids && i < EVAL_MAX_LIST; i++)
			if (s->exclude_ids[i] && strcmp(s->exclude_ids[i], id) == 0) return 0;
	}
	/* a certificate whose names were not all kept may match one of the others */
	if (s->n_domains > 0 && !c->problem && !any_name_matches(s->domains, s->n_domains, c))
		return 0;
	if (s->n_exclude_domains > 0 &&
	    any_name_matches(s->exclude_domains, s->n_exclude_domains, c))
		return 0;
	return 1;
}

/* "alert below N": a plain number or the range N: */
static int below(const struct thr *t)
{
	return !t->inside && !t->start_inf && t->end_inf;
}

int eval_warn_unreachable(const struct eval_opts *o)
{
	return below(&o->warn) && below(&o->crit) && o->warn.percent == o->crit.percent &&
	       o->crit.start >= o->warn.start;
}

static int matches(const struct thr *t, long long days, int pct_ok, double pct)
{
	if (t->percent) return pct_ok && thr_alerts(t, pct);
	return thr_alerts(t, (double)days);
}

void eval_cert(const struct eval_opts *o, const struct resp_cert *c, struct cert_eval *out)
{
	memset(out, 0, sizeof *out);
	out->has_end = eval_parse_time(c->end_time, &out->end) == 0;
	out->has_begin = eval_parse_time(c->begin_time, &out->begin) == 0;
	if (out->has_end) out->days_left = eval_floor_div(out->end - o->now, 86400);

	if (out->has_end && out->end < o->now) {
		out->state = TC_CRITICAL;
	} else if (!out->has_end) {
		out->state = TC_UNKNOWN;
	} else {
		int pct_ok = out->has_begin && out->begin < out->end;
		double pct =
		    pct_ok ? (double)(out->end - o->now) / (double)(out->end - out->begin) * 100.0
		           : 0.0;
		if (matches(&o->crit, out->days_left, pct_ok, pct)) {
			out->state = TC_CRITICAL;
		} else if ((o->warn.percent || o->crit.percent) && !pct_ok) {
			out->state = TC_UNKNOWN;
			out->no_begin = 1;
		} else if (matches(&o->warn, out->days_left, pct_ok, pct)) {
			out->state = TC_WARNING;
		} else {
			out->state = TC_OK;
		}
	}
	/* the API already judged these expiring: never report one as OK */
	if (o->filter_expiring && out->state == TC_OK) out->state = TC_WARNING;
	if (c->problem && out->state != TC_CRITICAL) { /* an expired one stays CRITICAL */
		out->state = TC_UNKNOWN;
		out->problem = c->problem;
	}
}
