/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Which listed certificates are looked at (local selection) and the state of
 * each: days left from CertEndTime (Beijing time, UTC+8) against -w/-c.
 *
 * Decisions where SPEC.md is silent:
 * - expired means CertEndTime < now: a certificate is valid through its end
 *   second (X.509 notAfter is inclusive), so at end == now it has 0 d left.
 * - days_left = floor((end - now) / 86400): an expired certificate has
 *   days_left <= -1, so "expired N d ago" (N = -days_left) is always N >= 1 and
 *   means "within the last N days".
 * - --bound-only keeps a certificate with at least one non-empty BoundResource;
 *   the same "bound" lets a replaced certificate (ReplacedBy non-empty) stay
 *   selected by default: it is still served there and will still expire.
 * - names compared by --domain/--exclude-domain and ids by --exclude-id are
 *   the decoded (json_unescape) strings, cut at EVAL_MAX_NAME bytes.
 * - a certificate with a problem (resp_cert.problem: more names than the
 *   parser keeps) is UNKNOWN, and is never dropped by a name filter on the
 *   strength of the names it could not keep. */
#ifndef TC_EVALUATE_H
#define TC_EVALUATE_H

#include <stddef.h>

#include "response.h"
#include "state.h"
#include "thresholds.h"

#define EVAL_MAX_LIST 64   /* --domain, --exclude-domain, --exclude-id entries */
#define EVAL_MAX_NAME 1024 /* a decoded Domain, SubjectAltName entry or id */

struct select_opts {
	int all_statuses, include_ignored, bound_only;
	/* replaced certificates: default only the still-bound ones; include: all;
	 * exclude: none (the plugin refuses both flags together) */
	int include_replaced, exclude_replaced;
	const char *domains[EVAL_MAX_LIST];
	size_t n_domains;
	const char *exclude_domains[EVAL_MAX_LIST];
	size_t n_exclude_domains;
	const char *exclude_ids[EVAL_MAX_LIST];
	size_t n_exclude_ids;
};

struct eval_opts {
	struct thr warn, crit;
	long long now;       /* epoch seconds (--now or the clock) */
	int filter_expiring; /* --filter-expiring: each returned certificate is at least WARNING */
};

struct cert_eval {
	enum tc_state state;
	int has_end, has_begin;
	long long end, begin; /* UTC epoch seconds */
	long long days_left;  /* floor((end - now) / 86400), valid when has_end */
	int no_begin;         /* UNKNOWN because a % threshold had no valid begin before end */
	const char *problem;  /* UNKNOWN because of resp_cert.problem (a phrase), else NULL */
};

/* "YYYY-MM-DD HH:MM:SS" in UTC+8 to UTC epoch seconds; 0 on success, -1 for
 * anything else ("--", "", "0000-00-00 00:00:00", short fields, null). Years
 * 1..9999, real calendar dates (leap years), 00:00:00..23:59:59. */
int eval_parse_time(struct tc_view v, long long *utc);

/* UTC epoch seconds to "YYYY-MM-DD HH:MM:SS" (sep ' ') or "YYYY-MM-DDTHH:MM:SS"
 * (sep 'T') in Beijing time, no zone suffix; out needs 20 bytes. */
void eval_format_time(long long utc, char sep, char out[20]);

/* floor(a / b) for b > 0, also for negative a. */
long long eval_floor_div(long long a, long long b);

/* 1 when c has at least one non-empty BoundResource entry. */
int eval_bound(const struct resp_cert *c);
int eval_selected(const struct select_opts *s, const struct resp_cert *c);
/* 1 when -w can never fire because -c, checked first, alerts on every value
 * -w alerts on: both "fewer than N" (plain N or N:) of the same kind (days
 * or %), with -c's N >= -w's (e.g. -c 10 -w 5). */
int eval_warn_unreachable(const struct eval_opts *o);
void eval_cert(const struct eval_opts *o, const struct resp_cert *c, struct cert_eval *out);

#endif
