/* Everything the plugin prints on stdout: the status line, long output and
 * perfdata within --max-output, or one JSON document (--output json). */
#ifndef TC_OUTPUT_H
#define TC_OUTPUT_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"

struct out_opts {
	int verbose;           /* -v: a long-output line per selected certificate */
	int perfdata_per_cert; /* --perfdata-per-cert */
	int json;              /* --output json */
	size_t max_output;     /* --max-output, 0 = no cap */
	enum tc_state empty_state;
	const struct thr *warn, *crit;
	double fetch_time;     /* seconds */
};

/* Writes the whole output for a finished report; returns the state (the exit code). */
enum tc_state out_report(FILE *f, const struct report *r, const struct out_opts *o);

/* "TENCENTCLOUD_SSL <STATE> - <message>\n" for errors and timeouts; message
 * is sanitized (no ';', '|', newlines). */
void out_error(FILE *f, enum tc_state st, const char *message);

/* Copies s into out with '|' and ';' (and control characters) shown as '_'. */
void out_sanitize(const char *s, char *out, size_t cap);

#endif
