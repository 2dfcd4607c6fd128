/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a listing adds up to: counts per state, the soonest expiry, and copies
 * of the certificates that can still be printed (decoded strings), never the
 * rest, so memory follows what is printed, not the size of the account.
 * It is the client's sink: selection and evaluation happen as certificates
 * stream in; contributions stay provisional per page until committed.
 *
 * The public counters (listed, selected, count, min_days_left, soonest) hold
 * committed pages only. Until report_finish(), n_items counts the copies kept
 * (pending pages included) and items[] is not to be read; report_finish()
 * drops what is still pending and leaves items[0..n_items) sorted.
 *
 * Under report_for_text(r, CAP) with CAP > 0 only the first
 * report_bound(CAP) certificates in print order are kept (a bounded heap per
 * pending page and one for the committed ones): no long-output line or
 * per-certificate perfdata item is shorter than REPORT_MIN_LINE bytes, so no
 * more can be printed within CAP, and the status line's five names are among
 * them. The counts stay exact. JSON output and --max-output 0 keep all.
 * Whatever is kept (copies and the arrays holding them) is capped at
 * REPORT_MAX_BYTES; past it counting goes on and report_finish() says so. */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include <stddef.h>

#include "sink.h"
#include "evaluate.h"

#define REPORT_MAX_MIB   48 /* MiB kept for printing (RSS stays far below 128 MiB) */
#define REPORT_MAX_BYTES ((size_t)REPORT_MAX_MIB * 1024 * 1024)
#define REPORT_MAX_PAGES 4096 /* pages pending (not yet committed) at once */
#define REPORT_MIN_LINE  15   /* bytes: a long-output line is >= 30, a perfdata item >= 15 */
#define REPORT_NAMED     5    /* non-OK certificates the status line names */
#define REPORT_TEXT_NAME 264  /* bytes of a decoded name kept for text output (>= 255 + 9) */

enum report_err {
	REPORT_OK = 0,
	REPORT_ERR_CAP,   /* more than REPORT_MAX_BYTES to keep */
	REPORT_ERR_PAGES, /* more than REPORT_MAX_PAGES pending at once */
	REPORT_ERR_NOMEM, /* malloc failed */
};

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
	struct report_item *items; /* committed copies; sorted by report_finish() */
	size_t n_items, cap_items;
	struct report_item soonest; /* soonest-expiring OK certificate, for the OK line */
	int has_soonest;
	/* kept: see the comment at the top */
	size_t bound;    /* copies kept per set, 0 = all */
	int text_only;   /* copy what text prints: no SANs or alias, names but the id cut */
	size_t n_commit; /* copies in items[] */
	int sorted;      /* items[] sorted (not a heap) since report_finish() */
	void *pending;   /* provisional per-page contributions (see client_sink) */
	enum report_err err;
	size_t kept_bytes; /* copies, the arrays that hold them, and the soonest copies */
};

void report_init(struct report *r, const struct select_opts *sel, const struct eval_opts *eval,
                 int keep_all);
/* Text output under --max-output max_output (0 = no cap): keep only what can
 * be printed. Call after report_init, before the listing. */
void report_for_text(struct report *r, size_t max_output);
/* Certificates kept under a --max-output cap (> 0). */
size_t report_bound(size_t max_output);
/* The client_sink that feeds r. */
struct client_sink report_sink(struct report *r);
/* Sorts items: highest state first (CRITICAL > UNKNOWN > WARNING > OK), then
 * soonest expiry (no end time last), then id. Not REPORT_OK when something
 * that should have been kept was not (see report_strerror). */
enum report_err report_finish(struct report *r);
/* One line for an error of report_finish(), e.g. "more than 48 MiB of
 * certificates to print: use --max-output or narrow the selection". */
const char *report_strerror(enum report_err e);
enum tc_state report_state(const struct report *r, enum tc_state empty_state);
void report_free(struct report *r);

#endif
