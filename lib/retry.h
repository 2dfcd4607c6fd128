/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When to send a request again, and when the next one may start: the
 * --max-rate window, exponential backoff with jitter, and which failures are
 * worth a retry (SPEC.md "--retries"), for the listing and STS alike. Pure
 * functions but retry_seed, no I/O. */
#ifndef TC_RETRY_H
#define TC_RETRY_H

#include <stdint.h>

#define RETRY_MAX_RATE 1000 /* --max-rate 1..N: the option parser and the client read it */

/* Request starts in the last second: at most `per_second` starts in any
 * 1-second window (a sliding log, no burst beyond it; 10 ms of margin). */
struct retry_rate {
	double t[RETRY_MAX_RATE];
	int per_second, n, head;
};
void retry_rate_init(struct retry_rate *r, int per_second);
/* Earliest time (>= now) at which one more request may start. */
double retry_rate_next(const struct retry_rate *r, double now);
/* Records a start at now (call only when retry_rate_next(now) <= now). */
void retry_rate_take(struct retry_rate *r, double now);

/* Backoff before retry number attempt+1 (attempt counts from 0): 0.25 s * 2^attempt,
 * times 0.5..1.5 for u in [0,1) (jitter). */
double retry_backoff(int attempt, double u);
/* The u of retry_backoff: uniform in [0,1), xorshift64* on *state. It only has
 * to spread clients apart, not be secret: retry_seed() (clock and pid) starts it. */
double retry_unit(uint64_t *state);
uint64_t retry_seed(void);
/* 1 when failed attempt number attempt (from 0) is sent again: it is worth it
 * (retry_should) and --retries N allows it (N retries, N + 1 attempts at most). */
int retry_again(int worth, int attempt, int retries);

/* 1 when a failed request is worth retrying. curl_code is a CURLcode (0 when the
 * transfer itself completed), http_status the response status, api_code the
 * Response.Error.Code ("" or NULL when none), truncated whether the parser saw the
 * body end inside the JSON. */
int retry_should(int curl_code, long http_status, const char *api_code, int truncated);

/* 1 for the curl codes of a TLS failure (reported as "TLS: ...", never retried). */
int retry_is_tls_error(int curl_code);
/* 1 for the curl codes of a failure to reach the host (reported as "cannot connect"). */
int retry_is_connect_error(int curl_code);

#endif
