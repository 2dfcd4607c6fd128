/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything printed from a report: the status line in each form, perfdata, long output,
 * ordering and the 5-phrase limit, names made safe, % thresholds and per-certificate perfdata,
 * --max-output, the JSON document, and the error lines. The report as the client's sink (commit,
 * discard, reset, memory) is test_report_pages.c. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "output_harness.h"
#include "tap.h"

/* ---- SPEC's example: 60 listed, 57 selected ---- */
static void test_spec_example(void)
{
	static struct spec certs[60];
	struct report r;
	static char ids[60][16], names[60][32];
	/* SPEC's example says WARNING for 5 d left and prints 7: as -c; with the
	 * default -c 7 that certificate is CRITICAL, so this uses -c 5 */
	setup("30", "5");
	static const struct spec named[] = {
	    {.id = "Xy12AbCd",
	     .domain = "api.example.com",
	     .end_text = "2026-11-26 07:59:59",
	     .bound = {"clb", "cdn"}},
	    {.id = "Ab34CdEf", .domain = "www.example.com", .end_text = "2026-12-03 23:59:59"},
	    {.id = "Cd56EfGh", .domain = "shop.example.com", .end = 20 * DAY},
	    {.id = "Skip0001", .domain = "x.example.com", .end = 2 * DAY, .status = 4},
	    {.id = "Skip0002", .domain = "y.example.com", .end = 2 * DAY, .status = 10},
	    {.id = "Skip0003", .domain = "z.example.com", .end = 2 * DAY, .status = 2},
	};
	size_t n = 0;
	for (; n < sizeof named / sizeof *named; n++)
		certs[n] = named[n];
	for (int i = 0; n < 60; i++) {
		snprintf(ids[n], sizeof ids[n], "Ok%06d", i);
		snprintf(names[n], sizeof names[n], "h%d.example.com", i);
		certs[n] = (struct spec){.id = ids[n], .domain = names[n], .end = (45 + i) * DAY};
		n++;
	}
	report_init(&r, &sel, &ev, 0);
	/* three pages, committed out of order, one discarded and fetched again */
	struct client_sink k = report_sink(&r);
	feed(&r, 2, certs + 40, 20, 0);
	feed(&r, 1, certs + 20, 20, 0);
	k.discard(k.ctx, 1);
	feed(&r, 0, certs, 20, 0);
	is_int(r.listed, 0, "nothing committed yet");
	k.commit(k.ctx, 2);
	feed(&r, 1, certs + 20, 20, 1);
	k.commit(k.ctx, 0);
	is_int(r.listed, 60, "60 listed");
	is_int(r.selected, 57, "57 selected");
	is_int(r.n_items, 3, "only the 3 non-OK certificates kept");
	is_int(report_finish(&r), 0, "report_finish");
	oo.fetch_time = 0.231;
	check(
	    &r,
	    "TENCENTCLOUD_SSL CRITICAL - 1 critical, 2 warning, 54 ok of 57 certificates: "
	    "api.example.com (id Xy12AbCd) expired 2 d ago, www.example.com (id Ab34CdEf) expires "
	    "in 5 d, shop.example.com (id Cd56EfGh) expires in 20 d | certificates=57;;;0; "
	    "ok=54;;;0; warning=2;;;0; critical=1;;;0; unknown=0;;;0; min_days_left=-2;30:;5:;; "
	    "fetch_time=0.231s;;;0;\n"
	    "api.example.com (id Xy12AbCd): CRITICAL, expired 2 d ago on 2026-11-26 07:59:59 "
	    "+08:00, bound to clb, cdn\n"
	    "www.example.com (id Ab34CdEf): WARNING, 5 d left, until 2026-12-03 23:59:59 +08:00\n"
	    "shop.example.com (id Cd56EfGh): WARNING, 20 d left, until 2026-12-18 07:59:59 "
	    "+08:00\n",
	    TC_CRITICAL, "SPEC example");
	report_free(&r);
}

