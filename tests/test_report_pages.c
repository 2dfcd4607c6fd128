/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as the client's sink, page by page: nothing public before a commit, a discarded
 * page fetched again, the soonest OK certificate, pages never committed, reset, 100,000
 * certificates in flat memory, and report_state's ranking. What is printed is test_output.c;
 * the bounded selection against a model is test_report.c. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "output_harness.h"
#include "report.h"
#include "tap.h"

/* ---- the sink: commit, discard, reset, memory ---- */
static void test_sink(void)
{
	struct report r;
	setup("30", "7");
	struct client_sink k;
	static const struct spec p0[] = {
	    {.id = "A", .domain = "a", .end = 3 * DAY},
	    {.id = "B", .domain = "b", .end = 50 * DAY},
	};
	static const struct spec p1[] = {
	    {.id = "X", .domain = "x", .end = -9 * DAY},
	    {.id = "Y", .domain = "y", .end = 40 * DAY},
	    {.id = "Z", .domain = "z", .end = 5 * DAY, .status = 2},
	};
	static const struct spec p1b[] = {
	    {.id = "X2", .domain = "x2", .end = 20 * DAY},
	    {.id = "Y2", .domain = "y2", .end = 60 * DAY},
	};
	report_init(&r, &sel, &ev, 0);
	k = report_sink(&r);
	feed(&r, 0, p0, 2, 0);
	feed(&r, 1, p1, 3, 0);
	is_int(r.n_items, 2, "pending items kept (A, X)");
	is_int(r.listed + r.selected + r.has_min + r.has_soonest, 0,
	       "nothing public before commit");
	k.discard(k.ctx, 1);
	is_int(r.n_items, 1, "discard drops page 1's item");
	k.commit(k.ctx, 0);
	is_int(r.listed, 2, "page 0 committed: listed");
	is_int(r.min_days_left, 3, "min from page 0");
	is_str(r.has_soonest ? r.soonest.id : "", "B", "soonest OK from page 0");
	feed(&r, 1, p1b, 2, 0);
	k.commit(k.ctx, 1);
	is_int(r.listed, 4, "page 1 again: listed 4");
	is_int(r.selected, 4, "selected 4");
	is_int(r.count[TC_CRITICAL], 1, "1 critical");
	is_int(r.count[TC_WARNING], 1, "1 warning (X2)");
	is_int(r.count[TC_OK], 2, "2 ok");
	is_int(r.min_days_left, 3, "min 3, the discarded -9 gone");
	is_str(r.has_soonest ? r.soonest.id : "", "B", "soonest still B (50 d < 60 d)");
	is_int(report_finish(&r), 0, "finish");
	is_int(r.n_items, 2, "2 items");
	is_str(r.n_items == 2 ? r.items[0].id : "", "A", "A first");
	is_str(r.n_items == 2 ? r.items[1].id : "", "X2", "X2 second");

	/* an OK certificate sooner than B arrives on a later page */
	static const struct spec p2[] = {
	    {.id = "S", .domain = "s", .end = 31 * DAY},
	};
	feed(&r, 2, p2, 1, 0);
	is_str(r.soonest.id, "B", "pending soonest not public");
	k.commit(k.ctx, 2);
	is_str(r.soonest.id, "S", "committed sooner OK replaces it");

	/* pages never committed are dropped by report_finish */
	feed(&r, 3, p1, 3, 0);
	report_finish(&r);
	is_int(r.n_items, 2, "finish drops uncommitted items");
	is_int(r.listed, 5, "finish leaves committed counts");

	k.reset(k.ctx);
	is_int(r.listed + r.selected + r.n_items + r.has_min + r.has_soonest, 0, "reset clears");
	is_int((long long)r.kept_bytes, 0, "reset frees every copy");
	ok(r.sel == &sel && r.eval == &ev && r.keep_all == 0, "reset keeps the options");
	feed(&r, 0, p1, 3, 1);
	is_int(r.listed, 3, "after reset: listed again");
	is_int(r.count[TC_CRITICAL], 1, "after reset: X critical");
	report_free(&r);

	/* 100,000 OK certificates, keep_all 0: memory stays flat */
	report_init(&r, &sel, &ev, 0);
	k = report_sink(&r);
	struct spec big = {.id = "Id", .domain = "big.example.com", .end = 0};
	char id[32];
	for (unsigned page = 0; page < 100; page++) {
		for (int i = 0; i < 1000; i++) {
			snprintf(id, sizeof id, "Id%05u%03d", page, i);
			big.id = id;
			big.end = (long long)(100 + (page * 1000 + (unsigned)i) % 300) * DAY;
			k.cert(k.ctx, page, cert_of(&big));
		}
		k.commit(k.ctx, page);
	}
	is_int(r.listed, 100000, "100,000 listed");
	is_int(r.count[TC_OK], 100000, "all OK");
	is_int(r.n_items + r.cap_items, 0, "no item kept or allocated");
	ok(r.kept_bytes < 256, "only the soonest copy is kept (%zu bytes)", r.kept_bytes);
	is_str(r.soonest.id, "Id00000000", "soonest of 100,000");
	is_int(report_finish(&r), 0, "finish");
	report_free(&r);

	/* report_state */
	report_init(&r, &sel, &ev, 0);
	is_int(report_state(&r, TC_WARNING), TC_WARNING, "empty: the empty state");
	r.selected = 3;
	r.count[TC_OK] = 1;
	r.count[TC_WARNING] = 1;
	r.count[TC_UNKNOWN] = 1;
	is_int(report_state(&r, TC_OK), TC_UNKNOWN, "UNKNOWN ranks above WARNING");
	r.count[TC_CRITICAL] = 1;
	is_int(report_state(&r, TC_OK), TC_CRITICAL, "CRITICAL ranks above UNKNOWN");
	report_free(&r);
}

int main(void)
{
	test_sink();
	return tap_done();
}
