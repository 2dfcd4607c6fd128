/* eval_parse_time, days left, the per-certificate rule order and local selection. */
#include <string.h>

#include "evaluate.h"
#include "tap.h"

static struct tc_view V(const char *s) {
	struct tc_view v = {s, s ? strlen(s) : 0};
	return v;
}

struct time_case {
	const char *in;
	int rc;
	long long utc;
};

static const struct time_case time_cases[] = {
    /* Beijing time is UTC+8: 2025-05-14 23:59:59Z */
    {"2025-05-15 07:59:59", 0, 1747267199},
    {"1970-01-01 08:00:00", 0, 0},
    {"1970-01-01 07:59:59", 0, -1},
    {"2024-02-29 20:00:00", 0, 1709208000},
    {"2000-02-29 08:00:00", 0, 951782400},
    {"2026-11-26 15:59:59", 0, 1795679999},
    {"9999-12-31 23:59:59", 0, 253402300799 - 8 * 3600},
    {"0001-01-01 08:00:00", 0, -62135596800},
    {"2023-02-28 23:59:59", 0, 1677599999},
    {"2024-12-31 23:59:59", 0, 1735660799},
    {"--", -1, 0},
    {"", -1, 0},
    {NULL, -1, 0},
    {"0000-00-00 00:00:00", -1, 0},
    {"0000-01-01 00:00:00", -1, 0},
    {"2024-11-06 08:00:0", 0, 1730851200}, /* a short field, as seen in real responses */
    {"2024-1-6 8:0:0", 0, 1704499200},
    {"2024-11-06 08:00:", -1, 0},
    {"2024-11-06 08::00", -1, 0},
    {"24-11-06 08:00:00", -1, 0},
    {"2024-11-06 08:00:000", -1, 0},
    {"2024-11-06T08:00:00", -1, 0},
    {"2024/11/06 08:00:00", -1, 0},
    {"2024-11-06 08:00:00Z", -1, 0},
    {" 2024-11-06 08:00:0", -1, 0},
    {"2024-13-01 00:00:00", -1, 0},
    {"2024-00-10 00:00:00", -1, 0},
    {"2024-01-00 00:00:00", -1, 0},
    {"2024-01-32 00:00:00", -1, 0},
    {"2024-04-31 00:00:00", -1, 0},
    {"2024-06-31 00:00:00", -1, 0},
    {"2023-02-29 00:00:00", -1, 0},
    {"1900-02-29 00:00:00", -1, 0},
    {"2100-02-29 00:00:00", -1, 0},
    {"2024-02-30 00:00:00", -1, 0},
    {"2024-01-01 24:00:00", -1, 0},
    {"2024-01-01 23:60:00", -1, 0},
    {"2024-01-01 23:59:60", -1, 0},
    {"2024-01-01 -1:00:00", -1, 0},
    {"+024-01-01 00:00:00", -1, 0},
    {"2024-1a-01 00:00:00", -1, 0},
};

/* Beijing 2025-01-01 00:00:00 */
#define NOW 1735660800LL
#define DAY 86400LL

struct cert_spec {
	const char *id, *domain;
	long status;
	int is_ignore;
	const char *replaced_by;
	const char *begin, *end;
	const char *san[4];
	const char *bound[4];
};

static struct resp_cert cert; /* big: RESP_MAX_NAMES views */

static const struct resp_cert *mk(const struct cert_spec *s)
{
	memset(&cert, 0, sizeof cert);
	cert.id = V(s->id);
	cert.domain = V(s->domain);
	cert.status = s->status;
	cert.is_ignore = s->is_ignore;
	cert.replaced_by = V(s->replaced_by);
	cert.begin_time = V(s->begin);
	cert.end_time = V(s->end);
	for (size_t i = 0; i < 4 && s->san[i]; i++)
		cert.san[cert.n_san++] = V(s->san[i]);
	for (size_t i = 0; i < 4 && s->bound[i]; i++)
		cert.bound[cert.n_bound++] = V(s->bound[i]);
	return &cert;
}

#define NO_TIME 0x7fffffffLL /* the field is left out */

struct eval_case {
	const char *name;
	const char *warn, *crit;
	int filter_expiring;
	long long begin_delta, end_delta; /* seconds from NOW, or NO_TIME */
	const char *end_text;             /* used instead of end_delta when set */
	enum tc_state state;
	int has_end;
	long long days_left;
	int no_begin;
};