/* ---- status line forms ---- */
static void test_forms(void)
{
	struct report r;
	setup("30", "7");

	static const struct spec ok3[] = {
	    {.id = "C", .domain = "c.example.com", .end = 90 * DAY},
	    {.id = "B", .domain = "b.example.com", .end = 45 * DAY},
	    {.id = "A", .domain = "a.example.com", .end = 60 * DAY},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, ok3, 3, 1);
	report_finish(&r);
	is_int(r.n_items, 0, "all OK, keep_all 0: nothing kept");
	check(
	    &r,
	    "TENCENTCLOUD_SSL OK - 3 ok of 3 certificates: soonest b.example.com (id B) expires in "
	    "45 d | certificates=3;;;0; ok=3;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; "
	    "min_days_left=45;30:;7:;; fetch_time=0.000s;;;0;\n",
	    TC_OK, "all OK");
	oo.verbose = 1;
	check(
	    &r,
	    "TENCENTCLOUD_SSL OK - 3 ok of 3 certificates: soonest b.example.com (id B) expires in "
	    "45 d | certificates=3;;;0; ok=3;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; "
	    "min_days_left=45;30:;7:;; fetch_time=0.000s;;;0;\n",
	    TC_OK, "all OK, -v without kept items prints no lines");
	report_free(&r);

	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, ok3, 3, 1);
	report_finish(&r);
	check(
	    &r,
	    "TENCENTCLOUD_SSL OK - 3 ok of 3 certificates: soonest b.example.com (id B) expires in "
	    "45 d | certificates=3;;;0; ok=3;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; "
	    "min_days_left=45;30:;7:;; fetch_time=0.000s;;;0;\n"
	    "b.example.com (id B): OK, 45 d left, until 2027-01-12 07:59:59 +08:00\n"
	    "a.example.com (id A): OK, 60 d left, until 2027-01-27 07:59:59 +08:00\n"
	    "c.example.com (id C): OK, 90 d left, until 2027-02-26 07:59:59 +08:00\n",
	    TC_OK, "all OK, -v");
	oo.verbose = 0;
	report_free(&r);

	/* one certificate, 0 d left (less than a day) */
	static const struct spec one[] = {
	    {.id = "Q", .domain = "q.example.com", .end = DAY - 1},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, one, 1, 1);
	report_finish(&r);
	check(&r,
	      "TENCENTCLOUD_SSL CRITICAL - 1 critical, 0 ok of 1 certificate: q.example.com (id Q) "
	      "expires in 0 d | certificates=1;;;0; ok=0;;;0; warning=0;;;0; critical=1;;;0; "
	      "unknown=0;;;0; min_days_left=0;30:;7:;; fetch_time=0.000s;;;0;\n"
	      "q.example.com (id Q): CRITICAL, 0 d left, until 2026-11-29 07:59:58 +08:00\n",
	      TC_CRITICAL, "one certificate, 0 d left");
	report_free(&r);

	/* expired a second ago */
	static const struct spec exp1[] = {
	    {.id = "E", .domain = "e.example.com", .end = -1},
	    {.id = "F", .domain = "f.example.com", .end = 100 * DAY},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, exp1, 2, 1);
	report_finish(&r);
	check(
	    &r,
	    "TENCENTCLOUD_SSL CRITICAL - 1 critical, 1 ok of 2 certificates: e.example.com (id E) "
	    "expired 1 d ago | certificates=2;;;0; ok=1;;;0; warning=0;;;0; critical=1;;;0; "
	    "unknown=0;;;0; min_days_left=-1;30:;7:;; fetch_time=0.000s;;;0;\n"
	    "e.example.com (id E): CRITICAL, expired 1 d ago on 2026-11-28 07:59:58 +08:00\n",
	    TC_CRITICAL, "expired less than a day ago");
	report_free(&r);

	/* nothing selected */
	static const struct spec none[] = {
	    {.id = "N1", .domain = "n.example.com", .end = 10 * DAY, .status = 7},
	    {.id = "N2", .domain = "m.example.com", .end = 10 * DAY, .status = 4},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, none, 2, 1);
	report_finish(&r);
	check(&r,
	      "TENCENTCLOUD_SSL OK - no certificates selected (of 2 listed) | certificates=0;;;0; "
	      "ok=0;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; fetch_time=0.000s;;;0;\n",
	      TC_OK, "nothing selected, default --empty-state");
	oo.empty_state = TC_WARNING;
	check(&r,
	      "TENCENTCLOUD_SSL WARNING - no certificates selected (of 2 listed) | "
	      "certificates=0;;;0; "
	      "ok=0;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; fetch_time=0.000s;;;0;\n",
	      TC_WARNING, "nothing selected, --empty-state warning");
	oo.empty_state = TC_OK;
	report_free(&r);

	/* empty account */
	report_init(&r, &sel, &ev, 0);
	report_finish(&r);
	oo.empty_state = TC_UNKNOWN;
	check(&r,
	      "TENCENTCLOUD_SSL UNKNOWN - no certificates selected (of 0 listed) | "
	      "certificates=0;;;0; "
	      "ok=0;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; fetch_time=0.000s;;;0;\n",
	      TC_UNKNOWN, "empty account, --empty-state unknown");
	oo.empty_state = TC_OK;
	report_free(&r);

	/* only unknowns and OKs: no min_days_left without a valid end among them? */
	static const struct spec unk[] = {
	    {.id = "U1", .domain = "u.example.com", .end = NO_TIME},
	    {.id = "U2", .end_text = "--"},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, unk, 2, 1);
	report_finish(&r);
	check(&r,
	      "TENCENTCLOUD_SSL UNKNOWN - 2 unknown, 0 ok of 2 certificates: u.example.com (id U1) "
	      "has no valid end time, - (id U2) has no valid end time | certificates=2;;;0; "
	      "ok=0;;;0; "
	      "warning=0;;;0; critical=0;;;0; unknown=2;;;0; fetch_time=0.000s;;;0;\n"
	      "u.example.com (id U1): UNKNOWN, no valid end time\n"
	      "- (id U2): UNKNOWN, no valid end time\n",
	      TC_UNKNOWN, "no valid end time: min_days_left omitted, null Domain shown as -");
	report_free(&r);
}

