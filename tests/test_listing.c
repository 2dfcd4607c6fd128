/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The listing rules without any network: each row is a run of events (ask
 * for the next page, a page comes back, restart) and what each must give. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "listing.h"
#include "tap.h"

enum op { END = 0, NEXT, PAGE, RESTART, CHECK };

struct step {
	enum op op;
	int busy;            /* NEXT, CHECK: requests in flight */
	long long want_page; /* NEXT: the page handed out, -1 none */
	long long page;      /* PAGE */
	int null_total;      /* PAGE: TotalCount null */
	long long total;     /* PAGE: TotalCount */
	size_t count;        /* PAGE: certificates in it */
	int dup;             /* PAGE: its first id is the first id of page 0 */
	enum listing_verdict want;
	const char *why;                  /* PAGE: start of the message, when not a commit */
	int want_rc;                      /* RESTART */
	long long listed, pages, n_pages; /* CHECK */
	int done;                         /* CHECK: listing_done(busy 0) */
};

struct scenario {
	const char *name;
	long page_size;
	struct step steps[16];
};

#define P(pg, tot, n)                                                                              \
	{                                                                                          \
		.op = PAGE, .page = (pg), .total = (tot), .count = (n)                             \
	}
#define PN(pg, n)                                                                                  \
	{                                                                                          \
		.op = PAGE, .page = (pg), .null_total = 1, .count = (n)                            \
	}
#define N(b, want)                                                                                 \
	{                                                                                          \
		.op = NEXT, .busy = (b), .want_page = (want)                                       \
	}

static const struct scenario scenarios[] = {
    {.name = "TotalCount known: the first page alone, then up to the busy limit",
     .page_size = 5,
     .steps = {N(0, 0),
               N(1, -1),
               P(0, 20, 5),
               N(0, 1),
               N(1, 2),
               N(2, 3),
               N(3, -1),
               P(2, 20, 5),
               P(1, 20, 5),
               P(3, 20, 5),
               N(0, -1),
               {.op = CHECK, .listed = 20, .pages = 4, .n_pages = 4, .done = 1}}},
    {.name = "no TotalCount: page after page until a short one",
     .page_size = 5,
     .steps = {N(0, 0),
               PN(0, 5),
               N(1, -1),
               N(0, 1),
               PN(1, 3),
               N(0, -1),
               {.op = CHECK, .listed = 8, .pages = 2, .done = 1}}},
    {.name = "no TotalCount: a full last page needs an empty one after it",
     .page_size = 5,
     .steps = {N(0, 0),
               PN(0, 5),
               N(0, 1),
               PN(1, 0),
               N(0, -1),
               {.op = CHECK, .listed = 5, .pages = 2, .done = 1}}},
    {.name = "an empty account is one page",
     .page_size = 1000,
     .steps = {N(0, 0),
               P(0, 0, 0),
               N(0, -1),
               {.op = CHECK, .listed = 0, .pages = 1, .n_pages = 1, .done = 1}}},
    {.name = "a partial last page",
     .page_size = 5,
     .steps = {N(0, 0),
               P(0, 12, 5),
               N(0, 1),
               N(1, 2),
               P(1, 12, 5),
               P(2, 12, 2),
               {.op = CHECK, .listed = 12, .pages = 3, .n_pages = 3, .done = 1}}},
    {.name = "not done while a page is in flight",
     .page_size = 5,
     .steps = {N(0, 0),
               P(0, 10, 5),
               N(0, 1),
               N(1, -1),
               {.op = CHECK, .busy = 1, .listed = 5, .pages = 1, .n_pages = 2}}},
    {.name = "TotalCount drift restarts once, then gives up",
     .page_size = 5,
     .steps = {N(0, 0),
               P(0, 20, 5),
               N(0, 1),
               {.op = PAGE,
                .page = 1,
                .total = 21,
                .count = 5,
                .want = LISTING_INCONSISTENT,
                .why = "TotalCount changed from 20 to 21 at offset 5"},
               {.op = RESTART, .want_rc = 0},
               {.op = CHECK, .listed = 0, .pages = 0},
               N(0, 0),
               P(0, 22, 5),
               N(0, 1),
               {.op = PAGE,
                .page = 1,
                .total = 23,
                .count = 5,
                .want = LISTING_INCONSISTENT,
                .why = "TotalCount changed from 22 to 23"},
               {.op = RESTART, .want_rc = -1}}},
    {.name = "TotalCount turns null",
     .page_size = 5,
     .steps = {P(0, 20, 5),
               {.op = PAGE,
                .page = 1,
                .null_total = 1,
                .count = 5,
                .want = LISTING_INCONSISTENT,
                .why = "TotalCount changed from 20 to null at offset 5"}}},
    {.name = "TotalCount appears",
     .page_size = 5,
     .steps = {PN(0, 5),
               {.op = PAGE,
                .page = 1,
                .total = 10,
                .count = 5,
                .want = LISTING_INCONSISTENT,
                .why = "TotalCount changed from null to 10 at offset 5"}}},
    {.name = "a short page before TotalCount",
     .page_size = 5,
     .steps = {P(0, 20, 5),
               {.op = PAGE,
                .page = 1,
                .total = 20,
                .count = 4,
                .want = LISTING_INCONSISTENT,
                .why = "short page at offset 5 (4 of 5) before TotalCount 20"}}},
    {.name = "more certificates than TotalCount",
     .page_size = 5,
     .steps = {P(0, 7, 5),
               {.op = PAGE,
                .page = 1,
                .total = 7,
                .count = 5,
                .want = LISTING_INCONSISTENT,
                .why = "more certificates than TotalCount 7 (page at offset 5 has 5)"}}},
    {.name = "more certificates than Limit",
     .page_size = 5,
     .steps = {{.op = PAGE,
                .page = 0,
                .total = 20,
                .count = 6,
                .want = LISTING_FAILED,
                .why = "malformed response: 6 certificates in a page of Limit 5"}}},
    {.name = "a negative TotalCount",
     .page_size = 5,
     .steps = {{.op = PAGE,
                .page = 0,
                .total = -1,
                .count = 0,
                .want = LISTING_FAILED,
                .why = "malformed response: negative TotalCount"}}},
    {.name = "a TotalCount past what one check lists",
     .page_size = 1000,
     .steps = {{.op = PAGE,
                .page = 0,
                .total = 9000000000LL,
                .count = 1000,
                .want = LISTING_FAILED,
                .why = "more than 2097152 certificates listed (TotalCount 9000000000), narrow"}}},
    {.name = "a duplicate id; the restart forgets the ids seen",
     .page_size = 5,
     .steps = {P(0, 20, 5),
               {.op = PAGE,
                .page = 1,
                .total = 20,
                .count = 5,
                .dup = 1,
                .want = LISTING_INCONSISTENT,
                .why = "duplicate CertificateId at offset 5"},
               {.op = RESTART, .want_rc = 0},
               P(0, 20, 5),
               P(1, 20, 5),
               {.op = CHECK, .listed = 10, .pages = 2, .n_pages = 4}}},
};

