/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "listing.h"

#include <string.h>

static void reset(struct listing *l)
{
	l->phase = LISTING_FIRST;
	l->next_page = l->n_pages = l->listed = l->pages = 0;
	l->total = -1;
	l->seq_done = 0;
}

void listing_init(struct listing *l, long page_size)
{
	memset(l, 0, sizeof *l);
	l->page_size = page_size > 0 ? page_size : 1;
	reset(l);
	idset_init(&l->ids);
}

void listing_free(struct listing *l)
{
	idset_free(&l->ids);
}

static int may_start(const struct listing *l, int busy)
{
	if (l->phase == LISTING_PAR) return l->next_page < l->n_pages;
	/* one page at a time until TotalCount says how many there are */
	if (busy || l->seq_done) return 0;
	return l->phase == LISTING_SEQ || l->next_page == 0;
}

long long listing_next(struct listing *l, int busy)
{
	return may_start(l, busy) ? l->next_page++ : -1;
}

int listing_done(const struct listing *l, int busy)
{
	return busy == 0 && !may_start(l, 0);
}

/* The first page decides the phase. */
static enum listing_verdict first_page(struct listing *l, const struct listing_page *p,
                                       struct msg *why)
{
	if (!p->has_total) {
		l->phase = LISTING_SEQ;
		return LISTING_COMMIT;
	}
	if (p->total_count < 0) {
		msg_set(why, "malformed response: negative TotalCount");
		return LISTING_FAILED;
	}
	if (p->total_count > (long long)IDSET_MAX) {
		/* ',' not ';': the status line would show a ';' as '_' */
		msg_set(why,
		        "more than %u certificates listed (TotalCount %lld), narrow the listing "
		        "with API filters",
		        IDSET_MAX, p->total_count);
		return LISTING_FAILED;
	}
	l->total = p->total_count;
	if (idset_reserve(&l->ids, (size_t)l->total) != 0) {
		msg_set(why, "out of memory");
		return LISTING_FAILED;
	}
	l->n_pages = l->total ? (l->total + l->page_size - 1) / l->page_size : 1;
	l->phase = LISTING_PAR;
	return LISTING_COMMIT;
}

static enum listing_verdict check_count(struct listing *l, const struct listing_page *p,
                                        struct msg *why)
{
	long ps = l->page_size;
	long long off = p->page * ps;
	if (l->total < 0) {
		if (p->has_total) {
			msg_set(why, "TotalCount changed from null to %lld at offset %lld",
			        p->total_count, off);
			return LISTING_INCONSISTENT;
		}
		if (p->count < (size_t)ps) l->seq_done = 1;
		return LISTING_COMMIT;
	}
	if (!p->has_total) {
		msg_set(why, "TotalCount changed from %lld to null at offset %lld", l->total, off);
		return LISTING_INCONSISTENT;
	}
	if (p->total_count != l->total) {
		msg_set(why, "TotalCount changed from %lld to %lld at offset %lld", l->total,
		        p->total_count, off);
		return LISTING_INCONSISTENT;
	}
	long long left = l->total - off;
	long long expect = left < ps ? (left > 0 ? left : 0) : ps;
	if ((long long)p->count > expect) {
		msg_set(why, "more certificates than TotalCount %lld (page at offset %lld has %zu)",
		        l->total, off, p->count);
		return LISTING_INCONSISTENT;
	}
	if ((long long)p->count < expect) {
		msg_set(why, "short page at offset %lld (%zu of %lld) before TotalCount %lld", off,
		        p->count, expect, l->total);
		return LISTING_INCONSISTENT;
	}
	return LISTING_COMMIT;
}

enum listing_verdict listing_page(struct listing *l, const struct listing_page *p, struct msg *why)
{
	enum listing_verdict v;
	if (p->count > (size_t)l->page_size) {
		msg_set(why, "malformed response: %zu certificates in a page of Limit %ld",
		        p->count, l->page_size);
		return LISTING_FAILED;
	}
	if (l->phase == LISTING_FIRST && (v = first_page(l, p, why)) != LISTING_COMMIT) return v;
	if ((v = check_count(l, p, why)) != LISTING_COMMIT) return v;
	for (size_t i = 0; i < p->n_ids; i++) {
		int rc = idset_add(&l->ids, p->ids[i]);
		if (rc == 0) {
			msg_set(why, "duplicate CertificateId at offset %lld",
			        p->page * l->page_size);
			return LISTING_INCONSISTENT;
		}
		if (rc < 0) {
			msg_set(why,
			        "more than %u certificates listed, narrow the listing with API "
			        "filters",
			        IDSET_MAX);
			return LISTING_FAILED;
		}
	}
	l->listed += (long long)p->count;
	l->pages++;
	return LISTING_COMMIT;
}

int listing_restart(struct listing *l)
{
	if (l->restarts++ > 0) return -1;
	reset(l);
	idset_clear(&l->ids);
	return 0;
}
