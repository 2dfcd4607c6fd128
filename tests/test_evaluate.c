/* SPDX-License-Identifier: GPL-3.0-or-later */
/* eval_parse_time, days left, the per-certificate rule order and local selection. */
#include "config.h"

#include <string.h>

#include "certs.h"
#include "evaluate.h"
#include "tap.h"

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
    {"2024-1a-06 08:00:00", -1, 0}, /* 19 bytes, a letter in a digit place */
    {"2024-11-06 08:00:5x", -1, 0},
    {"2O24-11-06 08:00:00", -1, 0},
    {"2024-11-06 08:00:/0", -1, 0},
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

#define NO_TIME 0x7fffffffLL /* the field is left out */

/* A row gives what differs from the default certificate: -w 30 -c 7, no CertBeginTime. */
struct eval_case {
	const char *name;
	const char *warn, *crit; /* NULL: the defaults, 30 and 7 */
	int filter_expiring;
	long long begin;      /* CertBeginTime, seconds from NOW; 0: none */
	long long end;        /* CertEndTime, seconds from NOW, or NO_TIME: none */
	const char *end_text; /* a literal CertEndTime instead of end */
	/* the evaluation wanted */
	enum tc_state state;
	long long days; /* days left, when there is an end */
	int no_end, no_begin;
};

static const struct eval_case eval_cases[] = {
    {.name = "45 d left", .begin = -300 * DAY, .end = 45 * DAY, .state = TC_OK, .days = 45},
    {.name = "30 d left exactly", .end = 30 * DAY, .state = TC_OK, .days = 30},
    {.name = "one second short of 30 d", .end = 30 * DAY - 1, .state = TC_WARNING, .days = 29},
    {.name = "7 d left: warning only", .end = 7 * DAY, .state = TC_WARNING, .days = 7},
    {.name = "6 d 23:59:59 left: critical", .end = 7 * DAY - 1, .state = TC_CRITICAL, .days = 6},
    {.name = "end == now: 0 d left, not expired", .end = 0, .state = TC_CRITICAL, .days = 0},
    {.name = "end == now, -c 0: warning", .crit = "0", .end = 0, .state = TC_WARNING, .days = 0},
    {.name = "expired 1 s ago, -c 0 -w 0",
     .warn = "0",
     .crit = "0",
     .end = -1,
     .state = TC_CRITICAL,
     .days = -1},
    {.name = "expired 1 d ago exactly", .end = -DAY, .state = TC_CRITICAL, .days = -1},
    {.name = "expired 1 d 1 s ago", .end = -DAY - 1, .state = TC_CRITICAL, .days = -2},
    {.name = "expired, range that never alerts",
     .warn = "~:",
     .crit = "~:",
     .end = -5 * DAY,
     .state = TC_CRITICAL,
     .days = -5},
    {.name = "no end time", .end = NO_TIME, .state = TC_UNKNOWN, .no_end = 1},
    {.name = "end time \"--\"", .end_text = "--", .state = TC_UNKNOWN, .no_end = 1},
    {.name = "end time cut short",
     .end_text = "2024-11-06 08:00:",
     .state = TC_UNKNOWN,
     .no_end = 1},
    {.name = "end time zeros", .end_text = "0000-00-00 00:00:00", .state = TC_UNKNOWN, .no_end = 1},
    {.name = "25%: 10 of 90 d left",
     .warn = "25%",
     .begin = -80 * DAY,
     .end = 10 * DAY,
     .state = TC_WARNING,
     .days = 10},
    {.name = "25%: 30 of 90 d left",
     .warn = "25%",
     .begin = -60 * DAY,
     .end = 30 * DAY,
     .state = TC_OK,
     .days = 30},
    {.name = "25%: exactly 25% left",
     .warn = "25%",
     .begin = -75 * DAY,
     .end = 25 * DAY,
     .state = TC_OK,
     .days = 25},
    {.name = "25%: 100 of 365 d left (27%)",
     .warn = "25%",
     .begin = -265 * DAY,
     .end = 100 * DAY,
     .state = TC_OK,
     .days = 100},
    {.name = "25%: 90 of 365 d left",
     .warn = "25%",
     .begin = -275 * DAY,
     .end = 90 * DAY,
     .state = TC_WARNING,
     .days = 90},
    {.name = "25% without begin: unknown",
     .warn = "25%",
     .end = 10 * DAY,
     .state = TC_UNKNOWN,
     .days = 10,
     .no_begin = 1},
    {.name = "25% without begin, -c matches first",
     .warn = "25%",
     .end = 3 * DAY,
     .state = TC_CRITICAL,
     .days = 3},
    {.name = "expired beats a % without begin",
     .warn = "25%",
     .crit = "10%",
     .end = -3 * DAY,
     .state = TC_CRITICAL,
     .days = -3},
    {.name = "no end beats a % without begin",
     .warn = "25%",
     .crit = "10%",
     .end = NO_TIME,
     .state = TC_UNKNOWN,
     .no_end = 1},
    {.name = "10% critical: 5 of 100 d",
     .warn = "25%",
     .crit = "10%",
     .begin = -95 * DAY,
     .end = 5 * DAY,
     .state = TC_CRITICAL,
     .days = 5},
    {.name = "10% critical without begin: unknown",
     .crit = "10%",
     .end = 100 * DAY,
     .state = TC_UNKNOWN,
     .days = 100,
     .no_begin = 1},
    {.name = "% with begin == end: unknown",
     .warn = "25%",
     .begin = 10 * DAY,
     .end = 10 * DAY,
     .state = TC_UNKNOWN,
     .days = 10,
     .no_begin = 1},
    {.name = "% with begin after end: unknown",
     .warn = "25%",
     .begin = 20 * DAY,
     .end = 10 * DAY,
     .state = TC_UNKNOWN,
     .days = 10,
     .no_begin = 1},
    {.name = "days thresholds ignore a missing begin",
     .end = 10 * DAY,
     .state = TC_WARNING,
     .days = 10},
    {.name = "@10:20 warns inside",
     .warn = "@10:20",
     .end = 15 * DAY,
     .state = TC_WARNING,
     .days = 15},
    {.name = "@10:20 ok outside", .warn = "@10:20", .end = 25 * DAY, .state = TC_OK, .days = 25},
    {.name = "~:10 crit above 10",
     .crit = "~:10",
     .end = 11 * DAY,
     .state = TC_CRITICAL,
     .days = 11},
    {.name = "filter-expiring makes OK a warning",
     .filter_expiring = 1,
     .end = 100 * DAY,
     .state = TC_WARNING,
     .days = 100},
    {.name = "filter-expiring keeps critical",
     .filter_expiring = 1,
     .end = 2 * DAY,
     .state = TC_CRITICAL,
     .days = 2},
    {.name = "filter-expiring keeps unknown",
     .filter_expiring = 1,
     .end = NO_TIME,
     .state = TC_UNKNOWN,
     .no_end = 1},
};

