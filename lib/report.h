/* What a listing adds up to: counts per state, the soonest expiry, and copies
 * of the certificates that will be printed (decoded strings), never the rest,
 * so memory follows what is printed, not the size of the account.
 * It is the client's sink: selection and evaluation happen as certificates
 * stream in; contributions stay provisional per page until committed.
 *
 * The public counters (listed, selected, count, min_days_left, soonest) hold
 * committed pages only; items holds committed and pending certificates
 * (committed == 0) until report_finish(), which drops whatever is still
 * pending. Memory is capped by REPORT_MAX_ITEMS and REPORT_MAX_BYTES: past
 * them (or when malloc fails) oom is set, counting goes on, and
 * report_finish() returns -1. */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include <stddef.h>

#include "sink.h"
#include "evaluate.h"

#define REPORT_MAX_ITEMS 500000                /* certificates kept for printing */
#define REPORT_MAX_BYTES (512ul * 1024 * 1024) /* their strings, all together */
#define REPORT_MAX_PAGES 4096                  /* pages pending (not yet committed) at once */

struct report_item {
	char *id, *domain, *alias; /* decoded UTF-8; NULL when null or missing */
	char *replaced_by;         /* CertificateExtra.ReplacedBy; NULL when null, missing or "" */
	char **san, **bound;       /* null entries are kept as "" */
	size_t n_san, n_bound;
	long status;
	unsigned page;
	struct cert_eval ev;
	int committed; /* 0 while its page is provisional */
	void *mem;     /* one block holding the strings and arrays above */
	size_t mem_size;
};

struct report {
	const struct select_opts *sel;
	const struct eval_opts *eval;
	int keep_all; /* keep every selected certificate (-v, JSON, per-cert perfdata) */
	long long listed, selected;
	long long count[TC_NSTATES]; /* per enum tc_state */
	int has_min;
	long long min_days_left;
	struct report_item *items; /* kept certificates, sorted by report_finish() */
	size_t n_items, cap_items;
	struct report_item soonest; /* soonest-expiring OK certificate, for the OK line */
	int has_soonest;
	/* provisional per-page contributions (see client_sink) */
	void *pending;
	int oom;
	size_t kept_bytes; /* mem_size of items and soonest copies */
};

void report_init(struct report *r, const struct select_opts *sel, const struct eval_opts *eval,
                 int keep_all);
/* The client_sink that feeds r. */
struct client_sink report_sink(struct report *r);
/* Sorts items: highest state first (CRITICAL > UNKNOWN > WARNING > OK), then
 * soonest expiry (no end time last), then id. Returns -1 when memory ran out
 * while collecting. */
int report_finish(struct report *r);
enum tc_state report_state(const struct report *r, enum tc_state empty_state);
void report_free(struct report *r);

#endif
