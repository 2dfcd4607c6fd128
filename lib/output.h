/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Everything the plugin prints on stdout: the status line, long output and
 * perfdata within --max-output, one JSON document (--output json) or an
 * OpenMetrics exposition (--output openmetrics, openmetrics.h).
 *
 * Layout (text):
 *   TENCENTCLOUD_SSL <STATE> - <summary> | <standard perfdata>
 *   <long-output line>...
 *   ... K more not shown (--max-output 0 shows all)     (only when lines were left out)
 *   | 'days_<id>_<domain>'=N;W;C;; ...                  (--perfdata-per-cert)
 * Per-certificate perfdata follows the long output after a second '|' (Nagios
 * and Icinga read perfdata there), on its own line so it comes last whether or
 * not long output was printed; it is added only when every long-output line
 * fit the cap.
 * Decisions where SPEC.md is silent:
 * - a null or empty Domain (or id) shows as "-"; names are cut at
 *   OUT_MAX_NAME bytes (DNS names are at most 253).
 * - less than a day left: "expires in 0 d" / "0 d left"; expired within the
 *   last 24 h: "expired 1 d ago" (N is -days_left, the age rounded up).
 * - UNKNOWN because a % threshold has no valid CertBeginTime before
 *   CertEndTime: status phrase "has no valid begin time", long output
 *   "UNKNOWN, N d left, until <time> +08:00, no valid begin time".
 * - a certificate without a valid end time has the value U in per-cert perfdata.
 * - in a perfdata label a ' is doubled and '=', ';', '|', whitespace and
 *   control characters become '_'.
 * - ';' stays in long output (only the first line has Nagios' ';' problem);
 *   '|' and control characters become '_' there.
 * - bytes that are not UTF-8 become U+FFFD everywhere (text, JSON, OpenMetrics).
 * - a replaced certificate's long line ends "replaced by <id> but still bound
 *   to <resources>" (empty BoundResource entries left out) instead of
 *   "bound to ..."; JSON "replaced_by" is null for "" as for null.
 * - the status line and standard perfdata are printed whole even past the cap;
 *   the "K more not shown" line is left out when not even it fits.
 * - --output json is not subject to --max-output (a cut document is not JSON);
 *   it is one line; invalid UTF-8 in strings becomes U+FFFD. */
#ifndef TC_OUTPUT_H
#define TC_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

#define OUT_MAX_NAME 255          /* bytes of a Domain, id or bound resource shown */
#define OUT_MAX_LINE (256 * 1024) /* one line of output being built */

struct out_opts {
	int verbose;           /* -v: a long-output line per selected certificate */
	int perfdata_per_cert; /* --perfdata-per-cert */
	int json;              /* --output json */
	int openmetrics;       /* --output openmetrics (openmetrics.h) */
	size_t max_output;     /* --max-output, 0 = no cap */
	enum tc_state empty_state;
	const struct thr *warn, *crit;
	double fetch_time; /* seconds */
};

/* Writes the whole output for a finished report; returns the state (the exit code). */
enum tc_state out_report(FILE *f, const struct report *r, const struct out_opts *o);

/* "TENCENTCLOUD_SSL <STATE> - <message>\n" for errors and timeouts; message
 * is sanitized (no ';', '|', newlines). */
void out_error(FILE *f, enum tc_state st, const char *message);

/* The --output json form of an error: {"state":"UNKNOWN","summary":"TENCENTCLOUD_SSL
 * UNKNOWN - <message>","error":"<message>","counts":null,"certificates":[]}
 * and a newline; message sanitized as for out_error. */
void out_error_json(FILE *f, enum tc_state st, const char *message);

/* The error output in o's format: out_error, out_error_json or om_error. */
void out_fail(FILE *f, const struct out_opts *o, enum tc_state st, const char *message);

/* The same, built ahead into buf (for a signal handler, which may only
 * write(2) it): returns its length, 0 when it does not fit in cap. */
size_t out_fail_prebuild(const struct out_opts *o, enum tc_state st, const char *message, char *buf,
                         size_t cap);

/* Where a string from outside is printed; each place has its own rule. */
enum out_ctx {
	OUT_CTX_STATUS, /* the status line: no '|', no ';' */
	OUT_CTX_LONG,   /* a long-output line: no '|' */
	OUT_CTX_LABEL,  /* a quoted perfdata label: no '=', ';', '|', ' '; ' doubled */
};

/* The one sanitizer of everything printed for Nagios: copies s into out (at
 * most cap - 1 bytes and a NUL, never splitting a character) as one line of
 * valid UTF-8: bytes that are not UTF-8 become U+FFFD, control characters and
 * the bytes ctx forbids become '_'. Returns the length written. */
size_t out_clean(const char *s, enum out_ctx ctx, char *out, size_t cap);

/* out_clean for the status line (error messages). */
void out_sanitize(const char *s, char *out, size_t cap);

/* Length (1..4) of the valid UTF-8 character at s[0..n), 0 when the bytes
 * there are not one (overlong, surrogate, past U+10FFFF, cut short). */
size_t out_utf8_seq(const char *s, size_t n);
/* 1 when the k-byte sequence out_utf8_seq found is a C1 control (U+0080..U+009F). */
int out_is_c1(const char *s, size_t k);

#endif