struct sel_case {
	const char *name;
	struct cert_spec c; /* ends on E */
	int all_statuses, include_ignored, include_replaced, bound_only;
	const char *domains[3], *excl[3], *excl_ids[3];
	int selected;
};

#define E "2026-01-01 00:00:00"
static const struct sel_case sel_cases[] = {
    {.name = "status 1", .c = {.id = "A", .domain = "a.example.com", .status = 1}, .selected = 1},
    {.name = "status 3", .c = {.id = "A", .domain = "a.example.com", .status = 3}, .selected = 1},
    {.name = "status 0", .c = {.id = "A", .domain = "a.example.com", .status = 0}, .selected = 0},
    {.name = "status 2", .c = {.id = "A", .domain = "a.example.com", .status = 2}, .selected = 0},
    {.name = "status null",
     .c = {.id = "A", .domain = "a.example.com", .status = -1},
     .selected = 0},
    {.name = "status 7 with --all-statuses",
     .c = {.id = "A", .domain = "a", .status = 7},
     .all_statuses = 1,
     .selected = 1},
    {.name = "ignored",
     .c = {.id = "A", .domain = "a", .status = 1, .is_ignore = 1},
     .selected = 0},
    {.name = "ignored with --include-ignored",
     .c = {.id = "A", .domain = "a", .status = 1, .is_ignore = 1},
     .include_ignored = 1,
     .selected = 1},
    {.name = "replaced",
     .c = {.id = "A", .domain = "a", .status = 1, .replaced_by = "B"},
     .selected = 0},
    {.name = "ReplacedBy empty",
     .c = {.id = "A", .domain = "a", .status = 1, .replaced_by = ""},
     .selected = 1},
    {.name = "replaced with --include-replaced",
     .c = {.id = "A", .domain = "a", .status = 1, .replaced_by = "B"},
     .include_replaced = 1,
     .selected = 1},
    {.name = "--bound-only, unbound",
     .c = {.id = "A", .domain = "a", .status = 1},
     .bound_only = 1,
     .selected = 0},
    {.name = "--bound-only, [\"\"]",
     .c = {.id = "A", .domain = "a", .status = 1, .bound = {""}},
     .bound_only = 1,
     .selected = 0},
    {.name = "--bound-only, bound",
     .c = {.id = "A", .domain = "a", .status = 1, .bound = {"clb"}},
     .bound_only = 1,
     .selected = 1},
    {.name = "--domain on Domain",
     .c = {.id = "A", .domain = "www.example.com", .status = 1},
     .domains = {"*.example.com"},
     .selected = 1},
    {.name = "--domain on nothing",
     .c = {.id = "A", .domain = "www.other.org", .status = 1, .san = {"other.org"}},
     .domains = {"*.example.com"},
     .selected = 0},
    {.name = "--domain on a SAN, case-insensitive",
     .c = {.id = "A", .domain = "www.other.org", .status = 1, .san = {"x.org", "API.Example.COM"}},
     .domains = {"*.example.com"},
     .selected = 1},
    {.name = "--domain, second glob",
     .c = {.id = "A", .domain = "b.test", .status = 1},
     .domains = {"*.example.com", "?.test"},
     .selected = 1},
    {.name = "--domain, null Domain and no SAN",
     .c = {.id = "A", .status = 1},
     .domains = {"*"},
     .selected = 0},
    {.name = "--domain on an escaped Domain",
     .c = {.id = "A", .domain = "w\\u0077w.example.com", .status = 1},
     .domains = {"www.example.com"},
     .selected = 1},
    {.name = "--domain, [abc] class",
     .c = {.id = "A", .domain = "b.example.com", .status = 1},
     .domains = {"[a-c].example.com"},
     .selected = 1},
    {.name = "--exclude-domain on a SAN",
     .c = {.id = "A",
           .domain = "a.example.com",
           .status = 1,
           .san = {"a.example.com", "staging.TEST"}},
     .excl = {"*.test"},
     .selected = 0},
    {.name = "--exclude-domain, no match",
     .c = {.id = "A", .domain = "a.example.com", .status = 1},
     .excl = {"*.test"},
     .selected = 1},
    {.name = "--domain and --exclude-domain both match",
     .c = {.id = "A", .domain = "a.example.com", .status = 1},
     .domains = {"*.example.com"},
     .excl = {"a.*"},
     .selected = 0},
    {.name = "--exclude-id",
     .c = {.id = "Xy12AbCd", .domain = "a", .status = 1},
     .excl_ids = {"zz", "Xy12AbCd"},
     .selected = 0},
    {.name = "--exclude-id, other id",
     .c = {.id = "Xy12AbCe", .domain = "a", .status = 1},
     .excl_ids = {"Xy12AbCd"},
     .selected = 1},
    {.name = "--exclude-id is case-sensitive",
     .c = {.id = "xy12abcd", .domain = "a", .status = 1},
     .excl_ids = {"Xy12AbCd"},
     .selected = 1},
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
		if (thr_parse(c->warn ? c->warn : "30", &o.warn) ||
		    thr_parse(c->crit ? c->crit : "7", &o.crit)) {
			ok(0, "%s: thresholds parse", c->name);
			continue;
		}
		o.now = NOW;
		o.filter_expiring = c->filter_expiring;
		char b[20], e[20];
		struct cert_spec s = {.id = "id1", .domain = "a.example.com", .status = 1};
		if (c->begin) {
			eval_format_time(NOW + c->begin, ' ', b);
			s.begin = b;
		}
		if (c->end_text) {
			s.end = c->end_text;
		} else if (c->end != NO_TIME) {
			eval_format_time(NOW + c->end, ' ', e);
			s.end = e;
		}
		struct cert_eval ev;
		eval_cert(&o, mk(&s), &ev);
		is_str(tc_state_name(ev.state), tc_state_name(c->state), "%s: state", c->name);
		is_int(ev.has_end, !c->no_end, "%s: has_end", c->name);
		if (!c->no_end) {
			is_int(ev.days_left, c->days, "%s: days_left", c->name);
			is_int(ev.end, NOW + c->end, "%s: end", c->name);
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
		struct cert_spec cs = c->c;
		cs.end = E;
		is_int(eval_selected(&s, mk(&cs)), c->selected, "select: %s", c->name);
	}
	return tap_done();
}