/* ---- ordering, the 5-phrase limit, sanitizing ---- */
static void test_order_and_names(void)
{
	struct report r;
	setup("30", "7");
	static const struct spec s[] = {
	    {.id = "W2", .domain = "w2.example.com", .end = 20 * DAY},
	    {.id = "U1", .domain = "u1.example.com", .end = NO_TIME},
	    {.id = "W1", .domain = "w1.example.com", .end = 10 * DAY},
	    {.id = "C2", .domain = "c2.example.com", .end = 3 * DAY},
	    {.id = "C1b", .domain = "c1b.example.com", .end = -5 * DAY},
	    {.id = "C1a", .domain = "c1a.example.com", .end = -5 * DAY},
	    {.id = "O1", .domain = "o1.example.com", .end = 50 * DAY},
	    {.id = "W3", .domain = "w3.example.com", .end = 20 * DAY},
	};
	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, s, 8, 1);
	report_finish(&r);
	static const char *const order[] = {"C1a", "C1b", "C2", "U1", "W1", "W2", "W3", "O1"};
	is_int(r.n_items, 8, "keep_all keeps all 8");
	for (size_t i = 0; i < 8 && i < r.n_items; i++)
		is_str(r.items[i].id, order[i], "sorted item %zu", i);
	check(
	    &r,
	    "TENCENTCLOUD_SSL CRITICAL - 3 critical, 3 warning, 1 unknown, 1 ok of 8 certificates: "
	    "c1a.example.com (id C1a) expired 5 d ago, c1b.example.com (id C1b) expired 5 d ago, "
	    "c2.example.com (id C2) expires in 3 d, u1.example.com (id U1) has no valid end time, "
	    "w1.example.com (id W1) expires in 10 d, and 2 more | certificates=8;;;0; ok=1;;;0; "
	    "warning=3;;;0; critical=3;;;0; unknown=1;;;0; min_days_left=-5;30:;7:;; "
	    "fetch_time=0.000s;;;0;\n"
	    "c1a.example.com (id C1a): CRITICAL, expired 5 d ago on 2026-11-23 07:59:59 +08:00\n"
	    "c1b.example.com (id C1b): CRITICAL, expired 5 d ago on 2026-11-23 07:59:59 +08:00\n"
	    "c2.example.com (id C2): CRITICAL, 3 d left, until 2026-12-01 07:59:59 +08:00\n"
	    "u1.example.com (id U1): UNKNOWN, no valid end time\n"
	    "w1.example.com (id W1): WARNING, 10 d left, until 2026-12-08 07:59:59 +08:00\n"
	    "w2.example.com (id W2): WARNING, 20 d left, until 2026-12-18 07:59:59 +08:00\n"
	    "w3.example.com (id W3): WARNING, 20 d left, until 2026-12-18 07:59:59 +08:00\n",
	    TC_CRITICAL, "order and ', and 2 more'");
	report_free(&r);

	/* '|' and ';' in names; escapes decoded; bound resources */
	static const struct spec odd[] = {
	    {.id = "P1", .domain = "a|b;c.example.com", .end = 3 * DAY, .bound = {"c|lb", "cd;n"}},
	    {.id = "P2", .domain = "caf\\u00e9.example.com", .end = 4 * DAY},
	    {.id = "P3", .domain = "", .end = 5 * DAY},
	    {.id = "P4", .domain = "tab\\there", .end = 6 * DAY},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, odd, 4, 1);
	report_finish(&r);
	check(&r,
	      "TENCENTCLOUD_SSL CRITICAL - 4 critical, 0 ok of 4 certificates: a_b_c.example.com "
	      "(id P1) expires in 3 d, caf\xc3\xa9.example.com (id P2) expires in 4 d, - (id P3) "
	      "expires in 5 d, tab_here (id P4) expires in 6 d | certificates=4;;;0; ok=0;;;0; "
	      "warning=0;;;0; critical=4;;;0; unknown=0;;;0; min_days_left=3;30:;7:;; "
	      "fetch_time=0.000s;;;0;\n"
	      "a_b;c.example.com (id P1): CRITICAL, 3 d left, until 2026-12-01 07:59:59 +08:00, "
	      "bound to c_lb, cd;n\n"
	      "caf\xc3\xa9.example.com (id P2): CRITICAL, 4 d left, until 2026-12-02 07:59:59 "
	      "+08:00\n"
	      "- (id P3): CRITICAL, 5 d left, until 2026-12-03 07:59:59 +08:00\n"
	      "tab_here (id P4): CRITICAL, 6 d left, until 2026-12-04 07:59:59 +08:00\n",
	      TC_CRITICAL, "names: sanitized, decoded, empty");
	report_free(&r);

	/* a very long Domain is cut at OUT_MAX_NAME bytes */
	static char longname[600];
	memset(longname, 'x', 599);
	static const struct spec lng[] = {
	    {.id = "L", .domain = longname, .end = 3 * DAY},
	};
	report_init(&r, &sel, &ev, 0);
	feed(&r, 0, lng, 1, 1);
	report_finish(&r);
	char *got = render(&r, NULL);
	char want[400];
	memset(want, 'x', OUT_MAX_NAME);
	strcpy(want + OUT_MAX_NAME, " (id L) expires");
	ok(strstr(got, want) != NULL, "long Domain cut at %d bytes", OUT_MAX_NAME);
	free(got);
	report_free(&r);
}

