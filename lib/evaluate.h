/* Which listed certificates are looked at (local selection) and the state of
 * each: days left from CertEndTime (Beijing time, UTC+8) against -w/-c. */
#ifndef TC_EVALUATE_H
#define TC_EVALUATE_H

#include <stddef.h>

#include "response.h"
#include "state.h"
#include "thresholds.h"

#define EVAL_MAX_LIST 64 /* --domain, --exclude-domain, --exclude-id entries */

struct select_opts {
	int all_statuses, include_ignored, include_replaced, bound_only;
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
};

/* "YYYY-MM-DD HH:MM:SS" in UTC+8 to UTC epoch seconds; 0 on success, -1 for
 * anything else ("--", "", "0000-00-00 00:00:00", short fields, null). */
int eval_parse_time(struct tc_view v, long long *utc);

int eval_selected(const struct select_opts *s, const struct resp_cert *c);
void eval_cert(const struct eval_opts *o, const struct resp_cert *c, struct cert_eval *out);

#endif
