/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The report as the client's sink: the bounded selection under --max-output
 * (the first certificates in print order, whatever order pages arrive and
 * however they are committed, discarded or reset), exact counts, and the cap
 * on what is kept. Expected results come from a plain model in this file: the
 * certificates of the committed pages, sorted, cut at the bound. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "tap.h"

#define DAY       86400LL
#define NOW       1795823999LL
#define PER_PAGE  40
#define MAX_PAGES 8
#define MAX_CERTS (PER_PAGE * MAX_PAGES)

static struct select_opts sel;
static struct eval_opts ev;

/* Certificate i of page p (its fetch number f changes it, as a re-fetched page
 * may differ): end times repeat a lot so ids decide, a few have none, a few
 * are not selected (status 4). */
struct gen {
	char id[32], domain[64], end[20], bound[16];
	struct resp_cert c;
};

static unsigned mix(unsigned x)
{
	x ^= x >> 16;
	x *= 0x45d9f3bu;
	x ^= x >> 16;
	return x;
}

static const struct resp_cert *gen(struct gen *g, unsigned page, unsigned fetch, unsigned i)
{
	unsigned h = mix(page * 7919u + fetch * 104729u + i * 31u + 1u);
	memset(g, 0, sizeof *g);
	snprintf(g->id, sizeof g->id, "C%02x%03u", h & 0xff, page * 100 + i);
	snprintf(g->domain, sizeof g->domain, "h%u.p%u.example.com", i, page);
	snprintf(g->bound, sizeof g->bound, "clb-%u", h % 5);
	g->c.id = (struct tc_view){g->id, strlen(g->id)};
	g->c.domain = (struct tc_view){g->domain, strlen(g->domain)};
	g->c.status = h % 23 == 0 ? 4 : 1;
	if (h % 17 != 0) {
		long long days = (long long)((h >> 8) % 12) * 4 - 6; /* -6..38: all states */
		eval_format_time(NOW + days * DAY, ' ', g->end);
		g->c.end_time = (struct tc_view){g->end, strlen(g->end)};
	}
	if (h % 3 == 0) {
		g->c.bound[0] = (struct tc_view){g->bound, strlen(g->bound)};
		g->c.n_bound = 1;
	}
	return &g->c;
}

/* ---- the model ---- */

struct ref {
	char id[32];
	struct cert_eval ev;
};