static const struct eval_case eval_cases[] = {
    {"45 d left", "30", "7", 0, -300 * DAY, 45 * DAY, NULL, TC_OK, 1, 45, 0},
    {"30 d left exactly", "30", "7", 0, NO_TIME, 30 * DAY, NULL, TC_OK, 1, 30, 0},
    {"one second short of 30 d", "30", "7", 0, NO_TIME, 30 * DAY - 1, NULL, TC_WARNING, 1, 29, 0},
    {"7 d left: warning only", "30", "7", 0, NO_TIME, 7 * DAY, NULL, TC_WARNING, 1, 7, 0},
    {"6 d 23:59:59 left: critical", "30", "7", 0, NO_TIME, 7 * DAY - 1, NULL, TC_CRITICAL, 1, 6, 0},
    {"end == now: 0 d left, not expired", "30", "7", 0, NO_TIME, 0, NULL, TC_CRITICAL, 1, 0, 0},
    {"end == now, -c 0: warning", "30", "0", 0, NO_TIME, 0, NULL, TC_WARNING, 1, 0, 0},
    {"expired 1 s ago, -c 0 -w 0", "0", "0", 0, NO_TIME, -1, NULL, TC_CRITICAL, 1, -1, 0},
    {"expired 1 d ago exactly", "30", "7", 0, NO_TIME, -DAY, NULL, TC_CRITICAL, 1, -1, 0},
    {"expired 1 d 1 s ago", "30", "7", 0, NO_TIME, -DAY - 1, NULL, TC_CRITICAL, 1, -2, 0},
    {"expired, range that never alerts", "~:", "~:", 0, NO_TIME, -5 * DAY, NULL, TC_CRITICAL, 1, -5,
     0},
    {"no end time", "30", "7", 0, NO_TIME, NO_TIME, NULL, TC_UNKNOWN, 0, 0, 0},
    {"end time \"--\"", "30", "7", 0, NO_TIME, 0, "--", TC_UNKNOWN, 0, 0, 0},
    {"end time cut short", "30", "7", 0, NO_TIME, 0, "2024-11-06 08:00:", TC_UNKNOWN, 0, 0, 0},
    {"end time zeros", "30", "7", 0, NO_TIME, 0, "0000-00-00 00:00:00", TC_UNKNOWN, 0, 0, 0},
    {"25%: 10 of 90 d left", "25%", "7", 0, -80 * DAY, 10 * DAY, NULL, TC_WARNING, 1, 10, 0},
    {"25%: 30 of 90 d left", "25%", "7", 0, -60 * DAY, 30 * DAY, NULL, TC_OK, 1, 30, 0},
    {"25%: exactly 25% left", "25%", "7", 0, -75 * DAY, 25 * DAY, NULL, TC_OK, 1, 25, 0},
    {"25%: 100 of 365 d left (27%)", "25%", "7", 0, -265 * DAY, 100 * DAY, NULL, TC_OK, 1, 100, 0},
    {"25%: 90 of 365 d left", "25%", "7", 0, -275 * DAY, 90 * DAY, NULL, TC_WARNING, 1, 90, 0},
    {"25% without begin: unknown", "25%", "7", 0, NO_TIME, 10 * DAY, NULL, TC_UNKNOWN, 1, 10, 1},
    {"25% without begin, -c matches first", "25%", "7", 0, NO_TIME, 3 * DAY, NULL, TC_CRITICAL, 1,
     3, 0},
    {"expired beats a % without begin", "25%", "10%", 0, NO_TIME, -3 * DAY, NULL, TC_CRITICAL, 1,
     -3, 0},
    {"no end beats a % without begin", "25%", "10%", 0, NO_TIME, NO_TIME, NULL, TC_UNKNOWN, 0, 0,
     0},
    {"10% critical: 5 of 100 d", "25%", "10%", 0, -95 * DAY, 5 * DAY, NULL, TC_CRITICAL, 1, 5, 0},
    {"10% critical without begin: unknown", "30", "10%", 0, NO_TIME, 100 * DAY, NULL, TC_UNKNOWN, 1,
     100, 1},
    {"% with begin == end: unknown", "25%", "7", 0, 10 * DAY, 10 * DAY, NULL, TC_UNKNOWN, 1, 10, 1},
    {"% with begin after end: unknown", "25%", "7", 0, 20 * DAY, 10 * DAY, NULL, TC_UNKNOWN, 1, 10,
     1},
    {"days thresholds ignore a missing begin", "30", "7", 0, NO_TIME, 10 * DAY, NULL, TC_WARNING, 1,
     10, 0},
    {"@10:20 warns inside", "@10:20", "7", 0, NO_TIME, 15 * DAY, NULL, TC_WARNING, 1, 15, 0},
    {"@10:20 ok outside", "@10:20", "7", 0, NO_TIME, 25 * DAY, NULL, TC_OK, 1, 25, 0},
    {"~:10 crit above 10", "30", "~:10", 0, NO_TIME, 11 * DAY, NULL, TC_CRITICAL, 1, 11, 0},
    {"filter-expiring makes OK a warning", "30", "7", 1, NO_TIME, 100 * DAY, NULL, TC_WARNING, 1,
     100, 0},
    {"filter-expiring keeps critical", "30", "7", 1, NO_TIME, 2 * DAY, NULL, TC_CRITICAL, 1, 2, 0},
    {"filter-expiring keeps unknown", "30", "7", 1, NO_TIME, NO_TIME, NULL, TC_UNKNOWN, 0, 0, 0},
};