static size_t make_ids(const struct step *st, uint64_t *ids, size_t cap)
{
	size_t n = st->count < cap ? st->count : cap;
	for (size_t i = 0; i < n; i++) {
		char id[32];
		int len = snprintf(id, sizeof id, "id-%lld-%zu", st->page, i);
		ids[i] = idset_hash(id, (size_t)len);
	}
	if (st->dup && n) ids[0] = idset_hash("id-0-0", 6);
	return n;
}

static void run(const struct scenario *sc)
{
	struct listing l;
	listing_init(&l, sc->page_size);
	for (size_t k = 0; k < sizeof sc->steps / sizeof sc->steps[0] && sc->steps[k].op != END;
	     k++) {
		const struct step *st = &sc->steps[k];
		uint64_t ids[1100];
		struct msg why = {""};
		switch (st->op) {
		case NEXT:
			is_int(listing_next(&l, st->busy), st->want_page, "%s: step %zu, next page",
			       sc->name, k);
			break;
		case PAGE: {
			struct listing_page p = {
			    .page = st->page,
			    .has_total = !st->null_total,
			    .total_count = st->total,
			    .count = st->count,
			    .ids = ids,
			    .n_ids = make_ids(st, ids, (size_t)sc->page_size),
			};
			enum listing_verdict v = listing_page(&l, &p, &why);
			is_int(v, st->want, "%s: step %zu, page %lld verdict", sc->name, k,
			       st->page);
			if (st->why)
				ok(strncmp(why.text, st->why, strlen(st->why)) == 0,
				   "%s: step %zu, message: %s", sc->name, k, why.text);
			break;
		}
		case RESTART:
			is_int(listing_restart(&l), st->want_rc, "%s: step %zu, restart", sc->name,
			       k);
			break;
		case CHECK:
			is_int(l.listed, st->listed, "%s: certificates listed", sc->name);
			is_int(l.pages, st->pages, "%s: pages committed", sc->name);
			if (st->n_pages)
				is_int(l.n_pages, st->n_pages, "%s: pages in all", sc->name);
			is_int(listing_done(&l, st->busy), st->done, "%s: done", sc->name);
			break;
		case END:
			break;
		}
	}
	listing_free(&l);
}

int main(void)
{
	for (size_t i = 0; i < sizeof scenarios / sizeof scenarios[0]; i++)
		run(&scenarios[i]);
	return tap_done();
}