/* ---- % thresholds and per-certificate perfdata ---- */
static void test_percent_and_perfdata(void)
{
	struct report r;
	setup("25%", "10%");
	static const struct spec s[] = {
	    {.id = "P1", .domain = "p1.example.com", .end = 10 * DAY, .begin = -80 * DAY},
	    {.id = "P2", .domain = "it's a=b c.example.com", .end = 30 * DAY, .begin = -60 * DAY},
	    {.id = "P3", .domain = "p3.example.com", .end = 30 * DAY},
	    {.id = "P4", .domain = "p4.example.com", .end = NO_TIME},
	};
	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, s, 4, 1);
	report_finish(&r);
	oo.perfdata_per_cert = 1;
	check(&r,
	      "TENCENTCLOUD_SSL UNKNOWN - 1 warning, 2 unknown, 1 ok of 4 certificates: "
	      "p3.example.com (id P3) has no valid begin time, p4.example.com (id P4) has no valid "
	      "end time, p1.example.com (id P1) expires in 10 d | certificates=4;;;0; ok=1;;;0; "
	      "warning=1;;;0; critical=0;;;0; unknown=2;;;0; min_days_left=10;;;; "
	      "fetch_time=0.000s;;;0;\n"
	      "p3.example.com (id P3): UNKNOWN, 30 d left, until 2026-12-28 07:59:59 +08:00, no "
	      "valid "
	      "begin time\n"
	      "p4.example.com (id P4): UNKNOWN, no valid end time\n"
	      "p1.example.com (id P1): WARNING, 10 d left, until 2026-12-08 07:59:59 +08:00\n"
	      "|'days_P3_p3.example.com'=30;;;; 'days_P4_p4.example.com'=U;;;; "
	      "'days_P1_p1.example.com'=10;;;; 'days_P2_it''s_a_b_c.example.com'=30;;;;\n",
	      TC_UNKNOWN, "% thresholds, per-cert perfdata");
	report_free(&r);

	setup("30", "7");
	oo.perfdata_per_cert = 1;
	static const struct spec t[] = {
	    {.id = "A1", .domain = "a.example.com", .end = 40 * DAY},
	};
	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, t, 1, 1);
	report_finish(&r);
	check(
	    &r,
	    "TENCENTCLOUD_SSL OK - 1 ok of 1 certificate: soonest a.example.com (id A1) expires in "
	    "40 d | certificates=1;;;0; ok=1;;;0; warning=0;;;0; critical=0;;;0; unknown=0;;;0; "
	    "min_days_left=40;30:;7:;; fetch_time=0.000s;;;0;\n"
	    "|'days_A1_a.example.com'=40;30:;7:;;\n",
	    TC_OK, "per-cert perfdata without long output");
	report_free(&r);
}