struct sel_case {
	const char *name;
	struct cert_spec c;
	int all_statuses, include_ignored, include_replaced, bound_only;
	const char *domains[3], *excl[3], *excl_ids[3];
	int selected;
};

#define E "2026-01-01 00:00:00"
static const struct sel_case sel_cases[] = {
    {"status 1",
     {"A", "a.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     1},
    {"status 3",
     {"A", "a.example.com", 3, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     1},
    {"status 0",
     {"A", "a.example.com", 0, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     0},
    {"status 2",
     {"A", "a.example.com", 2, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     0},
    {"status null",
     {"A", "a.example.com", -1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     0},
    {"status 7 with --all-statuses",
     {"A", "a", 7, 0, NULL, NULL, E, {0}, {0}},
     1,
     0,
     0,
     0,
     {0},
     {0},
     {0},
     1},
    {"ignored", {"A", "a", 1, 1, NULL, NULL, E, {0}, {0}}, 0, 0, 0, 0, {0}, {0}, {0}, 0},
    {"ignored with --include-ignored",
     {"A", "a", 1, 1, NULL, NULL, E, {0}, {0}},
     0,
     1,
     0,
     0,
     {0},
     {0},
     {0},
     1},
    {"replaced", {"A", "a", 1, 0, "B", NULL, E, {0}, {0}}, 0, 0, 0, 0, {0}, {0}, {0}, 0},
    {"ReplacedBy empty", {"A", "a", 1, 0, "", NULL, E, {0}, {0}}, 0, 0, 0, 0, {0}, {0}, {0}, 1},
    {"replaced with --include-replaced",
     {"A", "a", 1, 0, "B", NULL, E, {0}, {0}},
     0,
     0,
     1,
     0,
     {0},
     {0},
     {0},
     1},
    {"--bound-only, unbound",
     {"A", "a", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     1,
     {0},
     {0},
     {0},
     0},
    {"--bound-only, [\"\"]",
     {"A", "a", 1, 0, NULL, NULL, E, {0}, {""}},
     0,
     0,
     0,
     1,
     {0},
     {0},
     {0},
     0},
    {"--bound-only, bound",
     {"A", "a", 1, 0, NULL, NULL, E, {0}, {"clb"}},
     0,
     0,
     0,
     1,
     {0},
     {0},
     {0},
     1},
    {"--domain on Domain",
     {"A", "www.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"*.example.com"},
     {0},
     {0},
     1},
    {"--domain on nothing",
     {"A", "www.other.org", 1, 0, NULL, NULL, E, {"other.org"}, {0}},
     0,
     0,
     0,
     0,
     {"*.example.com"},
     {0},
     {0},
     0},
    {"--domain on a SAN, case-insensitive",
     {"A", "www.other.org", 1, 0, NULL, NULL, E, {"x.org", "API.Example.COM"}, {0}},
     0,
     0,
     0,
     0,
     {"*.example.com"},
     {0},
     {0},
     1},
    {"--domain, second glob",
     {"A", "b.test", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"*.example.com", "?.test"},
     {0},
     {0},
     1},
    {"--domain, null Domain and no SAN",
     {"A", NULL, 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"*"},
     {0},
     {0},
     0},
    {"--domain on an escaped Domain",
     {"A", "w\\u0077w.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"www.example.com"},
     {0},
     {0},
     1},
    {"--domain, [abc] class",
     {"A", "b.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"[a-c].example.com"},
     {0},
     {0},
     1},
    {"--exclude-domain on a SAN",
     {"A", "a.example.com", 1, 0, NULL, NULL, E, {"a.example.com", "staging.TEST"}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {"*.test"},
     {0},
     0},
    {"--exclude-domain, no match",
     {"A", "a.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {"*.test"},
     {0},
     1},
    {"--domain and --exclude-domain both match",
     {"A", "a.example.com", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {"*.example.com"},
     {"a.*"},
     {0},
     0},
    {"--exclude-id",
     {"Xy12AbCd", "a", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {"zz", "Xy12AbCd"},
     0},
    {"--exclude-id, other id",
     {"Xy12AbCe", "a", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {"Xy12AbCd"},
     1},
    {"--exclude-id is case-sensitive",
     {"xy12abcd", "a", 1, 0, NULL, NULL, E, {0}, {0}},
     0,
     0,
     0,
     0,
     {0},
     {0},
     {"Xy12AbCd"},
     1},
};

int main(void)
{
	for (size_t i = 0; i < sizeof time_cases / sizeof *time_cases; i++) {
		const struct time_case *c = &time_cases[i];
		long long t = 42;
		int rc = eval_parse_time(V(c->in), &t);
		is_int(rc, c->rc, "eval_parse_time(\"%s\") returns %d", c->in ? c->in : "null",
		       c->rc);
		if (c->rc == 0) is_int(t, c->utc, "eval_parse_time(\"%s\") value", c->in);
	}

	/* formatting: Beijing wall time, back and forth */
	char buf[20];
	eval_format_time(1747267199, ' ', buf);
	is_str(buf, "2025-05-15 07:59:59",
	       "format: 2025-05-14 23:59:59Z is 07:59:59 next day in Beijing");
	eval_format_time(1747267199, 'T', buf);
	is_str(buf, "2025-05-15T07:59:59", "format with T");
	eval_format_time(-1, ' ', buf);
	is_str(buf, "1970-01-01 07:59:59", "format before the epoch");
	eval_format_time(1709208000, ' ', buf);
	is_str(buf, "2024-02-29 20:00:00", "format on a leap day");
	for (size_t i = 0; i < sizeof time_cases / sizeof *time_cases; i++) {
		if (time_cases[i].rc != 0 || strlen(time_cases[i].in) != 19)
			continue; /* padded only */
		eval_format_time(time_cases[i].utc, ' ', buf);
		is_str(buf, time_cases[i].in, "round trip of %s", time_cases[i].in);
	}

	/* floor division: days left never rounds toward zero */
	static const long long fd[][2] = {{0, 0},      {1, 0},       {86399, 0},   {86400, 1},
	                                  {-1, -1},    {-86399, -1}, {-86400, -1}, {-86401, -2},
	                                  {172799, 1}, {-172800, -2}};
	for (size_t i = 0; i < sizeof fd / sizeof *fd; i++)
		is_int(eval_floor_div(fd[i][0], 86400), fd[i][1], "floor(%lld / 86400)", fd[i][0]);

	for (size_t i = 0; i < sizeof eval_cases / sizeof *eval_cases; i++) {
		const struct eval_case *c = &eval_cases[i];
		struct eval_opts o;
		memset(&o, 0, sizeof o);
		if (thr_parse(c->warn, &o.warn) || thr_parse(c->crit, &o.crit)) {
			ok(0, "%s: thresholds parse", c->name);
			continue;
		}
		o.now = NOW;
		o.filter_expiring = c->filter_expiring;
		char b[20], e[20];
		struct cert_spec s = {"id1", "a.example.com", 1, 0, NULL, NULL, NULL, {0}, {0}};
		if (c->begin_delta != NO_TIME) {
			eval_format_time(NOW + c->begin_delta, ' ', b);
			s.begin = b;
		}
		if (c->end_text) {
			s.end = c->end_text;
		} else if (c->end_delta != NO_TIME) {
			eval_format_time(NOW + c->end_delta, ' ', e);
			s.end = e;
		}
		struct cert_eval ev;
		eval_cert(&o, mk(&s), &ev);
		is_str(tc_state_name(ev.state), tc_state_name(c->state), "%s: state", c->name);
		is_int(ev.has_end, c->has_end, "%s: has_end", c->name);
		if (c->has_end) {
			is_int(ev.days_left, c->days_left, "%s: days_left", c->name);
			is_int(ev.end, NOW + c->end_delta, "%s: end", c->name);
		}
		is_int(ev.no_begin, c->no_begin, "%s: no_begin", c->name);
	}

	for (size_t i = 0; i < sizeof sel_cases / sizeof *sel_cases; i++) {
		const struct sel_case *c = &sel_cases[i];
		struct select_opts s;
		memset(&s, 0, sizeof s);
		s.all_statuses = c->all_statuses;
		s.include_ignored = c->include_ignored;
		s.include_replaced = c->include_replaced;
		s.bound_only = c->bound_only;
		for (size_t k = 0; k < 3; k++) {
			if (c->domains[k]) s.domains[s.n_domains++] = c->domains[k];
			if (c->excl[k]) s.exclude_domains[s.n_exclude_domains++] = c->excl[k];
			if (c->excl_ids[k]) s.exclude_ids[s.n_exclude_ids++] = c->excl_ids[k];
		}
		is_int(eval_selected(&s, mk(&c->c)), c->selected, "select: %s", c->name);
	}
	return tap_done();
}
