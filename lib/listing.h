/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The rules of one listing, without any I/O: which page may be requested next
 * (one at a time until TotalCount is known, then up to --parallel), whether a
 * page that came back whole fits the listing so far (TotalCount drift, short
 * pages, more than Limit, duplicate CertificateIds), and the one restart from
 * the start that an inconsistent listing gets. The transport (transport.c)
 * does the requests and tells this module what came back. */
#ifndef TC_LISTING_H
#define TC_LISTING_H

#include <stddef.h>
#include <stdint.h>

#include "idset.h"
#include "msg.h"

enum listing_phase {
	LISTING_FIRST, /* the first page is out: TotalCount not seen yet */
	LISTING_SEQ,   /* no TotalCount: page after page until a short one */
	LISTING_PAR,   /* TotalCount known: every page, --parallel at a time */
};

struct listing {
	long page_size;
	enum listing_phase phase;
	long long next_page; /* the next page not handed out yet */
	long long n_pages;   /* pages of the listing, once TotalCount is known */
	long long total;     /* TotalCount, -1 while unknown */
	long long listed;    /* certificates in committed pages */
	long long pages;     /* pages committed */
	int seq_done;        /* LISTING_SEQ: a short page was the last one */
	int restarts;
	struct idset ids;
};

/* What came back for one page, whole and well-formed. */
struct listing_page {
	long long page;
	int has_total;
	long long total_count;
	size_t count;        /* certificates in the page (also those past Limit) */
	const uint64_t *ids; /* idset_hash of each decoded CertificateId, at most Limit */
	size_t n_ids;
};

enum listing_verdict {
	LISTING_COMMIT = 0,   /* the page belongs to the listing: commit it */
	LISTING_INCONSISTENT, /* why says how; listing_restart() decides what next */
	LISTING_FAILED,       /* the page can never be right: why is the status line */
};

void listing_init(struct listing *l, long page_size);
void listing_free(struct listing *l);

/* The next page to request when `busy` requests are in flight, or -1 when none
 * may start now; a page returned is handed out (call again for more). */
long long listing_next(struct listing *l, int busy);

/* 1 when nothing is left to request and nothing is in flight. */
int listing_done(const struct listing *l, int busy);

enum listing_verdict listing_page(struct listing *l, const struct listing_page *p, struct msg *why);

/* After LISTING_INCONSISTENT: 0 when the listing starts over (first time; the
 * state is back to page 0), -1 when it already did once (give up). */
int listing_restart(struct listing *l);

#endif