/* ---- --max-output ---- */
static void test_cap(void)
{
	struct report r;
	setup("30", "7");
	static const struct spec s[] = {
	    {.id = "C1", .domain = "c1.example.com", .end = 1 * DAY},
	    {.id = "C2", .domain = "c2.example.com", .end = 2 * DAY},
	    {.id = "C3", .domain = "c3.example.com", .end = 3 * DAY},
	};
	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, s, 3, 1);
	report_finish(&r);
	oo.perfdata_per_cert = 1;
	char *full = render(&r, NULL);
	/* split the full output into its lines */
	const char *l0 = full, *l1 = strchr(l0, '\n') + 1, *l2 = strchr(l1, '\n') + 1,
	           *l3 = strchr(l2, '\n') + 1, *pl = strchr(l3, '\n') + 1;
	size_t s0 = (size_t)(l1 - l0), a = (size_t)(l2 - l1), b = (size_t)(l3 - l2),
	       c = (size_t)(pl - l3), p = strlen(pl);
	const char *more1 = "... 1 more not shown (--max-output 0 shows all)\n";
	const char *more2 = "... 2 more not shown (--max-output 0 shows all)\n";
	const char *more3 = "... 3 more not shown (--max-output 0 shows all)\n";
	const char *item1 = "|'days_C1_c1.example.com'=1;30:;7:;;";
	ok(strncmp(pl, item1, strlen(item1)) == 0, "per-cert perfdata last");

	struct {
		const char *name;
		size_t cap;
		char want[2048];
	} cases[10];
	size_t n = 0;