static int ref_cmp(const void *pa, const void *pb)
{
	const struct ref *a = pa, *b = pb;
	static const int rank[TC_NSTATES] = {
	    [TC_OK] = 0, [TC_WARNING] = 1, [TC_UNKNOWN] = 2, [TC_CRITICAL] = 3};
	if (rank[a->ev.state] != rank[b->ev.state]) return rank[b->ev.state] - rank[a->ev.state];
	if (a->ev.has_end != b->ev.has_end) return a->ev.has_end ? -1 : 1;
	if (a->ev.has_end && a->ev.end != b->ev.end) return a->ev.end < b->ev.end ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* ---- scenarios: a script of sink calls ---- */

struct row {
	const char *name;
	const char *ops;   /* "f2" feed page 2 (next fetch), "c2" commit, "d2" discard, "r" reset */
	size_t max_output; /* 0 with text = unbounded text; ignored for json */
	int keep_all, json;
	unsigned n; /* certificates per page fed (<= PER_PAGE) */
};

static const struct row rows[] = {
    {.name = "in order, default cap",
     .ops = "f0 c0 f1 c1 f2 c2 f3 c3",
     .max_output = 4000,
     .n = 40},
    {.name = "tiny cap: bound is the 5 names",
     .ops = "f0 c0 f1 c1 f2 c2",
     .max_output = 10,
     .n = 40},
    {.name = "cap 150 (bound 11), out of order",
     .ops = "f3 f1 f0 c1 f2 c0 c3 c2",
     .max_output = 150,
     .n = 40},
    {.name = "discard and re-fetch", .ops = "f0 f1 f2 d1 c0 f1 c2 c1", .max_output = 150, .n = 40},
    {.name = "reset mid-way", .ops = "f0 c0 f1 r f0 f1 c1 c0", .max_output = 150, .n = 40},
    {.name = "never committed pages dropped",
     .ops = "f0 f1 f2 c2 f3 c0",
     .max_output = 150,
     .n = 40},
    {.name = "keep_all (-v / per-cert perfdata), bounded",
     .ops = "f2 f0 c0 f1 d2 c1 f2 c2",
     .max_output = 300,
     .keep_all = 1,
     .n = 40},
    {.name = "unbounded text (--max-output 0)",
     .ops = "f1 f0 c1 d0 f0 c0",
     .max_output = 0,
     .n = 40},
    {.name = "json keeps all", .ops = "f0 f1 c1 c0 f2 c2", .json = 1, .keep_all = 1, .n = 40},
    {.name = "bound larger than the listing", .ops = "f0 c0 f1 c1", .max_output = 100000, .n = 7},
};

static void run(const struct row *t)
{
	static struct gen g;
	static struct ref want[MAX_CERTS];
	static struct ref page_refs[MAX_PAGES][PER_PAGE];
	static unsigned fetches[MAX_PAGES], fed[MAX_PAGES];
	static int pending_page[MAX_PAGES], committed_page[MAX_PAGES];
	long long listed = 0, selected = 0, count[TC_NSTATES] = {0};
	size_t n_refs[MAX_PAGES] = {0};
	struct report r;

	memset(fetches, 0, sizeof fetches);
	memset(pending_page, 0, sizeof pending_page);
	memset(committed_page, 0, sizeof committed_page);
	report_init(&r, &sel, &ev, t->keep_all);
	if (!t->json) report_for_text(&r, t->max_output);
	struct client_sink k = report_sink(&r);

	for (const char *op = t->ops; *op; op++) {
		if (*op == ' ') continue;
		if (*op == 'r') {
			k.reset(k.ctx);
			memset(pending_page, 0, sizeof pending_page);
			memset(committed_page, 0, sizeof committed_page);
			continue;
		}
		unsigned p = (unsigned)(op[1] - '0');
		if (*op == 'f') {
			fed[p] = fetches[p]++;
			n_refs[p] = 0;
			for (unsigned i = 0; i < t->n; i++) {
				const struct resp_cert *c = gen(&g, p, fed[p], i);
				k.cert(k.ctx, p, c);
				if (c->status != 1) continue;
				struct ref *x = &page_refs[p][n_refs[p]++];
				snprintf(x->id, sizeof x->id, "%s", g.id);
				eval_cert(&ev, c, &x->ev);
			}
			pending_page[p] = 1;
		} else if (*op == 'c') {
			k.commit(k.ctx, p);
			if (pending_page[p]) committed_page[p] = 1;
			pending_page[p] = 0;
		} else if (*op == 'd') {
			k.discard(k.ctx, p);
			pending_page[p] = 0;
		}
		op++;
	}

	size_t n_want = 0;
	for (unsigned p = 0; p < MAX_PAGES; p++) {
		if (!committed_page[p]) continue;
		listed += t->n;
		for (size_t i = 0; i < n_refs[p]; i++) {
			const struct ref *x = &page_refs[p][i];
			selected++;
			count[x->ev.state]++;
			if (x->ev.state != TC_OK || t->keep_all) want[n_want++] = *x;
		}
	}
	qsort(want, n_want, sizeof *want, ref_cmp);
	size_t bound = !t->json && t->max_output ? report_bound(t->max_output) : 0;
	if (bound && n_want > bound) n_want = bound;

	is_int(report_finish(&r), REPORT_OK, "%s: finish", t->name);
	is_int(r.listed, listed, "%s: listed", t->name);
	is_int(r.selected, selected, "%s: selected", t->name);
	int counts_ok = 1;
	for (int s = 0; s < TC_NSTATES; s++)
		counts_ok &= r.count[s] == count[s];
	ok(counts_ok, "%s: counts per state exact", t->name);
	is_int(r.n_items, n_want, "%s: %zu kept", t->name, n_want);
	size_t same = 0;
	while (same < n_want && same < r.n_items && strcmp(r.items[same].id, want[same].id) == 0)
		same++;
	ok(same == n_want, "%s: kept in print order", t->name);
	if (same != n_want)
		printf("#   first difference at %zu: got %s, want %s\n", same,
		       same < r.n_items ? r.items[same].id : "(none)",
		       same < n_want ? want[same].id : "(none)");
	report_free(&r);
	is_int((long long)r.kept_bytes, 0, "%s: every copy freed", t->name);
}

/* A commit after report_finish() (the sorted array must become a heap again). */
static void test_commit_after_finish(void)
{
	static struct gen g;
	struct report r;
	report_init(&r, &sel, &ev, 0);
	report_for_text(&r, 10); /* bound 5 */
	struct client_sink k = report_sink(&r);
	for (unsigned p = 0; p < 2; p++) {
		for (unsigned i = 0; i < PER_PAGE; i++)
			k.cert(k.ctx, p, gen(&g, p, 0, i));
		k.commit(k.ctx, p);
		is_int(report_finish(&r), REPORT_OK, "finish after page %u", p);
	}
	is_int(r.n_items, 5, "5 kept");
	int sorted = 1;
	for (size_t i = 1; i < r.n_items; i++) {
		struct ref a = {.ev = r.items[i - 1].ev}, b = {.ev = r.items[i].ev};
		snprintf(a.id, sizeof a.id, "%s", r.items[i - 1].id);
		snprintf(b.id, sizeof b.id, "%s", r.items[i].id);
		sorted &= ref_cmp(&a, &b) < 0;
	}
	ok(sorted, "sorted after the second finish");
	report_free(&r);
}

/* The cap: names that keep JSON copies huge pass REPORT_MAX_BYTES. */
static void test_cap(void)
{
	static char name[60000];
	struct report r;
	const char *why = report_strerror(REPORT_ERR_CAP);
	is_str(why,
	       "more than 48 MiB of certificates to print: use --max-output or narrow the "
	       "selection",
	       "the cap says what was hit");
	ok(strstr(report_strerror(REPORT_ERR_NOMEM), "memory") != NULL, "malloc failure");
	ok(strstr(report_strerror(REPORT_ERR_PAGES), "4096") != NULL, "pages pending");

	memset(name, 'a', sizeof name - 1);
	struct resp_cert c = {.status = 1, .domain = {name, sizeof name - 1}};
	char id[16], end[20];
	eval_format_time(NOW - DAY, ' ', end);
	c.end_time = (struct tc_view){end, strlen(end)};
	static const struct {
		const char *name;
		int json;
		enum report_err want;
	} modes[] = {
	    {.name = "json keeps whole names", .json = 1, .want = REPORT_ERR_CAP},
	    {.name = "text under a cap", .json = 0, .want = REPORT_OK},
	};
	for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
		report_init(&r, &sel, &ev, modes[m].json);
		if (!modes[m].json) report_for_text(&r, 4000);
		struct client_sink k = report_sink(&r);
		for (unsigned p = 0; p < 10; p++) {
			for (int i = 0; i < 100; i++) {
				snprintf(id, sizeof id, "E%04u", p * 100 + (unsigned)i);
				c.id = (struct tc_view){id, strlen(id)};
				k.cert(k.ctx, p, &c);
			}
			k.commit(k.ctx, p);
		}
		ok(r.kept_bytes <= REPORT_MAX_BYTES, "%s: kept %zu bytes, within the cap",
		   modes[m].name, r.kept_bytes);
		is_int(report_finish(&r), modes[m].want, "%s: finish", modes[m].name);
		is_int(r.count[TC_CRITICAL], 1000, "%s: still counted exactly", modes[m].name);
		if (!modes[m].json)
			ok(r.n_items == report_bound(4000) && r.kept_bytes < 512 * 1024,
			   "%s: %zu kept in %zu bytes", modes[m].name, r.n_items, r.kept_bytes);
		size_t len = r.n_items ? strlen(r.items[0].domain) : 0;
		ok(modes[m].json ? len == sizeof name - 1 : len > 255 && len < REPORT_TEXT_NAME,
		   "%s: a name of %zu bytes kept as %zu", modes[m].name, sizeof name - 1, len);
		report_free(&r);
	}
}

int main(void)
{
	thr_parse("30", &ev.warn);
	thr_parse("7", &ev.crit);
	ev.now = NOW;
	is_int(report_bound(0), REPORT_NAMED, "bound never below the five names");
	is_int(report_bound(4000), 4000 / REPORT_MIN_LINE + 1, "bound of the default cap");
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
		run(&rows[i]);
	test_commit_after_finish();
	test_cap();
	return tap_done();
}