#define CASE(nm, cp, ...)                                                                          \
	do {                                                                                       \
		cases[n].name = nm;                                                                \
		cases[n].cap = cp;                                                                 \
		snprintf(cases[n].want, sizeof cases[n].want, __VA_ARGS__);                        \
		n++;                                                                               \
	} while (0)
	CASE("no cap", 0, "%s", full);
	CASE("exactly at cap", s0 + a + b + c + p, "%s", full);
	CASE("one byte over: last perfdata item dropped", s0 + a + b + c + p - 1,
	     "%.*s|'days_C1_c1.example.com'=1;30:;7:;; 'days_C2_c2.example.com'=2;30:;7:;;\n",
	     (int)(s0 + a + b + c), full);
	CASE("lines exactly, no perfdata room", s0 + a + b + c, "%.*s", (int)(s0 + a + b + c),
	     full);
	CASE("one byte short of all lines", s0 + a + b + c - 1, "%.*s%s", (int)(s0 + a + b), full,
	     more1);
	CASE("l1 + more2 exactly", s0 + a + strlen(more2), "%.*s%s", (int)(s0 + a), full, more2);
	CASE("one byte less: only more3", s0 + a + strlen(more2) - 1, "%.*s%s", (int)s0, full,
	     more3);
	CASE("more3 exactly", s0 + strlen(more3), "%.*s%s", (int)s0, full, more3);
	CASE("status line only", s0 + strlen(more3) - 1, "%.*s", (int)s0, full);
	CASE("cap below the status line", 10, "%.*s", (int)s0, full);
	for (size_t i = 0; i < n; i++) {
		oo.max_output = cases[i].cap;
		char *got = render(&r, NULL);
		is_str(got, cases[i].want, "cap: %s (%zu)", cases[i].name, cases[i].cap);
		if (cases[i].cap > s0)
			ok(strlen(got) <= cases[i].cap, "cap: %s: within", cases[i].name);
		free(got);
	}
	free(full);
	report_free(&r);
}

/* ---- JSON ---- */
static void test_json(void)
{
	struct report r;
	setup("30", "7");
	static const struct spec s[] = {
	    {.id = "J1",
	     .domain = "j1.example.com",
	     .end = 10 * DAY,
	     .bound = {"clb"},
	     .san = {"j1.example.com", "www.j1.example.com"},
	     .alias = "my \\\"alias\\\"",
	     .begin = -85 * DAY},
	    {.id = "J2", .end = NO_TIME, .status = 3},
	    {.id = "J3",
	     .domain = "bad\xff\xfe"
	               "utf8\\n",
	     .end = 200 * DAY},
	};
	report_init(&r, &sel, &ev, 1);
	feed(&r, 0, s, 3, 1);
	report_finish(&r);
	oo.json = 1;
	oo.max_output = 10; /* not applied to JSON */
	check(
	    &r,
	    "{\"state\":\"UNKNOWN\",\"summary\":\"TENCENTCLOUD_SSL UNKNOWN - 1 warning, 1 unknown, "
	    "1 ok "
	    "of 3 certificates: - (id J2) has no valid end time, j1.example.com (id J1) expires in "
	    "10 d\",\"counts\":{\"selected\":3,\"listed\":3,\"ok\":1,\"warning\":1,\"critical\":0,"
	    "\"unknown\":1},\"certificates\":["
	    "{\"id\":\"J2\",\"domain\":null,\"alias\":null,\"san\":[],\"status\":3,\"not_before\":"
	    "null,"
	    "\"not_after\":null,\"days_left\":null,\"state\":\"UNKNOWN\",\"bound_resource\":[],"
	    "\"replaced_by\":null},"
	    "{\"id\":\"J1\",\"domain\":\"j1.example.com\",\"alias\":\"my \\\"alias\\\"\",\"san\":["
	    "\"j1.example.com\",\"www.j1.example.com\"],\"status\":1,\"not_before\":"
	    "\"2026-09-04T07:59:59+08:00\",\"not_after\":\"2026-12-08T07:59:59+08:00\",\"days_"
	    "left\":10,"
	    "\"state\":\"WARNING\",\"bound_resource\":[\"clb\"],\"replaced_by\":null},"
	    "{\"id\":\"J3\",\"domain\":\"bad\xef\xbf\xbd\xef\xbf\xbdutf8\\n\",\"alias\":null,"
	    "\"san\":[],"
	    "\"status\":1,\"not_before\":null,\"not_after\":\"2027-06-16T07:59:59+08:00\","
	    "\"days_left\":200,\"state\":\"OK\",\"bound_resource\":[],\"replaced_by\":null}]}\n",
	    TC_UNKNOWN, "JSON document");
	report_free(&r);

	report_init(&r, &sel, &ev, 1);
	report_finish(&r);
	oo.empty_state = TC_CRITICAL;
	check(&r,
	      "{\"state\":\"CRITICAL\",\"summary\":\"TENCENTCLOUD_SSL CRITICAL - no certificates "
	      "selected (of 0 "
	      "listed)\",\"counts\":{\"selected\":0,\"listed\":0,\"ok\":0,\"warning\":0,"
	      "\"critical\":0,\"unknown\":0},\"certificates\":[]}\n",
	      TC_CRITICAL, "JSON, nothing selected");
	report_free(&r);
}

static void test_errors(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	out_error(f, TC_UNKNOWN,
	          "API error AuthFailure.SignatureFailure: bad; sig|x\nmore (RequestId r1)");
	out_error(f, TC_CRITICAL, "timed out after 10 s");
	out_error(f, TC_UNKNOWN, NULL);
	fclose(f);
	is_str(buf,
	       "TENCENTCLOUD_SSL UNKNOWN - API error AuthFailure.SignatureFailure: bad_ sig_x_more "
	       "(RequestId r1)\n"
	       "TENCENTCLOUD_SSL CRITICAL - timed out after 10 s\n"
	       "TENCENTCLOUD_SSL UNKNOWN - unknown error\n",
	       "out_error lines");
	free(buf);

	buf = NULL;
	f = open_memstream(&buf, &len);
	out_error_json(f, TC_UNKNOWN, "HTTP 502 from \"ssl\"\n|x");
	fclose(f);
	is_str(buf,
	       "{\"state\":\"UNKNOWN\",\"summary\":\"TENCENTCLOUD_SSL UNKNOWN - HTTP 502 from "
	       "\\\"ssl\\\"__x\",\"error\":\"HTTP 502 from \\\"ssl\\\"__x\",\"counts\":null,"
	       "\"certificates\":[]}\n",
	       "out_error_json document");
	free(buf);

	char small[8];
	out_sanitize("ab|c;d\x01"
	             "efgh",
	             small, sizeof small);
	is_str(small, "ab_c_d_", "out_sanitize cuts at the cap");
	out_sanitize("ab\xc3\xa9\xc3\xa9", small, 6);
	is_str(small, "ab\xc3\xa9", "out_sanitize does not split UTF-8");
}

int main(void)
{
	test_spec_example();
	test_forms();
	test_order_and_names();
	test_percent_and_perfdata();
	test_cap();
	test_json();
	test_errors();
	return tap_done();
}
